"""A decision-based attack: it needs only predicted labels (HopSkipJump-style).

Method (Chen, Jordan and Wainwright, "HopSkipJumpAttack: a query-efficient decision-based
attack", IEEE S&P 2020), adapted to tables and to a budget of scored rows:

1. *Start* from a real row the model puts in another class: the reference rows nearest to
   the attacked row (in scaled units), projected onto its feasible set (immutable features
   back to the row's values, ranges, whole numbers); if none of the nearest stays in another
   class once projected, from seeded uniform draws inside the ranges. Starting on real rows
   of the other class rather than on noise is what makes the first boundary point close.
2. *Binary search* on the segment from the row to the start for the boundary (for L-inf,
   on the radius of a box around the row).
3. *Estimate the boundary's normal* at that point from the signs of ``B`` random probes
   (``B`` grows as the square root of the iteration, as in the paper), with the mean sign
   subtracted to lower the variance.
4. *Step* along the estimate (its sign for L-inf), halving the step until the point stays
   adversarial, then binary-search back to the boundary; keep the smallest adversarial row.
   Repeat until the row's budget of scored rows is spent.

Every probe is projected onto the feasible set before it is scored, so the result respects
the constraints; only mutable numeric features are probed.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from stalwart.perturb.attacks.oracle import CountingModel, RowOracle
>>> from stalwart.perturb.attacks.space import AttackSpace
>>> X = np.random.default_rng(0).normal(size=(200, 2))
>>> model = CountingModel(LogisticRegression().fit(X, X[:, 0] > 0))
>>> space = AttackSpace.learn(X)
>>> x = np.array([1.0, 0.0])
>>> oracle = RowOracle(model, label_index=1, budget=300)
>>> adv = DecisionAttack(random_state=0).run_row(oracle, space, x, X[X[:, 0] < 0])
>>> model.adapter.predict(adv[None]).tolist(), oracle.left, bool(abs(adv[0]) < 0.2)
([False], 0, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...exceptions import ParameterError
from .oracle import BudgetSpent, RowOracle
from .space import NORMS, AttackSpace

__all__ = ["DecisionAttack", "find_start"]


def find_start(oracle: RowOracle, space: AttackSpace, x: np.ndarray, others: np.ndarray,
               *, norm: str, rng: np.random.Generator, n_nearest: int = 5,
               n_random: int = 20, n_starts: int = 1) -> np.ndarray | None:
    """The nearest feasible adversarial starts (up to ``n_starts`` rows, nearest first):
    projected reference rows the model puts in another class (re-scored only when the
    projection changed them), else random draws inside the ranges; None when none is."""
    if len(others):
        P = space.project(x, others)
        order = np.argsort(space.size(x, P, norm), kind="stable")
        found: list[np.ndarray] = []
        for lo in range(0, min(len(order), 4 * max(n_nearest, n_starts)), n_nearest):
            take = order[lo:lo + n_nearest]
            chunk = P[take]
            moved = np.any(chunk != others[take], axis=1)
            adv = np.ones(len(chunk), bool)
            if moved.any():
                adv = oracle.adversarial(chunk)
            found.extend(chunk[: len(adv)][adv])
            if len(found) >= n_starts:
                break
        if found:
            return np.array(found[:n_starts])
    fs = space.features
    for _ in range(2):
        draws = np.where(space.mutable, rng.uniform(fs.lo, fs.hi, (n_random, len(x))), x)
        draws = space.project(x, draws)
        adv = oracle.adversarial(draws)
        if adv.any():
            hits = draws[: len(adv)][adv]
            return hits[np.argsort(space.size(x, hits, norm), kind="stable")][:n_starts]
    return None


class DecisionAttack:
    """HopSkipJump-style minimal-perturbation attack from predicted labels only.

    Options: ``norm`` ("l2" or "linf", in scaled units), ``n_starts`` (nearest starting
    rows searched to the boundary; the closest boundary point wins), ``n_probes`` (probes of
    the first normal estimate; the paper's ``B0``, here smaller to fit a budget of rows),
    ``max_probes`` (cap on one estimate), ``probe_radius`` (the probes' distance from the
    boundary point, as a share of its distance to the row; the paper uses about ``1/d``,
    which is too fine for the steps of tree models), ``tolerance`` (relative precision of
    the binary searches), ``random_state``.
    """

    def __init__(self, *, norm: str = "l2", n_starts: int = 1, n_probes: int = 25,
                 max_probes: int = 100, probe_radius: float = 0.3, tolerance: float = 1e-3,
                 random_state: Any = None) -> None:
        self.norm = norm
        self.n_starts = n_starts
        self.probe_radius = probe_radius
        self.n_probes = n_probes
        self.max_probes = max_probes
        self.tolerance = tolerance
        self.random_state = random_state

    def check(self) -> None:
        if self.norm not in NORMS:
            raise ParameterError("norm", expected=f"one of {list(NORMS)}",
                                 got=repr(self.norm), fix="pass norm='l2' or norm='linf'")
        if isinstance(self.n_starts, bool) or not isinstance(self.n_starts, (int, np.integer)) \
                or self.n_starts < 1:
            raise ParameterError("n_starts", expected="a positive integer",
                                 got=repr(self.n_starts), fix="pass e.g. n_starts=3")
        if not 0 < float(self.probe_radius) <= 1:
            raise ParameterError("probe_radius", expected="a share of the distance in (0, 1]",
                                 got=repr(self.probe_radius), fix="pass e.g. probe_radius=0.3")
        for name in ("n_probes", "max_probes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
                raise ParameterError(name, expected="an integer of at least 2",
                                     got=repr(value), fix=f"pass e.g. {name}=25")
        if not 0 < float(self.tolerance) < 0.5:
            raise ParameterError("tolerance", expected="a number in (0, 0.5)",
                                 got=repr(self.tolerance), fix="pass e.g. tolerance=1e-3")

    # -- one row ---------------------------------------------------------------------
    def run_row(self, oracle: RowOracle, space: AttackSpace, x: np.ndarray,
                others: np.ndarray, *, rng: np.random.Generator | None = None
                ) -> np.ndarray | None:
        """The smallest adversarial row found for ``x`` within ``oracle``'s budget (None
        when no start was found); ``others``: reference rows predicted in another class."""
        self.check()
        rng = rng if rng is not None else np.random.default_rng(self.random_state)
        self._best: np.ndarray | None = None
        try:
            starts = find_start(oracle, space, x, others, norm=self.norm, rng=rng,
                                n_starts=self.n_starts)
            if starts is None:
                return None
            self._keep(space, x, starts[0])
            self._iterate(oracle, space, x, starts, rng)
        except BudgetSpent:
            pass
        return self._best

    def _keep(self, space: AttackSpace, x: np.ndarray, z: np.ndarray) -> None:
        if self._best is None or space.size(x, z, self.norm)[0] < \
                space.size(x, self._best, self.norm)[0]:
            self._best = z.copy()

    def _point(self, space: AttackSpace, x: np.ndarray, z: np.ndarray, t: float
               ) -> np.ndarray:
        if self.norm == "l2":  # t in [0, 1] along the segment
            return space.project(x, x + t * (z - x))
        box = t * space.scale  # t: L-inf radius in scaled units
        return space.project(x, np.clip(z, x - box, x + box))

    def _boundary(self, oracle: RowOracle, space: AttackSpace, x: np.ndarray,
                  z: np.ndarray) -> np.ndarray:
        """Binary search between ``x`` and the adversarial ``z``: a point just on the
        adversarial side of the boundary."""
        hi = 1.0 if self.norm == "l2" else float(space.size(x, z, "linf")[0])
        lo, best = 0.0, z
        while hi - lo > self.tolerance * hi:
            mid = (lo + hi) / 2
            p = self._point(space, x, z, mid)
            if oracle.adversarial(p)[0]:
                hi, best = mid, p
                self._keep(space, x, p)
            else:
                lo = mid
        return best

    def _iterate(self, oracle: RowOracle, space: AttackSpace, x: np.ndarray,
                 starts: np.ndarray, rng: np.random.Generator) -> None:
        m = space.mutable
        points = [self._boundary(oracle, space, x, z) for z in starts]
        zb = points[int(np.argmin([space.size(x, p, self.norm)[0] for p in points]))]
        for t in range(1, 10_000):
            dist = float(space.size(x, zb, self.norm)[0])
            if dist <= 0:
                return
            # probes around the boundary point at a share of its distance: wider than the
            # paper's dist / d, because a tree model's boundary is made of steps
            n = int(min(self.max_probes, self.n_probes * np.sqrt(t)))
            U = rng.normal(size=(n, len(x))) if self.norm == "l2" else \
                rng.uniform(-1, 1, size=(n, len(x)))
            U[:, ~m] = 0.0
            U /= np.linalg.norm(U, axis=1, keepdims=True)
            delta = self.probe_radius * dist
            probes = space.project(x, zb + delta * U * space.scale)
            sign = np.where(oracle.adversarial(probes), 1.0, -1.0)
            U = U[: len(sign)]
            mean = sign.mean()
            weights = sign - mean if abs(mean) < 1 else sign
            grad = (weights[:, None] * U).mean(axis=0)
            if not np.any(grad):
                continue
            v = grad / np.linalg.norm(grad) if self.norm == "l2" else np.sign(grad)
            step = dist / np.sqrt(t)
            while step > self.tolerance * dist:
                z = space.project(x, zb + step * v * space.scale)
                if oracle.adversarial(z)[0]:
                    break
                step /= 2
            else:
                continue
            zb = self._boundary(oracle, space, x, z)
