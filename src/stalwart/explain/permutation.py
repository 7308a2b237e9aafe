"""Permutation importance with confidence intervals, model-agnostic (Breiman 2001).

The importance of feature ``j`` is how much the model's score drops when the values of
``j`` are shuffled across rows, breaking its link with the target while keeping its
distribution (Breiman, "Random forests", 2001; Fisher, Rudin & Dominici, JMLR 2019):

    importance_j = score(X, y) - score(X with column j permuted, y)

(for a loss such as ``rmse`` or ``log_loss``: permuted minus baseline, so a larger value is
always a more important feature). Each of ``n_repeats`` permutations gives one value; the
result reports their mean, their standard deviation (``ddof=1``) and a Student t interval
``mean +- t_{(1+confidence)/2, n_repeats-1} * std / sqrt(n_repeats)``. That interval covers
the randomness of the permutations on these rows only, not the sampling of the rows nor the
model's training: evaluate on held-out data.

The permutations are scikit-learn's own (``sklearn.inspection.permutation_importance`` with
the same ``random_state`` draws one seed and replays the same shuffles for every column), so
the numbers equal scikit-learn's when ``max_rows`` is None. The speed edge: all permuted
copies of one repeat are scored in one batched ``predict`` call (split only when the batch
would exceed ``_CELL_BUDGET`` cells) instead of one call per feature and repeat.

``groups={"plan": ["plan_a", "plan_b"]}`` permutes the columns of a group together (the
same row shuffle), as one feature: the way to score a one-hot block.

>>> import numpy as np
>>> from sklearn.linear_model import LinearRegression
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(300, 3))
>>> y = 3 * X[:, 0] + X[:, 1] + rng.normal(scale=0.1, size=300)
>>> r = permutation_importance(LinearRegression().fit(X, y), X, y, n_repeats=5)
>>> r.ranking(), r.options["scoring"], r.feature("x2").ci_low < 0 < r.feature("x2").ci_high
(['x0', 'x1', 'x2'], 'r2', True)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.utils import check_random_state

from ..exceptions import DataError, ModelError, ParameterError
from ..metrics import METRICS, MetricSpec
from ..models import ModelAdapter
from ._inputs import check_int, check_target, feature_frame, wrap_model
from .importance import FeatureImportance, ImportanceResult, rank_features

__all__ = ["permutation_importance", "resolve_scoring"]

#: largest batch (rows x columns) scored in one predict call: 20 million cells is ~160 MB of
#: float64, well within a laptop; larger problems are split into several calls per repeat
_CELL_BUDGET = 20_000_000
_FEW_ROWS = 30


def resolve_scoring(scoring: str | None, model: ModelAdapter) -> MetricSpec:
    """The metric to score with: ``scoring`` (a name in ``stalwart.metrics.METRICS``) or the
    default: ``roc_auc`` for a classifier with probabilities (threshold-free, so it moves
    when a feature's signal is lost even if the predicted labels barely change), ``accuracy``
    for one without, ``r2`` for a regressor."""
    if scoring is None:
        if model.task == "regression":
            scoring = "r2"
        else:
            scoring = "roc_auc" if model.can("predict_proba") else "accuracy"
    if not isinstance(scoring, str):
        raise ParameterError("scoring", expected="a metric name or None",
                             got=repr(scoring), fix="pass scoring='accuracy', 'r2', ...")
    spec = METRICS.get(scoring)
    if spec.task != model.task:
        raise ParameterError(f"scoring {scoring!r}", expected=f"a {model.task} metric",
                             got=f"a {spec.task} metric",
                             fix=f"choose among {[n for n, s in METRICS if s.task == model.task]}")
    if spec.needs_proba and not model.can("predict_proba"):
        raise ModelError(f"scoring {scoring!r}", expected="a model with predict_proba",
                         got=f"{model.name} without probabilities",
                         fix="use scoring='accuracy' or a model with predict_proba")
    n_classes = None if model.classes_ is None else len(model.classes_)
    if spec.binary_only and n_classes != 2:
        raise ParameterError(f"scoring {scoring!r}", expected="a two-class model",
                             got=f"{n_classes} classes", fix="use the _macro variant")
    return spec


def permutation_importance(model: Any, X: Any, y: Any, *, scoring: str | None = None,
                           n_repeats: int = 10, random_state: int | None = 0,
                           confidence: float = 0.95, max_rows: int | None = None,
                           groups: Mapping[str, Any] | None = None,
                           n_jobs: int | None = None) -> ImportanceResult:
    """Permutation importance of every feature (or group) of ``X`` for ``model``.

    ``max_rows`` scores a seeded sample of that many rows (shared by every feature);
    ``n_jobs`` runs repeats in threads (joblib), useful when the model releases the GIL.
    """
    adapter = wrap_model(model)
    frame = feature_frame(X, adapter)
    target = check_target(y, len(frame), adapter)
    n_repeats = check_int(n_repeats, "n_repeats", low=2,
                          fix="pass n_repeats=10 (an interval needs at least two repeats)")
    max_rows = check_int(max_rows, "max_rows", low=2, allow_none=True, fix="pass max_rows=10000")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) \
            or not 0 < confidence < 1:
        raise ParameterError("confidence", expected="a number in (0, 1)",
                             got=repr(confidence), fix="pass confidence=0.95")
    if n_jobs is not None and (isinstance(n_jobs, bool)
                               or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0):
        raise ParameterError("n_jobs", expected="None, a positive number of threads or -1 "
                             "(all cores)", got=repr(n_jobs), fix="pass n_jobs=None")
    spec = resolve_scoring(scoring, adapter)
    units = _units(list(frame.columns), groups)
    n_total = len(frame)
    if max_rows is not None and n_total > max_rows:
        rows = np.sort(np.random.default_rng(random_state).choice(n_total, max_rows,
                                                                  replace=False))
        frame, target = frame.iloc[rows].reset_index(drop=True), target[rows]
    n = len(frame)
    if spec.name == "r2" and np.ptp(target) == 0:  # scikit-learn scores it 0 by convention
        raise DataError("metric 'r2'", expected="a target that varies over the rows scored",
                        got=f"the constant {target[0]!r}",
                        fix="pass more varied rows, or scoring='rmse' or 'mae'")
    score = _scorer(spec, adapter, target)
    baseline = score(_outputs(adapter, spec, frame))
    perms = _permutations(n, n_repeats, random_state)
    per_call = max(1, _CELL_BUDGET // max(1, n * frame.shape[1]))
    chunks = [list(range(i, min(i + per_call, len(units))))
              for i in range(0, len(units), per_call)]
    scores = np.empty((len(units), n_repeats))

    def one_repeat(r: int) -> None:
        for chunk in chunks:
            batch = _permuted(frame, [units[u][1] for u in chunk], perms[r])
            out = _outputs(adapter, spec, batch)
            for k, u in enumerate(chunk):
                scores[u, r] = score(out[k * n:(k + 1) * n])

    if n_jobs in (None, 1):
        for r in range(n_repeats):
            one_repeat(r)
    else:
        from joblib import Parallel, delayed

        Parallel(n_jobs=n_jobs, prefer="threads")(delayed(one_repeat)(r)
                                                  for r in range(n_repeats))
    drops = baseline - scores if spec.greater_is_better else scores - baseline
    named = [(name, [str(frame.columns[j]) for j in cols]) for name, cols in units]
    return _result(drops, named, adapter, spec, baseline, confidence, n_total, n,
                   n_repeats * len(chunks) + 1, random_state, max_rows, groups)


def _units(columns: list[str], groups: Mapping[str, Any] | None) -> list[tuple[str, list[int]]]:
    """(name, column positions) per permuted unit: groups at their first column, in order."""
    if groups is None:
        return [(str(c), [i]) for i, c in enumerate(columns)]
    if not isinstance(groups, Mapping):
        raise ParameterError("groups", expected="a mapping {name: [columns]}",
                             got=type(groups).__name__, fix='pass groups={"plan": ["a", "b"]}')
    owner: dict[str, str] = {}
    for name, cols in groups.items():
        cols = [cols] if isinstance(cols, str) else list(cols)
        if not cols:
            raise ParameterError(f"group {name!r}", expected="at least one column", got="none",
                                 fix="list the group's columns or drop the group")
        for c in cols:
            if c not in columns:
                raise DataError(f"group {name!r}", expected=f"columns of X {columns[:10]}",
                                got=repr(c), fix="name existing columns")
            if c in owner:
                raise ParameterError(f"column {c!r}", expected="in at most one group",
                                     got=f"in {owner[c]!r} and {name!r}",
                                     fix="put each column in one group")
            owner[c] = str(name)
    clash = [g for g in groups if g in columns and owner.get(g) != g]
    if clash:
        raise ParameterError("group names", expected="names that are not other columns",
                             got=repr(clash), fix="rename the groups")
    units: dict[str, list[int]] = {}
    for i, c in enumerate(columns):
        units.setdefault(owner.get(c, str(c)), []).append(i)
    return list(units.items())


def _permutations(n: int, n_repeats: int, random_state: Any) -> list[np.ndarray]:
    """scikit-learn's permutation stream (``permutation_importance``, version >= 1.5): one
    seed drawn from ``random_state``; each repeat shuffles an index array in place and
    applies it to the already shuffled column, so repeat ``r`` is a composition."""
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max + 1)
    rs = np.random.RandomState(seed)
    shuffling = np.arange(n)
    current = np.arange(n)
    out = []
    for _ in range(n_repeats):
        rs.shuffle(shuffling)
        current = current[shuffling]
        out.append(current)
    return out


def _permuted(frame: pd.DataFrame, units: list[list[int]], perm: np.ndarray) -> pd.DataFrame:
    """One block of ``len(frame)`` rows per unit, the unit's columns permuted by ``perm``."""
    n = len(frame)
    plain = np.tile(np.arange(n), len(units))
    where = {j: k for k, cols in enumerate(units) for j in cols}
    columns = {}
    for j, name in enumerate(frame.columns):
        idx = plain
        if j in where:
            idx = plain.copy()
            k = where[j]
            idx[k * n:(k + 1) * n] = perm
        columns[name] = frame.iloc[idx, j].reset_index(drop=True)
    return pd.DataFrame(columns)


def _outputs(adapter: ModelAdapter, spec: MetricSpec, frame: pd.DataFrame) -> np.ndarray:
    if spec.needs_proba:
        return np.asarray(adapter.predict_proba(frame), dtype=float)
    return np.asarray(adapter.predict(frame))


def _scorer(spec: MetricSpec, adapter: ModelAdapter, y: np.ndarray) -> Any:
    classes = adapter.classes_

    def score(out: np.ndarray) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # scikit-learn's "undefined" warnings
            try:
                value = spec(y, None, out, classes) if spec.needs_proba \
                    else spec(y, out, None, classes)
            except (ValueError, UserWarning) as err:
                raise DataError(f"metric {spec.name!r}", expected="rows on which it is defined",
                                got=str(err).split("\n")[0],
                                fix="pass more varied rows or another scoring") from None
        if not np.isfinite(value):
            raise DataError(f"metric {spec.name!r}", expected="a finite score",
                            got=repr(value), fix="pass more varied rows or another scoring")
        return value

    return score


def _result(drops: np.ndarray, units: list[tuple[str, list[str]]], adapter: ModelAdapter,
            spec: MetricSpec, baseline: float, confidence: float, n_total: int, n_used: int,
            n_calls: int, random_state: Any, max_rows: int | None,
            groups: Mapping[str, Any] | None) -> ImportanceResult:
    names = [u[0] for u in units]
    n_repeats = drops.shape[1]
    mean = drops.mean(axis=1)
    std = drops.std(axis=1, ddof=1)
    half = stats.t.ppf((1 + confidence) / 2, n_repeats - 1) * std / np.sqrt(n_repeats)
    ranks = rank_features(mean, names)
    cols = {u[0]: tuple(str(c) for c in u[1]) for u in units}
    feats = []
    for i, name in enumerate(names):
        feats.append(FeatureImportance(name, float(mean[i]), ranks[i], cols[name],
                                       float(std[i]), float(mean[i] - half[i]),
                                       float(mean[i] + half[i]),
                                       tuple(float(v) for v in drops[i])))
    feats.sort(key=lambda f: f.rank)
    notes = []
    if n_used < _FEW_ROWS:
        notes.append(f"only {n_used} rows: importances rest on very few rows")
    if np.all(np.abs(mean) < 1e-12):
        notes.append("no feature changes the score when permuted (a constant model?)")
    return ImportanceResult(
        "permutation", tuple(feats), model=adapter.describe(),
        options={"scoring": spec.name, "greater_is_better": spec.greater_is_better,
                 "n_repeats": n_repeats, "confidence": confidence, "max_rows": max_rows,
                 "random_state": random_state,
                 "groups": None if groups is None else {str(k): list(v) if not isinstance(
                     v, str) else [v] for k, v in groups.items()}},
        details={"baseline_score": baseline, "n_rows": n_total, "n_rows_used": n_used,
                 "n_predict_calls": n_calls,
                 "interval": f"Student t over the {n_repeats} permutations "
                             f"({n_repeats - 1} degrees of freedom); covers permutation "
                             "noise on these rows, not row sampling or model training"},
        warnings=tuple(notes))
