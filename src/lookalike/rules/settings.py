"""What a rules spec may say: the kinds, their parameters, the settings every column takes."""

from __future__ import annotations

import math
from typing import Any, TypeGuard

# kind -> (required parameters, optional parameters)
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "normal": (("mean", "sd"), ()),
    "lognormal": (("mu", "sigma"), ()),
    "uniform": (("low", "high"), ()),
    "exponential": (("scale",), ()),
    "poisson": (("lam",), ()),
    "beta": (("a", "b"), ()),
    "binomial": (("n", "p"), ()),
}
OTHER_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "categorical": (("values",), ("weights",)),
    "boolean": ((), ("p",)),
    "constant": (("value",), ()),
    "sequence": ((), ("start", "step", "pattern")),
    "id": (("pattern",), ()),
    "date": (("start", "end"), ("format",)),
    "datetime": (("start", "end"), ("format",)),
    "computed": (("expr",), ()),
}
FAKE_PARAMS = ("locale",)
COMMON = ("kind", "missing", "by", "cases", "min", "max", "round")
TOP_LEVEL = ("columns", "rows", "seed", "locale", "correlations")
DISCRETE = ("poisson", "binomial")
COPULA_KINDS = (*DISTRIBUTIONS, "categorical", "boolean", "date", "datetime")


def is_number(value: Any) -> TypeGuard[int | float]:
    """True for an int or float that is not a bool."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def case_key(value: Any) -> str:
    """Case keys compare as text: YAML may read `yes` as True and `1` as 1."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
