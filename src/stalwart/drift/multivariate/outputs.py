"""Prediction drift and label drift: the model's outputs and the labels, reference vs current.

Both reuse the univariate engine (:func:`stalwart.drift.univariate.detect_drift`): its
automatic test choice, effect-size gate and multiple-testing correction apply unchanged, and
its full report is kept in ``details["report"]``.

- :func:`prediction_drift`: a 1-D array of predictions (class labels or regression values)
  is one column; a 2-D array of class probabilities is one column per class, corrected
  with Bonferroni by default (for two probability columns only the second is tested, the
  first being its complement).
- :func:`label_drift`: a 1-D array of labels. ``task="auto"`` treats strings, booleans and
  integers with at most ``max_classes`` distinct values as classes (a test of the class
  shares: label shift), anything else as a regression target (a test of the distribution).

The result's ``drifted`` is the univariate verdict (adjusted p-value below ``alpha`` and
the effect size at its threshold) for any tested column; ``statistic`` and ``p_value`` are
those of the column with the smallest adjusted p-value; ``feature_contributions`` ranks the
columns by effect size.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ref = rng.choice(["cat", "dog"], 1000, p=[0.5, 0.5])
>>> r = label_drift(ref, rng.choice(["cat", "dog"], 1000, p=[0.8, 0.2]))
>>> r.drifted, r.details["task"], r.details["report"]["methods"]
(True, 'classification', {'label': 'chi_square'})
>>> prediction_drift(rng.normal(size=500), rng.normal(size=500)).drifted
False
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError, ParameterError
from ..univariate import detect_drift
from .result import MultivariateDriftResult

__all__ = ["label_drift", "prediction_drift"]

_TASKS = ("auto", "classification", "regression")


def prediction_drift(reference_predictions: Any, current_predictions: Any, *,
                     classes: Any = None, task: str = "auto", method: str = "auto",
                     correction: str = "bonferroni", alpha: float = 0.05,
                     thresholds: dict[str, float] | None = None,
                     max_classes: int = 20) -> MultivariateDriftResult:
    """Drift of a model's predictions (1-D) or class probabilities (2-D, one column each)."""
    ref = np.asarray(reference_predictions)
    cur = np.asarray(current_predictions)
    notes: list[str] = []
    if ref.ndim == 2 and ref.shape[1] > 1:
        if cur.ndim != 2 or cur.shape[1] != ref.shape[1]:
            raise DataError("current_predictions", expected=f"{ref.shape[1]} probability "
                            "columns, as in the reference", got=f"shape {cur.shape}",
                            fix="pass predict_proba outputs of the same model")
        names = ([f"P(class={c})" for c in classes] if classes is not None
                 else [f"P(class {j})" for j in range(ref.shape[1])])
        if len(names) != ref.shape[1]:
            raise ParameterError("classes", expected=f"{ref.shape[1]} class names",
                                 got=f"{len(names)}", fix="pass one name per column")
        keep = list(range(ref.shape[1]))
        if len(keep) == 2:
            keep = [1]
            notes.append("two classes: only the second probability column is tested (the "
                         "first is its complement)")
        ref_frame = pd.DataFrame(ref[:, keep].astype(float), columns=[names[j] for j in keep])
        cur_frame = pd.DataFrame(cur[:, keep].astype(float), columns=[names[j] for j in keep])
        kind = "probabilities"
    else:
        kind, ref_col, cur_col = _one_column(ref, cur, task, max_classes, "predictions")
        ref_frame, cur_frame = pd.DataFrame({"prediction": ref_col}), pd.DataFrame(
            {"prediction": cur_col})
    return _run("prediction", ref_frame, cur_frame, kind, notes, method=method,
                correction=correction, alpha=alpha, thresholds=thresholds)


def label_drift(reference_labels: Any, current_labels: Any, *, task: str = "auto",
                method: str = "auto", alpha: float = 0.05,
                thresholds: dict[str, float] | None = None,
                max_classes: int = 20) -> MultivariateDriftResult:
    """Drift of the labels: class shares (label shift) or a regression target's distribution."""
    ref, cur = np.asarray(reference_labels), np.asarray(current_labels)
    if ref.ndim != 1 or cur.ndim != 1:
        raise DataError("labels", expected="1-D arrays of labels",
                        got=f"shapes {ref.shape} and {cur.shape}",
                        fix="pass one label per row (e.g. frame['y'])")
    kind, ref_col, cur_col = _one_column(ref, cur, task, max_classes, "labels")
    return _run("label", pd.DataFrame({"label": ref_col}), pd.DataFrame({"label": cur_col}),
                kind, [], method=method, correction="none", alpha=alpha,
                thresholds=thresholds)


def _one_column(ref: np.ndarray, cur: np.ndarray, task: str, max_classes: int,
                what: str) -> tuple[str, Any, Any]:
    """("classification" | "regression", reference column, current column)."""
    if task not in _TASKS:
        raise ParameterError("task", expected=f"one of {_TASKS}", got=repr(task),
                             fix="use 'auto', or say which the model does")
    ref = ref[:, 0] if ref.ndim == 2 and ref.shape[1] == 1 else ref
    cur = cur[:, 0] if cur.ndim == 2 and cur.shape[1] == 1 else cur
    if ref.ndim != 1 or cur.ndim != 1:
        raise DataError(what, expected="one value per row", got=f"shapes {ref.shape} and "
                        f"{cur.shape}", fix="pass 1-D arrays")
    if task == "auto":
        task = "classification" if _looks_like_classes(ref, max_classes) else "regression"
    if task == "classification":
        # strings, so that the univariate engine compares class shares (chi-square family)
        return task, _labels(ref), _labels(cur)
    try:
        return task, ref.astype(float), cur.astype(float)
    except (TypeError, ValueError):
        raise DataError(what, expected="numbers for a regression target",
                        got=f"values of type {ref.dtype}",
                        fix="pass task='classification' for class labels") from None


def _looks_like_classes(values: np.ndarray, max_classes: int) -> bool:
    if values.dtype.kind in "OUSb":
        return True
    if values.dtype.kind in "iu":
        return len(np.unique(values)) <= max_classes
    return False


def _labels(values: np.ndarray) -> np.ndarray:
    return np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                     for v in values.tolist()], dtype=object)


def _run(name: str, ref: pd.DataFrame, cur: pd.DataFrame, kind: str, notes: list[str], *,
         method: str, correction: str, alpha: float,
         thresholds: dict[str, float] | None) -> MultivariateDriftResult:
    report = detect_drift(ref, cur, method=method, correction=correction, alpha=alpha,
                          thresholds=thresholds)
    tested = [c for c in report.columns if c.tested]
    notes = notes + list(report.notes) + [f"{c.column}: {c.note}" for c in report.columns
                                          if c.note]
    if tested:
        best = min(tested, key=lambda c: (1.0 if c.adjusted_p_value is None
                                          else c.adjusted_p_value))
        statistic, p_value = best.statistic, best.adjusted_p_value
    else:
        statistic, p_value = float("nan"), None
    ranked = sorted(((c.column, c.effect_size) for c in tested if c.effect_size is not None),
                    key=lambda t: -t[1])
    details = {"task": kind,
               "methods": {c.column: c.method for c in report.columns},
               "correction": correction, "report": report.to_dict()}
    return MultivariateDriftResult(
        method=name, statistic=float(statistic), p_value=p_value, alpha=alpha,
        drifted=bool(report.drifted), n_reference=len(ref), n_current=len(cur),
        statistic_name=f"{tested[0].method}" if len(tested) == 1 else "most significant",
        details=details, feature_contributions=tuple(ranked), notes=tuple(notes))

