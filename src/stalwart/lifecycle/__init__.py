"""Lifecycle of a deployed model: hot-fix rules, versions, compatibility, registry."""

from .comparison import (ScopeComparison, VersionComparison, compare_frame, compare_models,
                         compare_versions, gate_comparison, promotion_gate)
from .compatibility import (CompatibilityMetrics, FlipMatrix, ShadowAgreement,
                            compatibility_metrics, flip_matrix, negative_flip_matrix,
                            shadow_agreement)
from .registry import ModelRegistry
from .shadow import PinnedRouter, ShadowModel

__all__ = [
    "CompatibilityMetrics",
    "FlipMatrix",
    "ModelRegistry",
    "PinnedRouter",
    "ScopeComparison",
    "ShadowAgreement",
    "ShadowModel",
    "VersionComparison",
    "compare_frame",
    "compare_models",
    "compare_versions",
    "compatibility_metrics",
    "flip_matrix",
    "gate_comparison",
    "negative_flip_matrix",
    "promotion_gate",
    "shadow_agreement",
]
