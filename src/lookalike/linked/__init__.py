"""Linked tables: a whole database in, a whole synthetic database out, every key intact.

Modules (dependencies point down):
    cli       what the `lookalike` verbs do with a folder or a multi-table database URL
    evaluate  multi-table scores: per table, integrity, cardinality, parent-child trends
    model     LinkedModel: one table model per table in one model file
    sampling  tables without parents first, then children given their synthetic parents
    frames    each table's training frame: parent context, own columns, child counts
    context   child rows given parent rows (exact for cart, by matching otherwise)
    keys      new keys in the real keys' pattern, never a real key
    io        read/write a folder of tables or a database (atomic, dependency order)
    schema    Schema, Table, ForeignKey: detect, validate, JSON
"""

from __future__ import annotations

from typing import Any

from lookalike.linked.schema import ForeignKey, Schema, Table


def __getattr__(name: str) -> Any:
    if name == "LinkedModel":
        from lookalike.linked.model import LinkedModel

        return LinkedModel
    raise AttributeError(f"module 'lookalike.linked' has no attribute {name!r}")


__all__ = ["ForeignKey", "LinkedModel", "Schema", "Table"]
