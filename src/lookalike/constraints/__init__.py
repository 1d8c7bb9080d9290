"""Rules every sampled row obeys, for every model, conditional sampling included.

Declare them in the metadata JSON under "constraints" (or as objects from this module in
`Metadata.constraints`); a model picks them up in `fit`:

    {"type": "range", "column": "age", "min": 0, "max": 120}          0 <= age <= 120
    {"type": "range", "column": "day", "min": "2020-01-01"}            dates as text
    {"type": "positive", "column": "amount"}                           amount > 0
    {"type": "positive", "column": "amount", "strict": false}          amount >= 0
    {"type": "integer", "column": "children"}                          whole numbers
    {"type": "inequality", "low": "start", "high": "end"}              start <= end
    {"type": "inequality", "low": "start", "high": "end", "strict": true}   start < end
    {"type": "fixed_combinations", "columns": ["city", "country"]}     only pairs seen in the data
    {"type": "formula", "column": "total", "expression": "price * qty"}     total = price * qty
    {"type": "unique", "column": "account"}                            no value twice in a sample

`range` with `"strict": true` excludes both ends. A row with a missing value in one of a
constraint's columns satisfies it. `Custom(fn)` (Python only) keeps rows where `fn(rows)` is True;
it cannot be written to JSON or saved in a model file.

Inequalities, fixed combinations and formulas are learned through a transform that makes a
violation impossible (the model sees `end - start`, one merged `city+country` column, or no `total`
at all); everything is also checked on every sampled row, and rows that fail are redrawn within a
budget (a ConditionError says so when the budget runs out).
"""

from __future__ import annotations

from typing import Any

from lookalike.constraints.apply import ConstraintSet
from lookalike.constraints.checks import Constraint, Custom, Integer, Positive, Range, Unique
from lookalike.constraints.combinations import FixedCombinations
from lookalike.constraints.formula import Formula
from lookalike.constraints.inequality import Inequality
from lookalike.errors import MetadataError

KINDS: dict[str, type[Constraint]] = {
    "range": Range,
    "positive": Positive,
    "integer": Integer,
    "inequality": Inequality,
    "fixed_combinations": FixedCombinations,
    "formula": Formula,
    "unique": Unique,
}
_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # type -> (required, optional) fields
    "range": ({"column"}, {"min", "max", "strict"}),
    "positive": ({"column"}, {"strict"}),
    "integer": ({"column"}, set()),
    "inequality": ({"low", "high"}, {"strict"}),
    "fixed_combinations": ({"columns"}, set()),
    "formula": ({"column", "expression"}, set()),
    "unique": ({"column"}, set()),
}
_IGNORED = {"type", "note"}  # "note": free text, e.g. why `inspect` suggested it


def parse(spec: Any) -> Constraint:
    """A Constraint from a JSON spec (a dict) or a Constraint; MetadataError if malformed.

    Example:
        >>> parse({"type": "inequality", "low": "start", "high": "end"}).describe()
        'start <= end'
    """
    if isinstance(spec, Constraint):
        return spec
    if not isinstance(spec, dict):
        raise MetadataError(
            f"a constraint must be an object such as {{'type': 'range', ...}}, got {spec!r}"
        )
    kind = spec.get("type")
    if kind not in KINDS:
        raise MetadataError(
            f"constraint {spec!r}: unknown type {kind!r}; use one of {', '.join(KINDS)}"
            + (" (custom constraints exist in Python only)" if kind == "custom" else "")
        )
    required, optional = _FIELDS[kind]
    missing = sorted(required - set(spec))
    unknown = sorted(set(spec) - required - optional - _IGNORED)
    problems = []
    if missing:
        problems.append(f"constraint {spec!r}: missing field(s) {', '.join(missing)}")
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        problems.append(
            f"constraint {spec!r}: unknown field(s) {', '.join(unknown)}; {kind} takes {allowed}"
        )
    if "strict" in spec and not isinstance(spec["strict"], bool):
        problems.append(f"constraint {spec!r}: strict must be true or false")
    if kind == "fixed_combinations" and not (
        isinstance(spec.get("columns"), list) and all(isinstance(c, str) for c in spec["columns"])
    ):
        problems.append(f"constraint {spec!r}: columns must be a list of column names")
    for field in ("column", "low", "high", "expression"):
        if field in spec and not isinstance(spec[field], str):
            problems.append(f"constraint {spec!r}: {field} must be text")
    if problems:
        raise MetadataError(problems)
    args = {k: v for k, v in spec.items() if k not in _IGNORED}
    return KINDS[kind](**args)


def to_spec(constraint: Any) -> dict[str, Any]:
    """The JSON spec of a constraint (a dict is returned as it is)."""
    if isinstance(constraint, dict):
        return constraint
    if isinstance(constraint, Constraint) and constraint.serialisable:
        return constraint.to_dict()
    raise MetadataError(
        f"constraint {constraint!r} cannot be written to JSON (Custom constraints are Python "
        "functions and live in memory only)."
    )


def suggest(data: Any, metadata: Any = None) -> list[dict[str, Any]]:
    """Likely constraints of a table, as specs with a "note" saying why (see `detect`)."""
    from lookalike.constraints.detect import suggest_constraints

    return suggest_constraints(data, metadata)


__all__ = [
    "KINDS",
    "Constraint",
    "ConstraintSet",
    "Custom",
    "FixedCombinations",
    "Formula",
    "Inequality",
    "Integer",
    "Positive",
    "Range",
    "Unique",
    "parse",
    "suggest",
    "to_spec",
]
