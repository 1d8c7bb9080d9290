"""Whole jobs that read one table (or a spec) and write one, as `lookalike` and scripts run them.

    anonymize_file("real.csv", "anon.csv", secret="k")              -> TableJob
    balance_file("real.csv", "balanced.csv", target="Class")       -> TableJob
    augment_file / anomalies_file / generate_file                   -> TableJob
    spec_file("real.csv", "spec.yaml")                              -> the line to show
    bench_file("real.csv", "Class")                                 -> the leaderboard

Each refuses to write over its input, does the work through the library function of its verb,
writes the output atomically (`io.files`) and returns what the output's provenance card records
(`rows`, `facts`: the arguments of `records.write_card`) and the lines to show the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lookalike.errors import DataError
from lookalike.jobs import read_metadata, refuse_overwriting
from lookalike.models import DEFAULT_MODEL
from lookalike.values import check_whole

MetadataFile = str | Path | None  # a metadata JSON file (`lookalike inspect -o`)


@dataclass(frozen=True)
class TableJob:
    """What a table job wrote: the card's row counts and facts, and what to tell the user."""

    rows: dict[str, int]
    facts: dict[str, Any]
    summary: str  # the closing line (stderr; --quiet hides it)
    report: str = ""  # a --check result (stdout, always shown)
    details: list[str] = field(default_factory=list)  # a table of counts (stdout; not --quiet)


def _source(data: str | Path, frame: Any, **facts: Any) -> dict[str, Any]:
    from lookalike.io.provenance import describe_source

    return {"source": describe_source(data, frame), **facts}


def _added(frame: Any, out: Any) -> dict[str, int]:
    return {"real": len(frame), "added": len(out) - len(frame), "output": len(out)}


def anonymize_file(
    data: str | Path,
    output: str | Path,
    *,
    metadata: MetadataFile = None,
    seed: int | None = None,
    secret: str | None = None,
    in_place: bool = False,
    allow_formulas: bool = False,
) -> TableJob:
    """Replace the PII columns of the table `data` by keyed fakes and write it to `output`.

    `in_place` allows `output` to be `data` (the real table is replaced).
    """
    from lookalike.io.files import read_table, write_table
    from lookalike.pii.anonymize import anonymize

    refuse_overwriting([metadata] if in_place else [data, metadata], output, "--in-place")
    frame = read_table(data)
    out = anonymize(frame, metadata=read_metadata(metadata), secret=secret, random_state=seed)
    write_table(out, output, allow_formulas=allow_formulas)
    changed = [str(c) for c in frame.columns if not out[c].equals(frame[c])]
    summary = f"replaced {len(changed)} column(s) ({', '.join(changed) or 'none'}); wrote {output}"
    rows = {"real": len(frame), "output": len(out)}
    return TableJob(rows, _source(data, frame, contains_real_rows=True), summary)


def balance_file(
    data: str | Path,
    output: str | Path,
    *,
    target: str,
    method: str = "smote",
    ratio: float = 1.0,
    k_neighbors: int = 5,
    check: bool = False,
    report: Path | None = None,
    metadata: MetadataFile = None,
    seed: int | None = None,
    allow_formulas: bool = False,
) -> TableJob:
    """Add synthetic rows of the rare classes of `target` and write the table to `output`.

    `check` (or a `report` path, .json or .html) measures learners on held-out real rows before
    and after (`balance_check.check_balance`).
    """
    from lookalike.balance import balance
    from lookalike.balance_check import check_balance, report_path
    from lookalike.io.files import read_table, write_table

    refuse_overwriting([data, metadata], output)
    start = time.perf_counter()
    if report is not None:
        report_path(report)  # a bad name fails before any work
    frame = read_table(data)
    options: dict[str, Any] = {"method": method, "ratio": ratio, "random_state": seed}
    options.update(metadata=read_metadata(metadata), k_neighbors=k_neighbors)
    out = balance(frame, target, **options)
    shown = ""
    if check or report is not None:  # learners on held-out real rows, before vs after
        result = check_balance(frame, target, **options)
        shown = str(result)
        if report is not None:
            result.write(report)
    write_table(out, output, allow_formulas=allow_formulas)
    summary = (
        f"added {len(out) - len(frame)} rows ({method}) in {time.perf_counter() - start:.1f} s; "
        f"wrote {output}"
    )
    extra = {"method": method, "ratio": ratio, "target": target}
    facts = _source(data, frame, contains_real_rows=True, extra=extra)
    return TableJob(_added(frame, out), facts, summary, shown, _class_table(out))


def _class_table(out: Any) -> list[str]:
    """Rows per class before and after, as aligned lines."""
    counts = out.attrs["class_counts"]
    width = max(len(str(c)) for c in counts["after"])
    lines = [f"{'class':<{width}}  {'before':>8}  {'after':>8}"]
    for cls, after in counts["after"].items():
        lines.append(f"{cls!s:<{width}}  {counts['before'].get(cls, 0):>8}  {after:>8}")
    return lines


