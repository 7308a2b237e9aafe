"""Multivariate drift: tests on whole rows, and on a model's outputs and labels.

- :class:`MMDDrift`: kernel two-sample test (permutation, or linear-time for large samples)
- :class:`DomainClassifierDrift`: can a classifier tell current from reference? which
  features let it?
- :class:`PCAReconstructionDrift`: do current rows leave the reference's principal subspace?
- :class:`BBSDDrift`: black-box shift detection on a model's outputs
- :func:`prediction_drift` and :func:`label_drift`: the univariate engine on predictions,
  class probabilities and labels

Every detector is ``fit(reference) -> self`` then ``detect(current) ->``
:class:`MultivariateDriftResult`; methods are listed in :data:`MULTIVARIATE_METHODS`.
"""

from .bbsd import BBSDDrift
from .classifier import DomainClassifierDrift
from .mmd import MMDDrift
from .outputs import label_drift, prediction_drift
from .pca import PCAReconstructionDrift
from .registry import MULTIVARIATE_METHODS
from .result import MultivariateDriftResult

__all__ = [
    "BBSDDrift",
    "DomainClassifierDrift",
    "MMDDrift",
    "MULTIVARIATE_METHODS",
    "MultivariateDriftResult",
    "PCAReconstructionDrift",
    "label_drift",
    "prediction_drift",
]
