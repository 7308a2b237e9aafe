"""The hot-fix rule layer: declarative rules in front of a model (docs/rules.md).

- :mod:`.condition`: the safe condition language (whitelisted ``ast``, vectorised);
- :mod:`.rule`: one rule and its action (override, review, reject);
- :mod:`.ruleset`: the ordered, versioned rule set and its application;
- :mod:`.thickness`: how thick the layer is, and its budget;
- :mod:`.recheck`: rules re-checked against a candidate model and exported as training
  examples; :mod:`.regression`: exported as regression checks;
- :mod:`.model`: :class:`RuledModel`, the model with its rules in front.
"""

from .application import RuleApplication
from .condition import RuleCondition, column_kinds
from .model import RuledModel
from .recheck import RecheckResult, RuleVerdict, recheck_rules, rules_as_training_examples
from .regression import RuleRegressionCheck, rule_regression_suite
from .rule import Action, Rule, RuleRejection
from .ruleset import RuleSet
from .thickness import (RETRAIN_MESSAGE, BudgetCheck, RuleBudget, Thickness,
                        measure_thickness, thickness_numbers)

__all__ = [
    "Action",
    "BudgetCheck",
    "RETRAIN_MESSAGE",
    "RecheckResult",
    "Rule",
    "RuleApplication",
    "RuleBudget",
    "RuleCondition",
    "RuleRegressionCheck",
    "RuleRejection",
    "RuleSet",
    "RuleVerdict",
    "RuledModel",
    "Thickness",
    "column_kinds",
    "measure_thickness",
    "recheck_rules",
    "rule_regression_suite",
    "rules_as_training_examples",
    "thickness_numbers",
]
