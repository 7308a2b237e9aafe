"""Perturbations for stress testing: tables, text and images, each a scikit-learn
transformer with a severity, a seed and a report of what it changed."""

from .base import (KINDS, PERTURBATIONS, SEVERITIES, Perturbation, PerturbationNote,
                   register_perturbation)
from . import text  # noqa: F401 - registers the text perturbations
from .tabular import (UNIT_MAPS, Constraints, FeatureDropout, GaussianNoise, MissingValues,
                      Outliers, Rounding, Scaling, SwapCategories, TypeCorruption, UnitChange,
                      UnseenCategory)

__all__ = ["Constraints", "FeatureDropout", "GaussianNoise", "KINDS",
           "MissingValues", "Outliers", "PERTURBATIONS", "Perturbation",
           "PerturbationNote", "Rounding", "SEVERITIES", "Scaling",
           "SwapCategories", "TypeCorruption", "UNIT_MAPS", "UnitChange",
           "UnseenCategory", "register_perturbation"]
