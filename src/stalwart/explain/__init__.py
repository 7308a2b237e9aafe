"""Explanations: permutation importance, SHAP values, local explanations, importance drift."""

from .importance import FeatureImportance, ImportanceResult
from .permutation import permutation_importance
from .shap_result import ShapResult
from .shap_values import shap_values

__all__ = [
    "FeatureImportance",
    "ImportanceResult",
    "ShapResult",
    "permutation_importance",
    "shap_values",
]
