"""Backward-compatibility metrics of a model update: flips, churn and backward trust.

For an old model h1, a new model h2 and labels y over n rows (Bansal et al. 2019, "Updates in
Human-AI Teams"; Srivastava et al. 2020, "An Empirical Analysis of Backward Compatibility in
Machine Learning Systems"; Yan et al. 2021, "Positive-Congruent Training"):

- accuracy change = acc(h2) - acc(h1); churn = share of rows where h1 and h2 disagree;
- negative flip rate (NFR) = share of rows h1 got right and h2 gets wrong; positive flip rate
  (PFR) the reverse, so accuracy change = PFR - NFR;
- backward trust compatibility BTC = #(both right) / #(h1 right), so NFR = acc(h1) * (1 - BTC);
- backward error compatibility BEC = #(both wrong) / #(h2 wrong): how many of the new model's
  mistakes users already knew from the old one.

Every metric is a function of how many rows fall in each of eight cells (old right?, new
right?, outputs changed?), so :func:`cell_counts` is all a bootstrap needs to resample.

Regression is supported through an explicit ``tolerance``: a prediction is right when its
absolute error is at most ``tolerance``, and two outputs differ when they are more than
``tolerance`` apart. The flip matrices are classification only.

>>> m = compatibility_metrics(["tim", "tim", "jim", "kim"], ["tim", "tim", "kim", "jim"],
...                           ["tim", "jim", "jim", "jim"])
>>> m.accuracy_change, m.negative_flip_rate, m.positive_flip_rate, m.churn
(0.0, 0.25, 0.25, 0.5)
>>> m.backward_trust_compatibility, m.backward_error_compatibility
(0.5, 0.5)
>>> negative_flip_matrix(["tim", "tim", "jim", "kim"], ["tim", "tim", "kim", "jim"],
...                      ["tim", "jim", "jim", "jim"]).count("tim", "jim")
1
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._json import FieldsJSON, jsonable
from ..exceptions import DataError, ParameterError

__all__ = ["CompatibilityMetrics", "FlipMatrix", "FlipOutcomes", "ShadowAgreement", "TASKS",
           "cell_counts", "compatibility_metrics", "flip_matrix", "flip_outcomes",
           "label_set", "metrics_from_cells", "negative_flip_matrix", "prediction_columns",
           "shadow_agreement"]

TASKS = ("classification", "regression")

#: metric names, in the order results list them
METRIC_NAMES = ("old_accuracy", "new_accuracy", "accuracy_change", "churn",
                "negative_flip_rate", "positive_flip_rate", "backward_trust_compatibility",
                "backward_error_compatibility")


@dataclass(frozen=True)
class FlipOutcomes:
    """Per row: was the old model right, is the new one right, did the output change."""

    old_correct: np.ndarray
    new_correct: np.ndarray
    changed: np.ndarray

    def __len__(self) -> int:
        return int(self.old_correct.size)


@dataclass(frozen=True)
class CompatibilityMetrics(FieldsJSON):
    """The update's metrics on ``n_rows`` rows, with the cell counts they come from.

    A ratio whose denominator is zero (BTC when the old model is never right, BEC when the
    new one is never wrong) is NaN, shown as ``null`` in JSON.
    """

    n_rows: int
    old_accuracy: float
    new_accuracy: float
    accuracy_change: float
    churn: float
    negative_flip_rate: float
    positive_flip_rate: float
    backward_trust_compatibility: float
    backward_error_compatibility: float
    n_both_correct: int
    n_negative_flips: int
    n_positive_flips: int
    n_both_wrong: int
    n_changed: int

    @classmethod
    def from_cells(cls, cells: np.ndarray) -> CompatibilityMetrics:
        values = metrics_from_cells(np.asarray(cells, dtype=np.int64))
        c = np.asarray(cells, dtype=np.int64)
        return cls(n_rows=int(c.sum()), **{k: float(values[k]) for k in METRIC_NAMES},
                   n_both_correct=int(c[6] + c[7]), n_negative_flips=int(c[4] + c[5]),
                   n_positive_flips=int(c[2] + c[3]), n_both_wrong=int(c[0] + c[1]),
                   n_changed=int(c[1::2].sum()))


@dataclass(frozen=True)
class FlipMatrix:
    """Counts of (old prediction, new prediction) pairs, indexed by label.

    ``counts[i][j]`` is how many of the counted rows the old model labelled ``labels[i]`` and
    the new one ``labels[j]``; ``rows`` says which rows were counted.
    """

    labels: tuple[Any, ...]
    counts: tuple[tuple[int, ...], ...]
    rows: str

    @property
    def total(self) -> int:
        return int(sum(sum(r) for r in self.counts))

    def count(self, old: Any, new: Any) -> int:
        """How many counted rows went from ``old`` to ``new``."""
        index = {label: i for i, label in enumerate(self.labels)}
        for label in (old, new):
            if label not in index:
                raise ParameterError("flip matrix label", expected=f"one of {list(self.labels)}",
                                     got=repr(label), fix="ask for a label the matrix has")
        return int(self.counts[index[old]][index[new]])

    def pairs(self) -> list[tuple[Any, Any, int]]:
        """The non-zero (old, new, count) cells, most frequent first."""
        out = [(self.labels[i], self.labels[j], n) for i, row in enumerate(self.counts)
               for j, n in enumerate(row) if n]
        return sorted(out, key=lambda p: -p[2])

    def to_dict(self) -> dict[str, Any]:
        return {"labels": jsonable(list(self.labels)), "counts": [list(r) for r in self.counts],
                "rows": self.rows, "total": self.total,
                "pairs": [{"old": jsonable(o), "new": jsonable(n), "count": c}
                          for o, n, c in self.pairs()]}


@dataclass(frozen=True)
class ShadowAgreement(FieldsJSON):
    """Two versions on the same unlabelled rows (shadow mode): how often they disagree."""

    n_rows: int
    churn: float
    n_changed: int
    flips: FlipMatrix | None


# -- validation ------------------------------------------------------------------------------
def _column(values: Any, what: str) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.dtype.kind not in "biufUS":  # lists of text, categoricals, mixed: compare as objects
        arr = arr.astype(object)
    if arr.ndim != 1:
        raise DataError(what, expected="one value per row (a 1-D array)",
                        got=f"an array of shape {arr.shape}", fix="pass a single column")
    if arr.size == 0:
        raise DataError(what, expected="at least one row", got="no rows",
                        fix="compare the versions on a non-empty data set")
    missing = pd.isna(arr)
    if missing.any():
        raise DataError(what, expected="a value on every row",
                        got=f"{int(missing.sum())} missing value(s), e.g. at row "
                            f"{int(np.flatnonzero(missing)[0])}",
                        fix="drop the rows without a label or a prediction first")
    return arr


def _same_length(**columns: np.ndarray) -> None:
    sizes = {name: arr.size for name, arr in columns.items()}
    if len(set(sizes.values())) > 1:
        raise DataError("compared columns", expected="the same number of rows in each",
                        got=", ".join(f"{k}: {v}" for k, v in sizes.items()),
                        fix="pass labels and both versions' predictions for the same rows")


def _comparable(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The arrays as they are when all are numbers (or all text), else as Python objects:
    numpy compares text with numbers as 'never equal' only with a warning."""
    kinds = {"n" if a.dtype.kind in "biuf" else a.dtype.kind for a in arrays}
    if len(kinds) == 1 and kinds <= {"n", "U", "S"}:
        return arrays
    return tuple(a.astype(object) for a in arrays)


