"""Perturbations for stress testing: tables, text and images, each a scikit-learn
transformer with a severity, a seed and a report of what it changed."""

from .base import (KINDS, PERTURBATIONS, SEVERITIES, Perturbation, PerturbationNote,
                   register_perturbation)
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
__all__ = ["ChecklistResult", "Constraints", "CorruptionErrors", "DIR", "FeatureDropout",
           "FeatureImpact", "GaussianNoise", "INV", "KINDS", "MFT", "MissingValues", "Outliers",
           "PERTURBATIONS", "Perturbation", "PerturbationNote", "PerturbationTransform",
           "RareCounterfactuals", "RebalanceSampler", "Rounding", "SEVERITIES", "Scaling",
           "ShiftImpact", "ShiftImpactResult", "ShiftedSample", "StressCell", "StressResult",
           "SwapCategories", "TemporalSplit", "TypeCorruption", "UNIT_MAPS", "UnitChange",
           "UnseenCategory", "augment", "concept_shift", "corruption_errors", "covariate_shift",
           "label_shift", "rare_counterfactuals", "rebalance", "register_perturbation",
           "run_checklist", "shift_impact", "stress_test", "synthesize_rare", "temporal_split"]
