"""Adversarial attacks: black-box attacks within a budget of scored rows, and a verified
lower bound on the perturbation tree ensembles need.

- :func:`attack` runs :class:`DecisionAttack` (labels only, HopSkipJump-style) or
  :class:`ScoreAttack` (probabilities, Square-style) on the rows a classifier gets right,
  respecting feature constraints, and returns an :class:`AttackResult` (success rate,
  median size, robust accuracy at budgets, rows scored);
- :func:`tree_lower_bound` gives, for scikit-learn trees and binary tree ensembles, a size
  in L-inf (scaled units) below which no perturbation can change the prediction.
"""

from .decision import DecisionAttack
from .gradient import GradientAttackResult, fgsm, pgd
from .oracle import BudgetSpent, CountingModel, RowOracle
from .result import AttackResult
from .run import METHODS, attack
from .score import ScoreAttack
from .space import AttackSpace
from .tree_bound import TreeBoundResult, tree_lower_bound


__all__ = ["AttackResult", "AttackSpace", "BudgetSpent", "CountingModel", "DecisionAttack",
           "GradientAttackResult", "METHODS", "RowOracle", "ScoreAttack", "TreeBoundResult",
           "attack", "fgsm", "pgd", "tree_lower_bound"]
