"""A model seen as a function of a list of strings: labels, and probabilities if it has them.

:func:`stalwart.models.wrap` reads what the model is (task, classes, capabilities) and
refuses an unfitted or unusable one; its adapters then expect tables (rows x columns),
which a text pipeline (``TfidfVectorizer`` + a classifier) does not take. So the view calls
the wrapped estimator (or function) directly on the list of texts, and checks that it
returns one label per text and one probability row per text.

A plain function ``texts -> labels`` is wrapped as :func:`~stalwart.models.wrap` wraps it:
give ``classes=`` and ``proba=`` to it (``wrap(f, classes=[0, 1], proba=g)``) and pass the
adapter. Any other :class:`~stalwart.models.ModelAdapter` is assumed to take texts.

>>> from sklearn.feature_extraction.text import CountVectorizer
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.pipeline import make_pipeline
>>> pipe = make_pipeline(CountVectorizer(), LogisticRegression())
>>> view = text_model(pipe.fit(["good", "bad", "fine", "awful"], [1, 0, 1, 0]))
>>> view.predict(["good", "awful"]).tolist(), view.can("predict_proba")
([1, 0], True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...exceptions import ModelError
from ...models import ModelAdapter, wrap

__all__ = ["TextModel", "text_model"]


@dataclass(frozen=True)
class TextModel:
    """Predictions of a model on lists of texts (see :func:`text_model`)."""

    adapter: ModelAdapter
    predict_fn: Callable[[list[str]], Any]
    proba_fn: Callable[[list[str]], Any] | None

    @property
    def classes(self) -> np.ndarray | None:
        return self.adapter.classes_

    def can(self, capability: str) -> bool:
        return capability == "predict_proba" and self.proba_fn is not None \
            or capability == "predict"

    def describe(self) -> dict[str, Any]:
        return self.adapter.describe()

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        raw = np.asarray(self.predict_fn(list(texts)))
        if raw.ndim == 2 and raw.shape[1] == 1:
            raw = raw[:, 0]
        if raw.shape != (len(texts),):
            raise ModelError(f"predictions of model {self.adapter.name!r}",
                             expected=f"one label per text ({len(texts)})",
                             got=f"an array of shape {raw.shape}",
                             fix="make the model map a list of strings to one label each")
        return raw

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if self.proba_fn is None:
            raise ModelError(f"predict_proba of model {self.adapter.name!r}",
                             expected="a classifier with class probabilities",
                             got="a model with predict only", fix="use a classifier with "
                             "predict_proba, or wrap a function with wrap(f, classes=..., "
                             "proba=g), or expect a label flip (direction='flip')")
        raw = np.asarray(self.proba_fn(list(texts)), dtype=float)
        n_classes = len(self.classes) if self.classes is not None else None
        if raw.ndim != 2 or raw.shape[0] != len(texts) or raw.shape[1] != n_classes:
            raise ModelError(f"probabilities of model {self.adapter.name!r}",
                             expected=f"an array of shape ({len(texts)}, {n_classes})",
                             got=f"an array of shape {raw.shape}",
                             fix="return one probability per class per text")
        return raw

    def score(self, texts: Sequence[str], labels: Sequence[Any]) -> np.ndarray:
        """The probability each text gets for the given label (one label per text)."""
        proba = self.predict_proba(texts)
        assert self.classes is not None  # predict_proba checked the classes
        where = {c: i for i, c in enumerate(self.classes.tolist())}
        cols = [where[label.item() if hasattr(label, "item") else label] for label in labels]
        return proba[np.arange(len(texts)), cols]


def text_model(model: Any) -> TextModel:
    """The :class:`TextModel` view of a fitted estimator, a pipeline or a wrapped model."""
    adapter = model if isinstance(model, ModelAdapter) else wrap(model)
    if adapter.task != "classification":
        raise ModelError(f"model {adapter.name!r}", expected="a text classifier",
                         got=f"a {adapter.task} model", fix="CheckList tests compare labels "
                         "and class probabilities: pass a classifier")
    estimator = getattr(adapter, "model", None)
    func = getattr(adapter, "func", None)
    if estimator is not None and callable(getattr(estimator, "predict", None)):
        proba = estimator.predict_proba if adapter.can("predict_proba") else None
        return TextModel(adapter, estimator.predict, proba)
    if func is not None:
        return TextModel(adapter, func, getattr(adapter, "proba", None))
    proba = adapter.predict_proba if adapter.can("predict_proba") else None
    return TextModel(adapter, adapter.predict, proba)
