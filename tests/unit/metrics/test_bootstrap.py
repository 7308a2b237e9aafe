"""The percentile bootstrap: seeded, contains the estimate, shrinks, covers, skips."""

import json

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.metrics import evaluate
from stalwart.metrics.bootstrap import percentile_interval, resample_indices


def _noisy(n, seed, acc=0.8):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return y, np.where(rng.random(n) < acc, y, 1 - y)


def test_interval_contains_estimate_and_is_seeded():
    y, pred = _noisy(400, 0)
    a = evaluate(y, y_pred=pred, n_boot=500, random_state=7)
    b = evaluate(y, y_pred=pred, n_boot=500, random_state=7)
    c = evaluate(y, y_pred=pred, n_boot=500, random_state=8)
    assert a.to_dict() == b.to_dict()
    assert a["accuracy"].low != c["accuracy"].low
    for name, iv in a.metrics.items():
        assert iv.low <= iv.estimate <= iv.high, name
        assert iv.n_boot == 500 and iv.n_skipped == 0 and iv.confidence == 0.95
    json.dumps(a.to_dict())


def test_interval_shrinks_with_more_data():
    widths = []
    for n in (100, 400, 1600):
        y, pred = _noisy(n, 1)
        iv = evaluate(y, y_pred=pred, metrics=["accuracy"], n_boot=500)["accuracy"]
        widths.append(iv.high - iv.low)
    assert widths[0] > widths[1] > widths[2]
    # width of a binomial proportion's interval scales as 1/sqrt(n)
    assert widths[0] / widths[2] == pytest.approx(4.0, rel=0.25)


def test_coverage_of_known_accuracy_is_near_nominal():
    # 200 runs of a Bernoulli(0.8) correctness process: the 95% interval should cover 0.8
    covered = 0
    for rep in range(200):
        y, pred = _noisy(200, 1000 + rep, acc=0.8)
        iv = evaluate(y, y_pred=pred, metrics=["accuracy"], n_boot=400,
                      random_state=rep)["accuracy"]
        covered += iv.low <= 0.8 <= iv.high
    assert 0.9 <= covered / 200 <= 0.99


def test_resamples_without_both_classes_are_skipped_and_counted():
    y = np.array([0] * 9 + [1])
    proba = np.linspace(0.05, 0.95, 10)
    iv = evaluate(y, proba=proba, metrics=["roc_auc"], n_boot=300)["roc_auc"]
    # P(resample lacks the one positive) = 0.9 ** 10 ~ 0.35
    assert 0.25 * 300 < iv.n_skipped < 0.45 * 300
    assert iv.estimate == 1.0 and iv.low == iv.high == 1.0


def test_metric_undefined_on_the_full_data_is_a_clear_error():
    with pytest.raises(DataError, match="metric 'roc_auc'.*defined"):
        evaluate([1, 1, 1], proba=[[0.2, 0.8], [0.4, 0.6], [0.5, 0.5]], classes=[0, 1],
                 metrics=["roc_auc"], n_boot=10)


def test_percentile_interval_quantiles_and_all_skipped():
    values = np.arange(101, dtype=float)
    iv = percentile_interval(50.0, values, confidence=0.9)
    assert (iv.low, iv.high) == (pytest.approx(5.0, rel=1e-12), 95.0)
    empty = percentile_interval(1.0, np.full(4, np.nan), confidence=0.95)
    assert np.isnan(empty.low) and empty.n_skipped == 4
    assert empty.to_dict()["low"] is None


def test_resampling_is_chunked_and_deterministic(monkeypatch):
    import stalwart.metrics.bootstrap as bs

    monkeypatch.setattr(bs, "_CHUNK_CELLS", 50)
    chunks = list(resample_indices(20, n_boot=7, random_state=0))
    assert [c.shape for c in chunks] == [(2, 20)] * 3 + [(1, 20)]
    again = np.concatenate(list(resample_indices(20, n_boot=7, random_state=0)))
    np.testing.assert_array_equal(np.concatenate(chunks), again)
    assert again.min() >= 0 and again.max() < 20


@pytest.mark.parametrize("kw", [{"n_boot": -1}, {"n_boot": 1.5}, {"confidence": 1.0},
                                {"confidence": 0.0}])
def test_bad_options(kw):
    with pytest.raises(ParameterError):
        evaluate([0, 1], y_pred=[0, 1], **kw)
