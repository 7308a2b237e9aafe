"""Slices: metrics by group, binning of any column, weak-segment discovery, error trees."""

from .binning import MISSING, BinnedColumn, bin_column, bin_frame
from .frame import GroupMetrics, SliceMetrics, metric_frame
from .losses import LOSS_KINDS, row_loss
from .weak_segments import (CORRECTIONS, WeakSegment, WeakSegments, adjust_pvalues,
                            find_weak_segments)

__all__ = [
    "CORRECTIONS",
    "LOSS_KINDS",
    "MISSING",
    "BinnedColumn",
    "GroupMetrics",
    "SliceMetrics",
    "WeakSegment",
    "WeakSegments",
    "adjust_pvalues",
    "bin_column",
    "bin_frame",
    "find_weak_segments",
    "metric_frame",
    "row_loss",
]
