"""`cart`'s model-file state: the fitted attributes as JSON values and named arrays (the arrays
go to the npz part of the model file; `cart_checks` verifies a state before it is loaded).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def cart_state(model: Any) -> dict[str, Any]:
    """A fitted cart model's state: JSON values and arrays, one entry per tree array."""
    state: dict[str, Any] = {
        "columns": model.columns_,
        "discrete": model.discrete_,
        "pooled_code": model.pooled_code_,
        "min_leaf": model.min_leaf_,
        "trees": [len(t) for t in model.trees_],
        "center": model.center_,
        "scale": model.scale_,
        "linear": model.linear_,
        "copy_salt": model.copies_["salt"],
        "copy_bits": model.copies_["bits"],
        "copy_filter": model.copies_["filter"],
        "shrinkage": model.shrinkage_,  # the one sampling uses (a privacy target may raise it)
    }
    if model.privacy_check_ is not None:
        state["privacy_check"] = model.privacy_check_
    for j, levels in enumerate(model.levels_):
        state[f"levels.{j}"] = levels
        for i, zero in model.zeros_[j]:
            state[f"zeros.{i}.{j}"] = zero
    for j, trees in enumerate(model.trees_):
        for k, tree in enumerate(trees):
            for key, array in tree.items():
                state[f"tree.{j}.{k}.{key}"] = array
    return state


def load_cart_state(model: Any, state: dict[str, Any]) -> None:
    """Set a cart model's fitted attributes from a state `cart_state` wrote (checked first)."""
    model.columns_ = list(state["columns"])
    model.discrete_ = [bool(d) for d in state["discrete"]]
    model.pooled_code_ = [int(c) for c in state["pooled_code"]]
    model.min_leaf_ = int(state["min_leaf"])
    model.center_ = np.asarray(state["center"], dtype=float)
    model.scale_ = np.asarray(state["scale"], dtype=float)
    model.linear_ = [(int(a), float(b), float(c)) for a, b, c in state["linear"]]
    model.copies_ = {  # files written before the filter existed have none
        "salt": str(state.get("copy_salt", "0" * 16)),
        "bits": int(state.get("copy_bits", 0)),
        "filter": np.asarray(state.get("copy_filter", np.zeros(0)), dtype=np.int64),
    }
    # files written before the privacy calibration existed sample with the parameter
    model.shrinkage_ = float(state.get("shrinkage", model.shrinkage))
    model.privacy_check_ = state.get("privacy_check")
    p = len(model.columns_)
    model.levels_ = [np.asarray(state.get(f"levels.{j}", np.zeros(0))) for j in range(p)]
    zeros: list[list[tuple[int, np.ndarray]]] = [[] for _ in range(p)]
    for key, value in state.items():
        if key.startswith("zeros."):
            _, before, after = key.split(".")
            zeros[int(after)].append((int(before), np.asarray(value, dtype=bool)))
    model.zeros_ = zeros
    for pairs in zeros:
        pairs.sort(key=lambda pair: pair[0])
    model.trees_ = []
    for j, count in enumerate(state["trees"]):
        trees = []
        for k in range(int(count)):
            prefix = f"tree.{j}.{k}."
            trees.append(
                {
                    key[len(prefix) :]: np.asarray(value)
                    for key, value in state.items()
                    if key.startswith(prefix)
                }
            )
        model.trees_.append(trees)
