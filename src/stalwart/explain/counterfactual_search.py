"""The model-agnostic, batched search behind :class:`~.counterfactual.Counterfactuals`.

For the query rows ``Q`` and a test ``valid(Z, query)`` (does the model give row
``query[i]``'s target decision on row ``Z[i]``?), the search works in five steps, for all
query rows in lockstep; every step scores the candidates of **all** query rows in **one**
call of the model, so a batch of queries costs a few dozen model calls in all:

1. **Candidates.** Three families, projected onto the feasible set
   (:meth:`FeatureSpace.project`): *one-feature moves* (each mutable feature set to each
   training decile or seen category); *nearest unlike neighbours* (Wexler et al., 2019, the
   What-If Tool): the training rows the model already puts in the target, nearest first,
   copied whole and on random halves of the features; and, only when these give too few
   valid rows, *growing spheres* (Laugel et al., 2018): random changes of random feature
   subsets in rings of doubling radius (in MAD units) around ``x``.
2. **Sparsify.** Greedily revert, for every kept candidate at once, the changed feature
   whose reversal saves the most distance while the decision stays flipped, until no
   reversal keeps it flipped (the "post-hoc sparsity" pass of DiCE, done as a best-first
   search). The nearest candidates are sparsified freely; for diversity, the nearest
   candidate changing each feature is also sparsified with that feature held, so that
   changed-feature sets other than the cheapest few survive.
3. **Shrink jointly.** Bisection on ``t`` in ``x + t (z - x)`` over the numeric changes
   (10 steps: within 0.1% of the change), keeping the flipped end.
4. **Shrink each feature.** Bisection on the three largest remaining numeric changes alone,
   one after the other.
5. **Select** ``n`` diverse ones: the nearest first, then repeatedly the nearest among those
   whose set of changed features differs from every one chosen; when no new set is left,
   the candidate farthest (scaled L1) from those chosen (greedy max-min, Gonzalez 1985).

Every returned row passed ``valid`` on the exact values returned (integer rounding and
ranges are applied before scoring, never after).

>>> import numpy as np, pandas as pd
>>> from stalwart.explain.counterfactual_space import FeatureSpace
>>> X = pd.DataFrame({"a": np.linspace(-3, 3, 61), "b": np.linspace(3, -3, 61)})
>>> space = FeatureSpace.learn(X, immutable=["b"], integer=[], ranges={},
...                            increase_only=[], decrease_only=[], categorical=None)
>>> Q = np.array([[-1.0, 0.0], [-2.0, 1.0]])
>>> donors = space.encode(X)[X["a"] > 0.5]
>>> out = search(space, Q, lambda Z, q: Z[:, 0] > 0.5, [donors, donors], n=1,
...              rngs=[np.random.default_rng(0), np.random.default_rng(1)])
>>> [np.round(z, 2).tolist() for z in out.Z], out.n_calls < 40
([[[0.5, 0.0]], [[0.5, 1.0]]], True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .counterfactual_path import Margin, feature_moves, greedy_paths, move_values
from .counterfactual_space import FeatureSpace

__all__ = ["SearchOutcome", "search"]

Valid = Callable[[np.ndarray, np.ndarray], np.ndarray]
_POINTS, _CALLS = 9, 3  # shrinking: 9 points per row and call, 3 calls (within 0.1%)
_SHRINK_EACH = 3  # features shrunk alone, per candidate: the largest changes


@dataclass(frozen=True)
class SearchOutcome:
    """Per query row, the chosen counterfactuals (rows of ``Z[q]``) and flipping candidates
    found before refinement; the model calls and rows scored for the whole batch."""

    Z: list[np.ndarray]
    n_valid_found: list[int]
    n_calls: int
    n_scored: int


class _Scorer:
    """Counts model calls and rows; an empty batch costs nothing."""

    def __init__(self, valid: Valid) -> None:
        self.valid, self.calls, self.rows = valid, 0, 0

    def __call__(self, Z: np.ndarray, query: np.ndarray) -> np.ndarray:
        if len(Z) == 0:
            return np.zeros(0, dtype=bool)
        self.calls += 1
        self.rows += len(Z)
        return np.asarray(self.valid(Z, query), dtype=bool).reshape(len(Z))


def _neighbours(space: FeatureSpace, x: np.ndarray, donors: np.ndarray, k: int,
                rng: np.random.Generator) -> np.ndarray:
    if len(donors) == 0 or k == 0:
        return np.empty((0, len(x)))
    near = space.project(x, donors)
    near = near[np.argsort(space.distance(x, near), kind="stable")[:k]]
    halves = np.repeat(near, 2, axis=0)
    halves = np.where(rng.random(halves.shape) < 0.5, x, halves)
    return np.vstack([near, space.project(x, halves)])


def _sphere(space: FeatureSpace, x: np.ndarray, radius: float, size: int,
            rng: np.random.Generator) -> np.ndarray:
    free = np.flatnonzero(space.mutable)
    Z = np.repeat(x[None, :], size, axis=0)
    if free.size == 0:
        return Z
    count = rng.integers(1, free.size + 1, size=size)
    for i in range(size):
        chosen = rng.choice(free, size=count[i], replace=False)
        step = rng.normal(size=chosen.size)
        step *= radius * rng.uniform(0.5, 1.0) / max(np.linalg.norm(step), 1e-12)
        for j, s in zip(chosen, step, strict=True):
            Z[i, j] = (x[j] + s * space.scale[j] if space.numeric[j]
                       else rng.integers(len(space.grid[j])))
    return space.project(x, Z)


def _sparsify(space: FeatureSpace, X: np.ndarray, C: np.ndarray, query: np.ndarray,
              keep: np.ndarray, score: _Scorer) -> np.ndarray:
    """Best-first reversal of changed features (``X``: each row's query); ``keep[i]`` (a
    feature, or -1) is never reverted in candidate ``i``."""
    C = C.copy()
    active = np.ones(len(C), dtype=bool)
    kept = keep[:, None] == np.arange(C.shape[1])[None, :]
    while active.any():
        cells = np.argwhere(space.changed(X, C) & active[:, None] & ~kept)
        stuck = active.copy()
        stuck[cells[:, 0]] = False
        active &= ~stuck
        if len(cells) == 0:
            break
        rows, cols = cells[:, 0], cells[:, 1]
        trials = C[rows].copy()
        trials[np.arange(len(cells)), cols] = X[rows, cols]
        ok = score(trials, query[rows])
        saving = np.where(ok, space.contributions(X, C)[rows, cols], -1.0)
        order = np.lexsort((-saving, rows))  # per row, the largest saving first
        first = order[np.unique(rows[order], return_index=True)[1]]
        good = saving[first] >= 0
        C[rows[first[good]], cols[first[good]]] = X[rows[first[good]], cols[first[good]]]
        active[rows[first[~good]]] = False
    return C


def _bisect(space: FeatureSpace, X: np.ndarray, C: np.ndarray, query: np.ndarray,
            mask: np.ndarray, score: _Scorer) -> np.ndarray:
    """Shrink the changes of ``C`` on ``mask`` (rows x features) toward ``X``: a search on
    ``t`` in ``X + t (C - X)`` for the smallest flipped ``t``, ``_POINTS`` values of ``t``
    per row in each model call (``_CALLS`` calls: within ``(_POINTS + 1) ** -_CALLS``)."""
    todo = np.flatnonzero(mask.any(axis=1))
    if not todo.size:
        return C
    lo, hi = np.zeros(len(todo)), np.ones(len(todo))
    Xt, Ct, Mt, qt = X[todo], C[todo], mask[todo], query[todo]

    def at(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return space.project(Xt[rows], np.where(Mt[rows], Xt[rows] + t[:, None]
                                                * (Ct[rows] - Xt[rows]), Ct[rows]))

    steps = np.arange(1, _POINTS + 1) / (_POINTS + 1)
    rows = np.repeat(np.arange(len(todo)), _POINTS)
    for _ in range(_CALLS):
        t = (lo[:, None] + (hi - lo)[:, None] * steps[None, :]).ravel()
        ok = score(at(t, rows), qt[rows]).reshape(len(todo), _POINTS)
        t = t.reshape(len(todo), _POINTS)
        # the smallest flipped point, and the largest unflipped point below it
        new_hi = np.where(ok, t, np.inf).min(axis=1)
        new_hi = np.where(np.isfinite(new_hi), new_hi, hi)
        lo = np.maximum(lo, np.where(~ok & (t < new_hi[:, None]), t, -np.inf).max(axis=1))
        hi = new_hi
    out = C.copy()
    out[todo] = at(hi, np.arange(len(todo)))
    return out


def _select(space: FeatureSpace, x: np.ndarray, C: np.ndarray, n: int) -> np.ndarray:
    if len(C) == 0:
        return C
    _, first = np.unique(np.round(C / space.scale, 9), axis=0, return_index=True)
    C = C[np.sort(first)]
    C = C[np.argsort(space.distance(x, C), kind="stable")]
    sets = [frozenset(np.flatnonzero(row).tolist()) for row in space.changed(x, C)]
    chosen = [0]
    while len(chosen) < min(n, len(C)):
        seen = {sets[i] for i in chosen}
        fresh = [i for i in range(len(C)) if i not in chosen and sets[i] not in seen]
        if fresh:
            chosen.append(fresh[0])
            continue
        rest = [i for i in range(len(C)) if i not in chosen]
        gaps = [min(float(np.abs((C[i] - C[c]) / space.scale).sum()) for c in chosen)
                for i in rest]
        chosen.append(rest[int(np.argmax(gaps))])
    return C[chosen]


def search(space: FeatureSpace, Q: np.ndarray, valid: Valid, donors: Sequence[np.ndarray],
           *, n: int, rngs: Sequence[np.random.Generator], n_neighbours: int = 50,
           n_samples: int = 200, max_rounds: int = 6, n_refine: int | None = None,
           margin: Margin | None = None) -> SearchOutcome:
    """Up to ``n`` diverse, sparse, shrunk rows near each query row that pass ``valid``;
    ``margin`` (a score, positive on the target side) adds greedy-path candidates."""
    score = _Scorer(valid)
    m, d = Q.shape
    if m == 0:
        return SearchOutcome([], [], 0, 0)
    paths, path_calls, path_rows = (greedy_paths(space, Q, margin, branches=n)
                                    if margin is not None else ([np.empty((0, d))] * m, 0, 0))
    free, values = np.flatnonzero(space.mutable), move_values(space)
    pools = [np.vstack([feature_moves(space, x, x, free, values)[0], paths[q],
                        _neighbours(space, x, donors[q], n_neighbours, rngs[q])])
             for q, x in enumerate(Q)]
    found = _keep_valid(pools, score)
    need = max(2 * n, 10)
    radius = 0.5
    for _ in range(max_rounds):
        short = [q for q in range(m) if len(found[q]) < need]
        if not short:
            break
        rings = [_sphere(space, Q[q], radius, n_samples, rngs[q]) if q in short
                 else np.empty((0, d)) for q in range(m)]
        found = [np.vstack([f, r]) for f, r in zip(found, _keep_valid(rings, score),
                                                    strict=True)]
        radius *= 2
    size = n_refine if n_refine is not None else max(12, 4 * n)
    blocks, keeps = [], []
    for q, f in enumerate(found):
        f = f[np.argsort(space.distance(Q[q], f), kind="stable")]
        # the nearest candidates, plus for diversity the nearest one changing each of the
        # features changed nearest, sparsified with that feature kept (else all shrink to
        # the same few sets)
        moved = space.changed(Q[q], f)
        first = (np.where(moved.any(axis=0), moved.argmax(axis=0), len(f)) if len(f)
                 else np.zeros(d, dtype=int))
        held = [int(j) for j in np.argsort(first, kind="stable")[:2 * n]
                if n > 1 and first[j] < len(f)]
        blocks.append(np.vstack([f[:size], f[[int(first[j]) for j in held]]]))
        keeps.append(np.array([-1] * min(size, len(f)) + held, dtype=int))
    query = np.concatenate([np.full(len(b), q) for q, b in enumerate(blocks)]).astype(int)
    C, keep, X = np.vstack(blocks), np.concatenate(keeps), Q[query]
    C = _sparsify(space, X, C, query, keep, score)
    C = _bisect(space, X, C, query, space.changed(X, C) & space.numeric, score)
    contrib = np.where(space.numeric, space.contributions(X, C), 0.0)
    contrib[np.arange(len(C)), np.maximum(keep, 0)] *= keep < 0  # held ones: no shrink
    order = np.argsort(-contrib, axis=1, kind="stable")
    for p in range(min(_SHRINK_EACH, int((contrib > 0).sum(axis=1).max(initial=0)))):
        cols = order[:, p]
        mask = np.zeros_like(C, dtype=bool)
        mask[np.arange(len(C)), cols] = contrib[np.arange(len(C)), cols] > 0
        C = _bisect(space, X, C, query, mask, score)
    chosen = [_select(space, Q[q], C[query == q], n) for q in range(m)]
    return SearchOutcome(chosen, [len(f) for f in found], score.calls + path_calls,
                         score.rows + path_rows)


def _keep_valid(pools: list[np.ndarray], score: _Scorer) -> list[np.ndarray]:
    """Score every query row's candidates in one call; keep the flipping ones."""
    query = np.concatenate([np.full(len(p), q) for q, p in enumerate(pools)]).astype(int)
    ok = score(np.vstack(pools), query)
    return [p[ok[query == q]] for q, p in enumerate(pools)]
