"""Mahalanobis novelty: distance to the reference centre in units of its covariance.

The centre and covariance come from scikit-learn's ``MinCovDet`` (robust: a few outliers in
the reference do not inflate the covariance; default) or ``EmpiricalCovariance``
(``robust=False``), fitted on the standardised training part. The score is the Mahalanobis
distance ``sqrt((x - m)' S^-1 (x - m))``; the threshold is split-conformal (see :mod:`.base`),
not the chi-square quantile, so it holds without assuming normal data.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> det = MahalanobisNovelty(false_flag_rate=0.05).fit(rng.normal(size=(300, 2)))
>>> det.predict(np.array([[0.0, 0.0], [8.0, -8.0]])).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.covariance import EmpiricalCovariance, MinCovDet

from ._numeric import NumericNovelty

__all__ = ["MahalanobisNovelty"]


class MahalanobisNovelty(NumericNovelty):
    """Flag samples at a large Mahalanobis distance from the reference."""

    method = "mahalanobis"

    def __init__(self, *, robust: bool = True, columns: Sequence[str] | None = None,
                 false_flag_rate: float = 0.01, calibration_size: float = 0.3,
                 random_state: int | None = 0, top_k: int = 10) -> None:
        super().__init__(columns=columns, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.robust = robust

    def _fit_matrix(self, z: np.ndarray) -> None:
        if self.robust:
            self.model_ = MinCovDet(random_state=self.random_state).fit(z)
        else:
            self.model_ = EmpiricalCovariance().fit(z)

    def _score_matrix(self, z: np.ndarray) -> np.ndarray:
        return np.sqrt(np.maximum(self.model_.mahalanobis(z), 0.0))

    def _params(self) -> dict[str, Any]:
        return {**super()._params(), "robust": self.robust,
                "estimator": type(self.model_).__name__}
