"""Perturbations for stress testing: tables, text and images, each a scikit-learn
transformer with a severity, a seed and a report of what it changed."""

from .base import (KINDS, PERTURBATIONS, SEVERITIES, Perturbation, PerturbationNote,
                   register_perturbation)

__all__ = ["KINDS", "PERTURBATIONS", "Perturbation", "PerturbationNote", "SEVERITIES",
           "register_perturbation"]
