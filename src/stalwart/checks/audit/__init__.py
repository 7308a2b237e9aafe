"""The data audit suite: checks of a table's fitness before training or scoring.

Each check lives in its own module and registers itself; :data:`AUDIT_CHECKS` is the
order the suite runs them in.
"""

from .suite import AUDIT_CHECKS, audit, audit_suite

__all__ = ["AUDIT_CHECKS", "audit", "audit_suite"]
