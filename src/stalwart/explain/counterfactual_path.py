"""Sparse candidates for the counterfactual search: greedy paths on the model's margin.

When the model gives a score (class probabilities, or a regressor's value), the cheapest
way to a sparse, near counterfactual is usually to move the few features that buy the most
margin per unit of distance. :func:`greedy_paths` does that for every query row at once:

1. score every one-feature move of ``x`` (each mutable feature set to each training decile,
   range bound or seen category, projected onto the feasible set), and rank the features by
   their best *efficiency*, the margin gained per unit of scaled L1 distance;
2. start ``branches`` paths: path ``b`` starts with the best move of the ``b``-th ranked
   feature and may never change the features ranked before it, so the paths end on
   different sets of changed features (DiCE's diversity);
3. extend every open path, one feature at a time, by the most efficient move of a feature it
   has not changed yet, among the ``width`` best-ranked features; a path ends when the margin
   turns positive (the target is reached), when no move gains, or after ``max_steps``.

For a linear score this is the greedy solution of the fractional knapsack that the minimal
scaled-L1 change solves (features in order of efficiency, each to its bound), which is
exact up to the last feature, whose overshoot the search's bisection removes. Each step
scores the moves of every open path of every query row in **one** call of ``margin``.

>>> import numpy as np, pandas as pd
>>> from stalwart.explain.counterfactual_space import FeatureSpace
>>> X = pd.DataFrame({"a": np.linspace(0, 10, 11), "b": np.linspace(0, 10, 11),
...                   "c": np.linspace(0, 10, 11)})
>>> space = FeatureSpace.learn(X, immutable=[], integer=[], ranges={}, increase_only=[],
...                            decrease_only=[], categorical=None)
>>> margin = lambda Z, q: Z @ np.array([1.0, 0.5, 0.1]) - 14.0  # needs a and b: one path
>>> ends, calls, rows = greedy_paths(space, np.zeros((1, 3)), margin, branches=2)
>>> ends[0].tolist(), calls, rows
([[10.0, 10.0, 0.0]], 2, 61)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .counterfactual_space import FeatureSpace

__all__ = ["Margin", "feature_moves", "greedy_paths", "move_values"]

Margin = Callable[[np.ndarray, np.ndarray], np.ndarray]


def move_values(space: FeatureSpace) -> list[np.ndarray]:
    """Per feature, the values one-feature moves try: the training deciles and the range
    bounds (numeric), or every category seen in training."""
    return [np.union1d(g, [space.lo[j], space.hi[j]]) if space.numeric[j] else g
            for j, g in enumerate(space.grid)]


def feature_moves(space: FeatureSpace, x: np.ndarray, z: np.ndarray, features: np.ndarray,
                  values: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``z`` with one of ``features`` set to each of its ``values`` (default
    :func:`move_values`), projected around the query ``x``; and the feature each row
    moves. Rows equal to ``z`` are dropped."""
    values = move_values(space) if values is None else values
    owner = np.concatenate([np.full(len(values[j]), j) for j in features]).astype(int) \
        if len(features) else np.empty(0, dtype=int)
    if not owner.size:
        return np.empty((0, len(x))), owner
    Z = np.repeat(z[None, :], owner.size, axis=0)
    Z[np.arange(owner.size), owner] = np.concatenate([values[j] for j in features])
    Z = space.project(x, Z)
    keep = space.changed(z, Z).any(axis=1)
    return Z[keep], owner[keep]


def _best(gain: np.ndarray, cost: np.ndarray, owner: np.ndarray,
          group: np.ndarray) -> dict[int, tuple[int, float]]:
    """Per group, the row of the highest positive efficiency (ties, to float32 precision
    so that rounding noise does not split them: the larger gain, the fewer steps)."""
    eff = np.where((gain > 0) & (cost > 0), gain / np.maximum(cost, 1e-12), -np.inf)
    out: dict[int, tuple[int, float]] = {}
    order = np.lexsort((-gain, -eff.astype(np.float32), group))
    first = order[np.unique(group[order], return_index=True)[1]]
    for i in first:
        if np.isfinite(eff[i]):
            out[int(group[i])] = (int(i), float(eff[i]))
    return out