def _sorted(values: Any) -> tuple[Any, ...]:
    unique = pd.unique(np.asarray(list(values), dtype=object))
    try:
        return tuple(sorted(unique))
    except TypeError:  # mixed types: a stable order by text
        return tuple(sorted(unique, key=lambda v: (type(v).__name__, str(v))))


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def label_set(y_true: Any, old: Any, new: Any, *, classes: Sequence[Any] | None = None
              ) -> tuple[Any, ...]:
    """The classes of the comparison; a prediction or label outside them is a DataError.

    Without ``classes`` the known classes are the labels' values: a version predicting a
    class the labels never show was trained on another label set.
    """
    y, h1, h2 = prediction_columns(y_true, old, new)
    known = _sorted(_plain(v) for v in (classes if classes is not None else pd.unique(y)))
    source = "the classes given" if classes is not None else "the labels"
    sides = [("labels", y), ("old version", h1), ("new version", h2)]
    if classes is None:
        sides = sides[1:]
    allowed = set(known)
    for name, arr in sides:
        extra = [v for v in _sorted(_plain(v) for v in pd.unique(arr)) if v not in allowed]
        if extra:
            raise DataError(f"label sets of the {name}",
                            expected=f"classes among {source} {list(known)[:20]}",
                            got=f"the {name} uses classes {extra[:20]} that {source} do not",
                            fix="compare versions trained on the same label set, or pass "
                                "classes=[...] listing every class; for a regression model "
                                "pass task='regression' with a tolerance")
    return tuple(_plain(v) for v in known)


