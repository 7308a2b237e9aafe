"""A verified lower bound on the L-inf perturbation a tree model needs to change a prediction.

A tree cuts the space into boxes, one per leaf. For a row ``x`` and a leaf box, the L-inf
distance (scaled units, as in :mod:`.space`) from ``x`` to the box is
``max_j max(0, (lo_j - x_j) / s_j, (x_j - hi_j) / s_j)``; a leaf is *reachable* with a
perturbation of size ``eps`` when that distance is at most ``eps``.

- *Single decision tree*: the smallest distance to a leaf of another class is the exact
  minimal adversarial distance (an infimum: the boxes' lower faces are open), and the
  nearest point of that box is returned as a witness.
- *Binary ensembles* (random forests, extra trees, gradient boosting): the score is a sum
  of per-tree leaf values. Within radius ``eps`` each tree's value is at worst the most
  adverse value among its reachable leaves; the sum of those worst cases is a sound bound
  on the score, so the smallest ``eps`` at which it crosses the decision threshold is a
  *lower bound* on the distance any attack needs. This is the per-tree relaxation that
  Chen et al. ("Robustness verification of tree-based models", NeurIPS 2019) refine with
  cliques of trees; it ignores that the trees must agree on one point, so it is sound but
  can be loose. Computed exactly by a sweep over the sorted leaf distances (no search).

Immutable features make boxes that need them changed unreachable (distance infinity);
ranges, integers and directions are ignored, which keeps the bound sound (they only shrink
what an attack may do). Compare it with an attack's L-inf size: ``bound <= size``.

>>> import numpy as np
>>> from sklearn.tree import DecisionTreeClassifier
>>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> tree = DecisionTreeClassifier(random_state=0).fit(X, [0, 0, 1, 1])
>>> result = tree_lower_bound(tree, X, scale=np.ones(1))
>>> result.bound.round(6).tolist(), result.exact  # widened by one float32 step
([1.5, 0.5, 0.5, 1.5], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import DataError, ModelError
from .space import AttackSpace, as_frame

__all__ = ["TreeBoundResult", "tree_lower_bound"]

_ENSEMBLES = ("RandomForestClassifier", "ExtraTreesClassifier", "GradientBoostingClassifier")
# rows are bounded in chunks so that the (rows, leaves, features) distance arrays and the
# (rows, all leaves) sweep stay near this many cells (~80 MB of float64) on any row count
_CELLS = 10_000_000


@dataclass(frozen=True)
class TreeBoundResult:
    """``bound``: per row, the L-inf size (scaled units) below which the prediction cannot
    change (inf when no feasible change can); ``exact``: True for a single tree (the bound
    is the minimal distance, ``witness`` holds the nearest adversarial points)."""

    model: str
    n_trees: int
    exact: bool
    bound: np.ndarray
    witness: np.ndarray | None
    scale: np.ndarray
    schema_version: str = "1"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "kind": "tree_lower_bound",
                         "model": self.model, "n_trees": self.n_trees, "exact": self.exact,
                         "norm": "linf", "bound": self.bound.tolist(),
                         "median_bound": float(np.median(self.bound)),
                         "scale": self.scale.tolist()})


def _boxes(tree: Any, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leaf ids and their boxes (lo, hi), from the tree's arrays."""
    t = tree.tree_
    lo = np.full((t.node_count, d), -np.inf)
    hi = np.full((t.node_count, d), np.inf)
    for node in range(t.node_count):  # parents come before children in sklearn's arrays
        left, right = t.children_left[node], t.children_right[node]
        if left < 0:
            continue
        f, thr = t.feature[node], t.threshold[node]
        lo[left], hi[left] = lo[node], hi[node]
        lo[right], hi[right] = lo[node], hi[node]
        hi[left, f] = min(hi[node, f], thr)        # x <= threshold goes left
        lo[right, f] = max(lo[node, f], thr)       # x > threshold goes right
    leaves = np.flatnonzero(t.children_left < 0)
    return leaves, lo[leaves], hi[leaves]


def _ulp32(v: np.ndarray) -> np.ndarray:
    """One float32 step at ``v`` (trees compare float32 inputs with their thresholds)."""
    finite = np.isfinite(v)
    return np.where(finite, np.spacing(np.abs(np.where(finite, v, 0.0)).astype(np.float32))
                    .astype(float), 0.0)


