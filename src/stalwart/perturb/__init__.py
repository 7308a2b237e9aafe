"""Perturbations for stress testing: tables, text and images, each a scikit-learn
transformer with a severity, a seed and a report of what it changed."""

from .base import (KINDS, PERTURBATIONS, SEVERITIES, Perturbation, PerturbationNote,
                   register_perturbation)
from .attacks import (AttackResult, DecisionAttack, GradientAttackResult, ScoreAttack,
                      TreeBoundResult, attack, fgsm, pgd, tree_lower_bound)
from .augment import (PerturbationTransform, RareCounterfactuals, RebalanceSampler, augment,
                      rare_counterfactuals, rebalance, synthesize_rare)
from .image import CorruptionErrors, corruption_errors
from .tabular import (UNIT_MAPS, Constraints, FeatureDropout, GaussianNoise, MissingValues,
                      Outliers, Rounding, Scaling, SwapCategories, TypeCorruption, UnitChange,
                      UnseenCategory)
from .robustness import (FeatureImpact, ShiftImpact, ShiftImpactResult, StressCell, StressResult,
                         shift_impact, stress_test)
from .shift import (ShiftedSample, TemporalSplit, concept_shift, covariate_shift, label_shift,
                    temporal_split)
from .text import DIR, INV, MFT, ChecklistResult, run_checklist

# importing .image, .tabular and .text registers their perturbations
__all__ = ["AttackResult", "ChecklistResult", "Constraints", "CorruptionErrors", "DIR",
           "DecisionAttack", "FeatureDropout", "FeatureImpact", "GaussianNoise",
           "GradientAttackResult", "INV", "KINDS", "MFT", "MissingValues", "Outliers",
           "PERTURBATIONS", "Perturbation", "PerturbationNote", "PerturbationTransform",
           "RareCounterfactuals", "RebalanceSampler", "Rounding", "SEVERITIES", "Scaling",
           "ScoreAttack", "ShiftImpact", "ShiftImpactResult", "ShiftedSample", "StressCell",
           "StressResult", "SwapCategories", "TemporalSplit", "TreeBoundResult",
           "TypeCorruption", "UNIT_MAPS", "UnitChange", "UnseenCategory", "attack", "augment",
           "concept_shift", "corruption_errors", "covariate_shift", "fgsm", "label_shift",
           "pgd", "rare_counterfactuals", "rebalance", "register_perturbation", "run_checklist",
           "shift_impact", "stress_test", "synthesize_rare", "temporal_split",
           "tree_lower_bound"]
