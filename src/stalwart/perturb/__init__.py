"""Perturbations for stress testing: tables, text and images, each a scikit-learn
transformer with a severity, a seed and a report of what it changed."""

from .base import (KINDS, PERTURBATIONS, SEVERITIES, Perturbation, PerturbationNote,
                   register_perturbation)
from . import image, text  # noqa: F401 - importing them registers their perturbations
from .image import CorruptionErrors, corruption_errors
from .tabular import (UNIT_MAPS, Constraints, FeatureDropout, GaussianNoise, MissingValues,
                      Outliers, Rounding, Scaling, SwapCategories, TypeCorruption, UnitChange,
                      UnseenCategory)

__all__ = ["Constraints", "CorruptionErrors", "FeatureDropout", "GaussianNoise", "KINDS",
           "MissingValues", "Outliers", "PERTURBATIONS", "Perturbation",
           "PerturbationNote", "Rounding", "SEVERITIES", "Scaling",
           "SwapCategories", "TypeCorruption", "UNIT_MAPS", "UnitChange",
           "UnseenCategory", "corruption_errors", "register_perturbation"]
