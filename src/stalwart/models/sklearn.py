"""Adapter for scikit-learn estimators and pipelines, and XGBoost/LightGBM's scikit-learn API.

Any fitted object with a ``predict`` method goes through here. The task comes from
``task=`` or scikit-learn's own estimator tags (``is_classifier``/``is_regressor``); classes
from ``classes_``; input columns from ``feature_names_in_`` (a pipeline reports its first
step's), so a frame with extra columns is narrowed and a frame lacking columns fails with
their names. LightGBM stores feature names with spaces turned into underscores
("mean radius" becomes "mean_radius"); those are the names reported, and a frame with the
original names is matched to them.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> model = SklearnAdapter.build(LogisticRegression().fit(X, [0, 0, 1, 1]))
>>> model.task, model.classes_.tolist(), sorted(model.capabilities)
('classification', [0, 1], ['decision_function', 'predict', 'predict_proba'])
>>> model.predict(np.array([[0.2], [2.8]])).tolist()
[0, 1]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ModelError
from ._contract import as_predictions, as_probabilities, normalise_options, prepare_input
from .adapter import ModelAdapter

__all__ = ["SklearnAdapter"]

#: how a library rewrites column names when it stores them, by top-level module
_STORED_NAME: dict[str, Callable[[str], str]] = {
    "lightgbm": lambda name: name.replace(" ", "_"),  # LightGBM's C++ core does this
}


class SklearnAdapter(ModelAdapter):
    """A fitted estimator with ``predict`` (and optionally ``predict_proba``)."""

    def __init__(
        self,
        model: Any,
        *,
        task: str,
        classes: np.ndarray | None,
        feature_names: list[str] | None,
        n_features: int | None,
        capabilities: frozenset[str],
        name: str,
        version: str | None,
    ) -> None:
        self.model = model
        self.task = task
        self.classes_ = classes
        self.feature_names = feature_names
        self.n_features = n_features
        self.capabilities = capabilities
        self.name = name
        self.version = version

    # -- factory -------------------------------------------------------------------------
    @classmethod
    def accepts(cls, model: Any) -> bool:
        return not isinstance(model, type) and callable(getattr(model, "predict", None))

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
    ) -> SklearnAdapter:
        task, classes, feature_names = normalise_options(task=task, classes=classes,
                                                         feature_names=feature_names)
        label = name or type(model).__name__
        _check_fitted(model, label)
        task = _resolve_task(model, task, label)
        model_names = _model_feature_names(model)
        if feature_names is not None and model_names is not None and feature_names != model_names:
            raise ModelError(f"feature_names of model {label!r}",
                             expected=f"the names the model was fitted with {model_names}",
                             got=repr(feature_names), fix="drop feature_names= (they are read "
                             "from the model) or pass the same names")
        caps = {"predict"}
        if task == "classification":
            classes = _resolve_classes(model, classes, label)
            if hasattr(model, "predict_proba"):
                caps.add("predict_proba")
        if hasattr(model, "decision_function"):
            caps.add("decision_function")
        n_features = getattr(model, "n_features_in_", None)
        return cls(model, task=task, classes=classes if task == "classification" else None,
                   feature_names=feature_names if feature_names is not None else model_names,
                   n_features=int(n_features) if n_features is not None else None,
                   capabilities=frozenset(caps), name=label, version=version)

    # -- contract ------------------------------------------------------------------------
    def _input(self, X: Any) -> Any:
        # a model fitted on an array takes an array: a frame would make scikit-learn warn
        # and XGBoost refuse, so names given by the user only select and order columns
        positional = _model_feature_names(self.model) is None
        if isinstance(X, pd.DataFrame) and self.feature_names is not None:
            X = _match_stored_names(X, self.feature_names, type(self.model).__module__)
        return prepare_input(X, feature_names=self.feature_names, n_features=self.n_features,
                             model=self.name, positional=positional)

    def predict(self, X: Any) -> np.ndarray:
        data = self._input(X)
        return as_predictions(self.model.predict(data), n_rows=len(data), model=self.name)

    def predict_proba(self, X: Any) -> np.ndarray:
        if not self.can("predict_proba"):
            why = ("a regressor has no class probabilities" if self.task == "regression"
                   else f"{type(self.model).__name__} has no predict_proba")
            raise ModelError(f"predict_proba of model {self.name!r}",
                             expected="a classifier with predict_proba", got=why,
                             fix="use predict(), or a classifier that estimates probabilities "
                             "(e.g. wrap it in CalibratedClassifierCV)")
        data = self._input(X)
        assert self.classes_ is not None  # set for every classifier by build()
        return as_probabilities(self.model.predict_proba(data), n_rows=len(data),
                                classes=self.classes_, model=self.name)

    def decision_function(self, X: Any) -> np.ndarray:
        if not self.can("decision_function"):
            raise ModelError(f"decision_function of model {self.name!r}",
                             expected="an estimator with decision_function",
                             got=f"{type(self.model).__name__} without it",
                             fix="use predict_proba() or predict()")
        return np.asarray(self.model.decision_function(self._input(X)))

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        kind = type(self.model)
        top = kind.__module__.split(".")[0]
        module = importlib.import_module(top)
        out["estimator"] = f"{kind.__module__}.{kind.__qualname__}"
        out["library"] = {"name": top, "version": getattr(module, "__version__", None)}
        return out

    def __repr__(self) -> str:
        return f"SklearnAdapter({self.name!r}, task={self.task!r})"


def _check_fitted(model: Any, label: str) -> None:
    from sklearn.base import BaseEstimator
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    # only real estimators: check_is_fitted cannot judge a duck-typed object
    if not isinstance(model, BaseEstimator):
        return
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise ModelError(f"model {label!r}", expected="a fitted model", got="an unfitted "
                         f"{type(model).__name__}", fix="call model.fit(X, y) first") from None


def _estimator_task(model: Any) -> str | None:
    """The task the estimator declares through scikit-learn's tags, or None."""
    from sklearn.base import is_classifier, is_regressor

    if hasattr(model, "__sklearn_tags__"):
        if is_classifier(model):
            return "classification"
        if is_regressor(model):
            return "regression"
        return None
    declared = getattr(model, "_estimator_type", None)  # estimators written before tags
    return {"classifier": "classification", "regressor": "regression"}.get(declared)


