"""The model as an attack sees it: every row scored is counted, and each attacked row has a
budget of rows it may score.

The cost of a black-box attack is the number of rows the model scores, not the number of
calls: an attack may batch freely (one call of 100 rows costs 100). :class:`CountingModel`
wraps any model (``stalwart.models.wrap``) and counts rows for ``predict`` and
``predict_proba``; the rows it is given are float matrices in the attack's encoding, turned
back into the model's input (a frame with the training dtypes, or the plain array) by
``decode``. :class:`RowOracle` is one attacked row's view: it answers "is this candidate
adversarial?" (a different predicted label from the row's own) or gives the margin of the
row's class from ``predict_proba``, and stops the attack with :class:`BudgetSpent` once the
row's budget is used up (a batch that would overrun it is cut to the rows left).

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> model = CountingModel(LogisticRegression().fit(X, [0, 0, 1, 1]))
>>> oracle = RowOracle(model, label_index=0, budget=3)
>>> oracle.adversarial(np.array([[0.1], [2.9]])).tolist(), model.rows, oracle.left
([False, True], 2, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...exceptions import ModelError
from ...models import ModelAdapter, wrap

__all__ = ["BudgetSpent", "CountingModel", "RowOracle"]


class BudgetSpent(Exception):
    """Raised inside an attack when its row has no budget left (caught by the attack)."""


class CountingModel:
    """A model whose every scored row is counted in ``rows``."""

    def __init__(self, model: Any, *, decode: Callable[[np.ndarray], Any] | None = None
                 ) -> None:
        self.adapter: ModelAdapter = wrap(model)
        if self.adapter.task != "classification":
            raise ModelError("model", expected="a classifier (attacks change a predicted "
                             "class)", got=f"a {self.adapter.task} model",
                             fix="attack a classifier, or stress a regressor with perturb")
        self._decode = decode or (lambda Z: Z)
        self.rows = 0
        self.classes = np.asarray(self.adapter.classes_)

    def _count(self, Z: np.ndarray) -> Any:
        self.rows += len(Z)
        return self._decode(np.asarray(Z, dtype=float))

    def predict(self, Z: np.ndarray) -> np.ndarray:
        """Predicted labels of the rows of ``Z`` (counted)."""
        if len(Z) == 0:
            return np.empty(0, dtype=self.classes.dtype)
        return np.asarray(self.adapter.predict(self._count(Z)))

    def predict_proba(self, Z: np.ndarray) -> np.ndarray:
        """Class probabilities of the rows of ``Z`` (counted)."""
        if not self.adapter.can("predict_proba"):
            raise ModelError("model", expected="a classifier with predict_proba (a "
                             "score-based attack reads class probabilities)",
                             got=f"{self.adapter.name} with only "
                             f"{sorted(self.adapter.capabilities)}",
                             fix="use method='decision', which needs only predict")
        if len(Z) == 0:
            return np.empty((0, len(self.classes)))
        return np.asarray(self.adapter.predict_proba(self._count(Z)), dtype=float)


class RowOracle:
    """One attacked row's access to the model, within ``budget`` scored rows."""

    def __init__(self, model: CountingModel, *, label_index: int, budget: int) -> None:
        self.model = model
        self.label_index = label_index
        self.label = model.classes[label_index]
        self.left = int(budget)

    def _take(self, Z: np.ndarray) -> np.ndarray:
        Z = np.atleast_2d(Z)
        if self.left <= 0:
            raise BudgetSpent
        Z = Z[: self.left]
        self.left -= len(Z)
        return Z

    def adversarial(self, Z: np.ndarray) -> np.ndarray:
        """Whether each candidate is predicted as another class (may be fewer than ``Z``
        when the budget runs out mid-batch)."""
        return self.model.predict(self._take(Z)) != self.label

    def margin(self, Z: np.ndarray) -> np.ndarray:
        """The row's class probability minus the largest other one; below 0 (or 0 with a
        lost tie) the prediction has changed."""
        P = self.model.predict_proba(self._take(Z))
        own = P[:, self.label_index]
        other = np.delete(P, self.label_index, axis=1).max(axis=1)
        return own - other
