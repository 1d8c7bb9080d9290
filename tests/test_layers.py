"""Layers point down: no module imports one of a higher layer, so no cycle runs between layers.

Every `import lookalike...` / `from lookalike... import ...` in src/lookalike is read with `ast`,
function-level imports included (they run too, later); imports under `if TYPE_CHECKING:` are
left out (they never run). Each module is mapped to a layer by the longest prefix in LAYERS;
a top-level module or package that is not in the table (a new `linked/`, `sequences/`, `ui/`)
is in the top layer until someone places it. Modules of one layer may import each other.

The table (also in the package docstring, src/lookalike/__init__.py), bottom first:
     0 base        errors, _progress, _version, masking (mask_url), os_errors
     1 values      values (value rules), kinds (column kinds), relatedness (Pearson, Cramér's V,
                   thresholds)
     2 io          io/ (files, sql, sql_connect, json_files, ...)
     3 kinds       pii (detect, fakes, column_fakes, names, value_filter, codes), ids,
                   expressions
     4 metadata    metadata, column (one column's kind and facts), column_detect (detection),
                   column_fields
     5 encoding    codecs (one per column kind), transform, conditions, where (--where texts ->
                   conditions)
     6 constraints constraints/
     7 rules       rules/ (spec -> rows, rules.infer: a spec from a real table)
                   (rules.hybrid, which loads the model of a learned: block, is in layer 9)
     8 models      models/, persistence (a model saves itself; loading needs the registry)
     9 scale       scale/ (large_fit, parallel)
    10 evaluation  evaluation/ (scores: plain data)
    11 report      report/ (scores -> HTML)
    12 verbs       pii.anonymize, balance, balance_check, augment, anomalies, bench, bench_rank,
                   demo, jobs, table_jobs, records; the old-path shims
                   (anonymize, files, sources, scan): internal code must not use them
    13 top         cli/ (one module per verb group), verbs (which job runs for an input: one
                   table, linked tables or sequences), exits (exit codes, signals), the package
                   root, anything new
"""

from __future__ import annotations

import ast
from pathlib import Path

import lookalike

SRC = Path(lookalike.__file__).parent
TOP = 13
LAYERS: dict[str, int] = {
    "lookalike.errors": 0,
    "lookalike.masking": 0,
    "lookalike.os_errors": 0,
    "lookalike._progress": 0,
    "lookalike._version": 0,
    "lookalike.values": 1,
    "lookalike.relatedness": 1,
    "lookalike.kinds": 1,
    "lookalike.io": 2,
    "lookalike.pii": 3,
    "lookalike.ids": 3,
    "lookalike.expressions": 3,
    "lookalike.metadata": 4,
    "lookalike.column_fields": 4,
    "lookalike.column": 4,
    "lookalike.column_detect": 4,
    "lookalike.transform": 5,
    "lookalike.codecs": 5,
    "lookalike.conditions": 5,
    "lookalike.where": 5,
    "lookalike.constraints": 6,
    "lookalike.rules": 7,
    "lookalike.rules.hybrid": 9,  # loads model files for a spec's learned: block
    "lookalike.models": 8,
    "lookalike.persistence": 8,
    "lookalike.scale": 9,
    "lookalike.evaluation": 10,
    "lookalike.report": 11,
    "lookalike.pii.anonymize": 12,
    "lookalike.anonymize": 12,
    "lookalike.files": 12,
    "lookalike.sources": 12,
    "lookalike.scan": 12,
    "lookalike.balance": 12,
    "lookalike.bench": 12,
    "lookalike.bench_rank": 12,
    "lookalike.demo": 12,
    "lookalike.jobs": 12,
    "lookalike.records": 12,
    "lookalike.record_list": 12,
    "lookalike.table_jobs": 12,
    "lookalike.balance_check": 12,
    "lookalike.augment": 12,
    "lookalike.anomalies": 12,
    "lookalike.cli": TOP,
    "lookalike.verbs": TOP,
    "lookalike.exits": TOP,
    "lookalike": TOP,
}
# (importer, imported): the only upward imports, each with its reason.
ALLOWED_UP = {
    # Report.to_html() / notebook display are the README's API on what evaluate() returns; they
    # delegate to the report package at call time. No score is computed through them.
    ("lookalike.evaluation.results", "lookalike.report"),
    # the same for Comparison.to_html() / notebook display of several generators side by side
    ("lookalike.evaluation.compare", "lookalike.report"),
}


def layer(module: str) -> int:
    """The layer of a dotted module name: the longest prefix in LAYERS, else the top layer."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS and (end > 1 or module == "lookalike"):
            return LAYERS[prefix]
    return TOP


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path) -> list[tuple[str, int]]:
    """(imported lookalike module, line) for every import that can run, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found = []
    own = module_name(path) if path.is_relative_to(SRC) else "lookalike.probe"
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:  # `from lookalike.pii import fakes` imports a submodule
                sub = f"{base}.{alias.name}"
                found.append((sub if _is_module(sub) else base, node.lineno))
    found = sorted(set(found), key=lambda pair: pair[1])
    return [(name, line) for name, line in found if name.split(".")[0] == "lookalike"]


def _is_module(name: str) -> bool:
    path = SRC.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def upward_imports() -> list[str]:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        importer = module_name(path)
        for imported, line in imports(path):
            if imported == "lookalike" and importer != "lookalike":
                problems.append(f"{importer}:{line} imports the package root (use a submodule)")
                continue
            if layer(imported) <= layer(importer):
                continue
            if any(importer == a and imported.startswith(b) for a, b in ALLOWED_UP):
                continue
            problems.append(
                f"{importer} (layer {layer(importer)}) imports {imported} "
                f"(layer {layer(imported)}) at line {line}"
            )
    return problems


def test_no_module_imports_a_higher_layer() -> None:
    assert upward_imports() == []


def test_the_checker_sees_function_level_and_submodule_imports(tmp_path: Path) -> None:
    # the checker must be able to fail: a low module with a late import of a high one
    code = (
        "def f():\n    from lookalike.report import to_html\n    from lookalike.pii import fakes\n"
    )
    found = dict(imports(_write(tmp_path, code)))
    assert "lookalike.report" in found and "lookalike.pii.fakes" in found
    assert layer("lookalike.report") > layer("lookalike.values")


def test_every_module_is_in_the_package_docstring_and_the_table() -> None:
    doc = lookalike.__doc__ or ""
    for path in sorted(SRC.iterdir()):
        if path.name == "__init__.py" or not (
            path.suffix == ".py" or (path / "__init__.py").exists()
        ):
            continue
        assert f" {path.stem} " in doc, f"{path.stem} is not mapped in the package docstring"


def test_unknown_packages_default_to_the_top() -> None:
    assert layer("lookalike.linked.schema") == TOP
    assert layer("lookalike.pii.detect") == LAYERS["lookalike.pii"]
    assert layer("lookalike.pii.anonymize") == LAYERS["lookalike.pii.anonymize"]


def _write(folder: Path, code: str) -> Path:
    path = folder / "probe.py"
    path.write_text(code, encoding="utf-8")
    return path
