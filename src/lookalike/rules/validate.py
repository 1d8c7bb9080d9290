"""Reading and checking a rules spec: every problem is a SpecError naming the column.

`load_spec` reads a dict, a .yaml/.yml/.json path or YAML/JSON text; `validate_spec` checks kinds,
settings, parameters, weights, expressions, dependencies (cycles), `by`/`cases` coverage,
correlations and the `learned:` block (`rules.learned`), and returns the spec normalised for
`lookalike.rules.draw`. The checks of one column are in `rules.columns` and `rules.params`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lookalike.errors import SpecError
from lookalike.pii.sex import pick_sex_column
from lookalike.rules import learned as learned_block
from lookalike.rules import limits
from lookalike.rules.columns import NAMED_KINDS, check_column
from lookalike.rules.correlations import check_correlations
from lookalike.rules.learned import LearnedModel
from lookalike.rules.settings import (
    COPULA_KINDS as COPULA_KINDS,
)
from lookalike.rules.settings import (
    DISCRETE as DISCRETE,
)
from lookalike.rules.settings import (
    DISTRIBUTIONS as DISTRIBUTIONS,
)
from lookalike.rules.settings import (
    OTHER_KINDS as OTHER_KINDS,
)
from lookalike.rules.settings import (
    case_key,
)
from lookalike.rules.settings import (
    is_number as is_number,
)
from lookalike.rules.yaml_text import parse_text

TOP_LEVEL = ("columns", "rows", "seed", "locale", "correlations", "learned")
_SUFFIXES = (".yaml", ".yml", ".json")


# ---------------------------------------------------------------------- reading a spec
def load_spec(spec: dict[str, Any] | str | Path) -> dict[str, Any]:
    """Read a spec from a dict, a .yaml/.yml/.json path or YAML/JSON text, and validate it."""
    return validate_spec(read_spec(spec))


def read_spec(spec: dict[str, Any] | str | Path) -> dict[str, Any]:
    """The data of a spec (a dict, a .yaml/.yml/.json path or YAML/JSON text), not yet checked."""
    if isinstance(spec, dict):
        data = spec
    else:
        text = str(spec)
        suffix = Path(text).suffix.lower() if len(text) < 4096 else ""
        looks_inline = (
            "\n" in text
            or len(text) >= 4096
            or text.lstrip().startswith(("{", "["))
            or (":" in text and suffix not in (".yaml", ".yml", ".json"))
        )
        if not looks_inline:
            path = Path(spec)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = "does not exist" if not path.exists() else f"cannot be read ({error})"
                raise SpecError(f"spec file {path} {reason}.") from None
        data = parse_text(text, str(spec) if not looks_inline else "spec")
    return data  # type: ignore[no-any-return]


def spec_folder(spec: dict[str, Any] | str | Path) -> Path | None:
    """The folder of a spec given as a file path (paths in it are relative to it), else None."""
    if isinstance(spec, dict):
        return None
    text = str(spec)
    if len(text) >= 4096 or "\n" in text or Path(text).suffix.lower() not in _SUFFIXES:
        return None
    return Path(text).resolve().parent


def validate_spec(spec: Any, learned: LearnedModel | None = None) -> dict[str, Any]:
    """Check a spec and return it normalised (weights as probabilities, expressions parsed).

    A spec with a `learned:` block needs `learned`, what its model holds (`rules.hybrid` loads
    the model file and passes it); `lookalike.generate` does that.
    """
    if isinstance(spec, dict) and "learned" in spec and spec.get("columns") is None:
        spec = {**spec, "columns": {}}  # a learned block alone: the model's columns only
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise SpecError('a spec must be a mapping with a "columns" mapping of name -> settings.')
    unknown = sorted(set(spec) - set(TOP_LEVEL))
    if unknown:
        raise SpecError(
            f"unknown top-level key(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(TOP_LEVEL)}."
        )
    if not spec["columns"] and "learned" not in spec:
        raise SpecError("the spec has no columns.")
    locale = spec.get("locale", "en_US")
    columns = {
        str(name): check_column(str(name), settings, locale)
        for name, settings in spec["columns"].items()
    }
    plan = _learned_plan(spec, learned, list(columns))
    outputs = plan["outputs"] if plan else []
    names = set(columns) | set(outputs)
    _follow_sex(columns, plan)
    for name, column in columns.items():
        for dependency in column["depends"]:
            if dependency not in names:
                raise SpecError(
                    f"column {name!r} uses unknown column {dependency!r}; "
                    f"known: {', '.join(sorted(names))}."
                )
            if dependency == name:
                raise SpecError(f"column {name!r} depends on itself.")
    limits.check_numeric_inputs(columns)
    order = learned_block.order({n: c["depends"] for n, c in columns.items()}, plan)
    correlation = check_correlations(spec.get("correlations") or [], columns)
    categories = plan["model"].categories if plan else {}
    for name, column in columns.items():
        _check_cases_cover(name, column, columns, categories)
    rows = spec.get("rows")
    if rows is not None and (not isinstance(rows, int) or rows < 0):
        raise SpecError(f'"rows" must be a whole number >= 0, got {rows!r}.')
    seed = spec.get("seed")
    if seed is not None and not isinstance(seed, int):
        raise SpecError(f'"seed" must be an integer, got {seed!r}.')
    output = list(columns)
    if plan:  # the model's columns in its order (a rule column of the same name in its place)
        model_columns = [c for c in plan["model"].columns if c in outputs or c in columns]
        output = [*model_columns, *(c for c in columns if c not in model_columns)]
    return {
        "columns": columns,
        "order": order,
        "correlation": correlation,
        "rows": rows,
        "seed": seed,
        "learned": plan,
        "output": output,
    }


def _learned_plan(
    spec: dict[str, Any], learned: LearnedModel | None, rules: list[str]
) -> dict[str, Any] | None:
    if "learned" not in spec:
        return None
    block = learned_block.read_block(spec["learned"])
    if learned is None:
        raise SpecError(
            "this spec learns columns from a model (learned:); generate it with "
            "lookalike.generate or `lookalike generate`, which load the model file."
        )
    return learned_block.plan(block, learned, rules)


def column_values(column: dict[str, Any]) -> set[str] | None:
    """Every value (as a case key) a categorical, boolean or constant column can take, or None."""
    kinds = {"categorical": "values", "constant": "value"}
    parts = [(column["kind"], column["params"]), *_case_parts(column)]
    values: set[str] = set()
    for kind, params in parts:
        if kind == "boolean":
            values |= {"True", "False"}
        elif kind in kinds and kinds[kind] in params:
            found = params[kinds[kind]]
            values |= {case_key(v) for v in (found if isinstance(found, list) else [found])}
        elif params or kind not in kinds:
            return None
    return values or None


def _case_parts(column: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    switched = column.get("case_columns", {})
    return [
        (switched[key]["kind"] if key in switched else column["kind"], params)
        for key, params in column.get("cases", {}).items()
    ]


def _follow_sex(columns: dict[str, dict[str, Any]], plan: dict[str, Any] | None) -> None:
    """Name columns without `sex:` follow the spec's sex/gender column, if it has one."""
    if not any(c["kind"] in NAMED_KINDS and "sex" not in c for c in columns.values()):
        return
    candidates: dict[str, Any] = {}
    for name, column in columns.items():
        values = column_values(column) if column["kind"] in ("categorical", "constant") else None
        if values:
            candidates[name] = values
    if plan:
        for name in plan["outputs"]:
            if name in plan["model"].categories:
                candidates[name] = plan["model"].categories[name]
    found = pick_sex_column(candidates)
    if found is None:
        return
    for column in columns.values():
        if column["kind"] in NAMED_KINDS and "sex" not in column and column["name"] != found:
            column["sex"] = found
            column["depends"].add(found)


def _check_cases_cover(
    name: str, column: dict[str, Any], columns: dict[str, Any], categories: dict[str, list[Any]]
) -> None:
    if "by" not in column or column["complete"]:
        return
    by = column["by"]
    if by in columns:
        values = column_values(columns[by])
    else:  # a learned column: the values the model knows
        known = categories.get(by)
        values = None if known is None else {case_key(v) for v in known if v == v}
    if values is None:
        raise SpecError(
            f"column {name!r}: give full default parameters, since cases by {by!r} "
            "cannot list every value of that column."
        )
    uncovered = sorted(values - set(column["cases"]))
    if uncovered:
        raise SpecError(
            f"column {name!r}: no parameters for {by}={uncovered[0]!r}; add a case "
            "for it or default parameters."
        )
