"""PCA reconstruction: held-out null, error ratio, correlation break detected, notes."""

import numpy as np
import pytest
from scipy import stats

from stalwart.drift.multivariate import PCAReconstructionDrift
from stalwart.exceptions import DataError, ParameterError, StageError


def _correlated(rng, n, sign=1.0):
    z = rng.normal(size=(n, 1))
    return np.hstack([z, sign * z + 0.2 * rng.normal(size=(n, 1)), rng.normal(size=(n, 2))])


def test_ratio_and_p_value_follow_their_definitions():
    rng = np.random.default_rng(0)
    det = PCAReconstructionDrift(variance=0.7).fit(_correlated(rng, 400))
    assert det.null_errors_.shape == (200,)
    cur = _correlated(rng, 150, sign=-1.0)
    r = det.detect(cur)
    errors = det._errors(det.encoder_.transform(cur))
    assert r.statistic == pytest.approx(errors.mean() / det.null_errors_.mean())
    assert r.p_value == pytest.approx(
        stats.mannwhitneyu(errors, det.null_errors_, alternative="greater").pvalue)
    assert r.drifted and r.statistic > 2
    assert r.details["n_components"] < r.details["n_features_encoded"] == 4
    assert not det.detect(_correlated(rng, 150)).drifted


def test_keeping_every_direction_is_stated():
    rng = np.random.default_rng(1)
    r = PCAReconstructionDrift(variance=0.99).fit(rng.normal(size=(60, 1))).detect(
        rng.normal(size=(20, 1)))
    assert not r.drifted and any("keeps every one" in n for n in r.notes)


def test_errors():
    rng = np.random.default_rng(2)
    with pytest.raises(StageError):
        PCAReconstructionDrift().detect(np.zeros((20, 2)))
    with pytest.raises(DataError, match="at least 20 rows"):
        PCAReconstructionDrift().fit(rng.normal(size=(12, 2)))
    with pytest.raises(ParameterError):
        PCAReconstructionDrift(variance=1.0).fit(rng.normal(size=(40, 2)))
