"""Statistics shared across methods (multiple-testing corrections)."""

from .multitest import CORRECTIONS, adjust_p_values

__all__ = ["CORRECTIONS", "adjust_p_values"]
