"""The registry of multivariate drift methods, with their capabilities as plain data.

One line per method, here rather than in each method's module, so that importing a module
twice (pytest's importlib mode does, for doctests) never registers a second class object.

>>> import stalwart.drift.multivariate as mv
>>> mv.MULTIVARIATE_METHODS.names()
['bbsd', 'domain_classifier', 'label', 'mmd', 'pca_reconstruction', 'prediction']
>>> mv.MULTIVARIATE_METHODS.capabilities("mmd")["needs_model"]
False
"""

from __future__ import annotations

from typing import Any

from ..._registry import Registry
from .bbsd import BBSDDrift
from .classifier import DomainClassifierDrift
from .mmd import MMDDrift
from .outputs import label_drift, prediction_drift
from .pca import PCAReconstructionDrift

__all__ = ["MULTIVARIATE_METHODS"]

#: name -> detector class (or function); capabilities: ``inputs`` ("features", "model
#: outputs", "labels"), ``needs_model``, ``attributes_features``, ``statistic``
MULTIVARIATE_METHODS: Registry[Any] = Registry("multivariate drift method")

MULTIVARIATE_METHODS.register("mmd", MMDDrift, inputs="features", needs_model=False,
                              attributes_features=False, statistic="mmd2")
MULTIVARIATE_METHODS.register("domain_classifier", DomainClassifierDrift, inputs="features",
                              needs_model=False, attributes_features=True, statistic="auc")
MULTIVARIATE_METHODS.register("pca_reconstruction", PCAReconstructionDrift, inputs="features",
                              needs_model=False, attributes_features=False,
                              statistic="mean_error_ratio")
MULTIVARIATE_METHODS.register("bbsd", BBSDDrift, inputs="model outputs", needs_model=True,
                              attributes_features=False, statistic="max_ks")
MULTIVARIATE_METHODS.register("prediction", prediction_drift, inputs="model outputs",
                              needs_model=False, attributes_features=False,
                              statistic="univariate engine")
MULTIVARIATE_METHODS.register("label", label_drift, inputs="labels", needs_model=False,
                              attributes_features=False, statistic="univariate engine")
