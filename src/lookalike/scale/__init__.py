"""Scale: tables larger than memory (`scale.large_fit`), parallel sampling (`scale.parallel`)."""
