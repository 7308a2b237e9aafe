"""The drift suite: checks of what changed between reference (training) and current data.

Schema, unit and value changes (the diagnosis), per-feature drift with effect sizes,
multivariate drift with its drivers, novel inputs, prediction and label drift, and the
model's performance estimated before labels arrive. Each check lives in its own module and
registers itself; :data:`DRIFT_CHECKS` is the order the suite runs them in.
"""

from .suite import DRIFT_CHECKS, check_drift, drift_suite

__all__ = ["DRIFT_CHECKS", "check_drift", "drift_suite"]
