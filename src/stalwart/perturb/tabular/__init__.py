"""Tabular perturbations: scikit-learn transformers that add noise, change units, drop
values, corrupt types and shuffle categories, honouring declared constraints."""

from .categories import SwapCategories, UnseenCategory
from .constraints import Constraints
from .missing import FeatureDropout, MissingValues
from .numeric import GaussianNoise, Outliers, Rounding, Scaling
from .table import TabularPerturbation, robust_spread
from .types import TypeCorruption
from .units import UNIT_MAPS, UnitChange

__all__ = ["Constraints", "FeatureDropout", "GaussianNoise", "MissingValues", "Outliers",
           "Rounding", "Scaling", "SwapCategories", "TabularPerturbation", "TypeCorruption",
           "UNIT_MAPS", "UnitChange", "UnseenCategory", "robust_spread"]
