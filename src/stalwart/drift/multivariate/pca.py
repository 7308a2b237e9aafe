"""PCA reconstruction-error drift test: do current rows leave the reference's subspace?

The reference is encoded (standardised numeric, one-hot categorical) and split at random
into a fitting part and a held-out part. PCA keeping ``variance`` of the variance is fitted
on the fitting part; the reconstruction errors ``||x - inverse(transform(x))||^2`` of the
held-out part are the null sample (fresh rows from the reference distribution, never seen by
the PCA, so they are exchangeable with current rows when nothing changed). Current errors
are tested against them with a one-sided Mann-Whitney U test (scipy; current errors larger);
the statistic reported is the ratio of mean errors, current over held-out reference.

It sees a change in the correlation structure (rows that break the reference's linear
relations), and a shift along directions the reference barely used; a shift along a
principal direction keeps errors small and is better caught by MMD or the classifier.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> z = rng.normal(size=(400, 1))
>>> ref = np.hstack([z, z + 0.1 * rng.normal(size=(400, 1))])
>>> det = PCAReconstructionDrift().fit(ref)
>>> w = rng.normal(size=(200, 1))
>>> broken = np.hstack([w, -w])          # same marginals, correlation flipped
>>> r = det.detect(broken)
>>> r.drifted, r.statistic > 10
(True, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats
from sklearn.decomposition import PCA

from ...exceptions import ParameterError, StageError
from ._encode import TabularEncoder, check_rows
from .result import MultivariateDriftResult

__all__ = ["PCAReconstructionDrift"]

MIN_REFERENCE = 20  # 10 to fit the PCA, 10 held out as the null sample
MIN_CURRENT = 5


class PCAReconstructionDrift:
    """Reconstruction-error test against a held-out part of the reference."""

    def __init__(self, *, variance: float = 0.9, holdout: float = 0.5, alpha: float = 0.05,
                 random_state: int | None = 0) -> None:
        self.variance = variance
        self.holdout = holdout
        self.alpha = alpha
        self.random_state = random_state

    def _validate(self) -> None:
        if not 0 < self.variance < 1:
            raise ParameterError("variance", expected="a share of variance in (0, 1)",
                                 got=repr(self.variance), fix="use 0.9")
        if not 0 < self.holdout < 1:
            raise ParameterError("holdout", expected="a share of the reference in (0, 1)",
                                 got=repr(self.holdout), fix="use 0.5")
        if not 0 < self.alpha < 1:
            raise ParameterError("alpha", expected="a level in (0, 1)", got=repr(self.alpha),
                                 fix="use 0.05")

    def fit(self, reference: Any) -> PCAReconstructionDrift:
        self._validate()
        self.encoder_ = TabularEncoder().fit(reference)
        x = self.encoder_.transform(reference, "reference")
        check_rows(len(x), MIN_REFERENCE, "reference", "the PCA reconstruction test")
        rng = np.random.default_rng(self.random_state)
        order = rng.permutation(len(x))
        n_held = min(max(int(round(self.holdout * len(x))), 10), len(x) - 10)
        held, fit_rows = x[order[:n_held]], x[order[n_held:]]
        self.pca_ = PCA(n_components=self.variance, svd_solver="full").fit(fit_rows)
        self.n_reference_ = len(x)
        self.null_errors_ = self._errors(held)
        return self

    def _errors(self, x: np.ndarray) -> np.ndarray:
        back = self.pca_.inverse_transform(self.pca_.transform(x))
        return np.sum((x - back) ** 2, axis=1)

    def detect(self, current: Any) -> MultivariateDriftResult:
        if not hasattr(self, "pca_"):
            raise StageError("PCAReconstructionDrift.detect called before fit: call "
                             "fit(reference) first")
        x = self.encoder_.transform(current, "current")
        check_rows(len(x), MIN_CURRENT, "current", "the PCA reconstruction test")
        notes = list(self.encoder_.notes_) + list(self.encoder_.last_notes_)
        errors = self._errors(x)
        if self.pca_.n_components_ >= self.pca_.n_features_in_:
            notes.append(f"the PCA keeps every one of the {self.pca_.n_features_in_} encoded "
                         "directions, so errors are ~0 and cannot show drift: lower variance")
        null = self.null_errors_
        null_mean = float(null.mean())
        if null_mean > 0:
            ratio = float(errors.mean() / null_mean)
        else:
            ratio = 1.0 if errors.mean() == 0 else float("inf")
            notes.append("the PCA reconstructs the held-out reference exactly (its error is "
                         "0): the ratio is 1 when current errors are 0 too, else infinite")
        if np.ptp(np.r_[null, errors]) == 0:
            p = 1.0
            notes.append("every reconstruction error is equal: no evidence of drift")
        else:
            p = float(stats.mannwhitneyu(errors, null, alternative="greater").pvalue)
        details = {"n_components": int(self.pca_.n_components_),
                   "explained_variance": float(self.pca_.explained_variance_ratio_.sum()),
                   "n_features_encoded": int(self.pca_.n_features_in_),
                   "n_null": len(null), "null_mean_error": null_mean,
                   "current_mean_error": float(errors.mean()),
                   "p_value_test": "one-sided Mann-Whitney U (current errors larger)"}
        return MultivariateDriftResult(
            method="pca_reconstruction", statistic=ratio, p_value=p, alpha=self.alpha,
            drifted=bool(p < self.alpha), n_reference=self.n_reference_, n_current=len(x),
            statistic_name="mean_error_ratio", details=details, notes=tuple(notes))

