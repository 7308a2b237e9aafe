"""Statistics shared across methods: multiple-testing corrections and mergeable profiles."""

from .multitest import CORRECTIONS, adjust_p_values
from .profile import ColumnProfile, DatasetProfile, profile

__all__ = ["CORRECTIONS", "ColumnProfile", "DatasetProfile", "adjust_p_values", "profile"]