def greedy_paths(space: FeatureSpace, Q: np.ndarray, margin: Margin, *, branches: int,
                 width: int = 12, max_steps: int = 12,
                 ) -> tuple[list[np.ndarray], int, int]:
    """Per query row, the ends of up to ``branches`` greedy paths that reached a positive
    margin (rows of an array); the ``margin`` calls and rows spent."""
    m, d = Q.shape
    free = np.flatnonzero(space.mutable)
    ends: list[list[np.ndarray]] = [[] for _ in range(m)]
    if m == 0 or free.size == 0:
        return [np.empty((0, d)) for _ in range(m)], 0, 0
    # step 0: every one-feature move of every query row, and the rows themselves
    values = move_values(space)
    blocks = [feature_moves(space, x, x, free, values) for x in Q]
    Z = np.vstack([Q] + [b[0] for b in blocks])
    query = np.concatenate([np.arange(m)] + [np.full(len(b[0]), q)
                                              for q, b in enumerate(blocks)]).astype(int)
    owner = np.concatenate([np.full(m, -1)] + [b[1] for b in blocks]).astype(int)
    score = np.asarray(margin(Z, query), dtype=float)
    calls, rows = 1, len(Z)
    base, rest = score[:m], slice(m, None)
    gain = score[rest] - base[query[rest]]
    cost = space.distance(Q[query[rest]], Z[rest]) if len(Z) > m else np.empty(0)
    # rank features per query by their best efficiency; start one path per top feature
    pair = query[rest] * d + owner[rest]
    best = _best(gain, cost, owner[rest], pair)
    ranked: list[list[int]] = [[] for _ in range(m)]
    for key, (_, eff) in sorted(best.items(), key=lambda kv: -kv[1][1]):
        ranked[key // d].append(key % d)
    paths = []  # (query, z, margin, distance, features used or barred)
    for q in range(m):
        for b, j in enumerate(ranked[q][:branches]):
            i = best[q * d + j][0] + m
            # branch b may not use the features that start branches 0..b-1: its set of
            # changed features differs from theirs
            paths.append((q, Z[i], score[i], float(space.distance(Q[q], Z[i][None])[0]),
                          frozenset(ranked[q][:b + 1])))
    for _ in range(max_steps):
        still = []
        for q, z, s, dist, used in paths:
            if s > 0:
                ends[q].append(z)
            elif len(used) < min(width, len(ranked[q])):
                still.append((q, z, s, dist, used))
        paths = still
        if not paths:
            break
        moves = [feature_moves(space, Q[q], z, np.array([j for j in ranked[q][:width]
                                                         if j not in used], dtype=int),
                               values) for q, z, _, _, used in paths]
        Z = np.vstack([mv[0] for mv in moves])
        path_of = np.concatenate([np.full(len(mv[0]), p) for p, mv in enumerate(moves)]
                                 ).astype(int)
        if len(Z) == 0:
            break
        qs = np.array([paths[p][0] for p in path_of], dtype=int)
        score = np.asarray(margin(Z, qs), dtype=float)
        calls, rows = calls + 1, rows + len(Z)
        gain = score - np.array([p[2] for p in paths])[path_of]
        cost = space.distance(Q[qs], Z) - np.array([p[3] for p in paths])[path_of]
        chosen = _best(gain, cost, np.concatenate([mv[1] for mv in moves]), path_of)
        owner = np.concatenate([mv[1] for mv in moves])
        paths = [(q, Z[chosen[p][0]], score[chosen[p][0]],
                  float(space.distance(Q[q], Z[chosen[p][0]][None])[0]),
                  used | {int(owner[chosen[p][0]])})
                 for p, (q, _, _, _, used) in enumerate(paths) if p in chosen]
    for q, z, s, _, _ in paths:
        if s > 0:
            ends[q].append(z)
    return [np.array(e) if e else np.empty((0, d)) for e in ends], calls, rows
