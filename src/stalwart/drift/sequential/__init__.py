"""False alarms under repeated testing: a window-by-window monitor with a stated rate.

- :class:`AlarmBudget`: one p-value per window in, alarm / no alarm out, so that the
  probability of any false alarm over an open-ended stream (alpha spending), or within each
  block of ``horizon`` windows, stays below ``rate``; optional ``consecutive`` confirmation;
  every decision recorded (:class:`WindowDecision`, :class:`AlarmHistory`)
- :func:`spending_levels`: the per-window levels, vectorised
- :func:`ks_window_pvalues`: scipy's KS p-values of many windows against one reference

See ``docs/drift-streams.md`` for the method and its tests.
"""

from .budget import AlarmBudget, AlarmHistory, WindowDecision, spending_levels
from .windows import ks_window_pvalues

__all__ = [
    "AlarmBudget",
    "AlarmHistory",
    "WindowDecision",
    "ks_window_pvalues",
    "spending_levels",
]
