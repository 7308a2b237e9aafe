"""``attack``: run a black-box attack on the rows a classifier gets right, within a budget.

Each row the model classifies correctly is attacked with ``method``: "decision"
(:class:`~.decision.DecisionAttack`, needs ``predict`` only) or "score"
(:class:`~.score.ScoreAttack`, needs ``predict_proba``). ``budget`` is the largest number of
rows the model may score per attacked row, everything included: the rows scored once for
all (the first predictions and the pool of reference rows the attacks start from, at most a
tenth of the budget) are shared out over the attacked rows and taken off each row's
allowance. Sizes are in scaled units (see :mod:`.space`); ``eps`` gives the budgets at which
robust accuracy is reported.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> X = np.random.default_rng(0).normal(size=(100, 3))
>>> y = (X[:, 0] > 0).astype(int)
>>> result = attack(LogisticRegression().fit(X, y), X[:5], y[:5], budget=300, eps=[0.5],
...                 random_state=0)
>>> result.success_rate, result.calls_per_row <= 300
(1.0, True)
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ...exceptions import DataError, ParameterError
from .decision import DecisionAttack
from .oracle import CountingModel, RowOracle
from .result import AttackResult
from .score import ScoreAttack
from .space import NORMS, AttackSpace

__all__ = ["METHODS", "attack"]

METHODS = {"decision": DecisionAttack, "score": ScoreAttack}


def _eps(eps: Any) -> tuple[float, ...]:
    if eps is None:
        return ()
    values = [eps] if np.isscalar(eps) else list(eps)
    try:
        out = tuple(sorted(float(e) for e in values))
    except (TypeError, ValueError):
        out = ()
    if not out or not all(np.isfinite(e) and e > 0 for e in out) or \
            any(isinstance(e, bool) for e in values):
        raise ParameterError("eps", expected="None, a positive number or a list of them "
                             "(perturbation budgets in scaled units)", got=repr(eps),
                             fix="pass e.g. eps=[0.1, 0.5, 1.0]")
    return out


def _check(method: str, norm: str, budget: Any) -> None:
    if method not in METHODS:
        raise ParameterError("method", expected=f"one of {sorted(METHODS)}", got=repr(method),
                             fix="method='decision' needs predict only; 'score' needs "
                                 "predict_proba")
    if norm not in NORMS:
        raise ParameterError("norm", expected=f"one of {list(NORMS)}", got=repr(norm),
                             fix="pass norm='l2' or norm='linf'")
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < 20:
        raise ParameterError("budget", expected="an integer of at least 20 (rows the model "
                             "may score per attacked row)", got=repr(budget),
                             fix="pass e.g. budget=2000")


def _labels(y: Any, n: int, classes: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != n:
        raise DataError("y", expected=f"one label per row of X ({n})",
                        got=f"shape {y.shape}", fix="pass the true labels of the rows of X")
    unknown = sorted({str(v) for v in set(y.tolist()) - set(classes.tolist())})
    if unknown:
        raise DataError("y", expected=f"labels among the model's classes {classes.tolist()}",
                        got=f"unknown labels {unknown[:5]}", fix="pass labels the model knows")
    return y


def attack(model: Any, X: Any, y: Any = None, *, method: str = "decision",
           norm: str = "l2", budget: int = 2000, eps: Any = None,
           constraints: Mapping[str, Any] | None = None, reference: Any = None,
           random_state: Any = None, **options: Any) -> AttackResult:
    """Attack the rows of ``X`` that ``model`` classifies correctly (every row when ``y``
    is None); ``reference`` (default ``X``) gives the constraints, scales and starting
    rows; ``options`` go to the attack class (e.g. ``n_probes``)."""
    _check(method, norm, budget)
    eps_t = _eps(eps)
    cls = METHODS[method]
    allowed = sorted(set(inspect.signature(cls).parameters) - {"norm", "random_state"})
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ParameterError("options", expected=f"options of the {method!r} attack among "
                             f"{allowed}", got=f"unknown {unknown}",
                             fix="check the spelling, or the method these options are for")
    attacker = cls(norm=norm, random_state=random_state, **options)
    attacker.check()
    began = time.perf_counter()
    space = AttackSpace.learn(X if reference is None else reference, constraints=constraints)
    Xe = space.encode(X)
    counting = CountingModel(model, decode=space.decode)
    if method == "score":
        counting.predict_proba(Xe[:0])  # a clear error now, not after the first rows
    classes = counting.classes
    pred = counting.predict(Xe)
    correct = np.ones(len(Xe), bool) if y is None else pred == _labels(y, len(Xe), classes)
    n_attacked = int(correct.sum())
    warnings = []
    if space.held:
        warnings.append(f"categorical features held fixed (not attacked): {list(space.held)}")
    results: list[tuple[bool, float | None, float | None, int, Any]] = [
        (False, None, None, 0, None)] * len(Xe)
    if n_attacked == 0:
        warnings.append("no row is classified correctly: nothing to attack")
    else:
        rng = np.random.default_rng(random_state)
        ref = Xe if reference is None else space.encode(reference, "reference")
        keep = max(1, budget * n_attacked // 10)
        if len(ref) > keep:
            ref = ref[np.sort(rng.choice(len(ref), size=keep, replace=False))]
        ref_pred = counting.predict(ref)
        shared = math.ceil(counting.rows / n_attacked)
        row_budget = budget - shared
        if row_budget < budget // 2:
            warnings.append(
                f"the rows scored once for all ({counting.rows} over {n_attacked} attacked "
                f"rows) take {shared} of each row's budget of {budget}, leaving "
                f"{max(row_budget, 0)}" + (": no row was attacked" if row_budget <= 0
                                           else "") +
                f"; pass budget >= {2 * shared} or fewer rows the model gets wrong")
        seeds = rng.integers(2 ** 63, size=len(Xe))
        index = {c: i for i, c in enumerate(classes.tolist())}
        for i in np.flatnonzero(correct):
            x = Xe[i]
            oracle = RowOracle(counting, label_index=index[pred[i].item()],
                               budget=row_budget)
            adv = attacker.run_row(oracle, space, x, ref[ref_pred != pred[i]],
                                   rng=np.random.default_rng(seeds[i]))
            used = row_budget - oracle.left
            if adv is None:
                results[i] = (False, None, None, used, None)
            else:
                results[i] = (True, float(space.size(x, adv, norm)[0]),
                              float(space.size(x, adv, norm, raw=True)[0]), used,
                              tuple(float(v) for v in adv))
    success, size, size_raw, calls, adversarial = (tuple(col) for col in zip(*results))
    return AttackResult(
        method=method, norm=norm, budget=int(budget), eps=eps_t,
        correct=tuple(bool(c) for c in correct), success=success, size=size,
        size_raw=size_raw, calls=calls,
        shared_calls=counting.rows - int(sum(calls)),
        time_s=time.perf_counter() - began, adversarial=adversarial,
        model=counting.adapter.describe(),
        options={"constraints": dict(constraints or {}), "random_state": random_state,
                 "features": list(space.features.columns), **options},
        warnings=tuple(warnings))