def prediction_columns(y_true: Any, old: Any, new: Any) -> tuple[np.ndarray, ...]:
    """Labels and both versions' predictions as 1-D arrays of one length, no missing value,
    in types that compare elementwise (numbers with numbers, else Python objects)."""
    y, h1, h2 = _comparable(_column(y_true, "labels"), _column(old, "old predictions"),
                            _column(new, "new predictions"))
    _same_length(labels=y, old=h1, new=h2)
    return y, h1, h2


def _check_task(task: str, tolerance: float | None) -> None:
    if task not in TASKS:
        raise ParameterError("task", expected=f"one of {list(TASKS)}", got=repr(task),
                             fix="pass task='classification' or task='regression'")
    if task == "regression":
        if (tolerance is None or isinstance(tolerance, bool)
                or not isinstance(tolerance, (int, float, np.number))
                or not math.isfinite(tolerance) or tolerance < 0):
            raise ParameterError("tolerance", expected="a finite number >= 0 for regression "
                                 "(the largest absolute error still counted as right)",
                                 got=repr(tolerance), fix="pass for example tolerance=0.5")
    elif tolerance is not None:
        raise ParameterError("tolerance", expected="None for classification",
                             got=repr(tolerance),
                             fix="drop tolerance, or pass task='regression'")


def _numeric(values: np.ndarray, what: str) -> np.ndarray:
    try:
        out = values.astype(float)
    except (TypeError, ValueError):
        raise DataError(what, expected="numbers (task='regression')",
                        got=f"values such as {values[:3].tolist()}",
                        fix="pass numeric targets and predictions, or task='classification'"
                        ) from None
    if not np.isfinite(out).all():
        raise DataError(what, expected="finite numbers", got="infinite values",
                        fix="drop the rows with infinite values")
    return out


# -- computation ----------------------------------------------------------------------------
def flip_outcomes(y_true: Any, old: Any, new: Any, *, task: str = "classification",
                  tolerance: float | None = None, classes: Sequence[Any] | None = None
                  ) -> FlipOutcomes:
    """Validate the inputs and say, per row, who is right and whether the output changed."""
    _check_task(task, tolerance)
    if task == "classification":
        label_set(y_true, old, new, classes=classes)
        y, h1, h2 = prediction_columns(y_true, old, new)
        return FlipOutcomes(np.asarray(h1 == y, dtype=bool), np.asarray(h2 == y, dtype=bool),
                            np.asarray(h1 != h2, dtype=bool))
    y, h1, h2 = (_numeric(_column(v, w), w) for v, w in (
        (y_true, "labels"), (old, "old predictions"), (new, "new predictions")))
    _same_length(labels=y, old=h1, new=h2)
    return FlipOutcomes(np.abs(h1 - y) <= tolerance, np.abs(h2 - y) <= tolerance,
                        np.abs(h1 - h2) > tolerance)


def cell_counts(outcomes: FlipOutcomes, mask: np.ndarray | None = None) -> np.ndarray:
    """Rows per cell ``4 * old_correct + 2 * new_correct + changed`` (8 cells)."""
    code = (outcomes.old_correct.astype(np.int64) * 4 + outcomes.new_correct * 2
            + outcomes.changed)
    if mask is not None:
        code = code[mask]
    return np.bincount(code, minlength=8)


