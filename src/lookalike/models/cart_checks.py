"""Checks of a loaded cart state (see `state_checks`): per column, trees whose children have
larger ids than their parent (so no walk can cycle), features that are earlier columns, leaf
slices inside the value pool, and codes inside the category tables.
"""

from __future__ import annotations

import numpy as np

from lookalike.models._subgroup_chain import check_side
from lookalike.models.state_checks import Encoded, State, array, fail, in_range, integer, sizes

_NODE_INTS = ("left", "right", "feature", "start", "count", "common", "parent")
_LEAF = -1


def check_cart(state: State, encoded: Encoded) -> None:
    """Raise ModelFileError unless a loaded cart state fits its encoding."""
    p = len(encoded)
    discrete = state.get("discrete")
    if not isinstance(discrete, list) or [bool(d) for d in discrete] != [
        c.kind == "discrete" for c in encoded
    ]:
        fail("cart's discrete flags do not match the columns")
    for key in ("pooled_code", "trees", "linear"):
        if not isinstance(state.get(key), list) or len(state[key]) != p:
            fail(f"cart's {key} does not match the columns")
    integer(state.get("min_leaf"), "min_leaf", 1)
    for key in ("center", "scale"):
        if array(state, key, "f", 1).shape != (p,):
            fail(f"cart's {key} does not match the columns")
    if (array(state, "scale", "f") == 0).any():
        fail("cart's scale has zeros")
    size = sizes(encoded)
    levels = [np.asarray(state.get(f"levels.{j}", np.zeros(0)), dtype=float) for j in range(p)]
    for j, column in enumerate(encoded):
        integer(state["pooled_code"][j], f"pooled code of column {j}", -1)
        _check_linear(state["linear"][j], j)
        if len(levels[j]) > 1 and (np.diff(levels[j]) <= 0).any():
            fail(f"levels.{j} is not increasing")
        codes = size.get(column.name) if column.kind == "discrete" else None
        for k in range(integer(state["trees"][j], f"tree count of column {j}", 1)):
            _check_tree(state, f"tree.{j}.{k}.", j, codes)
    for key in state:
        if key.startswith("zeros."):
            parts = key.split(".")
            if len(parts) != 3 or not all(part.isdigit() for part in parts[1:]):
                fail(f"{key} is not a cart array")
            i, j = int(parts[1]), int(parts[2])
            if not i < j < p or array(state, key, "b", 2).shape != (len(levels[i]), len(levels[j])):
                fail(f"{key} does not match the levels of columns {i} and {j}")
    check_side(state, encoded, check_cart)  # a subgroup chain is checked like the main one


def _check_linear(link: object, j: int) -> None:
    if not isinstance(link, list | tuple) or len(link) != 3:
        fail(f"cart's linear copy of column {j} is malformed")
    source = integer(link[0], f"linear source of column {j}", -1)
    if source >= j:
        fail(f"column {j} is copied from a later column")
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in link[1:]):
        fail(f"cart's linear copy of column {j} is malformed")


def _check_tree(state: State, prefix: str, j: int, codes: int | None) -> None:
    nodes = {k: array(state, prefix + k, "i", 1) for k in _NODE_INTS}
    threshold = array(state, prefix + "threshold", "f", 1)
    pool = array(state, prefix + "pool", "f", 1)
    leaf = array(state, prefix + "leaf", "i", 1)
    m = len(threshold)
    if m < 1 or any(len(v) != m for v in nodes.values()) or len(leaf) != len(pool):
        fail(f"{prefix}* arrays have different lengths")
    left, right, parent = nodes["left"], nodes["right"], nodes["parent"]
    ids = np.arange(m)
    inner = left != _LEAF
    if not np.array_equal(inner, right != _LEAF):
        fail(f"{prefix}* has nodes with one child")
    for child in (left[inner], right[inner]):  # children after their parent: no cycle
        if (child <= ids[inner]).any() or (child >= m).any():
            fail(f"{prefix}* has a child index out of order or range (a cycle?)")
    children = np.concatenate([left[inner], right[inner]])
    if len(np.unique(children)) != len(children):
        fail(f"{prefix}* has a node with two parents")
    if parent[0] != -1 or (parent < -1).any() or (parent >= ids).any():
        fail(f"{prefix}* has parent indices out of order or range")
    if not (
        np.array_equal(parent[left[inner]], ids[inner])
        and np.array_equal(parent[right[inner]], ids[inner])
    ):
        fail(f"{prefix}* has parents that disagree with its children")
    if inner.any():
        in_range(nodes["feature"][inner], 0, j, prefix + "feature")
    start, count, common = nodes["start"], nodes["count"], nodes["common"]
    if (start < 0).any() or (count < 0).any() or (start + count > len(pool)).any():
        fail(f"{prefix}* has leaf slices outside its value pool")
    if (common < 0).any() or (common > count).any():
        fail(f"{prefix}* has more common values than values")
    in_range(leaf, 0, m, prefix + "leaf")
    if len(leaf) and inner[leaf].any():
        fail(f"{prefix}leaf names inner nodes")
    if not len(pool):
        fail(f"{prefix}pool is empty")
    _check_levels(state, prefix, "recode", j, None)
    _check_levels(state, prefix, "rake", j, codes)
    if codes is not None:
        if not np.array_equal(pool, np.round(pool)):
            fail(f"{prefix}pool has fractional category codes")
        in_range(pool, 0, codes, prefix + "pool")


def _check_levels(state: State, prefix: str, name: str, j: int, codes: int | None) -> None:
    """A tree's optional per-feature level tables (`_recode`, `_rake`): features before column
    j, slices inside the keys, and for raking one weight row per key and class.
    """
    key = f"{prefix}{name}_feature"
    if key not in state:
        return
    chosen = array(state, key, "i", 1)
    start = array(state, f"{prefix}{name}_start", "i", 1)
    keys = array(state, f"{prefix}{name}_key", "f", 1)
    in_range(chosen, 0, j, key)
    if len(start) != len(chosen) + 1 or start[0] != 0 or (np.diff(start) < 1).any():
        fail(f"{prefix}{name}_start does not slice its keys")
    if start[-1] != len(keys):
        fail(f"{prefix}{name}_start does not slice its keys")
    if name == "recode":
        if array(state, f"{prefix}recode_value", "f", 1).shape != keys.shape:
            fail(f"{prefix}recode_value does not match its keys")
        return
    classes = array(state, f"{prefix}rake_class", "f", 1)
    if array(state, f"{prefix}rake_weight", "f", 2).shape != (len(keys), len(classes)):
        fail(f"{prefix}rake_weight does not match its keys and classes")
    if (np.diff(classes) <= 0).any():
        fail(f"{prefix}rake_class is not increasing")
    if codes is not None:
        in_range(classes, 0, codes, f"{prefix}rake_class")
