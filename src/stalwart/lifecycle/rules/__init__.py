"""The hot-fix rule layer: declarative rules in front of a model (docs/rules.md).

- :mod:`.condition`: the safe condition language (whitelisted ``ast``, vectorised);
- :mod:`.rule`: one rule and its action (override, review, reject);
- :mod:`.ruleset`: the ordered, versioned rule set and its application;
- :mod:`.thickness`: how thick the layer is, and its budget;
- :mod:`.recheck`: rules re-checked against a candidate model, exported as training
  examples and regression checks;
- :mod:`.model`: :class:`RuledModel`, the model with its rules in front.
"""

from .application import RuleApplication
from .condition import RuleCondition, column_kinds
from .rule import Action, Rule, RuleRejection
from .ruleset import RuleSet

__all__ = ["Action", "Rule", "RuleApplication", "RuleCondition", "RuleRejection", "RuleSet",
           "column_kinds"]
