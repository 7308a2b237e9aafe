"""Window metric ``performance``: realised performance on the window's labelled events.

Labels arrive late: only events with a ``label`` count, and ``label_coverage`` says what
share of the window that is. Classifiers: ``accuracy``, ``f1`` (two classes: of the second
class in sorted/probability-column order; more: macro) and ``roc_auc`` (when probabilities
were logged and both classes occur); regressors: ``mae`` and ``rmse``. Every value comes
from :data:`stalwart.metrics.METRICS`, i.e. equals scikit-learn's. The reference's values,
when a reference is given, are in the details.

>>> import pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> m = WINDOW_METRICS.get("performance")
>>> frame = pd.DataFrame({"outputs.prediction": [1, 0, 1, 1], "label": [1, 0, 0, None]})
>>> out, _ = m.compute(m.fit(None, m.resolve({})), frame, m.resolve({}), {})
>>> out["label_coverage"], round(out["accuracy"], 3)
(0.75, 0.667)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...metrics import METRICS
from ._columns import (LABEL, PREDICTION, classes_of, infer_task, labels_as_str,
                       proba_columns)
from .registry import WindowMetric, register_window_metric

__all__ = ["performance_of"]

CLASSIFICATION = ("accuracy", "f1", "roc_auc")
REGRESSION = ("mae", "rmse")


def performance_of(frame: Any, task: str, classes: list[str] | None = None
                   ) -> tuple[dict[str, float | None], dict[str, Any]]:
    """Realised metrics on the labelled rows of ``frame`` (plus ``label_coverage``)."""
    n = len(frame)
    has = frame[LABEL].notna() if LABEL in frame.columns else np.zeros(n, dtype=bool)
    labelled = frame[np.asarray(has, dtype=bool)]
    out: dict[str, float | None] = {"label_coverage": float(len(labelled) / n) if n else None,
                                    "n_labelled": float(len(labelled))}
    names = CLASSIFICATION if task == "classification" else REGRESSION
    out.update(dict.fromkeys(names))
    notes: list[str] = []
    if len(labelled) == 0:
        return out, {"notes": ["no labelled events in the window"]}
    if task == "regression":
        labelled = labelled[labelled[PREDICTION].notna()]
        if len(labelled) == 0:
            return out, {"notes": ["no labelled events with a prediction"]}
        y = labelled[LABEL].to_numpy(float)
        p = labelled[PREDICTION].to_numpy(float)
        for name in names:
            out[name] = METRICS.get(name)(y, p, None, None)
        return out, {}
    probas = proba_columns(frame)
    known = (labelled[PREDICTION].notna() if PREDICTION in labelled.columns
             else labelled[probas].notna().all(axis=1))
    if not known.all():
        notes.append(f"{int((~known).sum())} labelled events without a prediction left out")
        labelled = labelled[known]
    if len(labelled) == 0:
        return out, {"notes": notes}
    y = labels_as_str(labelled[LABEL])
    proba = labelled[probas].to_numpy(float) if probas else None
    cls = np.asarray(classes or (classes_of(probas) if probas else None)
                     or sorted(set(y) | set(_pred(labelled, probas).tolist())), dtype=object)
    pred = _pred(labelled, probas)
    out["accuracy"] = METRICS.get("accuracy")(y, pred, None, cls)
    f1 = "f1" if cls.size == 2 else "f1_macro"
    out["f1"] = METRICS.get(f1)(y, pred, None, cls) if cls.size >= 2 else None
    if proba is not None and len(set(y)) == cls.size and set(y) <= set(cls):
        out["roc_auc"] = METRICS.get("roc_auc")(y, pred, proba, cls)
    elif proba is not None:
        notes.append("roc_auc needs every class among the labelled events")
    return out, {"classes": cls.tolist(), "f1_average": "binary" if cls.size == 2 else "macro",
                 **({"notes": notes} if notes else {})}


def _pred(frame: Any, probas: list[str]) -> np.ndarray:
    if PREDICTION in frame.columns:
        return labels_as_str(frame[PREDICTION])
    classes = np.asarray(classes_of(probas), dtype=object)
    return classes[frame[probas].to_numpy(float).argmax(axis=1)]


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {"task": options["task"], "reference": None}
    if reference is not None and len(reference):
        state["task"] = infer_task(reference, options["task"])
        probas = proba_columns(reference)
        state["classes"] = classes_of(probas) if probas else None
        state["reference"] = performance_of(reference, state["task"], state["classes"])[0]
    return state


def _compute(state: dict[str, Any], frame: Any, _options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    task = infer_task(frame, state["task"])
    out, details = performance_of(frame, task, state.get("classes"))
    if state["reference"] is not None:
        details["reference"] = state["reference"]
    return out, details


def _keys(state: dict[str, Any], _options: dict[str, Any]) -> tuple[str, ...]:
    names = REGRESSION if state["task"] == "regression" else CLASSIFICATION
    return ("label_coverage", "n_labelled", *names)


register_window_metric(WindowMetric(
    name="performance", fit=_fit, compute=_compute, keys=_keys,
    options={"task": "auto"},
    description="realised accuracy/f1/roc_auc or mae/rmse on labelled events, label coverage"))
