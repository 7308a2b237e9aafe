"""The result of :func:`~stalwart.explain.shap_values`: SHAP values and what they explain.

Values are ``(rows, features)`` for a regressor and ``(rows, features, classes)`` for a
classifier (a two-class model explained through one output gets the other class as its
exact mirror: ``phi_0 = -phi_1``, ``base_0 = 1 - base_1`` for probabilities, ``-base_1`` for
log-odds). Additivity (Lundberg & Lee 2017, "local accuracy") is checked on every result:
``values.sum(features) + base_values`` equals the explained output up to
``additivity_error``.

>>> import numpy as np
>>> r = ShapResult(values=np.array([[1.0, -2.0], [0.5, 0.0]]), base_values=np.zeros(2),
...                feature_names=("a", "b"), classes=None, algorithm="exact",
...                output="prediction", reason="given", additivity_error=0.0)
>>> r.mean_abs(), r.to_importance().ranking()
({'a': 0.75, 'b': 1.0}, ['b', 'a'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._json import jsonable
from .importance import SCHEMA_VERSION, ImportanceResult

__all__ = ["ShapResult"]


@dataclass(frozen=True, eq=False)
class ShapResult:
    """SHAP values of the explained rows.

    - ``algorithm``: ``tree`` (interventional TreeExplainer), ``tree_path_dependent``,
      ``exact`` or ``permutation``; ``reason`` says why it was chosen
    - ``output``: ``probability``, ``log-odds`` (a boosted model's raw margin) or
      ``prediction`` (a regressor's value)
    - ``space``: ``input`` (the columns given) or ``transformed`` (a pipeline's last step)
    - ``additivity_error``: largest ``|sum(values) + base - output|`` over rows (and classes)
    """

    values: np.ndarray
    base_values: np.ndarray
    feature_names: tuple[str, ...]
    classes: tuple[Any, ...] | None
    algorithm: str
    output: str
    reason: str
    additivity_error: float
    space: str = "input"
    n_background: int | None = None
    model: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)

    def mean_abs(self) -> dict[str, float]:
        """Mean absolute SHAP value per feature, over rows (and classes: for two classes this
        equals either class's, the two being mirrors)."""
        axes = (0,) if self.values.ndim == 2 else (0, 2)
        means = np.abs(self.values).mean(axis=axes)
        return {n: float(m) for n, m in zip(self.feature_names, means)}

    def to_importance(self) -> ImportanceResult:
        """Global importance: the features ranked by mean |SHAP| (no interval)."""
        return ImportanceResult.from_values(
            self.mean_abs(), method=f"mean |SHAP| ({self.algorithm})", model=dict(self.model),
            options=dict(self.options),
            details={"n_rows": int(self.values.shape[0]), "output": self.output,
                     "space": self.space})

    def ranking(self) -> list[str]:
        return self.to_importance().ranking()

    def for_class(self, label: Any) -> np.ndarray:
        """The ``(rows, features)`` values of one class (a regressor's values as they are)."""
        if self.classes is None:
            return self.values
        if label not in self.classes:
            from ..exceptions import ParameterError

            raise ParameterError("class", expected=f"one of {list(self.classes)}",
                                 got=repr(label), fix="pass a class of the model")
        return self.values[:, :, list(self.classes).index(label)]

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": SCHEMA_VERSION, "kind": "shap_values",
                         "algorithm": self.algorithm, "reason": self.reason,
                         "output": self.output, "space": self.space,
                         "feature_names": list(self.feature_names),
                         "classes": None if self.classes is None else list(self.classes),
                         "n_rows": int(self.values.shape[0]),
                         "n_background": self.n_background,
                         "additivity_error": self.additivity_error,
                         "mean_abs": self.mean_abs(), "ranking": self.ranking(),
                         "values": self.values.tolist(),
                         "base_values": self.base_values.tolist(),
                         "model": dict(self.model), "options": dict(self.options)})
