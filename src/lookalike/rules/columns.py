"""Checking one column of a spec: kind, settings, parameters, `by`/`cases`."""

from __future__ import annotations

from typing import Any

from lookalike.errors import SpecError
from lookalike.pii import fakes
from lookalike.rules import limits
from lookalike.rules.params import check_params, param
from lookalike.rules.settings import (
    COMMON,
    DISTRIBUTIONS,
    FAKE_PARAMS,
    OTHER_KINDS,
    case_key,
    is_number,
)

ROW_KINDS = ("sequence", "id")  # drawn from the row number: no case may switch to them
NAMED_KINDS = ("name", "first_name")  # fakes that follow a sex/gender column (`sex:`)
CASE_SETTINGS = ("kind", "min", "max", "round")  # settings a case that switches kind may give


def check_column(name: str, settings: Any, locale: str) -> dict[str, Any]:
    """A column's settings checked and normalised (parameters parsed, cases merged)."""
    if not isinstance(settings, dict):
        raise SpecError(f"column {name!r}: expected a mapping of settings, got {settings!r}.")
    kind = str(settings.get("kind"))
    required, optional = _signature(name, settings.get("kind"))
    allowed = set(COMMON) | set(required) | set(optional)
    if kind in NAMED_KINDS:
        allowed.add("sex")
    extra = sorted(set(settings) - allowed)
    if extra:
        raise SpecError(
            f"column {name!r} ({kind}): unknown setting(s) {', '.join(map(repr, extra))}; "
            f"allowed: {', '.join(sorted(allowed - {'kind'}))}."
        )
    column: dict[str, Any] = {"name": name, "kind": kind, "depends": set()}
    missing = settings.get("missing", 0)
    if not is_number(missing) or not 0 <= missing < 1:
        raise SpecError(f"column {name!r}: missing must be a share in [0, 1), got {missing!r}.")
    column["missing"] = float(missing)
    for key in ("min", "max"):
        column[key] = param(name, key, settings.get(key), column)
    rounding = settings.get("round")
    limits.check_round(f"column {name!r}", rounding)
    column["round"] = rounding
    if "sex" in settings:
        if not isinstance(settings["sex"], str) or not settings["sex"]:
            raise SpecError(f"column {name!r}: sex must name the sex/gender column.")
        column["sex"] = settings["sex"]
        column["depends"].add(settings["sex"])
    base = {k: v for k, v in settings.items() if k in set(required) | set(optional)}
    if kind in fakes.KINDS:
        base.setdefault("locale", locale)
        try:  # an unknown locale fails now, not mid-stream
            fakes._faker(str(base["locale"]))
        except SpecError as error:
            raise SpecError(f"column {name!r}: {error}") from None
    column["params"] = check_params(name, kind, base, column, complete=False)
    column["complete"] = all(k in base for k in required)
    if "by" in settings:
        _check_cases(column, settings, base, locale)
    elif "cases" in settings:
        raise SpecError(f"column {name!r}: 'cases' needs 'by', the column they depend on.")
    elif not column["complete"]:
        lacking = [k for k in required if k not in base]
        raise SpecError(f"column {name!r} ({kind}) lacks {', '.join(lacking)}.")
    if kind in DISTRIBUTIONS:
        switched = column.get("case_columns", {})
        for case, params in [(None, column["params"]), *column.get("cases", {}).items()]:
            if (case is None and not column["complete"]) or case in switched:
                continue
            where = f"column {name!r}" + (f" (case {case!r})" if case is not None else "")
            limits.check_bounds(where, kind, params, column["min"], column["max"])
    return column


def _signature(name: str, kind: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) parameters of a kind; SpecError for an unknown kind."""
    known = {**DISTRIBUTIONS, **OTHER_KINDS}
    if kind not in known and kind not in fakes.KINDS:
        raise SpecError(
            f"column {name!r}: unknown kind {kind!r}; use one of "
            f"{', '.join([*known, *fakes.KINDS])}."
        )
    return known.get(kind, ((), (*FAKE_PARAMS, "patterns") if kind == "text" else FAKE_PARAMS))


def _check_cases(
    column: dict[str, Any], settings: dict[str, Any], base: dict[str, Any], locale: str
) -> None:
    """`by` + `cases`: per value of another column, other parameters or another kind."""
    name, kind = column["name"], column["kind"]
    required, optional = _signature(name, kind)
    by, cases = settings["by"], settings.get("cases")
    if not isinstance(by, str) or not isinstance(cases, dict) or not cases:
        raise SpecError(
            f"column {name!r}: 'by' needs a column name and 'cases', a mapping of that "
            "column's values to parameters."
        )
    column["by"] = by
    column["depends"].add(by)
    column["cases"] = {}
    for value, overrides in cases.items():
        if not isinstance(overrides, dict):
            raise SpecError(f"column {name!r}: case {value!r} must be a mapping of parameters.")
        if overrides.get("kind", kind) != kind:
            _switched_case(column, value, overrides, settings, locale)
            continue
        overrides = {k: v for k, v in overrides.items() if k != "kind"}
        bad = sorted(set(overrides) - set(required) - set(optional))
        if bad:
            raise SpecError(
                f"column {name!r}: case {value!r} sets {', '.join(map(repr, bad))}, which "
                f"{kind} does not take; allowed: {', '.join([*required, *optional])} (or a "
                "kind of its own with its parameters)."
            )
        merged = {**base, **overrides}
        missing_keys = [k for k in required if k not in merged]
        if missing_keys:
            raise SpecError(f"column {name!r}: case {value!r} lacks {', '.join(missing_keys)}.")
        column["cases"][case_key(value)] = check_params(
            name, kind, merged, column, complete=True, case=value
        )


def _switched_case(
    column: dict[str, Any],
    value: Any,
    overrides: dict[str, Any],
    settings: dict[str, Any],
    locale: str,
) -> None:
    """A case with a kind of its own: checked as a column of that kind (min, max and round
    default to the column's), drawn for the rows of that case.
    """
    name = column["name"]
    where = f"column {name!r} (case {value!r})"
    if overrides["kind"] in ROW_KINDS:
        raise SpecError(f"{where}: a case cannot be a {overrides['kind']}; give it its own column.")
    nested = sorted({"by", "cases", "missing"} & set(overrides))
    if nested:
        raise SpecError(f"{where}: {', '.join(nested)} belong to the column, not to a case.")
    own = {k: settings[k] for k in CASE_SETTINGS[1:] if k in settings and k not in overrides}
    try:
        case = check_column(name, {**own, **overrides}, locale)
    except SpecError as error:
        text = str(error).replace(f"column {name!r}", where, 1)
        raise SpecError(text) from None
    key = case_key(value)
    column.setdefault("case_columns", {})[key] = case
    column["cases"][key] = case["params"]
    column["depends"] |= case["depends"]
