"""Validation that mirrors production: holdout or cross-validation with an explicit splitter.

``strategy`` picks the split, never a guess: ``"kfold"`` (shuffled ``KFold``),
``"stratified"`` (shuffled ``StratifiedKFold``), ``"group"`` (``GroupKFold``: no group in
both train and test), ``"stratified_group"`` (``StratifiedGroupKFold``), ``"time"``
(``TimeSeriesSplit`` with ``gap`` rows left out between train and test; rows must be in time
order) or ``"holdout"`` (one shuffled split of ``test_size``, stratified for classification).
A fresh ``sklearn.base.clone`` of the estimator is fitted on every fold.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(120, 2)); y = (X[:, 0] > 0).astype(int)
>>> res = validate(LogisticRegression(), X, y, strategy="stratified", n_splits=3,
...                metrics=["accuracy"])
>>> len(res.folds), res.summary["accuracy"]["min"] > 0.8
(3, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn import model_selection as ms
from sklearn.base import clone

from .._json import jsonable
from ..exceptions import DataError, ParameterError, SchemaError
from ._prepared import infer_task, prepare
from .bootstrap import _safe
from .registry import resolve_metrics

__all__ = ["STRATEGIES", "ValidationResult", "make_splitter", "validate"]

STRATEGIES = ("holdout", "kfold", "stratified", "group", "stratified_group", "time")
_STRATIFIED = {"stratified", "stratified_group"}
_GROUPED = {"group", "stratified_group"}


@dataclass(frozen=True)
class ValidationResult:
    """Per-fold metric values and their spread (mean, sample std, min, max) across folds."""

    strategy: str
    splitter: str
    task: str
    folds: list[dict[str, Any]]
    summary: dict[str, dict[str, float]]
    schema_version: int = field(default=1)

    def to_dict(self) -> dict[str, Any]:
        chart = {"per_fold": {m: [f["metrics"][m] for f in self.folds] for m in self.summary}}
        return jsonable({"schema_version": self.schema_version, "strategy": self.strategy,
                         "splitter": self.splitter, "task": self.task, "folds": self.folds,
                         "summary": self.summary, "chart": chart})


def make_splitter(strategy: str, *, n_splits: int = 5, gap: int = 0, test_size: float = 0.25,
                  task: str = "classification", random_state: Any = 0) -> Any:
    """The scikit-learn splitter that ``strategy`` names, configured."""
    if strategy not in STRATEGIES:
        raise ParameterError("strategy", expected=f"one of {list(STRATEGIES)}",
                             got=repr(strategy), fix="choose the split that mirrors production")
    if not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ParameterError("n_splits", expected="an integer >= 2", got=repr(n_splits),
                             fix="pass for example n_splits=5")
    if not isinstance(gap, (int, np.integer)) or gap < 0 or (gap and strategy != "time"):
        raise ParameterError("gap", expected="an integer >= 0, used by strategy='time' only",
                             got=f"{gap!r} with strategy={strategy!r}",
                             fix="drop gap or use strategy='time'")
    if strategy == "holdout":
        if not 0.0 < test_size < 1.0:
            raise ParameterError("test_size", expected="a fraction in (0, 1)",
                                 got=repr(test_size), fix="pass for example test_size=0.25")
        cls = ms.StratifiedShuffleSplit if task == "classification" else ms.ShuffleSplit
        return cls(n_splits=1, test_size=test_size, random_state=random_state)
    return {
        "kfold": lambda: ms.KFold(n_splits, shuffle=True, random_state=random_state),
        "stratified": lambda: ms.StratifiedKFold(n_splits, shuffle=True,
                                                 random_state=random_state),
        "group": lambda: ms.GroupKFold(n_splits),
        "stratified_group": lambda: ms.StratifiedGroupKFold(n_splits, shuffle=True,
                                                            random_state=random_state),
        "time": lambda: ms.TimeSeriesSplit(n_splits, gap=int(gap)),
    }[strategy]()


def validate(estimator: Any, X: Any, y: Any, *, strategy: str, n_splits: int = 5,
             groups: Any = None, time: Any = None, gap: int = 0, test_size: float = 0.25,
             task: str | None = None, metrics: Any = None,
             random_state: Any = 0) -> ValidationResult:
    """Fit a clone of ``estimator`` per fold and score each test fold.

    ``groups`` (one label per row) is required by the grouped strategies. ``time`` is
    required by ``"time"``: the timestamps (one per row) or the name of a column of ``X``,
    which is then used for ordering only and removed from the features. Rows must already
    be sorted by time, so that every test fold comes after its training rows.
    """
    from ..models import wrap

    y = np.asarray(y)
    n = len(y)
    if len(X) != n:
        raise DataError("X and y", expected="the same number of rows",
                        got=f"{len(X)} and {n}", fix="pass one target per row")
    task = infer_task(y, None) if task is None else task
    splitter = make_splitter(strategy, n_splits=n_splits, gap=gap, test_size=test_size,
                             task=task, random_state=random_state)
    X, groups = _check_split_inputs(strategy, X, y, n_splits=n_splits, groups=groups,
                                    time=time, gap=gap, task=task)
    classes = np.unique(y) if task == "classification" else None
    folds: list[dict[str, Any]] = []
    names: list[str] = []
    for k, (train, test) in enumerate(splitter.split(X, y, groups)):
        fitted = clone(estimator).fit(_rows(X, train), y[train])
        model = wrap(fitted, task=task)
        X_test = _rows(X, test)
        proba = model.predict_proba(X_test) if (task == "classification"
                                                and model.can("predict_proba")) else None
        data = prepare(y[test], y_pred=model.predict(X_test), proba=proba,
                       classes=model.classes_ if task == "classification" else None, task=task)
        specs = resolve_metrics(metrics, task=task,
                                n_classes=None if classes is None else classes.size,
                                has_pred=True, has_proba=proba is not None)
        names = [s.name for s in specs]
        values = {s.name: float(_safe(lambda s=s: data.value(s))) for s in specs}
        folds.append({"fold": k, "n_train": int(train.size), "n_test": int(test.size),
                      "metrics": values})
    summary = {}
    for m in names:
        v = np.array([f["metrics"][m] for f in folds])
        ok = v[np.isfinite(v)]
        summary[m] = {"mean": float(ok.mean()) if ok.size else np.nan,
                      "std": float(ok.std(ddof=1)) if ok.size > 1 else np.nan,
                      "min": float(ok.min()) if ok.size else np.nan,
                      "max": float(ok.max()) if ok.size else np.nan,
                      "n_undefined": int(v.size - ok.size)}
    return ValidationResult(strategy, repr(splitter), task, folds, summary)


def _rows(X: Any, idx: np.ndarray) -> Any:
    return X.iloc[idx] if isinstance(X, (pd.DataFrame, pd.Series)) else np.asarray(X)[idx]


def _check_split_inputs(strategy: str, X: Any, y: np.ndarray, *, n_splits: int, groups: Any,
                        time: Any, gap: int, task: str) -> tuple[Any, Any]:
    n = len(y)
    folds_needed = 2 if strategy == "holdout" else n_splits
    if n < folds_needed + (strategy == "time"):
        raise DataError("rows", expected=f"more rows than folds ({n_splits})", got=f"{n} rows",
                        fix="use fewer folds or more data")
    if strategy in _GROUPED:
        if groups is None:
            raise DataError("groups", expected=f"one group label per row for {strategy!r}",
                            got="None", fix="pass groups= (for example the customer id)")
        groups = np.asarray(groups)
        if groups.shape != (n,):
            raise DataError("groups", expected=f"{n} group labels", got=f"shape {groups.shape}",
                            fix="pass one group label per row")
        if np.unique(groups).size < n_splits:
            raise DataError("groups", expected=f"at least n_splits={n_splits} distinct groups",
                            got=f"{np.unique(groups).size}", fix="use fewer folds")
    elif groups is not None:
        raise ParameterError("groups", expected=f"no groups for strategy={strategy!r}",
                             got="groups", fix="use strategy='group' to keep groups apart")
    if strategy in _STRATIFIED or (strategy == "holdout" and task == "classification"):
        labels, counts = np.unique(y, return_counts=True)
        need = n_splits if strategy in _STRATIFIED else 2
        if counts.min() < need:
            rare = labels[counts < need][:5].tolist()
            raise DataError("class sizes", expected=f"at least {need} rows of every class",
                            got=f"classes {rare} with {counts.min()} row(s)",
                            fix="use fewer folds, merge rare classes or use strategy='kfold'")
    if strategy == "time":
        X = _check_time(X, time, n)
        fold = n // (n_splits + 1)
        if n - gap - fold * n_splits <= 0:
            raise DataError("rows", expected=f"enough rows for {n_splits} time folds and a "
                            f"gap of {gap}", got=f"{n} rows",
                            fix="use fewer folds, a smaller gap or more data")
    elif time is not None:
        raise ParameterError("time", expected=f"no time for strategy={strategy!r}",
                             got=repr(time) if isinstance(time, str) else "timestamps",
                             fix="use strategy='time' to split by time")
    return X, groups


def _check_time(X: Any, time: Any, n: int) -> Any:
    if time is None:
        raise DataError("time", expected="timestamps or a time column for strategy='time'",
                        got="None", fix="pass time= with a column name or one value per row")
    if isinstance(time, str):
        if not isinstance(X, pd.DataFrame) or time not in X.columns:
            raise SchemaError("time column", expected="a column of X", got=repr(time),
                              fix="pass the name of X's timestamp column")
        values = X[time]
        X = X.drop(columns=[time])
    else:
        values = pd.Series(np.asarray(time))
    if len(values) != n or values.isna().any():
        raise DataError("time", expected=f"{n} timestamps without missing values",
                        got=f"{len(values)} values, {int(values.isna().sum())} missing",
                        fix="pass one timestamp per row")
    if not values.is_monotonic_increasing:
        raise DataError("time order", expected="rows sorted by time",
                        got="timestamps out of order",
                        fix="sort the rows by time first (for example X.sort_values(time))")
    return X