def _resolve_task(model: Any, task: str | None, label: str) -> str:
    declared = _estimator_task(model)
    if task is not None:
        if declared is not None and declared != task:
            raise ModelError(f"task of model {label!r}", expected=f"the model's own task "
                             f"({declared})", got=f"task={task!r}",
                             fix=f"drop task= or pass task={declared!r}")
        return task
    if declared is not None:
        return declared
    if getattr(model, "classes_", None) is not None:
        return "classification"
    raise ModelError(f"task of model {label!r}", expected="a model that declares its task "
                     "(a scikit-learn classifier or regressor) or an explicit task",
                     got=f"a {type(model).__name__} that declares none",
                     fix="pass task='classification' (with classes=) or task='regression'")


def _resolve_classes(model: Any, classes: np.ndarray | None, label: str) -> np.ndarray:
    own = getattr(model, "classes_", None)
    if own is None:
        if classes is None:
            raise ModelError(f"classes of model {label!r}", expected="classes_ on the model or "
                             "classes= given", got="neither",
                             fix="pass classes=[...] in the order of predict_proba's columns")
        return classes
    own = np.asarray(own)
    if classes is not None and (len(classes) != len(own) or not (classes == own).all()):
        raise ModelError(f"classes of model {label!r}", expected=f"the model's classes_ "
                         f"{own.tolist()}", got=f"classes={classes.tolist()}",
                         fix="drop classes= (they are read from the model)")
    return own


def _match_stored_names(frame: pd.DataFrame, names: list[str], module: str) -> pd.DataFrame:
    """Rename columns to the names the library stored (only where that makes them match)."""
    stored = _STORED_NAME.get(module.split(".")[0])
    if stored is None:
        return frame
    wanted = set(names)
    present = set(frame.columns)
    rename = {c: stored(c) for c in frame.columns if isinstance(c, str) and c not in wanted
              and stored(c) in wanted and stored(c) not in present}
    return frame.rename(columns=rename) if rename else frame


def _model_feature_names(model: Any) -> list[str] | None:
    names = getattr(model, "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]
