"""Slices: metrics by group, binning of any column, weak-segment discovery, error trees."""

from .binning import MISSING, OTHER, BinnedColumn, bin_column, bin_frame
from .error_tree import ErrorTree, ErrorTreeNode, error_tree
from .frame import GroupMetrics, SliceMetrics, metric_frame
from .losses import LOSS_KINDS, row_loss
from .weak_segments import CORRECTIONS, WeakSegment, WeakSegments, find_weak_segments

__all__ = [
    "CORRECTIONS",
    "LOSS_KINDS",
    "MISSING",
    "OTHER",
    "BinnedColumn",
    "ErrorTree",
    "ErrorTreeNode",
    "GroupMetrics",
    "SliceMetrics",
    "WeakSegment",
    "WeakSegments",
    "bin_column",
    "bin_frame",
    "error_tree",
    "find_weak_segments",
    "metric_frame",
    "row_loss",
]
