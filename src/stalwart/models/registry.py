"""The adapter registry and :func:`wrap`, which picks the adapter for a model.

Each member of :data:`ADAPTERS` is a factory class with ``accepts(model) -> bool`` and
``build(model, *, task=None, classes=None, feature_names=None, name=None, version=None,
**options) -> ModelAdapter``, registered with an integer ``priority``. :func:`wrap` asks
the factories in increasing priority (ties by name) and builds with the first that accepts:

==========  ========  ===========================================================
name        priority  accepts
==========  ========  ===========================================================
onnx        10        an ``onnxruntime.InferenceSession`` or an ``onnx.ModelProto``
sklearn     20        any fitted object with a ``predict`` method: scikit-learn
                      estimators and pipelines, XGBoost/LightGBM scikit-learn API
callable    90        any other callable ``f(X) -> predictions``
==========  ========  ===========================================================

Specific formats come first and the catch-alls last, so a torch module (callable *and*
without ``predict``) registered at, say, 15 is taken before ``callable``. A new adapter is
a new module plus one :func:`register_adapter` line.

>>> import numpy as np
>>> from sklearn.linear_model import LinearRegression
>>> model = wrap(LinearRegression().fit(np.array([[0.0], [1.0], [2.0]]), [0.0, 2.0, 4.0]))
>>> model.task, model.predict(np.array([[3.0]])).round(6).tolist()
('regression', [6.0])
>>> wrap(model) is model
True
>>> wrap({"weights": [1, 2]})
Traceback (most recent call last):
...
stalwart.exceptions.ModelError: model: expected a fitted model with a predict method ...
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Protocol

from .._registry import Registry
from ..exceptions import ModelError, ParameterError
from .adapter import ModelAdapter
from .callable import CallableAdapter
from .onnx import OnnxAdapter
from .sklearn import SklearnAdapter

__all__ = ["ADAPTERS", "AdapterFactory", "register_adapter", "wrap"]

_COMMON = ("task", "classes", "feature_names", "name", "version")


class AdapterFactory(Protocol):
    """What a member of :data:`ADAPTERS` provides (adapter classes are their own factory)."""

    @classmethod
    def accepts(cls, model: Any) -> bool: ...

    @classmethod
    def build(cls, model: Any, **options: Any) -> ModelAdapter: ...


#: Every registered adapter factory, by name; ``priority`` orders them for :func:`wrap`.
ADAPTERS: Registry[Any] = Registry("model adapter")


def register_adapter(name: str, factory: Any, *, priority: int) -> Any:
    """Register an adapter factory; :func:`wrap` tries lower priorities first."""
    for method in ("accepts", "build"):
        if not callable(getattr(factory, method, None)):
            raise ParameterError(f"adapter {name!r}", expected="a factory with accepts(model) "
                                 "and build(model, **options)", got=f"{factory!r} without "
                                 f"{method}", fix=f"define {method} as a classmethod")
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise ParameterError(f"priority of adapter {name!r}", expected="an integer",
                             got=repr(priority), fix="pass priority=50 or another integer")
    return ADAPTERS.register(name, factory, priority=priority)


register_adapter("onnx", OnnxAdapter, priority=10)
register_adapter("sklearn", SklearnAdapter, priority=20)
register_adapter("callable", CallableAdapter, priority=90)


def wrap(
    model: Any,
    *,
    task: str | None = None,
    classes: Any = None,
    feature_names: Any = None,
    name: str | None = None,
    version: str | None = None,
    **options: Any,
) -> ModelAdapter:
    """Give ``model`` the uniform :class:`ModelAdapter` interface.

    ``task``, ``classes`` and ``feature_names`` override or complete what the model
    declares; ``name`` and ``version`` are recorded in results. ``options`` go to the
    chosen adapter (for example ``proba=`` for a plain function); an option it does not
    take is an error. An adapter is returned unchanged.
    """
    common = {"task": task, "classes": classes, "feature_names": feature_names, "name": name,
              "version": version}
    if isinstance(model, ModelAdapter):
        given = sorted(k for k, v in {**common, **options}.items() if v is not None)
        if given:
            raise ParameterError("wrap options", expected="no options for a model that is "
                                 "already wrapped", got=f"{given} with a {type(model).__name__}",
                                 fix="pass the options when wrapping the raw model")
        return model
    _refuse_common_mistakes(model)
    for adapter_name, factory in ordered():
        if factory.accepts(model):
            _check_options(adapter_name, factory, options)
            adapter: ModelAdapter = factory.build(model, **common, **options)
            return adapter
    raise ModelError("model", expected="a fitted model with a predict method (scikit-learn "
                     "estimator or pipeline, XGBoost/LightGBM), an ONNX session, a function "
                     "f(X) -> predictions, or a ModelAdapter",
                     got=f"an object of type {_type_name(model)} with no predict method "
                     "that is not callable",
                     fix="pass the fitted estimator itself (not a dict or a wrapper around "
                     "it), wrap a function with wrap(f, task=...), or load a saved model "
                     "with stalwart.models.load_model(path)")


def ordered() -> list[tuple[str, Any]]:
    """The registered factories in the order :func:`wrap` tries them."""
    return sorted(ADAPTERS, key=lambda item: (ADAPTERS.capabilities(item[0])["priority"],
                                              item[0]))


def _refuse_common_mistakes(model: Any) -> None:
    if isinstance(model, (str, Path)):
        raise ModelError("model", expected="a model object", got=f"the path {str(model)!r}",
                         fix="load it first: stalwart.models.load_model(path) "
                         "(--model on the CLI)")
    if isinstance(model, type):
        raise ModelError("model", expected="a fitted model instance",
                         got=f"the class {_type_name(model, of_type=False)}",
                         fix=f"create and fit it: {model.__name__}().fit(X, y)")


def _check_options(adapter_name: str, factory: Any, options: dict[str, Any]) -> None:
    if not options:
        return
    params = inspect.signature(factory.build).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return
    accepted = [p for p in params if p not in _COMMON and p != "model"]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ParameterError(f"options for the {adapter_name!r} adapter",
                             expected=f"options among {accepted}" if accepted
                             else "no adapter-specific options",
                             got=f"{unknown}", fix="drop them or check their spelling")


def _type_name(obj: Any, *, of_type: bool = True) -> str:
    kind = type(obj) if of_type else obj
    return f"{kind.__module__}.{kind.__qualname__}"
