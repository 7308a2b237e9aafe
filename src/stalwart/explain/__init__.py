"""Explanations: permutation importance, SHAP values, local explanations, importance drift.

Layer 1 (algorithms): every function returns a plain frozen result with ``to_dict()``;
checks (``stalwart.checks.explain``) and the CLI (``stalwart explain``) build on them.
"""

from .counterfactual import Counterfactuals, counterfactuals
from .counterfactual_result import Change, Counterfactual, CounterfactualQuery, \
    CounterfactualResult
from .drift import (ImportanceDriftResult, importance_drift, importance_drift_between_models,
                    importance_drift_between_windows)
from .importance import FeatureImportance, ImportanceResult
from .local import LocalExplanation, explain_prediction
from .permutation import permutation_importance
from .replacement import explain_locally
from .shap_result import ShapResult
from .shap_values import shap_values

__all__ = [
    "Change",
    "Counterfactual",
    "CounterfactualQuery",
    "CounterfactualResult",
    "Counterfactuals",
    "FeatureImportance",
    "ImportanceDriftResult",
    "ImportanceResult",
    "LocalExplanation",
    "ShapResult",
    "counterfactuals",
    "explain_locally",
    "explain_prediction",
    "importance_drift",
    "importance_drift_between_models",
    "importance_drift_between_windows",
    "permutation_importance",
    "shap_values",
]
