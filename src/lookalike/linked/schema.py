"""The shape of a set of linked tables: tables, primary keys, foreign keys, order columns.

`Schema.detect(tables)` finds keys from column names and values (a column whose values are
contained in another table's unique column); `Schema.to_json` / `Schema.from_json` give an
editable JSON file (the benchmark's `spec.json` layout, `"parent"` + `"foreign_key"`, is read too);
`lookalike.linked.io.read_schema` reads the keys a SQLite/PostgreSQL database declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import MetadataError
from lookalike.io.json_files import read_json, write_json


@dataclass(frozen=True)
class ForeignKey:
    """`table.columns` refer to `parent.parent_columns` (the parent's primary key)."""

    table: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]

    @property
    def label(self) -> str:
        """The key in words: `table.columns -> parent`."""
        return f"{self.table}.{'+'.join(self.columns)} -> {self.parent}"

    def to_dict(self) -> dict[str, Any]:
        """The key as JSON values."""
        return {
            "columns": list(self.columns),
            "parent": self.parent,
            "parent_columns": list(self.parent_columns),
        }


@dataclass(frozen=True)
class Table:
    """One table: its primary key (empty when it has none) and, for a sequence, its order."""

    name: str
    primary_key: tuple[str, ...] = ()
    order_by: str | None = None
    sequence_key: str | None = None
    # column kinds of the table's own columns, as `Metadata.to_dict()` (None: detect them)
    metadata: dict[str, Any] | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Schema:
    """Tables and the foreign keys between them.

    Example:
        >>> players = pd.DataFrame({"id": ["a1", "b2", "c3"], "weight": [80, 90, 85]})
        >>> seasons = pd.DataFrame({"player_id": ["a1", "a1", "c3"], "hr": [3, 5, 1]})
        >>> Schema.detect({"players": players, "seasons": seasons}).foreign_keys[0].label
        'seasons.player_id -> players'
    """

    tables: tuple[Table, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    # ------------------------------------------------------------------ queries
    def table(self, name: str) -> Table:
        """The table called `name`."""
        for table in self.tables:
            if table.name == name:
                return table
        raise MetadataError(f"the schema has no table {name!r}.")

    @property
    def names(self) -> list[str]:
        """The table names, in schema order."""
        return [t.name for t in self.tables]

    def parents_of(self, name: str) -> list[ForeignKey]:
        """The foreign keys of table `name` (to its parents)."""
        return [fk for fk in self.foreign_keys if fk.table == name]

    def children_of(self, name: str) -> list[ForeignKey]:
        """The foreign keys that point at table `name` (from its children)."""
        return [fk for fk in self.foreign_keys if fk.parent == name]

    def key_columns(self, name: str) -> list[str]:
        """Primary and foreign key columns of a table (not modelled: regenerated)."""
        keys = list(self.table(name).primary_key)
        for fk in self.parents_of(name):
            keys += [c for c in fk.columns if c not in keys]
        return keys

    def order(self) -> list[str]:
        """Table names with every parent before its children; a cycle raises MetadataError."""
        done: list[str] = []
        pending = self.names
        while pending:
            ready = [
                n
                for n in pending
                if all(fk.parent in done or fk.parent == n for fk in self.parents_of(n))
            ]
            if not ready:
                raise MetadataError(
                    f"the foreign keys of {', '.join(pending)} form a cycle; remove one of them "
                    "from the schema JSON."
                )
            done += ready
            pending = [n for n in pending if n not in ready]
        return done

    # ------------------------------------------------------------------ checks
    def validate(self, tables: dict[str, pd.DataFrame]) -> None:
        """Raise MetadataError if a table or column the schema names is not in the data."""
        for table in self.tables:
            if table.name not in tables:
                raise MetadataError(
                    f"the schema names table {table.name!r}, which is not in the data "
                    f"(tables: {', '.join(sorted(tables))})."
                )
            columns = set(tables[table.name].columns)
            named = [*table.primary_key, *([table.order_by] if table.order_by else [])]
            for fk in self.parents_of(table.name):
                named += list(fk.columns)
            missing = [c for c in named if c not in columns]
            if missing:
                raise MetadataError(
                    f"table {table.name!r} has no column {missing[0]!r}, which the schema names."
                )
        for fk in self.foreign_keys:
            parent = self.table(fk.parent)
            if tuple(fk.parent_columns) != tuple(parent.primary_key):
                raise MetadataError(
                    f"{fk.label} refers to {list(fk.parent_columns)}, but the primary key of "
                    f"{fk.parent!r} is {list(parent.primary_key)}; a foreign key must refer to it."
                )
            if fk.table == fk.parent:
                raise MetadataError(f"{fk.label} refers to its own table; not supported.")
        self.order()

    def integrity(self, tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
        """Per foreign key: rows, missing keys and orphans (keys with no parent row)."""
        out = []
        for fk in self.foreign_keys:
            child = tables[fk.table]
            missing = child[list(fk.columns)].isna().any(axis=1).to_numpy()
            found = contained(child, fk.columns, tables[fk.parent], fk.parent_columns)
            out.append(
                {
                    "foreign_key": fk.label,
                    "rows": len(child),
                    "missing": int(missing.sum()),
                    "orphans": int((~missing & ~found).sum()),
                }
            )
        return out

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """The schema as JSON values."""
        tables: dict[str, Any] = {}
        for table in self.tables:
            entry: dict[str, Any] = {"primary_key": list(table.primary_key)}
            if table.order_by:
                entry["order_by"] = table.order_by
            if table.sequence_key:
                entry["sequence_key"] = table.sequence_key
            entry["foreign_keys"] = [fk.to_dict() for fk in self.parents_of(table.name)]
            if table.metadata is not None:
                entry["metadata"] = table.metadata
            tables[table.name] = entry
        return {"tables": tables}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        """A schema from its JSON form; raises MetadataError on a malformed one."""
        if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
            raise MetadataError('a schema is a JSON object with "tables": {name: {...}}.')
        tables, keys = [], []
        for name, entry in data["tables"].items():
            if not isinstance(entry, dict):
                raise MetadataError(f"schema table {name!r} must be a JSON object.")
            metadata = entry.get("metadata")
            if metadata is not None:
                from lookalike.metadata import Metadata

                Metadata.from_dict(metadata)  # a bad column entry fails here, by name
            tables.append(
                Table(
                    name,
                    _names(entry.get("primary_key")),
                    entry.get("order_by"),
                    entry.get("sequence_key"),
                    metadata,
                )
            )
            for fk in entry.get("foreign_keys", []):
                if "parent" not in fk or "columns" not in fk:
                    raise MetadataError(f'a foreign key of {name!r} needs "columns" and "parent".')
                keys.append(
                    (name, _names(fk["columns"]), fk["parent"], _names(fk.get("parent_columns")))
                )
            if "parent" in entry and "foreign_key" in entry:  # the benchmark's spec.json
                keys.append((name, _names(entry["foreign_key"]), entry["parent"], ()))
        schema = cls(tuple(tables))
        fks = []
        for child, columns, parent, parent_columns in keys:
            if parent not in schema.names:
                raise MetadataError(f"table {child!r} refers to {parent!r}, not in the schema.")
            fks.append(
                ForeignKey(
                    child, columns, parent, parent_columns or schema.table(parent).primary_key
                )
            )
        return cls(tuple(tables), tuple(fks))

    def to_json(self, path: str | Path | None = None) -> str:
        """The schema as JSON text; also written atomically to `path` when given."""
        return write_json(self.to_dict(), path)

    @classmethod
    def from_json(cls, path_or_text: str | Path) -> Schema:
        """A schema from a JSON file or JSON text."""
        return cls.from_dict(read_json(path_or_text, "schema"))

    def with_metadata(self, tables: dict[str, pd.DataFrame]) -> Schema:
        """This schema with every table's detected column kinds (own columns) filled in."""
        from lookalike.metadata import Metadata


        out = []
        for table in self.tables:
            keys = set(self.key_columns(table.name))
            frame = tables[table.name]
            own = [c for c in frame.columns if c not in keys]
            meta = table.metadata or Metadata.detect(frame[own]).to_dict()
            out.append(
                Table(table.name, table.primary_key, table.order_by, table.sequence_key, meta)
            )
        return Schema(tuple(out), self.foreign_keys)

    def __str__(self) -> str:
        lines = []
        for table in self.tables:
            key = ", ".join(table.primary_key) or "(no primary key)"
            order = f"; ordered by {table.order_by}" if table.order_by else ""
            lines.append(f"{table.name}: primary key {key}{order}")
            for fk in self.parents_of(table.name):
                lines.append(
                    f"  {'+'.join(fk.columns)} -> {fk.parent}.{'+'.join(fk.parent_columns)}"
                )
        return "\n".join(lines)

    # ------------------------------------------------------------------ detection
    @classmethod
    def detect(cls, tables: dict[str, pd.DataFrame]) -> Schema:
        """Primary keys, foreign keys and order columns found from names and values."""
        from lookalike.linked.detect import foreign_keys, order_column, primary_key

        keys = {name: primary_key(name, frame, tables) for name, frame in tables.items()}
        fks: list[ForeignKey] = []
        for name, frame in tables.items():
            fks += foreign_keys(name, frame, tables, keys)
        out = []
        for name, frame in tables.items():
            own = [fk for fk in fks if fk.table == name]
            order = order_column(frame, own[0].columns, keys[name]) if own else None
            out.append(Table(name, keys[name], order))
        return cls(tuple(out), tuple(fks))

    def with_keys(self, declared: Schema) -> Schema:
        """This schema with the primary and foreign keys `declared` has (a database's own)."""
        tables = []
        for table in self.tables:
            known = declared.table(table.name) if table.name in declared.names else None
            key = (
                known.primary_key if known is not None and known.primary_key else table.primary_key
            )
            tables.append(
                Table(table.name, key, table.order_by, table.sequence_key, table.metadata)
            )
        fks = declared.foreign_keys or self.foreign_keys
        return Schema(tuple(tables), tuple(fks))


# ---------------------------------------------------------------------- key helpers
def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def key_values(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> pd.Series:
    """One hashable text per row for the key `columns` (integers written without '.0')."""
    parts = [_as_text(frame[c]) for c in columns]
    if len(parts) == 1:
        return parts[0]
    out = parts[0]
    for part in parts[1:]:
        out = out + "\x1f" + part
    return out


def _as_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy()
        whole = np.isfinite(values) & (values == np.round(values))
        if whole[~np.isnan(values)].all():
            return series.map(lambda v: None if v != v else str(int(v))).astype(object)
    return (
        series.astype(object).where(series.notna(), None).map(lambda v: v if v is None else str(v))
    )


def contained(
    child: pd.DataFrame,
    columns: tuple[str, ...],
    parent: pd.DataFrame,
    parent_columns: tuple[str, ...],
) -> np.ndarray:
    """Which child rows have a key found among the parent's keys (missing keys: False)."""
    found = key_values(child, columns).isin(set(key_values(parent, parent_columns).dropna()))
    missing = child[list(columns)].isna().any(axis=1)
    return (found & ~missing).to_numpy()
