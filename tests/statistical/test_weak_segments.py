"""Weak segments: random errors report nothing (at most 5% of null runs report any slice);
a region with noisier labels is found and ranked first in at least 90% of runs."""

import numpy as np
import pandas as pd
import pytest

from stalwart.slicing import find_weak_segments, row_loss

pytestmark = pytest.mark.slow

RUNS = 100


def _features(rng, n):
    return pd.DataFrame({"region": rng.choice(["n", "s", "e", "w"], n),
                         "x1": rng.normal(size=n), "x2": rng.uniform(size=n),
                         "plan": rng.choice(["a", "b", "c"], n)})


def _noisy_labels(seed, n, region_noise):
    """A model that predicts the clean rule; observed labels are flipped at random, more
    often where ``region_noise`` says so, so the model's errors are the flips."""
    rng = np.random.default_rng(seed)
    X = _features(rng, n)
    y_pred = (X["x1"] + X["x2"] > 0.5).astype(int).to_numpy()
    flip = rng.random(n) < region_noise(X)
    return X, row_loss(np.where(flip, 1 - y_pred, y_pred), y_pred=y_pred)


@pytest.mark.parametrize("correction", ["holm", "bh"])
def test_random_errors_report_no_slice(correction):
    reported = 0
    for seed in range(RUNS):
        X, err = _noisy_labels(seed, 1000, lambda X: np.full(len(X), 0.15))
        reported += bool(find_weak_segments(X, err, correction=correction).segments)
    assert reported <= 0.05 * RUNS


def test_random_continuous_loss_reports_no_slice():
    reported = 0
    for seed in range(RUNS):
        rng = np.random.default_rng(10_000 + seed)
        X = _features(rng, 1000)
        loss = rng.exponential(size=1000)  # heavy-ish right tail, like a log loss
        reported += bool(find_weak_segments(X, loss).segments)
    assert reported <= 0.05 * RUNS


def test_planted_categorical_region_is_found_first():
    first = 0
    for seed in range(RUNS):
        X, err = _noisy_labels(1000 + seed, 2000,
                               lambda X: np.where(X["region"] == "e", 0.30, 0.15))
        found = find_weak_segments(X, err).segments
        first += bool(found) and found[0].conditions == ("region == e",)
    assert first >= 0.9 * RUNS


def test_planted_numeric_region_is_found_first():
    first = 0
    for seed in range(RUNS):
        X, err = _noisy_labels(2000 + seed, 2000,
                               lambda X: np.where(X["x1"] > 0.8416, 0.30, 0.15))  # top 20%
        found = find_weak_segments(X, err).segments
        first += (bool(found) and found[0].columns == ("x1",)
                  and found[0].labels[0].startswith("> "))
    assert first >= 0.9 * RUNS