def _distance(X: np.ndarray, lo: np.ndarray, hi: np.ndarray, scale: np.ndarray,
              frozen: np.ndarray) -> np.ndarray:
    """(rows, leaves) L-inf distance in scaled units from each row to each leaf box, each
    box widened by one float32 step so that rounding can never make the bound too high."""
    lo, hi = lo - 2 * _ulp32(lo), hi + 2 * _ulp32(hi)
    below = (lo[None] - X[:, None]) / scale
    above = (X[:, None] - hi[None]) / scale
    gap = np.maximum(np.maximum(below, above), 0.0)
    gap = np.where(frozen & (gap > 0), np.inf, gap)
    return gap.max(axis=2)


def _estimator(model: Any) -> Any:
    inner = getattr(model, "model", model)  # a stalwart SklearnAdapter
    kind = type(inner).__name__
    if kind not in (*_ENSEMBLES, "DecisionTreeClassifier") or not hasattr(inner, "classes_"):
        raise ModelError("model", expected="a fitted scikit-learn DecisionTreeClassifier, "
                         "RandomForestClassifier, ExtraTreesClassifier or "
                         "GradientBoostingClassifier", got=kind,
                         fix="attack other models with attack(); the bound needs the trees")
    if kind in _ENSEMBLES and len(inner.classes_) != 2:
        raise ModelError("model", expected="a binary classifier for an ensemble bound",
                         got=f"{len(inner.classes_)} classes",
                         fix="bound a single DecisionTreeClassifier, or attack with attack()")
    return inner


def _ensemble_terms(est: Any, X: Any, Xa: np.ndarray
                    ) -> tuple[list[tuple[Any, np.ndarray]], np.ndarray, float]:
    """Per tree its leaf values (on the score), the per-row base and the threshold."""
    if type(est).__name__ == "GradientBoostingClassifier":
        trees = [(t, est.learning_rate * t.tree_.value[:, 0, 0]) for t in est.estimators_[:, 0]]
        X32 = Xa.astype(np.float32)  # the inner trees were fitted on plain arrays
        current = sum(v[t.apply(X32)] for t, v in trees)
        return trees, est.decision_function(X) - current, 0.0
    n = len(est.estimators_)
    trees = []
    for t in est.estimators_:
        value = t.tree_.value[:, 0, :]
        trees.append((t, value[:, 1] / value.sum(axis=1) / n))
    return trees, np.zeros(len(X)), 0.5


def _ensemble_bound(est: Any, X: np.ndarray, inp: Any, scale: np.ndarray,
                    frozen: np.ndarray) -> np.ndarray:
    trees, base, thr = _ensemble_terms(est, inp, X)
    positive = est.predict(inp) == est.classes_[1]
    R, D = [], []
    for tree, value in trees:
        leaves, lo, hi = _boxes(tree, X.shape[1])
        dist = _distance(X, lo, hi, scale, frozen)
        order = np.argsort(dist, axis=1, kind="stable")
        r = np.take_along_axis(dist, order, axis=1)
        v = value[leaves][order]
        # the most adverse value among the leaves reachable so far (down for positive rows)
        worst = np.where(positive[:, None], np.minimum.accumulate(v, axis=1),
                         np.maximum.accumulate(v, axis=1))
        R.append(r)
        D.append(np.diff(worst, axis=1, prepend=0.0))
    R, D = np.hstack(R), np.hstack(D)
    order = np.argsort(R, axis=1, kind="stable")
    R, D = np.take_along_axis(R, order, axis=1), np.take_along_axis(D, order, axis=1)
    score = base[:, None] + np.cumsum(D, axis=1)
    crossed = np.where(positive[:, None], score <= thr, score >= thr) & np.isfinite(R)
    # a crossing counts only once every event at that distance has been applied
    last = np.append(R[:, 1:] != R[:, :-1], np.ones((len(R), 1), bool), axis=1)
    crossed &= last
    first = np.argmax(crossed, axis=1)
    return np.where(crossed.any(axis=1), R[np.arange(len(R)), first], np.inf)


