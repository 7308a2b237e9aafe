"""The explainability suite: which features a model rests on, and whether that holds still.

Each check lives in its own module and registers itself; :data:`EXPLAIN_CHECKS` is the
order the suite runs them in. Both need a model and a target column;
``importance_stability`` also needs reference data.
"""

from .suite import EXPLAIN_CHECKS, explain_suite_run, explainability_suite

__all__ = ["EXPLAIN_CHECKS", "explain_suite_run", "explainability_suite"]
