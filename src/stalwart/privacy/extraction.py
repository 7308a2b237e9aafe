"""Model-extraction risk: how many queries does a copy need to agree with the model?

An attacker who can query a model can train a *surrogate* on the answers (Tramèr et al.
2016). This module plays that attacker on rows the user supplies: it sends growing query
budgets (nested: each budget extends the previous queries), labels them with the model,
fits a fresh clone of the surrogate on each and measures the *agreement* between surrogate
and model on held-out evaluation rows the attacker never queried:

- classification: the share of evaluation rows where both predict the same class;
- regression: the share where they differ by at most ``tolerance`` times the standard
  deviation of the model's predictions on those rows.

The answer to "how many queries to reach 95% agreement" is the first budget on the grid
whose agreement reaches 0.95, or *not reached within* the largest budget: never a number
read off an extrapolated curve. The grid bounds it: reached at 500 after missing at 200
means between 201 and 500 queries. The baseline is the agreement of a constant answer
(the model's most common class, or its mean), which a high share of one class makes high.

Query strategies: ``random`` (a seeded shuffle of the pool) or ``uncertainty`` (after the
first, random, budget each new batch takes the pool rows where the previous surrogate's
top two class probabilities are closest, in four batches per step with a refit between
them: active learning, classification only).

The default surrogate is a random forest of 50 trees (scikit-learn, seeded): it learns
non-linear boundaries without tuning, never warns about convergence, and fits a few
thousand rows in well under a second. A result is a lower bound on the risk: a better
surrogate or a smarter attacker may need fewer queries.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(1500, 2)); y = (X[:, 0] + X[:, 1] > 0).astype(int)
>>> risk = extraction_risk(LogisticRegression().fit(X, y), X, budgets=(20, 100, 500))
>>> [round(a, 3) for a in risk.agreement]
[0.813, 0.931, 0.989]
>>> risk.queries_to(0.95), risk.queries_to(0.99)
(500, None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._json import jsonable
from ..exceptions import DataError, ModelError, ParameterError
from ..models import wrap
from ._attack_stats import n_rows, take

__all__ = ["ExtractionRisk", "extraction_risk"]

STRATEGIES = ("random", "uncertainty")
MIN_EVAL_ROWS = 20
_UNCERTAINTY_BATCHES = 4


@dataclass(frozen=True)
class ExtractionRisk:
    """Agreement of the surrogate with the model per query budget (``budgets`` ascending)."""

    task: str
    surrogate: str
    query_strategy: str
    budgets: tuple[int, ...]
    agreement: tuple[float, ...]
    baseline_agreement: float
    targets: tuple[float, ...]
    n_pool: int
    n_eval: int
    warnings: tuple[str, ...]
    options: dict[str, Any]
    model: dict[str, Any]
    schema_version: str = "1.0"

    def queries_to(self, target: float) -> int | None:
        """The first budget whose agreement reaches ``target``; None: not reached."""
        return next((b for b, a in zip(self.budgets, self.agreement) if a >= target), None)

    def to_dict(self) -> dict[str, Any]:
        reach = [{"target": t, "queries": self.queries_to(t), "reached": self.queries_to(t)
                  is not None, "max_budget": self.budgets[-1]} for t in self.targets]
        return jsonable({
            "schema_version": self.schema_version, "task": self.task,
            "surrogate": self.surrogate, "query_strategy": self.query_strategy,
            "budgets": list(self.budgets), "agreement": list(self.agreement),
            "baseline_agreement": self.baseline_agreement, "targets": reach,
            "n_pool": self.n_pool, "n_eval": self.n_eval, "warnings": list(self.warnings),
            "options": self.options, "model": self.model})


def _default_surrogate(task: str, random_state: int) -> Any:
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    cls = RandomForestClassifier if task == "classification" else RandomForestRegressor
    return cls(n_estimators=50, random_state=random_state, n_jobs=1)


class _Constant:
    """What a surrogate learns from one distinct answer: that answer, everywhere."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def predict(self, X: Any) -> np.ndarray:
        return np.full(n_rows(X), self.value)


def _check_options(budgets: Sequence[int], targets: Sequence[float], strategy: str,
                   tolerance: float, task: str) -> tuple[list[int], tuple[float, ...]]:
    if strategy not in STRATEGIES:
        raise ParameterError("query_strategy", expected=f"one of {STRATEGIES}",
                             got=repr(strategy), fix="pass query_strategy='random'")
    if strategy == "uncertainty" and task != "classification":
        raise ParameterError("query_strategy", expected="'random' for a regression model "
                             "(uncertainty sampling reads class probabilities)",
                             got="'uncertainty'", fix="pass query_strategy='random'")
    clean = sorted({int(b) for b in budgets if isinstance(b, (int, np.integer))
                    and not isinstance(b, bool) and b >= 2})
    if not clean or len(clean) != len(list(budgets)):
        raise ParameterError("budgets", expected="distinct integers >= 2 (numbers of queries)",
                             got=repr(budgets), fix="pass for example budgets=(50, 100, 500)")
    try:  # one share or several
        chosen = tuple(float(t) for t in np.atleast_1d(np.asarray(targets, dtype=float)))
    except (TypeError, ValueError):
        chosen = ()
    if not chosen or not all(0.0 < t <= 1.0 for t in chosen):
        raise ParameterError("target_agreement", expected="shares in (0, 1]",
                             got=repr(targets), fix="pass for example (0.9, 0.95)")
    if not tolerance > 0:
        raise ParameterError("tolerance", expected="a number > 0", got=repr(tolerance),
                             fix="pass for example tolerance=0.1")
    return clean, tuple(sorted(chosen))


