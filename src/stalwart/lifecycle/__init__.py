"""Lifecycle of a deployed model: hot-fix rules, versions, compatibility, registry."""

from .candidate import CandidateEvaluation, evaluate_candidate
from .comparison import (ScopeComparison, VersionComparison, compare_frame, compare_models,
                         compare_versions, gate_comparison, promotion_gate)
from .compatibility import (CompatibilityMetrics, FlipMatrix, ShadowAgreement,
                            compatibility_metrics, flip_matrix, negative_flip_matrix,
                            shadow_agreement)
from .registry import ModelRegistry
from .rules import (Action, BudgetCheck, RecheckResult, Rule, RuleApplication, RuleBudget,
                    RuleRejection, RuledModel, RuleSet, Thickness, measure_thickness,
                    recheck_rules, rule_regression_suite, rules_as_training_examples)
from .shadow import PinnedRouter, ShadowModel

__all__ = [
    "Action",
    "BudgetCheck",
    "CandidateEvaluation",
    "CompatibilityMetrics",
    "FlipMatrix",
    "ModelRegistry",
    "PinnedRouter",
    "RecheckResult",
    "Rule",
    "RuleApplication",
    "RuleBudget",
    "RuleRejection",
    "RuleSet",
    "RuledModel",
    "ScopeComparison",
    "ShadowAgreement",
    "ShadowModel",
    "Thickness",
    "VersionComparison",
    "compare_frame",
    "compare_models",
    "compare_versions",
    "compatibility_metrics",
    "evaluate_candidate",
    "flip_matrix",
    "gate_comparison",
    "measure_thickness",
    "negative_flip_matrix",
    "promotion_gate",
    "recheck_rules",
    "rule_regression_suite",
    "rules_as_training_examples",
    "shadow_agreement",
]