def augment_file(
    data: str | Path,
    output: str | Path,
    *,
    target: str,
    model: str = DEFAULT_MODEL,
    rows: int | None = None,
    check: bool = False,
    metadata: MetadataFile = None,
    seed: int | None = None,
    allow_formulas: bool = False,
) -> TableJob:
    """Write the real rows of `data` plus synthetic ones; `check` measures whether they help."""
    from lookalike.augment import augment, check_augmentation
    from lookalike.io.files import read_table, write_table

    refuse_overwriting([data, metadata], output)
    frame, meta = read_table(data), read_metadata(metadata)
    out = augment(frame, target, model=model, rows=rows, random_state=seed, metadata=meta)
    shown = ""
    if check:
        shown = str(
            check_augmentation(
                frame, target, model=model, rows=rows, random_state=seed or 0, metadata=meta
            )
        )
    write_table(out, output, allow_formulas=allow_formulas)
    summary = f"wrote {output}: {len(frame)} real + {len(out) - len(frame)} synthetic rows"
    facts = _source(data, frame, contains_real_rows=True, extra={"model": model, "target": target})
    return TableJob(_added(frame, out), facts, summary, shown)


def anomalies_file(
    data: str | Path,
    output: str | Path,
    *,
    rows: int,
    kinds: str = "global,local,contextual,cluster",
    share: float = 0.05,
    model: str = DEFAULT_MODEL,
    metadata: MetadataFile = None,
    seed: int | None = None,
    allow_formulas: bool = False,
) -> TableJob:
    """Write `rows` lookalike rows of `data` mixed with labelled anomalies of the `kinds` given."""
    from lookalike.anomalies import anomalies
    from lookalike.io.files import read_table, write_table

    refuse_overwriting([data, metadata], output)
    kind_list = [k.strip() for k in kinds.split(",") if k.strip()]
    frame = read_table(data)
    out = anomalies(
        frame,
        rows,
        kinds=kind_list,
        share=share,
        model=model,
        random_state=seed,
        metadata=read_metadata(metadata),
    )
    write_table(out, output, allow_formulas=allow_formulas)
    counts = out["anomaly"].value_counts().to_dict()
    summary = f"wrote {output}: " + ", ".join(f"{v} {k}" for k, v in counts.items())
    extra = {"model": model, "kinds": kind_list, "share": share, "anomalies": counts}
    return TableJob({"output": len(out)}, _source(data, frame, extra=extra), summary)


def generate_file(
    spec: str | Path,
    output: str | Path,
    *,
    n: int | None = None,
    seed: int | None = None,
    allow_formulas: bool = False,
) -> TableJob:
    """Make `n` rows (default: the spec's `rows:`) by the rules in `spec`, streamed to `output`."""
    from lookalike._progress import progress
    from lookalike.io.files import write_chunks
    from lookalike.io.provenance import describe_source
    from lookalike.rules import chunk_count, chunks_of
    from lookalike.rules.hybrid import load

    if n is not None:
        check_whole(n, "-n (the number of rows)")
    refuse_overwriting([spec], output)
    checked = load(spec)  # a learned: block's model file is loaded and checked here
    wanted = checked["rows"] if n is None else n
    if wanted is None or wanted <= 0:
        raise DataError("say how many rows to make with -n ROWS (or set rows: in the spec).")
    start = time.perf_counter()
    chunks = chunks_of(checked, wanted, random_state=seed)
    bar = progress(chunks, total=chunk_count(wanted), desc="generating", unit="chunk")
    rows = write_chunks(bar, output, allow_formulas=allow_formulas)
    summary = f"wrote {rows} rows to {output} in {time.perf_counter() - start:.1f} s"
    learned = checked["learned"]
    real = f"model {learned['model'].source} (learned:)" if learned else "none (rules only)"
    facts = {"source": describe_source(spec), "extra": {"real_data": real}}
    return TableJob({"output": rows}, facts, summary)


def spec_file(data: str | Path, output: str | Path, *, metadata: MetadataFile = None) -> str:
    """Write a rules spec describing the table `data` to `output`; returns the line to show."""
    from lookalike.io.files import read_table
    from lookalike.rules import write_spec_file
    from lookalike.rules.infer import spec_from_data

    refuse_overwriting([data, metadata], output)
    frame = read_table(data)
    write_spec_file(spec_from_data(frame, read_metadata(metadata)), output)
    return f"wrote {output}; edit it, then: lookalike generate {output} -n 1000 -o fake.csv"


def bench_file(
    data: str,
    target: str,
    models: str | None = None,
    *,
    time_budget: float = 60.0,
    seed: int = 0,
    report: Path | None = None,
    say: Callable[[str], None] | None = None,
    json_path: Path | None = None,
) -> str:
    """Rank `models` (a comma list; default: the fast ones) on `data`; returns the leaderboard.

    `say` gets one line per model as it finishes; `report` also gets them side by side as HTML,
    `json_path` the ranked leaderboard as JSON (`lookalike.bench.leaderboard_json`).
    """
    from lookalike.bench import format_leaderboard, run_bench, write_json, write_report
    from lookalike.io.files import read_table

    names = [m.strip() for m in models.split(",") if m.strip()] if models else None
    for written in (report, json_path):
        if written is not None:
            refuse_overwriting([data], written)

    def one_line(row: dict[str, Any]) -> None:
        done = row.get("error") or f"quality {row.get('quality', float('nan')):.3f}"
        if say is not None:
            say(f"{row['model']}: {done} (fit {row.get('fit s', 0.0):.1f} s)")

    kept: dict[str, Any] | None = {} if report is not None else None
    table = run_bench(
        read_table(data),
        target,
        names,
        time_budget=time_budget,
        random_state=seed,
        on_result=one_line,
        reports=kept,
    )
    if report is not None and kept is not None:
        write_report(kept, report, table)
    if json_path is not None:
        write_json(table, json_path)
    return format_leaderboard(table)
