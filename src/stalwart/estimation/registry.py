"""Registry of label-free performance estimators, with what each supports as plain data.

>>> ESTIMATION_METHODS.names()
['cbpe', 'dle']
>>> ESTIMATION_METHODS.capabilities("dle")["task"]
'regression'
"""

from __future__ import annotations

from .._registry import Registry
from .cbpe import CBPE, CBPE_METRICS
from .dle import DLE, DLE_METRICS

__all__ = ["ESTIMATION_METHODS"]

ESTIMATION_METHODS: Registry[type] = Registry("performance estimator")
ESTIMATION_METHODS.register(
    "cbpe", CBPE, task="classification", metrics=CBPE_METRICS,
    fit_inputs=("reference_y_true", "reference_proba"), estimate_inputs=("current_proba",),
    intervals={"accuracy": "poisson_binomial_normal", "other": "parametric_bootstrap"},
    sees_concept_shift=False)
ESTIMATION_METHODS.register(
    "dle", DLE, task="regression", metrics=DLE_METRICS,
    fit_inputs=("reference_X", "reference_y_true", "reference_y_pred"),
    estimate_inputs=("current_X", "current_y_pred"),
    intervals={"mae": "residual_bootstrap", "rmse": "residual_bootstrap"},
    sees_concept_shift=False)
