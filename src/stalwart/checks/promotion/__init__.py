"""The promotion gate: checks that a new model version may replace the old one.

Each check lives in its own module and registers itself; :data:`PROMOTION_CHECKS` is the
order the suite runs them in. They judge a comparison of the two versions computed by
``stalwart.lifecycle`` (``promotion_gate``, ``gate_comparison``), overall and for every
pinned customer.
"""

from ._common import COMPARISON, scoped_metric
from .suite import PROMOTION_CHECKS, promotion_suite, run_promotion_suite

__all__ = ["COMPARISON", "PROMOTION_CHECKS", "promotion_suite", "run_promotion_suite",
           "scoped_metric"]