def extraction_risk(model: Any, X_pool: Any, *, surrogate: Any = None,
                    budgets: Sequence[int] = (50, 100, 200, 500, 1000, 2000),
                    target_agreement: Sequence[float] = (0.9, 0.95),
                    query_strategy: str = "random", eval_X: Any = None,
                    eval_share: float = 0.25, tolerance: float = 0.1,
                    random_state: int = 0) -> ExtractionRisk:
    """Train a surrogate on growing query budgets drawn from ``X_pool``; see the module doc.

    Without ``eval_X``, a seeded ``eval_share`` of the pool is held out for evaluation.
    Budgets larger than the query pool are dropped, and the result says so.
    """
    adapter = wrap(model)
    grid, targets = _check_options(budgets, target_agreement, query_strategy, tolerance,
                                   adapter.task)
    rng = np.random.default_rng(random_state)
    n = n_rows(X_pool)
    if eval_X is None:
        if not 0.0 < eval_share < 1.0:
            raise ParameterError("eval_share", expected="a share in (0, 1)",
                                 got=repr(eval_share), fix="pass for example eval_share=0.25")
        order = rng.permutation(n)
        n_eval = int(round(n * eval_share))
        E, pool = take(X_pool, np.sort(order[:n_eval])), take(X_pool, np.sort(order[n_eval:]))
    else:
        E, pool = eval_X, X_pool
    n_eval, n_pool = n_rows(E), n_rows(pool)
    if n_eval < MIN_EVAL_ROWS:
        raise DataError("evaluation rows", expected=f"at least {MIN_EVAL_ROWS} rows to measure "
                        "agreement on", got=f"{n_eval} rows",
                        fix="pass more rows in X_pool or eval_X")
    notes = []
    usable = [b for b in grid if b <= n_pool]
    if not usable:
        raise DataError("query pool", expected=f"at least {grid[0]} rows (the smallest "
                        "budget)", got=f"{n_pool} rows",
                        fix="pass a larger X_pool or smaller budgets")
    if len(usable) < len(grid):
        notes.append(f"budgets {grid[len(usable):]} dropped: the query pool has only "
                     f"{n_pool} rows")
    if surrogate is None:
        surrogate = _default_surrogate(adapter.task, random_state)
    elif not callable(getattr(surrogate, "fit", None)):
        raise ModelError("surrogate", expected="an unfitted scikit-learn style estimator",
                         got=type(surrogate).__name__, fix="pass e.g. DecisionTreeClassifier()")
    target_E = np.asarray(adapter.predict(E))
    agree = _agreement_fn(adapter.task, target_E, tolerance)
    if adapter.task == "classification":
        values, counts = np.unique(target_E, return_counts=True)
        baseline = float(counts.max() / n_eval)
    else:
        baseline = agree(np.full(n_eval, float(np.mean(target_E))))
    order = rng.permutation(n_pool)
    chosen = order[:usable[0]]
    answers = np.asarray(adapter.predict(take(pool, chosen)))
    agreement: list[float] = []
    constant_at: list[int] = []
    fitted: Any = None
    for k, b in enumerate(usable):
        while len(chosen) < b:
            step = b - len(chosen)
            rest = order[~np.isin(order, chosen)]  # shuffled order: ties broken at random
            if query_strategy == "uncertainty" and not isinstance(fitted, _Constant):
                # batches of at most a quarter of the step, refitting between them, so one
                # batch does not pile up on a single stretch of an early, rough boundary
                step = min(step, max(1, -(-(b - usable[k - 1]) // _UNCERTAINTY_BATCHES)))
                rest = rest[np.argsort(_margin(fitted, take(pool, rest)), kind="stable")]
            new = rest[:step]
            chosen = np.r_[chosen, new]
            answers = np.r_[answers, np.asarray(adapter.predict(take(pool, new)))]
            if len(chosen) < b:
                fitted = _fit(surrogate, take(pool, chosen), answers)
        fitted = _fit(surrogate, take(pool, chosen), answers)
        if isinstance(fitted, _Constant):
            constant_at.append(b)
        agreement.append(agree(np.asarray(fitted.predict(E))))
    if constant_at:
        notes.append(f"at budgets {constant_at} every answer was the same, so the surrogate "
                     "is that constant answer")
    options = {"budgets": list(grid), "target_agreement": list(targets),
               "query_strategy": query_strategy, "eval_share": None if eval_X is not None
               else eval_share, "tolerance": tolerance, "random_state": random_state}
    return ExtractionRisk(adapter.task, repr(surrogate), query_strategy, tuple(usable),
                          tuple(agreement), baseline, targets, n_pool, n_eval, tuple(notes),
                          options, adapter.describe())


def _fit(surrogate: Any, X: Any, answers: np.ndarray) -> Any:
    from sklearn.base import clone

    if len(np.unique(answers)) == 1:
        return _Constant(answers[0])
    return clone(surrogate).fit(X, answers)


def _agreement_fn(task: str, target: np.ndarray, tolerance: float) -> Any:
    if task == "classification":
        return lambda pred: float(np.mean(pred == target))
    target = target.astype(float)
    width = tolerance * float(np.std(target))
    return lambda pred: float(np.mean(np.abs(pred.astype(float) - target) <= width))


def _margin(fitted: Any, X: Any) -> np.ndarray:
    """Gap between the top two class probabilities (small: the surrogate is unsure)."""
    if not callable(getattr(fitted, "predict_proba", None)):
        raise ModelError("surrogate", expected="a classifier with predict_proba for "
                         "query_strategy='uncertainty'", got=type(fitted).__name__,
                         fix="pass a probabilistic surrogate or query_strategy='random'")
    p = np.sort(np.asarray(fitted.predict_proba(X), dtype=float), axis=1)
    return p[:, -1] - p[:, -2]
