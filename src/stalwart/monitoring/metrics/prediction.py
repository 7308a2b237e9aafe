"""Window metric ``prediction``: drift of the model's outputs and the predicted class shares.

Drift is :func:`stalwart.drift.multivariate.prediction_drift` between the reference's and
the window's class probabilities (``outputs.proba.<class>``) when there are any, else their
predictions (``outputs.prediction``). Classifiers report ``share.<class>`` (share of the
window's predictions per reference class); regressors ``prediction_mean``.

>>> import numpy as np, pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> rng = np.random.default_rng(0)
>>> m = WINDOW_METRICS.get("prediction")
>>> ref = pd.DataFrame({"outputs.prediction": rng.choice(["a", "b"], 1000)})
>>> state = m.fit(ref, m.resolve({}))
>>> out, _ = m.compute(state, pd.DataFrame({"outputs.prediction": ["a"] * 200}), {}, {})
>>> out["share.a"], out["prediction_drifted"]
(1.0, 1.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...drift.multivariate import prediction_drift
from ...exceptions import DataError
from ._columns import (PREDICTION, classes_of, infer_task, labels_as_str, proba_columns,
                       require_reference)
from .registry import WindowMetric, register_window_metric

__all__: list[str] = []


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "prediction")
    probas = proba_columns(ref)
    if not probas and PREDICTION not in ref.columns:
        raise DataError("reference", expected="'outputs.prediction' or 'outputs.proba.<class>' "
                        "columns", got=f"columns {list(ref.columns)[:10]}",
                        fix="log the model's outputs with each event")
    task = infer_task(ref, options.get("task", "auto"))
    state: dict[str, Any] = {"task": task, "probas": probas}
    if probas:
        state["reference"] = ref[probas].to_numpy(dtype=float)
        state["classes"] = classes_of(probas)
    else:
        state["reference"] = (labels_as_str(ref[PREDICTION].dropna()) if task ==
                              "classification" else ref[PREDICTION].dropna().to_numpy(float))
    if task == "classification":
        preds = _predicted(ref, state)
        state["classes"] = state.get("classes") or sorted(set(preds.tolist()))
        state["reference_shares"] = {c: float(np.mean(preds == c)) for c in state["classes"]}
    return state


def _predicted(frame: Any, state: dict[str, Any]) -> np.ndarray:
    if PREDICTION in frame.columns:
        return labels_as_str(frame[PREDICTION].dropna())
    p = frame[state["probas"]].dropna().to_numpy(dtype=float)
    return np.asarray(state["classes"], dtype=object)[p.argmax(axis=1)]


def _keys(state: dict[str, Any], _options: dict[str, Any]) -> tuple[str, ...]:
    base = ("prediction_drift_p_value", "prediction_drifted")
    if state["task"] == "classification":
        return (*base, *(f"share.{c}" for c in state["classes"]))
    return (*base, "prediction_mean")


def _compute(state: dict[str, Any], frame: Any, options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    if state["probas"]:
        current = frame[state["probas"]].dropna().to_numpy(dtype=float)
    elif state["task"] == "classification":
        current = labels_as_str(frame[PREDICTION].dropna())
    else:
        current = frame[PREDICTION].dropna().to_numpy(float)
    out: dict[str, float | None] = dict.fromkeys(_keys(state, options))
    details: dict[str, Any] = {}
    if len(current):
        res = prediction_drift(state["reference"], current, classes=state.get("classes"),
                               task=state["task"], alpha=options.get("alpha", 0.05))
        out["prediction_drift_p_value"] = res.p_value
        out["prediction_drifted"] = 1.0 if res.drifted else 0.0
        details["drift"] = res.to_dict()
    if state["task"] == "classification":
        preds = _predicted(frame, state)
        for c in state["classes"]:
            out[f"share.{c}"] = float(np.mean(preds == c)) if preds.size else None
        details["reference_shares"] = state["reference_shares"]
    elif len(current):
        out["prediction_mean"] = float(np.mean(current))
    return out, details


register_window_metric(WindowMetric(
    name="prediction", fit=_fit, compute=_compute, keys=_keys, needs_reference=True,
    options={"task": "auto", "alpha": 0.05},
    description="drift of predictions / probabilities, predicted class shares"))
