"""What `lookalike inspect` and the web app say about a set of linked tables, as plain data.

`describe(schema, tables)` gives per table (parents first) its rows, columns, keys, order column
and column kinds, the tables linked to no other, and notes in words: orphans and missing keys
(reproduced in the same share) and dates of birth learned as dates (how to fake them instead).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lookalike.linked.detect import learned_birth_dates
from lookalike.linked.schema import Schema
from lookalike.metadata import Metadata


def describe(schema: Schema, tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Tables, unrelated tables and notes of `schema` on `tables` (kinds filled in if missing)."""
    schema = schema.with_metadata(tables)
    out: list[dict[str, Any]] = []
    notes: list[str] = []
    for name in schema.order():
        table = schema.table(name)
        meta = Metadata.from_dict(table.metadata or {"columns": {}})
        out.append(
            {
                "name": name,
                "rows": len(tables[name]),
                "columns": int(tables[name].shape[1]),
                "primary_key": list(table.primary_key),
                "order_by": table.order_by,
                "foreign_keys": [
                    f"{'+'.join(fk.columns)} -> {fk.parent}.{'+'.join(fk.parent_columns)}"
                    for fk in schema.parents_of(name)
                ],
                "kinds": meta.to_frame().to_dict("records"),
                "metadata": meta,
            }
        )
        for column in learned_birth_dates(meta):
            notes.append(
                f"{name}.{column} is a date of birth: learned as a date, so children keep their "
                'timing; to fake it, set its "kind" to "pii" in '
                "the schema JSON."
            )
    for row in schema.integrity(tables):
        if row["missing"] or row["orphans"]:
            share = max(row["rows"], 1)
            notes.append(
                f"{row['foreign_key']}: {row['orphans']} orphan row(s) "
                f"({row['orphans'] / share:.1%}, key with no parent) and {row['missing']} missing "
                f"key(s) ({row['missing'] / share:.1%}); both are reproduced in the same share."
            )
    unrelated = [
        t.name
        for t in schema.tables
        if len(schema.tables) > 1
        and not schema.parents_of(t.name)
        and not schema.children_of(t.name)
    ]
    return {"schema": schema, "tables": out, "unrelated": unrelated, "notes": notes}