def metrics_from_cells(cells: np.ndarray) -> dict[str, np.ndarray]:
    """Every metric from cell counts; ``cells`` has shape (..., 8), so bootstrap replicates
    (one row of counts each) are computed at once. Undefined ratios are NaN."""
    c = np.asarray(cells, dtype=float)
    n = c.sum(axis=-1)
    both_right = c[..., 6] + c[..., 7]
    negative = c[..., 4] + c[..., 5]
    positive = c[..., 2] + c[..., 3]
    both_wrong = c[..., 0] + c[..., 1]
    changed = c[..., 1::2].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "old_accuracy": (both_right + negative) / n,
            "new_accuracy": (both_right + positive) / n,
            # PFR - NFR, computed as such so the identity holds to the last bit
            "accuracy_change": positive / n - negative / n,
            "churn": changed / n,
            "negative_flip_rate": negative / n,
            "positive_flip_rate": positive / n,
            "backward_trust_compatibility": both_right / (both_right + negative),
            "backward_error_compatibility": both_wrong / (both_wrong + negative),
        }


def compatibility_metrics(y_true: Any, old: Any, new: Any, *, task: str = "classification",
                          tolerance: float | None = None,
                          classes: Sequence[Any] | None = None) -> CompatibilityMetrics:
    """The compatibility metrics of replacing ``old`` predictions by ``new`` ones."""
    outcomes = flip_outcomes(y_true, old, new, task=task, tolerance=tolerance, classes=classes)
    return CompatibilityMetrics.from_cells(cell_counts(outcomes))


def _matrix(old: np.ndarray, new: np.ndarray, labels: tuple[Any, ...], rows: str) -> FlipMatrix:
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    if old.size:
        np.add.at(counts, ([index[_plain(v)] for v in old], [index[_plain(v)] for v in new]), 1)
    return FlipMatrix(labels, tuple(tuple(int(v) for v in r) for r in counts), rows)


def flip_matrix(old: Any, new: Any, *, classes: Sequence[Any] | None = None) -> FlipMatrix:
    """(old prediction, new prediction) counts over the rows whose prediction changed.

    Without labels (shadow mode) the classes are those either version predicts.
    """
    h1, h2 = _comparable(_column(old, "old predictions"), _column(new, "new predictions"))
    _same_length(old=h1, new=h2)
    labels = _labels_for(h1, h2, classes)
    changed = h1 != h2
    return _matrix(h1[changed], h2[changed], labels, "rows whose prediction changed")


def negative_flip_matrix(y_true: Any, old: Any, new: Any, *,
                         classes: Sequence[Any] | None = None) -> FlipMatrix:
    """(old prediction, new prediction) counts over the negative flips: rows the old model
    had right and the new one gets wrong (old said "Tim" correctly, new says "Jim")."""
    labels = label_set(y_true, old, new, classes=classes)
    y, h1, h2 = prediction_columns(y_true, old, new)
    flips = (h1 == y) & (h2 != y)
    return _matrix(h1[flips], h2[flips], labels,
                   "negative flips: the old version right, the new one wrong")


def _labels_for(h1: np.ndarray, h2: np.ndarray, classes: Sequence[Any] | None) -> tuple[Any, ...]:
    seen = _sorted(_plain(v) for v in np.concatenate([pd.unique(h1), pd.unique(h2)]))
    if classes is None:
        return seen
    known = _sorted(_plain(v) for v in classes)
    extra = [v for v in seen if v not in set(known)]
    if extra:
        raise DataError("label sets of the two versions",
                        expected=f"classes among {list(known)[:20]}",
                        got=f"predictions of classes {extra[:20]}",
                        fix="pass classes=[...] listing every class either version predicts")
    return known


def shadow_agreement(old: Any, new: Any, *, task: str = "classification",
                     tolerance: float | None = None,
                     classes: Sequence[Any] | None = None) -> ShadowAgreement:
    """Churn (and for classification the flip matrix) of two versions' outputs on the same
    rows, without labels: what shadow mode can say before the labels arrive.

    >>> a = shadow_agreement([0, 1, 1, 2], [0, 1, 2, 2])
    >>> a.churn, a.flips.count(1, 2)
    (0.25, 1)
    """
    _check_task(task, tolerance)
    h1, h2 = _column(old, "old predictions"), _column(new, "new predictions")
    _same_length(old=h1, new=h2)
    if task == "regression":
        a, b = _numeric(h1, "old predictions"), _numeric(h2, "new predictions")
        changed = int((np.abs(a - b) > tolerance).sum())
        return ShadowAgreement(int(h1.size), changed / h1.size, changed, None)
    matrix = flip_matrix(h1, h2, classes=classes)
    return ShadowAgreement(int(h1.size), matrix.total / h1.size, matrix.total, matrix)
