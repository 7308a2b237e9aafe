"""The model-agnostic, batched search behind :class:`~.counterfactual.Counterfactuals`.

For one query row ``x`` and a test ``valid(Z)`` (does the model give the target decision on
each row of ``Z``?), the search works in five steps; every step scores all its candidates
in **one** call of the model, so the cost is a few dozen model calls per query:

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
   (12 steps), keeping the flipped end.
4. **Shrink each feature.** Bisection on each remaining numeric change alone, largest first.
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
>>> x = np.array([-1.0, 0.0])
>>> out = search(space, x, lambda Z: Z[:, 0] > 0.5, space.encode(X)[X["a"] > 0.5],
...              n=1, rng=np.random.default_rng(0))
>>> round(float(out.Z[0, 0]), 3), float(out.Z[0, 1]), out.n_calls < 40
(0.5, 0.0, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .counterfactual_space import FeatureSpace

__all__ = ["SearchOutcome", "search"]

Valid = Callable[[np.ndarray], np.ndarray]
_BISECT_STEPS = 12


@dataclass(frozen=True)
class SearchOutcome:
    """The chosen counterfactuals (rows of ``Z``) and what the search spent."""

    Z: np.ndarray
    n_calls: int
    n_scored: int
    n_valid_found: int


class _Scorer:
    """Counts model calls and rows; an empty batch costs nothing."""

    def __init__(self, valid: Valid) -> None:
        self.valid, self.calls, self.rows = valid, 0, 0

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        if len(Z) == 0:
            return np.zeros(0, dtype=bool)
        self.calls += 1
        self.rows += len(Z)
        return np.asarray(self.valid(Z), dtype=bool).reshape(len(Z))


def _one_feature_moves(space: FeatureSpace, x: np.ndarray) -> np.ndarray:
    rows = []
    for j in np.flatnonzero(space.mutable):
        values = space.grid[j]
        if space.numeric[j]:
            values = np.union1d(values, [space.lo[j], space.hi[j]])
        for v in values:
            if v != x[j]:
                z = x.copy()
                z[j] = v
                rows.append(z)
    return np.array(rows).reshape(-1, len(x))


def _neighbours(space: FeatureSpace, x: np.ndarray, donors: np.ndarray, k: int,
                rng: np.random.Generator) -> np.ndarray:
    if len(donors) == 0:
        return np.empty((0, len(x)))
    near = space.project(x, donors)
    near = near[np.argsort(space.distance(x, near), kind="stable")[:k]]
    halves = np.repeat(near, 2, axis=0)
    keep = rng.random(halves.shape) < 0.5
    halves = np.where(keep, x, halves)
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
            if space.numeric[j]:
                Z[i, j] = x[j] + s * space.scale[j]
            else:
                Z[i, j] = rng.integers(len(space.grid[j]))
    return space.project(x, Z)


def _sparsify(space: FeatureSpace, x: np.ndarray, C: np.ndarray, keep: np.ndarray,
              score: _Scorer) -> np.ndarray:
    """Best-first reversal of changed features; ``keep[i]`` (a feature, or -1) is never
    reverted in candidate ``i``."""
    C = C.copy()
    active = np.ones(len(C), dtype=bool)
    kept = keep[:, None] == np.arange(C.shape[1])[None, :]
    while active.any():
        cells = np.argwhere(space.changed(x, C) & active[:, None] & ~kept)
        if len(cells) == 0:
            break
        trials = C[cells[:, 0]].copy()
        trials[np.arange(len(cells)), cells[:, 1]] = x[cells[:, 1]]
        ok = score(trials)
        saving = space.contributions(x, C)[cells[:, 0], cells[:, 1]]
        saving = np.where(ok, saving, -1.0)
        best = np.full(len(C), -1.0)
        np.maximum.at(best, cells[:, 0], saving)
        for i in np.flatnonzero(active):
            if best[i] < 0:
                active[i] = False
                continue
            pick = np.flatnonzero((cells[:, 0] == i) & (saving == best[i]))[0]
            C[i, cells[pick, 1]] = x[cells[pick, 1]]
    return C


def _bisect(space: FeatureSpace, x: np.ndarray, C: np.ndarray, mask: np.ndarray,
            score: _Scorer) -> np.ndarray:
    """Shrink the changes of ``C`` on ``mask`` (rows x features) toward ``x``."""
    lo, hi = np.zeros(len(C)), np.ones(len(C))
    todo = mask.any(axis=1)
    if not todo.any():
        return C

    def at(t: np.ndarray) -> np.ndarray:
        moved = np.where(mask, x + t[:, None] * (C - x), C)
        return space.project(x, moved)

    for _ in range(_BISECT_STEPS):
        t = (lo + hi) / 2
        ok = np.ones(len(C), dtype=bool)
        ok[todo] = score(at(t)[todo])
        hi = np.where(ok, t, hi)
        lo = np.where(ok, lo, t)
    return at(np.where(todo, hi, 1.0))


def _select(space: FeatureSpace, x: np.ndarray, C: np.ndarray, n: int) -> np.ndarray:
    if len(C) == 0:
        return C
    key = np.round(C / space.scale, 9)
    _, first = np.unique(key, axis=0, return_index=True)
    C = C[np.sort(first)]
    d = space.distance(x, C)
    order = np.argsort(d, kind="stable")
    C, d = C[order], d[order]
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


def search(space: FeatureSpace, x: np.ndarray, valid: Valid, donors: np.ndarray, *,
           n: int, rng: np.random.Generator, n_neighbours: int = 50, n_samples: int = 200,
           max_rounds: int = 6, n_refine: int | None = None) -> SearchOutcome:
    """Up to ``n`` diverse, sparse, shrunk rows near ``x`` that pass ``valid``."""
    score = _Scorer(valid)
    pool = np.vstack([space.project(x, _one_feature_moves(space, x)),
                      _neighbours(space, x, donors, n_neighbours, rng)])
    found = pool[score(pool)]
    need = max(2 * n, 10)
    radius = 0.5
    for _ in range(max_rounds):
        if len(found) >= need:
            break
        ring = _sphere(space, x, radius, n_samples, rng)
        found = np.vstack([found, ring[score(ring)]])
        radius *= 2
    n_found = len(found)
    if n_found == 0:
        return SearchOutcome(np.empty((0, len(x))), score.calls, score.rows, 0)
    size = n_refine if n_refine is not None else max(24, 6 * n)
    found = found[np.argsort(space.distance(x, found), kind="stable")]
    # the nearest candidates, plus for diversity the nearest one changing each feature,
    # sparsified with that feature kept (else every candidate shrinks to the same few sets)
    moved = space.changed(x, found)
    keep_features = [j for j in range(len(x)) if n > 1 and moved[:, j].any()]
    picks = [int(np.argmax(moved[:, j])) for j in keep_features]
    C = np.vstack([found[:size], found[picks]]) if picks else found[:size]
    keep = np.array([-1] * min(size, len(found)) + keep_features, dtype=int)
    C = _sparsify(space, x, C, keep, score)
    C = _bisect(space, x, C, space.changed(x, C) & space.numeric, score)
    contrib = np.where(space.numeric, space.contributions(x, C), 0.0)
    contrib[np.arange(len(C)), np.maximum(keep, 0)] *= keep < 0  # kept ones: no shrink
    order = np.argsort(-contrib, axis=1, kind="stable")
    for p in range(int((contrib > 0).sum(axis=1).max(initial=0))):
        cols = order[:, p]
        mask = np.zeros_like(C, dtype=bool)
        mask[np.arange(len(C)), cols] = contrib[np.arange(len(C)), cols] > 0
        C = _bisect(space, x, C, mask, score)
    return SearchOutcome(_select(space, x, C, n), score.calls, score.rows, n_found)
