"""Model adapters: :func:`wrap` gives any model one interface; files load safely by default.

>>> import numpy as np
>>> model = wrap(lambda X: np.asarray(X)[:, 0] * 2.0, task="regression", name="double")
>>> model.describe()["adapter"], model.predict(np.array([[1.5]])).tolist()
('CallableAdapter', [3.0])
"""

from .adapter import TASKS, ModelAdapter
from .callable import CallableAdapter
from .loading import load_model, save_model, untrusted_skops_types
from .onnx import OnnxAdapter
from .registry import ADAPTERS, AdapterFactory, register_adapter, wrap
from .sklearn import SklearnAdapter

__all__ = [
    "ADAPTERS",
    "TASKS",
    "AdapterFactory",
    "CallableAdapter",
    "ModelAdapter",
    "OnnxAdapter",
    "SklearnAdapter",
    "load_model",
    "register_adapter",
    "save_model",
    "untrusted_skops_types",
    "wrap",
]
