"""Class rebalancing by resampling rows, for training on imbalanced labels.

``strategy="oversample"`` keeps every row and adds, for each class, rows of that class
drawn *with* replacement until it has as many rows as the largest class (random
oversampling). ``strategy="undersample"`` keeps, for each class, rows drawn *without*
replacement until it has as many rows as the smallest class (random undersampling; rows
are lost). Either way every class ends with exactly the same count. Written here in a few
lines rather than adding imbalanced-learn as a dependency; the API follows its
``fit_resample``. One class only is a :class:`~stalwart.exceptions.DataError` (nothing to
balance).

Rows come back as the input's type (a DataFrame keeps each source row's index label, so a
duplicate shares its source's label; an array or a list by position), originals first in
their order, then the added rows class by class. ``indices_`` holds the source position
of every output row.

>>> import numpy as np
>>> X, y = np.arange(12).reshape(6, 2), np.array([0, 0, 0, 0, 1, 1])
>>> Xr, yr = rebalance(X, y, strategy="oversample", random_state=0)
>>> np.unique(yr, return_counts=True)[1].tolist(), Xr.shape
([4, 4], (8, 2))
>>> rebalance(X, y, strategy="undersample", random_state=0)[1].tolist()
[0, 0, 1, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import DataError, ParameterError
from ._rows import check_xy, take_rows

__all__ = ["STRATEGIES", "RebalanceSampler", "rebalance"]

STRATEGIES = ("oversample", "undersample")


class RebalanceSampler:
    """Resample rows so that every class has the same count (see the module docstring).

    After ``fit_resample``: ``counts_before_`` and ``counts_after_`` (class -> rows) and
    ``indices_`` (source position of each output row)."""

    def __init__(self, *, strategy: str = "oversample", random_state: Any = None) -> None:
        self.strategy = strategy
        self.random_state = random_state

    def fit_resample(self, X: Any, y: Any) -> tuple[Any, Any]:
        if self.strategy not in STRATEGIES:
            raise ParameterError("strategy", expected=f"one of {list(STRATEGIES)}",
                                 got=repr(self.strategy), fix="pass strategy='oversample'")
        labels = check_xy(X, y)
        classes, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
        if classes.size < 2:
            raise DataError("y", expected="at least two classes to balance",
                            got=f"one class ({classes[0]!r})",
                            fix="pass labels with several classes")
        rng = np.random.default_rng(self.random_state)
        if self.strategy == "oversample":
            goal = int(counts.max())
            extra = [rng.choice(np.flatnonzero(codes == k), goal - c, replace=True)
                     for k, c in enumerate(counts)]
            idx = np.concatenate([np.arange(labels.size), *extra])
        else:
            goal = int(counts.min())
            keep = [rng.choice(np.flatnonzero(codes == k), goal, replace=False)
                    for k in range(classes.size)]
            idx = np.sort(np.concatenate(keep))
        self.indices_ = idx.astype(int)
        self.counts_before_ = dict(zip(classes.tolist(), counts.tolist(), strict=True))
        self.counts_after_ = {c: goal for c in classes.tolist()}
        return take_rows(X, self.indices_), take_rows(y if hasattr(y, "iloc") else labels,
                                                      self.indices_)

    def summary(self) -> dict[str, Any]:
        """What the last ``fit_resample`` did, JSON-safe."""
        return jsonable({"strategy": self.strategy, "counts_before": self.counts_before_,
                         "counts_after": self.counts_after_,
                         "n_before": sum(self.counts_before_.values()),
                         "n_after": int(self.indices_.size)})


def rebalance(X: Any, y: Any, *, strategy: str = "oversample",
              random_state: Any = None) -> tuple[Any, Any]:
    """``RebalanceSampler(strategy=..., random_state=...).fit_resample(X, y)``."""
    return RebalanceSampler(strategy=strategy, random_state=random_state).fit_resample(X, y)
