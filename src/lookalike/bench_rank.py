"""How `bench` ranks models: fidelity and privacy together, with the reason for each place.

    score = fidelity - PRIVACY_WEIGHT x privacy penalty

* fidelity: the mean of the fidelity figures that were computed, each on a 0-1 scale where 1 is
  "as good as real": quality; TSTR/TRTR (capped at 1); and 1 - 2 x (detection AUC - 0.5) when
  the detector tells the tables apart (AUC above 0.5), 1 otherwise.
* privacy penalty: the sum of how far each privacy figure goes past what noise allows:
  - exact copies above the natural rate (holdout rows found in the training rows) + 1 point,
    the bar of `evaluate`'s copy warning;
  - DCR share above 0.5 + noise (noise: 1 / sqrt(rows per side), two binomial standard errors,
    at least 0.01): synthetic rows nearer the training rows than fresh real rows are;
  - detection AUC below 0.5 - noise (noise: 2 x sqrt(1 / (6 n)), two standard errors of an AUC
    on n rows a side when the tables do not differ, at least 0.02): the detector finds synthetic
    rows *more* alike the real ones than the real ones are to each other, i.e. they sit on
    real rows.
  One point past the noise costs PRIVACY_WEIGHT points of fidelity, so a model that copies 12 %
  of its rows (about 0.22 off) ranks below an honest model whose fidelity is 0.2 lower.

Every model's `why` names its privacy flags (largest first) or, without any, its weakest
fidelity figure.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

PRIVACY_WEIGHT = 2.0
COPY_MARGIN = 0.01  # the copy warning's +1 point over the natural rate
MIN_DCR_NOISE = 0.01
MIN_DETECTION_NOISE = 0.02
RANKING = (
    "score = fidelity - 2 x privacy penalty; fidelity = mean of quality, min(1, TSTR/TRTR) and "
    "1 - 2 x max(0, detection AUC - 0.5); privacy penalty = copies above the natural rate + 1 "
    "point, + DCR share above 0.5 + noise, + detection AUC below 0.5 - noise "
    "(lookalike.bench_rank)."
)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def fidelity(row: dict[str, Any]) -> tuple[float | None, list[tuple[float, str]]]:
    """The fidelity score of one bench row and its parts as (value, words)."""
    parts: list[tuple[float, str]] = []
    quality = _number(row.get("quality"))
    if quality is not None:
        parts.append((quality, f"quality {quality:.3f}"))
    ratio = _number(row.get("TSTR/TRTR"))
    if ratio is not None:
        parts.append((min(1.0, ratio), f"TSTR/TRTR {ratio:.3f}"))
    auc = _number(row.get("detection AUC"))
    if auc is not None:
        parts.append((1.0 - 2.0 * max(0.0, auc - 0.5), f"detection AUC {auc:.2f}"))
    if not parts:
        return None, parts
    return float(np.mean([value for value, _ in parts])), parts


def privacy_flags(row: dict[str, Any]) -> list[tuple[float, str]]:
    """(excess past the noise, reason) for each privacy figure beyond what noise allows."""
    flags: list[tuple[float, str]] = []
    copies = _number(row.get("exact copies"))
    natural = _number(row.get("natural copies")) or 0.0
    if copies is not None and copies > natural + COPY_MARGIN:
        flags.append(
            (copies - natural - COPY_MARGIN, f"copies {copies:.0%} of rows (natural {natural:.0%})")
        )
    dcr = _number(row.get("DCR share"))
    side = _number(row.get("DCR rows")) or 0.0
    noise = max(MIN_DCR_NOISE, 1.0 / math.sqrt(side)) if side else MIN_DCR_NOISE
    if dcr is not None and dcr > 0.5 + noise:
        flags.append((dcr - 0.5 - noise, f"DCR share {dcr:.2f}: nearer training rows than new"))
    auc = _number(row.get("detection AUC"))
    n = _number(row.get("detection rows")) or 0.0
    noise = max(MIN_DETECTION_NOISE, 2.0 * math.sqrt(1.0 / (6.0 * n))) if n else MIN_DETECTION_NOISE
    if auc is not None and auc < 0.5 - noise:
        flags.append((0.5 - noise - auc, f"detection {auc:.2f}: rows sit on real rows"))
    return sorted(flags, key=lambda flag: -flag[0])


def rank(table: pd.DataFrame) -> pd.DataFrame:
    """`table` (one row per model, bench's columns) with `score`, `fidelity`, `privacy penalty`
    and `why` added, best score first; failed models (an `error`) last.
    """
    scored = []
    for record in table.to_dict("records"):
        if record.get("error"):
            scored.append({**record, "score": np.nan, "why": "failed"})
            continue
        value, parts = fidelity(record)
        flags = privacy_flags(record)
        penalty = float(sum(excess for excess, _ in flags))
        if flags:
            why = "; ".join(words for _, words in flags)
        elif parts:
            why = "no privacy flag; weakest " + min(parts)[1]
        else:
            why = "no score computed"
        score = value - PRIVACY_WEIGHT * penalty if value is not None else np.nan
        scored.append(
            {**record, "fidelity": value, "privacy penalty": penalty, "score": score, "why": why}
        )
    out = pd.DataFrame(scored)
    out = out.sort_values("score", ascending=False, na_position="last", kind="stable")
    return out.reset_index(drop=True)
