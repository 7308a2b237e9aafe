"""The registry of multivariate drift methods, with their capabilities as plain data.

Each detector module registers itself in one line; :mod:`stalwart.drift.multivariate`
imports them all, so the registry is complete once the package is imported.

>>> import stalwart.drift.multivariate as mv
>>> mv.MULTIVARIATE_METHODS.names()
['bbsd', 'domain_classifier', 'label', 'mmd', 'pca_reconstruction', 'prediction']
>>> mv.MULTIVARIATE_METHODS.capabilities("mmd")["needs_model"]
False
"""

from __future__ import annotations

from typing import Any

from ..._registry import Registry

__all__ = ["MULTIVARIATE_METHODS"]

#: name -> detector class (or function); capabilities: ``inputs`` ("features", "model
#: outputs", "labels"), ``needs_model``, ``attributes_features``, ``statistic``
MULTIVARIATE_METHODS: Registry[Any] = Registry("multivariate drift method")
