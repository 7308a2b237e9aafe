"""Gaussian-mixture novelty: minus the log-likelihood under a mixture fitted to the reference.

The mixture is scikit-learn's ``GaussianMixture`` on standardised features; the number of
components is chosen by BIC over ``n_components_range`` (default 1..5) unless
``n_components`` is given. The score is ``-log p(x)``, so a sample in a region the reference
never covered scores high; the threshold is split-conformal (see :mod:`.base`).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> det = GMMNovelty(false_flag_rate=0.05).fit(rng.normal(size=(300, 2)))
>>> det.n_components_ >= 1
True
>>> det.predict(np.array([[0.0, 0.0], [8.0, -8.0]])).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.mixture import GaussianMixture

from ..exceptions import ParameterError
from ._numeric import NumericNovelty

__all__ = ["GMMNovelty", "fit_gmm_bic", "note_skipped"]


def fit_gmm_bic(z: np.ndarray, *, n_components: int | None,
                n_components_range: Sequence[int], covariance_type: str,
                random_state: int | None) -> tuple[GaussianMixture, dict[int, float]]:
    """Fit ``GaussianMixture`` for each candidate size and keep the lowest BIC.

    Sizes above ``rows // 10`` (too few rows per component to estimate it) are not tried;
    ``bic`` has an entry per size tried, so the skipped ones are visible in the result.
    """
    most = max(1, z.shape[0] // 10)
    if n_components is not None:
        if not isinstance(n_components, int) or not 1 <= n_components <= most:
            raise ParameterError("n_components", expected=f"an integer in [1, {most}] (at "
                                 f"least 10 training rows per component)",
                                 got=repr(n_components),
                                 fix="use fewer components, more reference rows, or None "
                                     "to choose by BIC")
        candidates = [n_components]
    else:
        candidates = sorted({int(k) for k in n_components_range if 1 <= int(k) <= most}) or [1]
    best, bics = None, {}
    for k in candidates:
        # k-means++ seeding: a full k-means run per candidate cost more than the EM itself
        gm = GaussianMixture(n_components=k, covariance_type=covariance_type, reg_covar=1e-3,
                             init_params="k-means++", random_state=random_state).fit(z)
        bics[k] = float(gm.bic(z))
        if best is None or bics[k] < bics[best.n_components]:
            best = gm
    return best, bics


def note_skipped(notes: list[str], n_components: int | None, sizes: Sequence[int],
                  bic: dict[int, float]) -> None:
    skipped = sorted({int(k) for k in sizes} - set(bic)) if n_components is None else []
    if skipped:
        notes.append(f"mixture sizes {skipped} not tried: fewer than 10 training rows per "
                     "component")


class GMMNovelty(NumericNovelty):
    """Flag samples of low likelihood under a Gaussian mixture fitted on the reference."""

    method = "gmm"

    def __init__(self, *, n_components: int | None = None,
                 n_components_range: Sequence[int] = (1, 2, 3, 4, 5),
                 covariance_type: str = "full", columns: Sequence[str] | None = None,
                 false_flag_rate: float = 0.01, calibration_size: float = 0.3,
                 random_state: int | None = 0, top_k: int = 10) -> None:
        super().__init__(columns=columns, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.n_components = n_components
        self.n_components_range = n_components_range
        self.covariance_type = covariance_type

    def _fit_matrix(self, z: np.ndarray) -> None:
        self.model_, self.bic_ = fit_gmm_bic(
            z, n_components=self.n_components, n_components_range=self.n_components_range,
            covariance_type=self.covariance_type, random_state=self.random_state)
        self.n_components_ = int(self.model_.n_components)
        note_skipped(self.notes_, self.n_components, self.n_components_range, self.bic_)

    def _score_matrix(self, z: np.ndarray) -> np.ndarray:
        return -self.model_.score_samples(z)

    def _params(self) -> dict[str, Any]:
        return {**super()._params(), "n_components": self.n_components_,
                "bic": self.bic_, "covariance_type": self.covariance_type}
