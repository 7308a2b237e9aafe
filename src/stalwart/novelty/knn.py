"""k-nearest-neighbour novelty: distance to the k-th nearest training sample.

scikit-learn's ``NearestNeighbors`` indexes the standardised training part; the score is the
Euclidean distance from a sample to its ``n_neighbors``-th nearest training row (far from all
reference = unusual). Calibration rows are not in the index, so their distances are honest
and the split-conformal threshold (see :mod:`.base`) keeps its guarantee.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> det = KNNNovelty(n_neighbors=5, false_flag_rate=0.05).fit(rng.normal(size=(300, 2)))
>>> det.predict(np.array([[0.0, 0.0], [8.0, -8.0]])).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ..exceptions import ParameterError
from ._numeric import NumericNovelty

__all__ = ["KNNNovelty"]


class KNNNovelty(NumericNovelty):
    """Flag samples far from their k nearest reference rows."""

    method = "knn"

    def __init__(self, *, n_neighbors: int = 5, columns: Sequence[str] | None = None,
                 false_flag_rate: float = 0.01, calibration_size: float = 0.3,
                 random_state: int | None = 0, top_k: int = 10) -> None:
        super().__init__(columns=columns, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.n_neighbors = n_neighbors

    def _fit_matrix(self, z: np.ndarray) -> None:
        if not isinstance(self.n_neighbors, int) or not 1 <= self.n_neighbors <= z.shape[0]:
            raise ParameterError("n_neighbors", expected=f"an integer in [1, {z.shape[0]}] "
                                 "(the training rows)", got=repr(self.n_neighbors),
                                 fix="use fewer neighbours or more reference rows")
        self.model_ = NearestNeighbors(n_neighbors=self.n_neighbors).fit(z)

    def _score_matrix(self, z: np.ndarray) -> np.ndarray:
        dist, _ = self.model_.kneighbors(z, n_neighbors=self.n_neighbors)
        return dist[:, -1]

    def _params(self) -> dict[str, Any]:
        return {**super()._params(), "n_neighbors": self.n_neighbors}
