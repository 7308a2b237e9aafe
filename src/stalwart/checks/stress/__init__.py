"""The stress suite: checks of a model under perturbed inputs and simulated shift.

Each check lives in its own module and registers itself; :data:`STRESS_CHECKS` is the
order the suite runs them in. Every check needs a model and a target column.
"""

from .suite import STRESS_CHECKS, stress_suite, stress_suite_run

__all__ = ["STRESS_CHECKS", "stress_suite", "stress_suite_run"]
