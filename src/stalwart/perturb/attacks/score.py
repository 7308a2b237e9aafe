"""A score-based attack: it reads class probabilities (Square-attack-style random search).

Method (Andriushchenko et al., "Square Attack: a query-efficient black-box adversarial
attack via random search", ECCV 2020), for tables, where features have no spatial layout
so a "square" is a random subset of features:

- the loss is the margin of the row's class: its probability minus the largest other one;
  the prediction changes when it falls below zero;
- at a radius ``r`` (scaled units), start from a random vertex of the ball (L-inf: every
  mutable feature moved by ``±r``; L2: a random direction of length ``r``), then repeatedly
  redraw the change on a random subset of the features (a share ``p`` of them, halved at
  fixed iterations as in the paper), keeping a candidate only when it lowers the margin;
  candidates are scored in small batches (the cost is counted in rows either way);
- to find a *small* perturbation the radius is bisected: the upper end starts at the
  nearest projected reference row of another class (as :mod:`.decision` does), each trial
  radius gets a slice of the row's budget, and a success lowers the upper end.

Every candidate is projected onto the feasible set before it is scored.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from stalwart.perturb.attacks.oracle import CountingModel, RowOracle
>>> from stalwart.perturb.attacks.space import AttackSpace
>>> X = np.random.default_rng(0).normal(size=(200, 2))
>>> model = CountingModel(LogisticRegression().fit(X, X[:, 0] > 0))
>>> oracle = RowOracle(model, label_index=1, budget=300)
>>> adv = ScoreAttack(random_state=0).run_row(oracle, AttackSpace.learn(X),
...                                           np.array([1.0, 0.0]), X[X[:, 0] < 0])
>>> bool(adv[0] < 0.2), oracle.left >= 0
(True, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...exceptions import ParameterError
from .decision import find_start
from .oracle import BudgetSpent, RowOracle
from .space import NORMS, AttackSpace

__all__ = ["ScoreAttack"]

_HALVINGS = (10, 50, 200, 500, 1000, 2000)  # the paper's schedule for the share p


class ScoreAttack:
    """Square-attack-style random search on ``predict_proba`` margins.

    Options: ``norm`` ("l2" or "linf", scaled units), ``eps`` (a starting radius when no
    reference row of another class is available; otherwise the bisection starts at that
    row), ``p_init`` (first share of features redrawn), ``batch`` (candidates per call),
    ``trial_rows`` (rows scored per trial radius), ``random_state``.
    """

    def __init__(self, *, norm: str = "l2", eps: float | None = None, p_init: float = 0.3,
                 batch: int = 10, trial_rows: int = 150, random_state: Any = None) -> None:
        self.norm = norm
        self.eps = eps
        self.p_init = p_init
        self.batch = batch
        self.trial_rows = trial_rows
        self.random_state = random_state

    def check(self) -> None:
        if self.norm not in NORMS:
            raise ParameterError("norm", expected=f"one of {list(NORMS)}",
                                 got=repr(self.norm), fix="pass norm='l2' or norm='linf'")
        if self.eps is not None and (isinstance(self.eps, bool) or not isinstance(
                self.eps, (int, float, np.number)) or not 0 < self.eps < np.inf):
            raise ParameterError("eps", expected="None or a positive radius (scaled units)",
                                 got=repr(self.eps), fix="pass eps=None or e.g. eps=1.0")
        if not 0 < float(self.p_init) <= 1:
            raise ParameterError("p_init", expected="a share in (0, 1]",
                                 got=repr(self.p_init), fix="pass e.g. p_init=0.3")
        for name in ("batch", "trial_rows"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ParameterError(name, expected="a positive integer", got=repr(value),
                                     fix=f"pass e.g. {name}=10")

    def run_row(self, oracle: RowOracle, space: AttackSpace, x: np.ndarray,
                others: np.ndarray, *, rng: np.random.Generator | None = None
                ) -> np.ndarray | None:
        """The smallest adversarial row found for ``x`` within the budget, or None."""
        self.check()
        rng = rng if rng is not None else np.random.default_rng(self.random_state)
        best: np.ndarray | None = None
        try:
            starts = find_start(oracle, space, x, others, norm=self.norm, rng=rng)
            if starts is not None:
                best = self._shrink(oracle, space, x, starts[0])
            hi = float(space.size(x, best, self.norm)[0]) if best is not None else \
                float(self.eps or space.size(x, np.where(space.mutable, space.features.hi,
                                                         x), self.norm)[0])
            lo = 0.0
            while True:
                r = hi if best is None else (lo + hi) / 2
                found = self._square(oracle, space, x, r, rng)
                if found is not None:
                    best = found if best is None or space.size(x, found, self.norm)[0] < \
                        space.size(x, best, self.norm)[0] else best
                    hi = float(space.size(x, best, self.norm)[0])
                elif best is not None:
                    lo = r
        except BudgetSpent:
            pass
        return best

    def _shrink(self, oracle: RowOracle, space: AttackSpace, x: np.ndarray,
                z: np.ndarray, steps: int = 8) -> np.ndarray:
        """Bisect the segment from ``x`` to the adversarial ``z`` (labels only)."""
        lo, hi, best = 0.0, 1.0, z
        for _ in range(steps):
            mid = (lo + hi) / 2
            p = space.project(x, x + mid * (z - x))
            if oracle.adversarial(p)[0]:
                hi, best = mid, p
            else:
                lo = mid
        return best

    def _delta(self, space: AttackSpace, r: float, k: int, rng: np.random.Generator
               ) -> np.ndarray:
        m = space.mutable
        if self.norm == "linf":
            D = rng.choice([-1.0, 1.0], size=(k, len(m))) * r
        else:
            D = rng.normal(size=(k, len(m)))
            D[:, ~m] = 0.0
            D *= r / np.linalg.norm(D, axis=1, keepdims=True)
        D[:, ~m] = 0.0
        return D

    def _square(self, oracle: RowOracle, space: AttackSpace, x: np.ndarray, r: float,
                rng: np.random.Generator) -> np.ndarray | None:
        """Random search at radius ``r``: an adversarial row within it, or None."""
        budget_end = oracle.left - self.trial_rows
        cols = np.flatnonzero(space.mutable)
        delta = self._delta(space, r, 1, rng)[0]
        z = space.project(x, x + delta * space.scale)
        margin = float(oracle.margin(z)[0])
        it = 0
        while margin >= 0 and oracle.left > max(budget_end, 0):
            p = self.p_init / 2 ** sum(it >= h for h in _HALVINGS)
            n = max(1, int(round(p * len(cols))))
            cand = np.repeat(delta[None], self.batch, axis=0)
            fresh = self._delta(space, r, self.batch, rng)
            for i in range(self.batch):
                pick = rng.choice(cols, size=n, replace=False)
                cand[i, pick] = fresh[i, pick]
            if self.norm == "l2":  # back onto the sphere of radius r
                cand *= r / np.maximum(np.linalg.norm(cand, axis=1, keepdims=True), 1e-12)
            Z = space.project(x, x + cand * space.scale)
            margins = oracle.margin(Z)
            i = int(np.argmin(margins))
            if margins[i] < margin:
                margin, delta, z = float(margins[i]), cand[i], Z[i]
            it += 1
        if margin < 0 and oracle.adversarial(z)[0]:  # confirmed by predict
            return self._shrink(oracle, space, x, z, steps=4)
        return None
