"""Provenance cards: a small JSON record beside every output (the `records` verb: record_list).

A card (`OUT.card.json` beside a file or folder OUT; for a database output, in a records folder)
says what the output came from (a fingerprint, never data), which model file and parameters made
it, the seed, row counts, the privacy scores once `evaluate` has run on it, the user's purpose and
expiry date, and whether the model file holds real training values. Cards are written atomically
and database URLs in them have their password masked.

    write_card(out, command=..., ...)   one call for any verb that writes an output
    read_card(path)                     one card, checked
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from lookalike.errors import DataError

CARD_SUFFIX = ".card.json"
FORMAT = "lookalike-card"
FORMAT_VERSION = 1


def card_path(output: str | Path, records: str | Path | None = None) -> Path | None:
    """Where the card of `output` goes: beside a file or folder (always, so it travels with it);
    in `records` for a database URL (None when no records folder is given).
    """
    from lookalike.io.sql import is_url, mask_url

    if is_url(str(output)):
        if records is None:
            return None
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", mask_url(str(output)).split("://", 1)[-1])
        return Path(records) / f"{slug.strip('_')[:120]}{CARD_SUFFIX}"
    return Path(f"{output}{CARD_SUFFIX}")


def parse_expires(text: str | None, *, allow_past: bool = True) -> str | None:
    """A YYYY-MM-DD date, checked; None stays None. Raises DataError saying what to write.

    Example:
        >>> parse_expires("2027-06-30")
        '2027-06-30'
    """
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DataError(
            f"--expires {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-06-30."
        ) from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise DataError(f"--expires {text!r}: write the date as YYYY-MM-DD, e.g. 2027-06-30.")
    if not allow_past and day < dt.date.today():
        raise DataError(f"--expires {text} is in the past; give a later date (YYYY-MM-DD).")
    return day.isoformat()


MAX_PURPOSE = 500


def clean_purpose(text: str | None) -> str | None:
    """The purpose as one plain line: control characters (terminal escapes, newlines) become
    spaces; longer than MAX_PURPOSE characters is a DataError.
    """
    if text is None:
        return None
    line = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())
    if len(line) > MAX_PURPOSE:
        raise DataError(f"--purpose is {len(line)} characters; keep it under {MAX_PURPOSE}.")
    return line or None


def write_card(
    output: str | Path,
    *,
    command: str,
    rows: dict[str, int],
    source: dict[str, Any] | None = None,
    model: Any = None,
    model_file: str | Path | None = None,
    seed: int | None = None,
    purpose: str | None = None,
    expires: str | None = None,
    privacy: dict[str, Any] | None = None,
    contains_real_rows: bool = False,
    records: str | Path | None = None,
    extra: dict[str, Any] | None = None,
) -> Path | None:
    """Write the provenance card of `output` atomically; returns its path (None: a database
    output without a `records` folder, so nowhere to put it).

    Args:
        output: the file, folder or database URL the command wrote.
        command: the verb that made it ("sample", "generate", "anonymize", "balance", ...).
        rows: row counts, e.g. {"output": 1000} or {"real": 500, "added": 120, "output": 620}.
        source: what it came from: `lookalike.io.provenance.describe_source(...)`.
        model: the fitted Model (or a `describe_model` dict) that made the rows, if any.
        model_file: the model file it was loaded from, if any.
        seed: the seed of the run.
        purpose: the user's stated purpose.
        expires: the expiry date (YYYY-MM-DD).
        privacy: privacy scores and verdict, when an evaluation ran.
        contains_real_rows: the output itself holds real rows (anonymize, balance).
        records: folder for the card instead of beside the output (needed for databases).
        extra: other facts of the command (method, ratio, ...).

    Example:
        >>> write_card("out.csv", command="sample", rows={"output": 10})  # doctest: +SKIP
        PosixPath('out.csv.card.json')
    """
    from lookalike._version import __version__
    from lookalike.io.files import atomic_path
    from lookalike.io.provenance import now
    from lookalike.io.sql import is_url, mask_url

    path = card_path(output, records)
    if path is None:
        return None
    if model is not None and not isinstance(model, dict):
        from lookalike.models.provenance import describe_model

        if source is None:  # the model's training data: fingerprint and file, from its fit
            info = getattr(model, "fit_info_", None) or {}
            source = {**info.get("training", {}), **info.get("source", {})} or None
        model = describe_model(model, model_file)
    kind = "database" if is_url(str(output)) else "folder" if Path(output).is_dir() else "file"
    card: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "output": {
            "name": mask_url(str(output)) if kind == "database" else Path(output).name,
            "kind": kind,
        },
        "command": command,
        "created": now(),
        "lookalike_version": __version__,
        "purpose": clean_purpose(purpose),
        "expires": parse_expires(expires),
        "seed": seed,
        "rows": rows,
        "source": source,
        "model": model,
        "contains_real_rows": contains_real_rows,
        "model_file_contains_training_values": bool(model and model.get("stores_training_values")),
        "privacy": privacy,
        **(extra or {}),
    }
    text = mask_url(json.dumps(card, indent=2, default=str))
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return path


def restore_fit_times(model: Any, model_file: str | Path) -> None:
    """Put the fit date and duration from MODEL_FILE's card (written by `lookalike fit`, which
    keeps them out of the model file so that files are byte-identical for a seed) into
    `model.fit_info_`, so the cards and report headers made from it show them.
    """
    path = card_path(model_file)
    info = getattr(model, "fit_info_", None)
    if path is None or not path.is_file() or not isinstance(info, dict):
        return
    try:
        fit = (read_card(path).get("model") or {}).get("fit") or {}
    except (DataError, OSError, ValueError, AttributeError):
        return  # a damaged card only loses the times
    for key in ("fitted_at", "seconds"):
        if key in fit and key not in info:
            info[key] = fit[key]


def add_privacy(output: str | Path, privacy: dict[str, Any]) -> Path | None:
    """Put evaluation privacy results into the existing card of `output` (if it has one)."""
    from lookalike.io.files import atomic_path

    path = card_path(output)
    if path is None or not path.is_file():
        return None
    card = read_card(path)
    card["privacy"] = privacy
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(card, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def read_card(path: str | Path) -> dict[str, Any]:
    """A card as a dict; DataError if the file is not a lookalike card."""
    try:
        card = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(f"cannot read card {path}: {error}") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise DataError(f"{path} is not a lookalike provenance card.")
    return card


def evaluation_facts(real: str, synthetic: str) -> dict[str, Any]:
    """Header facts for `evaluate REAL SYNTH`: the file names and, when SYNTH has a card, the
    model that made it (name, parameters, seed, fit time, loss curves).
    """
    from lookalike.io.provenance import describe_source

    facts: dict[str, Any] = {
        key: describe_source(source) for key, source in (("real", real), ("synthetic", synthetic))
    }
    path = card_path(synthetic)
    if path is not None and path.is_file():
        with contextlib.suppress(DataError):
            card = read_card(path)
            if card.get("model"):
                facts["model"] = card["model"]
            keep = ("command", "created", "purpose", "expires", "contains_real_rows")
            facts["card"] = {"file": path.name, **{k: card.get(k) for k in keep}}
    return facts


def sampled_conditions(synthetic: str) -> list[str]:
    """The `--where` conditions SYNTH was sampled with, and those its model was fitted on
    (`fit --where`), from its card ([] when none or no card), so `evaluate` can compare it with
    the same real subgroup.
    """
    path = card_path(synthetic)
    if path is None or not path.is_file():
        return []
    from lookalike.where import parse_where

    with contextlib.suppress(DataError):
        card = read_card(path)
        if card.get("command") != "sample":
            return []
        sampled = [str(item) for item in card.get("conditions") or []]
        fitted = ((card.get("model") or {}).get("fit") or {}).get("where") or []
        both = list(dict.fromkeys([*map(str, fitted), *sampled]))  # a model fitted on a subgroup
        try:
            parse_where(both)
        except DataError:  # e.g. two lower bounds on one column: the sample's own conditions
            return sampled
        return both
    return []


def subgroup_from_cards(synthetics: list[str]) -> tuple[list[str], str | None]:
    """(conditions, note): the conditions every SYNTH was sampled with, when their cards agree,
    and a sentence saying so (or why none is applied).
    """
    found = [sampled_conditions(path) for path in synthetics]
    if not any(found):
        return [], None
    if any(conditions != found[0] for conditions in found):
        return [], (
            "the SYNTH tables were sampled with different conditions; they are compared with "
            "the whole real table (give --where to pick a subgroup)."
        )
    return found[0], (
        f"the card of {Path(synthetics[0]).name} says its rows were drawn for "
        f"{' and '.join(found[0])}: comparing with that real subgroup (--where overrides)."
    )


def record_privacy(synthetic: str, report: Any) -> Path | None:
    """Copy a Report's privacy scores and verdict (in words) into SYNTH's card, if it has one."""
    from lookalike.evaluation.verdicts import privacy_in_words

    verdict = report.verdicts.get("privacy", {}).get("verdict")
    model = (report.info.get("provenance") or {}).get("model") or {}
    scores = {k: v for k, v in report.scores.items() if k.startswith("privacy.")}
    return add_privacy(
        synthetic,
        {
            "verdict": verdict,
            "scores": scores,
            "in_words": privacy_in_words(
                verdict,
                model.get("differential_privacy"),
                holdout=report.info.get("holdout") == "given",
            ),
            "evaluated_at": (report.info.get("provenance") or {}).get("evaluated_at"),
            "holdout": report.info.get("holdout"),
        },
    )
