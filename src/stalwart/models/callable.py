"""Adapter for a plain function ``f(X) -> predictions``, with an optional ``proba=`` function.

A function declares nothing about itself, so the task comes from what is given:
``task=``, or classification when ``classes=`` or ``proba=`` is given. A classifier needs its
``classes`` (the order of the probability columns); otherwise the adapter refuses rather
than guess.

>>> import numpy as np
>>> def positive(X):
...     return (np.asarray(X)[:, 0] > 0).astype(int)
>>> def proba(X):
...     p = 1 / (1 + np.exp(-np.asarray(X)[:, 0]))
...     return np.column_stack([1 - p, p])
>>> model = CallableAdapter.build(positive, classes=[0, 1], proba=proba)
>>> model.task, model.predict(np.array([[-1.0], [2.0]])).tolist()
('classification', [0, 1])
>>> model.predict_proba(np.array([[0.0]])).tolist()
[[0.5, 0.5]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..exceptions import ModelError, ParameterError
from ._contract import as_predictions, as_probabilities, normalise_options, prepare_input
from .adapter import ModelAdapter

__all__ = ["CallableAdapter"]


class CallableAdapter(ModelAdapter):
    """A function of a table that returns one prediction per row."""

    def __init__(
        self,
        func: Callable[[Any], Any],
        *,
        task: str,
        classes: np.ndarray | None,
        feature_names: list[str] | None,
        name: str,
        version: str | None,
        proba: Callable[[Any], Any] | None = None,
    ) -> None:
        self.func = func
        self.proba = proba
        self.task = task
        self.classes_ = classes
        self.feature_names = feature_names
        self.name = name
        self.version = version
        self.capabilities = frozenset({"predict"} | ({"predict_proba"} if proba else set()))

    # -- factory -------------------------------------------------------------------------
    @classmethod
    def accepts(cls, model: Any) -> bool:
        return callable(model) and not isinstance(model, type) and not hasattr(model, "predict")

    @classmethod
    def build(
        cls,
        model: Any,
        *,
        task: str | None = None,
        classes: Any = None,
        feature_names: Any = None,
        name: str | None = None,
        version: str | None = None,
        proba: Callable[[Any], Any] | None = None,
    ) -> CallableAdapter:
        task, classes, feature_names = normalise_options(task=task, classes=classes,
                                                         feature_names=feature_names)
        label = name or getattr(model, "__name__", type(model).__name__)
        if proba is not None and not callable(proba):
            raise ParameterError("proba", expected="a function X -> probabilities",
                                 got=f"an object of type {type(proba).__name__}",
                                 fix="pass proba=my_proba_function or leave it out")
        if task is None:
            if classes is None and proba is None:
                raise ModelError(f"task of model {label!r}",
                                 expected="task= (a plain function cannot tell whether it "
                                 "classifies or regresses)", got="no task, classes or proba",
                                 fix="wrap(f, task='regression'), or wrap(f, classes=[...]) "
                                 "for a classifier")
            task = "classification"
        if task == "regression" and proba is not None:
            raise ParameterError("proba", expected="no probabilities for a regression model",
                                 got="a proba function with task='regression'",
                                 fix="drop proba= or pass task='classification'")
        if task == "classification" and classes is None:
            raise ModelError(f"classes of model {label!r}", expected="classes= for a "
                             "classifier given as a function", got="no classes",
                             fix="pass classes=[...] in the order of the probability columns")
        return cls(model, task=task, classes=classes, feature_names=feature_names,
                   name=label, version=version, proba=proba)

    # -- contract ------------------------------------------------------------------------
    def _input(self, X: Any) -> Any:
        return prepare_input(X, feature_names=self.feature_names, n_features=None,
                             model=self.name)

    def predict(self, X: Any) -> np.ndarray:
        data = self._input(X)
        return as_predictions(self.func(data), n_rows=len(data), model=self.name)

    def predict_proba(self, X: Any) -> np.ndarray:
        if self.proba is None:
            raise ModelError(f"predict_proba of model {self.name!r}",
                             expected="a function given with proba=",
                             got="a function with predictions only",
                             fix="wrap(f, classes=[...], proba=my_proba_function)")
        data = self._input(X)
        assert self.classes_ is not None  # build() requires classes with proba
        return as_probabilities(self.proba(data), n_rows=len(data), classes=self.classes_,
                                model=self.name)

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        out["function"] = _qualified(self.func)
        out["proba_function"] = None if self.proba is None else _qualified(self.proba)
        return out

    def __repr__(self) -> str:
        return f"CallableAdapter({self.name!r}, task={self.task!r})"


def _qualified(func: Callable[[Any], Any]) -> str:
    module = getattr(func, "__module__", None) or type(func).__module__
    name = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"{module}.{name}"
