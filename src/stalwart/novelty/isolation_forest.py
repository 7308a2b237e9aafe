"""Isolation-forest novelty: samples that random splits isolate quickly are unusual.

scikit-learn's ``IsolationForest`` is fitted on the standardised training part; the score is
minus its ``score_samples`` (higher = easier to isolate = more unusual). The forest's own
``contamination`` cut-off is not used: the threshold is split-conformal (see :mod:`.base`).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> det = IsolationForestNovelty(false_flag_rate=0.05).fit(rng.normal(size=(300, 2)))
>>> det.predict(np.array([[0.0, 0.0], [8.0, -8.0]])).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.ensemble import IsolationForest

from ._numeric import NumericNovelty

__all__ = ["IsolationForestNovelty"]


class IsolationForestNovelty(NumericNovelty):
    """Flag samples that an isolation forest trained on the reference isolates quickly."""

    method = "isolation_forest"

    def __init__(self, *, n_estimators: int = 100, columns: Sequence[str] | None = None,
                 false_flag_rate: float = 0.01, calibration_size: float = 0.3,
                 random_state: int | None = 0, top_k: int = 10) -> None:
        super().__init__(columns=columns, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.n_estimators = n_estimators

    def _fit_matrix(self, z: np.ndarray) -> None:
        self.model_ = IsolationForest(n_estimators=self.n_estimators,
                                      random_state=self.random_state).fit(z)

    def _score_matrix(self, z: np.ndarray) -> np.ndarray:
        return -self.model_.score_samples(z)

    def _params(self) -> dict[str, Any]:
        return {**super()._params(), "n_estimators": self.n_estimators}
