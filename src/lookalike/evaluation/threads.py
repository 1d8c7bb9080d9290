"""One thread for OpenMP and BLAS while evaluating.

On a busy machine the spinning worker threads of OpenMP (gradient boosting, t-SNE) and BLAS
make them ten times slower or worse; on an idle one a second thread gains little at these sizes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def single_threaded() -> Iterator[None]:
    """Limit OpenMP and BLAS to one thread inside the block."""
    # threadpoolctl only limits libraries already loaded: load scikit-learn's first
    import sklearn.decomposition
    import sklearn.ensemble
    import sklearn.linear_model
    import sklearn.manifold
    import sklearn.neighbors  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield
