"""ModelAdapter: one view of any model (task, classes, capabilities, predict/predict_proba).

Concrete adapters (scikit-learn, XGBoost/LightGBM, callables; later torch, ONNX, HTTP)
subclass it and register a factory in :data:`stalwart.models.registry.ADAPTERS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = ["TASKS", "ModelAdapter"]

TASKS = ("classification", "regression")


class ModelAdapter(ABC):
    """A uniform interface over a model.

    Attributes set by every adapter:

    - ``task``: "classification" or "regression"
    - ``classes_``: numpy array of class labels (classification) or None
    - ``capabilities``: frozenset among {"predict", "predict_proba", "decision_function",
      "gradients"}
    - ``feature_names``: list of input column names, or None when unknown
    - ``name`` and ``version``: free text recorded in results
    """

    task: str
    classes_: np.ndarray | None
    capabilities: frozenset[str]
    feature_names: list[str] | None
    name: str
    version: str | None

    @abstractmethod
    def predict(self, X: Any) -> np.ndarray:
        """Predicted labels (classification) or values (regression), one per row."""

    @abstractmethod
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_rows, n_classes), columns in ``classes_`` order.

        Raises :class:`stalwart.exceptions.ModelError` when the model has none.
        """

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def describe(self) -> dict[str, Any]:
        """What a result records about the model."""
        return {
            "name": self.name,
            "version": self.version,
            "adapter": type(self).__name__,
            "task": self.task,
            "classes": None if self.classes_ is None else [_plain(c) for c in self.classes_],
            "capabilities": sorted(self.capabilities),
            "feature_names": self.feature_names,
        }


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