def _tree_bound(est: Any, X: np.ndarray, inp: Any, scale: np.ndarray, frozen: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    leaves, lo, hi = _boxes(est, X.shape[1])
    leaf_class = est.classes_[np.argmax(est.tree_.value[leaves, 0, :], axis=1)]
    dist = _distance(X, lo, hi, scale, frozen)
    other = leaf_class[None, :] != est.predict(inp)[:, None]
    dist = np.where(other, dist, np.inf)
    best = np.argmin(dist, axis=1)
    bound = dist[np.arange(len(X)), best]
    # the nearest point of the nearest box, as float32 values the tree sends into it: at
    # most the closed upper face, strictly above the open lower face
    w_lo, w_hi = lo[best], hi[best]
    witness = np.clip(X, w_lo, w_hi).astype(np.float32)
    over = witness.astype(float) > w_hi
    witness = np.where(over, np.nextafter(witness, np.float32(-np.inf)), witness)
    under = np.isfinite(w_lo) & (witness.astype(float) <= w_lo)
    witness = np.where(under, np.nextafter(witness, np.float32(np.inf)), witness)
    witness = np.where((X >= w_lo) & (X <= w_hi) & ~under, X, witness.astype(float))
    return bound, witness


def tree_lower_bound(model: Any, X: Any, *, reference: Any = None,
                     constraints: Mapping[str, Any] | None = None,
                     scale: np.ndarray | None = None) -> TreeBoundResult:
    """Lower bound (exact for one tree) on the L-inf perturbation, in the scaled units of
    :mod:`.space` learned from ``reference`` (default ``X``) or the given ``scale``, that
    changes each row's prediction; ``constraints``: only ``immutable`` is used."""
    est = _estimator(model)
    frame, _ = as_frame(X)
    names = getattr(est, "feature_names_in_", None)
    if names is not None:
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise DataError("X", expected=f"the model's columns {list(names)[:5]}...",
                            got=f"missing {missing[:5]}", fix="pass the training columns")
        frame = frame[list(names)]
    Xa = frame.to_numpy(dtype=float)
    if Xa.shape[1] != est.n_features_in_:
        raise DataError("X", expected=f"{est.n_features_in_} features", got=f"{Xa.shape[1]}",
                        fix="pass rows with the model's features")
    ref = frame if reference is None else as_frame(reference, "reference")[0][frame.columns]
    space = AttackSpace.learn(ref, constraints={k: v for k, v in (constraints or {}).items()
                                                if k == "immutable"}) if scale is None else None
    s = np.asarray(scale, dtype=float) if scale is not None else space.scale
    frozen = np.zeros(Xa.shape[1], bool) if space is None else ~space.features.mutable
    if s.shape != (Xa.shape[1],) or not (np.isfinite(s).all() and (s > 0).all()):
        raise DataError("scale", expected=f"{Xa.shape[1]} positive finite numbers (one per "
                        "feature)", got=f"shape {s.shape}" if s.shape != (Xa.shape[1],)
                        else "a zero, negative or non-finite value",
                        fix="pass scale=None to learn it from reference")
    inp = frame if names is not None else Xa
    single = type(est).__name__ == "DecisionTreeClassifier"
    trees = [est] if single else list(np.ravel(est.estimators_))
    leaves = [int((t.tree_.children_left < 0).sum()) for t in trees]
    per_row = max(max(leaves) * Xa.shape[1], 4 * sum(leaves))
    step = max(1, _CELLS // per_row)
    bounds, witnesses = [], []
    for at in range(0, len(Xa), step):
        rows = slice(at, at + step)
        part = inp.iloc[rows] if names is not None else Xa[rows]
        if single:
            b, w = _tree_bound(est, Xa[rows], part, s, frozen)
            witnesses.append(w)
        else:
            b = _ensemble_bound(est, Xa[rows], part, s, frozen)
        bounds.append(b)
    bound = np.concatenate(bounds)
    if single:
        return TreeBoundResult(model=type(est).__name__, n_trees=1, exact=True, bound=bound,
                               witness=np.concatenate(witnesses), scale=s)
    return TreeBoundResult(model=type(est).__name__, n_trees=len(est.estimators_),
                           exact=False, bound=bound, witness=None, scale=s)
