"""The decision a counterfactual must reach: a set of classes, or a value interval.

:func:`resolve_targets` turns the user's ``target=`` into one :class:`Target` per query row:

- classification, ``target=None``: any class other than the row's predicted class;
- classification, a class label or a list of labels: those classes (each must be one of the
  model's classes);
- regression: ``(low, high)``, either end ``None`` for an open side; ``target=None`` is
  refused (there is no "other class" of a number).

>>> import numpy as np
>>> from stalwart.models import wrap
>>> from sklearn.linear_model import LogisticRegression
>>> m = wrap(LogisticRegression().fit([[0.0], [1.0], [2.0]], ["a", "b", "c"]))
>>> [t.describe() for t in resolve_targets(m, None, np.array(["a", "c"]))]
[['b', 'c'], ['a', 'b']]
>>> Target(interval=(1.0, None)).holds(np.array([0.5, 3.0])).tolist()
[False, True]
>>> score = margin_of(m, resolve_targets(m, "c", np.array(["a"])), lambda Z: Z)
>>> bool(score(np.array([[0.0], [3.0]]), np.array([0, 0]))[1] > 0)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..exceptions import ModelError, ParameterError
from ..models import ModelAdapter

__all__ = ["Target", "margin_of", "resolve_targets"]


@dataclass(frozen=True)
class Target:
    """Classes to reach (classification) or an interval to land in (regression)."""

    classes: tuple[Any, ...] | None = None
    interval: tuple[float | None, float | None] | None = None

    def holds(self, predictions: np.ndarray) -> np.ndarray:
        p = np.asarray(predictions)
        if self.classes is not None:
            return np.isin(p, np.asarray(self.classes, dtype=p.dtype if p.dtype.kind != "O"
                                         else object))
        assert self.interval is not None
        low, high = self.interval
        v = p.astype(float)
        ok = np.isfinite(v)
        if low is not None:
            ok &= v >= low
        if high is not None:
            ok &= v <= high
        return ok

    def describe(self) -> Any:
        if self.classes is not None:
            return [c.item() if hasattr(c, "item") else c for c in self.classes]
        return list(self.interval or ())


def _interval(target: Any) -> tuple[float | None, float | None]:
    def bound(v: Any) -> float | None:
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or math.isnan(float(v)):
            raise ValueError
        return float(v)

    if isinstance(target, (str, bytes)) or not isinstance(target, Sequence) \
            or len(target) != 2:
        raise ValueError
    low, high = bound(target[0]), bound(target[1])
    if (low is None and high is None) or (low is not None and high is not None and low > high):
        raise ValueError
    return low, high


def resolve_targets(model: ModelAdapter, target: Any,
                    predictions: np.ndarray) -> list[Target]:
    """One :class:`Target` per predicted row; errors name the allowed values."""
    if model.task == "regression":
        try:
            interval = _interval(target)
        except (ValueError, TypeError):
            raise ParameterError("target", expected="for a regressor, an interval (low, high) "
                                 "with low <= high, either end None for an open side",
                                 got=repr(target), fix="pass target=(100.0, None)") from None
        return [Target(interval=interval)] * len(predictions)
    classes = model.classes_
    if classes is None:
        raise ModelError("classes of the model", expected="a classifier that knows its "
                         "classes", got="none", fix="wrap the model with classes=[...]")
    if target is None:
        if len(classes) < 2:
            raise ModelError("classes of the model", expected="at least two classes",
                             got=f"{list(classes)}", fix="counterfactuals need another class")
        return [Target(classes=tuple(c for c in classes if c != p)) for p in predictions]
    wanted = list(target) if isinstance(target, (list, tuple, set, frozenset)) else [target]
    known = {c.item() if hasattr(c, "item") else c for c in classes}
    unknown = [t for t in wanted if (t.item() if hasattr(t, "item") else t) not in known]
    if not wanted or unknown:
        raise ParameterError("target", expected=f"one or more of the model's classes "
                             f"{sorted(known, key=str)}", got=repr(target),
                             fix="pass target=<a class label>, or None for any other class")
    picked = tuple(c for c in classes if (c.item() if hasattr(c, "item") else c) in wanted)
    return [Target(classes=picked)] * len(predictions)


def margin_of(model: ModelAdapter, targets: list[Target],
              decode: Callable[[np.ndarray], Any]) -> Callable[..., np.ndarray] | None:
    """The score the search's greedy paths climb, positive on the target side, for encoded
    candidates ``Z`` of query rows ``query``: the log-odds of the likeliest target class
    against the likeliest other class (classifiers with ``predict_proba``), or how far
    inside the interval the prediction lies (regressors); None for a classifier without
    probabilities. ``decode`` turns ``Z`` into what the model takes."""
    if model.task == "regression":
        bounds = np.array([[-np.inf if t.interval[0] is None else t.interval[0],
                            np.inf if t.interval[1] is None else t.interval[1]]
                           for t in targets if t.interval is not None])
        if len(bounds) != len(targets):
            return None

        def inside(Z: np.ndarray, query: np.ndarray) -> np.ndarray:
            v = np.asarray(model.predict(decode(Z)), dtype=float)
            depth = np.minimum(v - bounds[query, 0], bounds[query, 1] - v)
            return np.where(np.isfinite(v), depth, -np.inf)

        return inside
    if not model.can("predict_proba") or model.classes_ is None:
        return None
    classes = list(model.classes_)
    wanted = np.array([[c in (t.classes or ()) for c in classes] for t in targets])

    def log_odds(Z: np.ndarray, query: np.ndarray) -> np.ndarray:
        p = np.asarray(model.predict_proba(decode(Z)), dtype=float)
        w = wanted[query]
        best_in = np.where(w, p, 0.0).max(axis=1)
        best_out = np.where(~w, p, 0.0).max(axis=1)
        return np.log(np.maximum(best_in, 1e-12)) - np.log(np.maximum(best_out, 1e-12))

    return log_odds
