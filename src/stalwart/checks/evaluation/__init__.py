"""The model evaluation suite: checks of a model on held-out data before it ships.

Each check lives in its own module and registers itself; :data:`EVALUATION_CHECKS` is the
order the suite runs them in. Every check needs a model and a target column.
"""

from .suite import EVALUATION_CHECKS, evaluate_suite_run, evaluation_suite

__all__ = ["EVALUATION_CHECKS", "evaluate_suite_run", "evaluation_suite"]
