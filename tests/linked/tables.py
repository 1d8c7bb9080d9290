"""Small seeded linked tables with known answers, made by the tests themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd


def players_seasons(
    n: int = 400, seed: int = 0, orphans: float = 0.0, missing: float = 0.0
) -> dict[str, pd.DataFrame]:
    """Heavier players have more seasons and hit more home runs; some have none."""
    rng = np.random.default_rng(seed)
    weight = rng.normal(85, 12, n).round(0)
    players = pd.DataFrame(
        {
            "id": [f"pl{i:05d}" for i in range(n)],
            "weight": weight,
            "bats": rng.choice(["L", "R"], n, p=[0.3, 0.7]),
        }
    )
    seasons = []
    for pid, w, bats in zip(players["id"], weight, players["bats"], strict=True):
        k = int(np.clip(round((w - 70) / 4 + rng.normal(0, 1)), 0, 15))
        for year in range(k):
            hr = max(0, round((w - 70) * 0.8 + (5 if bats == "L" else 0) + rng.normal(0, 2)))
            seasons.append((pid, 2000 + year, hr, rng.choice(["AL", "NL"])))
    child = pd.DataFrame(seasons, columns=["player_id", "year", "hr", "league"])
    m = len(child)
    lost = rng.random(m)
    keys = child["player_id"].astype(object).copy()
    keys[lost < orphans] = [f"zz{i:05d}" for i in range((lost < orphans).sum())]
    keys[(lost >= orphans) & (lost < orphans + missing)] = None
    child["player_id"] = keys
    return {"players": players, "seasons": child}


def airports_flights(
    n_airports: int = 200, n_flights: int = 3000, seed: int = 0
) -> dict[str, pd.DataFrame]:
    """Flights refer to airports twice; distance depends on both airports' sizes."""
    rng = np.random.default_rng(seed)
    codes = ["".join(rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 3)) for _ in range(2000)]
    codes = list(dict.fromkeys(codes))[:n_airports]
    size = rng.choice(["big", "small"], len(codes), p=[0.4, 0.6])
    airports = pd.DataFrame(
        {"code": codes, "size": size, "elevation": rng.integers(0, 2000, len(codes))}
    )
    big = {c for c, s in zip(codes, size, strict=True) if s == "big"}
    weights = np.where(size == "big", 3.0, 1.0)
    weights /= weights.sum()
    origin = rng.choice(codes, n_flights, p=weights)
    dest = rng.choice(codes, n_flights, p=weights)
    distance = (
        np.array([800 if o in big else 200 for o in origin])
        + np.array([800 if d in big else 200 for d in dest])
        + rng.normal(0, 50, n_flights)
    ).round(0)
    flights = pd.DataFrame(
        {
            "flight_id": np.arange(1, n_flights + 1),
            "origin": origin,
            "destination": dest,
            "distance": distance,
        }
    )
    return {"airports": airports, "flights": flights}


def composite(seed: int = 0) -> dict[str, pd.DataFrame]:
    """orders keyed by (region, order_no); items refer to both columns."""
    rng = np.random.default_rng(seed)
    rows = [
        (r, i, rng.choice(["high", "low"]))
        for r in ("north", "south", "east")
        for i in range(1, 101)
    ]
    orders = pd.DataFrame(rows, columns=["region", "order_no", "priority"])
    items = []
    for region, number, priority in rows:
        for line in range(1, int(rng.integers(0, 5)) + 1):
            amount = rng.normal(100 if priority == "high" else 20, 5)
            items.append((region, number, line, round(amount, 2)))
    return {
        "orders": orders,
        "items": pd.DataFrame(items, columns=["region", "order_no", "line", "amount"]),
    }


def chain(seed: int = 0) -> dict[str, pd.DataFrame]:
    """customers -> orders -> items, and an unrelated table of shops."""
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame(
        {"customer_id": np.arange(1, 201), "segment": rng.choice(["retail", "pro"], 200)}
    )
    orders, items = [], []
    order_id = 5000
    for cid, segment in zip(customers["customer_id"], customers["segment"], strict=True):
        for _ in range(int(rng.integers(0, 4))):
            order_id += 1
            total = rng.normal(500 if segment == "pro" else 50, 10)
            orders.append((order_id, cid, round(total, 1)))
            for _ in range(int(rng.integers(1, 4))):
                items.append((order_id, int(rng.integers(1, 10)), round(total / 3, 1)))
    shops = pd.DataFrame(
        {"shop": [f"S{i}" for i in range(30)], "area": rng.normal(100, 20, 30).round(1)}
    )
    return {
        "customers": customers,
        "orders": pd.DataFrame(orders, columns=["order_id", "customer_id", "total"]),
        "items": pd.DataFrame(items, columns=["order_id", "qty", "price"]),
        "shops": shops,
    }
