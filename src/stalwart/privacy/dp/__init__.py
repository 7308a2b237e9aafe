"""Differential privacy: noise mechanisms, a budget accountant, releases of aggregates and
of profiles, each with its accuracy cost."""

from .accountant import LedgerEntry, PrivacyAccountant, PrivacyBudgetError
from .mechanisms import GaussianMechanism, LaplaceMechanism, as_generator
from .profile import DPProfileRelease, dp_profile
from .release import (DPRelease, dp_count, dp_histogram, dp_mean, dp_quantiles, dp_sum,
                      make_mechanism)

__all__ = ["DPProfileRelease", "DPRelease", "GaussianMechanism", "LaplaceMechanism",
           "LedgerEntry", "PrivacyAccountant", "PrivacyBudgetError", "as_generator",
           "dp_count", "dp_histogram", "dp_mean", "dp_profile", "dp_quantiles", "dp_sum",
           "make_mechanism"]
