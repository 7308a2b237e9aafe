"""Window metric ``estimated_performance``: accuracy estimated before labels arrive (CBPE).

:class:`stalwart.estimation.CBPE` is fitted once on the reference's labels and class
probabilities (``outputs.proba.<class>``) and estimates each window's accuracy from its
probabilities alone: ``estimated_accuracy`` with its interval
(``estimated_accuracy_lower``/``_upper``). It assumes P(y | x) is unchanged (covariate shift
is fine; concept shift is invisible to it).

>>> import numpy as np, pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(size=2000)
>>> ref = pd.DataFrame({"outputs.proba.0": 1 - p, "outputs.proba.1": p,
...                     "label": (rng.uniform(size=2000) < p).astype(int)})
>>> m = WINDOW_METRICS.get("estimated_performance")
>>> opts = m.resolve({"calibration": None})
>>> q = rng.uniform(0.3, 0.7, 500)
>>> cur = pd.DataFrame({"outputs.proba.0": 1 - q, "outputs.proba.1": q})
>>> out, _ = m.compute(m.fit(ref, opts), cur, opts, {})
>>> round(out["estimated_accuracy"], 1)
0.6
"""

from __future__ import annotations

from typing import Any

from ...estimation import CBPE
from ...exceptions import DataError
from ._columns import LABEL, classes_of, labels_as_str, proba_columns, require_reference
from .registry import WindowMetric, register_window_metric

__all__ = ["KEYS"]

KEYS = ("estimated_accuracy", "estimated_accuracy_lower", "estimated_accuracy_upper")


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "estimated_performance")
    probas = proba_columns(ref)
    if not probas or LABEL not in ref.columns:
        raise DataError("reference", expected="class probabilities 'outputs.proba.<class>' "
                        "and labels", got=f"columns {list(ref.columns)[:10]}",
                        fix="use a labelled reference of a probabilistic classifier")
    labelled = ref[ref[LABEL].notna()]
    est = CBPE(metrics=("accuracy",), calibration=options["calibration"],
               confidence=options["confidence"], random_state=options["random_state"])
    est.fit(labels_as_str(labelled[LABEL]), labelled[probas].to_numpy(float),
            classes=classes_of(probas))
    return {"probas": probas, "cbpe": est}


def _compute(state: dict[str, Any], frame: Any, _options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    p = frame[state["probas"]].dropna().to_numpy(float)
    if len(p) == 0:
        return dict.fromkeys(KEYS), {"notes": ["no probabilities in the window"]}
    result = state["cbpe"].estimate(p)
    acc = result["accuracy"]
    return ({"estimated_accuracy": acc.value, "estimated_accuracy_lower": acc.lower,
             "estimated_accuracy_upper": acc.upper},
            {"reference_accuracy": acc.reference_value, "interval": acc.interval_method,
             "calibration": result.details.get("calibration"), "notes": list(result.notes)})


register_window_metric(WindowMetric(
    name="estimated_performance", fit=_fit, compute=_compute, keys=lambda _s, _o: KEYS,
    needs_reference=True,
    options={"calibration": "isotonic", "confidence": 0.95, "random_state": 0},
    description="CBPE estimated accuracy and interval before labels arrive"))
