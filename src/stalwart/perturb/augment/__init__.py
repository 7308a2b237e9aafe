"""Augmentation for robust training: perturbed copies, rebalanced classes, synthetic and
counterfactual rare-class rows, and perturbations as torch transforms."""

from .augmentation import augment
from .counterfactual_cases import RareCounterfactuals, rare_counterfactuals
from .rebalancing import STRATEGIES, RebalanceSampler, rebalance
from .synthetic import synthesize_rare
from .torch_transforms import PerturbationTransform

__all__ = [
    "PerturbationTransform",
    "RareCounterfactuals",
    "RebalanceSampler",
    "STRATEGIES",
    "augment",
    "rare_counterfactuals",
    "rebalance",
    "synthesize_rare",
]
