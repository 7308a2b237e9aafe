"""Novelty detectors: flagged share on new reference-like data, and power on planted novelty.

False-flag rate: for continuous scores and exchangeable data, the number ``X`` of flags among
``m`` new samples after split-conformal calibration on ``n`` scores follows the beta-binomial
law ``BetaBinom(m, n + 1 - k, k)``, ``k = ceil((n + 1)(1 - a))`` (the binomial with the
calibration's own randomness; its mean is ``(n + 1 - k) / (n + 1) <= a``). Each detector's
``X`` must lie in that law's central 99.8% (ties, as in word shares, only lower ``X``, so the
text detectors are held to the upper bound). The pipeline rule is fixed, not calibrated: its
``X`` must stay under the binomial bound of the rate measured on held-out reference.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from stalwart.novelty import (GMMNovelty, IsolationForestNovelty, KNNNovelty, MahalanobisNovelty,
                              OOVNovelty, PipelinePathNovelty, TextEmbeddingNovelty,
                              TextLengthNovelty)

RATE, N_REF, M_NEW = 0.05, 800, 1500


def _table(n: int, seed: int) -> np.ndarray:
    """Skewed, bimodal, correlated: nothing here assumes normal data."""
    rng = np.random.default_rng(seed)
    mode = rng.random(n) < 0.3
    x1 = np.where(mode, rng.normal(4, 0.7, n), rng.normal(0, 1, n))
    x2 = 0.6 * x1 + rng.gamma(2.0, 1.0, n)
    x3 = rng.lognormal(0, 0.5, n)
    return np.column_stack([x1, x2, x3])


def _bounds(det) -> tuple[int, int]:
    n = det.n_calibration_
    k = math.ceil((n + 1) * (1 - RATE) - 1e-9)
    law = stats.betabinom(M_NEW, n + 1 - k, k)
    return int(law.ppf(0.001)), int(law.ppf(0.999))


NUMERIC = [GMMNovelty(false_flag_rate=RATE, n_components_range=(1, 2, 3)),
           IsolationForestNovelty(false_flag_rate=RATE), KNNNovelty(false_flag_rate=RATE),
           MahalanobisNovelty(false_flag_rate=RATE)]


@pytest.mark.parametrize("det", NUMERIC, ids=lambda d: d.method)
def test_numeric_false_flag_rate_and_power(det):
    det.fit(_table(N_REF, 0))
    flags = det.predict(_table(M_NEW, 1))
    lo, hi = _bounds(det)
    assert lo <= flags.sum() <= hi, (flags.mean(), lo, hi)
    shifted = _table(300, 2) + np.array([0.0, 0.0, 6.0])  # x3 moved by ~10 of its sd
    assert det.predict(shifted).mean() >= 0.95


def _words(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return np.array(["".join(rng.choice(letters, 6)) for _ in range(1500)])


VOCAB = _words(0)
ZIPF = 1.0 / np.arange(1, VOCAB.size + 1) ** 1.1
ZIPF /= ZIPF.sum()


def _docs(n: int, seed: int, vocab=VOCAB, p=ZIPF) -> list[str]:
    rng = np.random.default_rng(seed)
    lengths = rng.poisson(12, n) + 1
    return [" ".join(rng.choice(vocab, k, p=p)) for k in lengths]


TEXT = [OOVNovelty(false_flag_rate=RATE), TextLengthNovelty(false_flag_rate=RATE),
        TextEmbeddingNovelty(embedder="tfidf-svd", false_flag_rate=RATE,
                             n_components_range=(1, 2))]


@pytest.mark.parametrize("det", TEXT, ids=lambda d: d.method)
def test_text_false_flag_rate(det):
    det.fit(_docs(N_REF, 3))
    flags = det.predict(_docs(M_NEW, 4))
    _, hi = _bounds(det)
    if det.method == "text_length":  # two sides at RATE / 2 each: union of two laws' bounds
        n = det.n_calibration_
        k = math.ceil((n + 1) * (1 - RATE / 2) - 1e-9)
        hi = 2 * int(stats.betabinom(M_NEW, n + 1 - k, k).ppf(0.9995))
    assert flags.sum() <= hi, (flags.mean(), hi)
    assert flags.mean() >= RATE / 5  # calibrated, not trivially silent


def test_text_power():
    ref = _docs(N_REF, 5)
    other = _docs(300, 6, vocab=_words(1))  # another vocabulary
    assert OOVNovelty(false_flag_rate=RATE).fit(ref).predict(other).mean() >= 0.99
    emb = TextEmbeddingNovelty(embedder="tfidf-svd", false_flag_rate=RATE,
                               n_components_range=(1, 2)).fit(ref)
    assert emb.predict(other).mean() >= 0.95
    long = [d + " " + d + " " + d for d in _docs(300, 7)]  # three times as long
    assert TextLengthNovelty(false_flag_rate=RATE).fit(ref).predict(long).mean() >= 0.9


def _routes(n: int, seed: int) -> list[tuple[tuple[str, ...], str]]:
    rng = np.random.default_rng(seed)
    paths = [("in", f"branch{i % 7}", f"model{i % 3}") for i in range(21)]
    weights = 1.0 / np.arange(1, 22)
    idx = rng.choice(21, n, p=weights / weights.sum())
    return [(paths[i], f"out{(i * 5) % 4}") for i in idx]


def test_pipeline_path_flag_rate_and_power():
    det = PipelinePathNovelty(false_flag_rate=RATE).fit(_routes(N_REF, 8))
    flags = det.predict(_routes(M_NEW, 9))
    measured = det.expected_false_flag_rate_
    upper = stats.binomtest(round(measured * det.n_calibration_),
                            det.n_calibration_).proportion_ci(0.999).high
    assert flags.sum() <= stats.binom(M_NEW, upper).ppf(0.999)
    swapped = [(p, "out9" if i % 2 else o) for i, (p, o) in enumerate(_routes(200, 10))]
    broken = [(p + ("retry",), o) for p, o in _routes(200, 11)]
    assert det.predict(swapped)[1::2].all() and det.predict(broken).all()


def test_average_flag_rate_over_repeated_calibrations():
    """30 independent references: the total of flags matches the exact mean, not just a bound.

    Each run's count is BetaBinom(m, n + 1 - k, k); the sum of 30 independent ones has a known
    mean and variance, and must lie within 4 standard deviations of the mean.
    """
    reps, n_ref, m = 30, 300, 200
    total, mean, var = 0, 0.0, 0.0
    for seed in range(reps):
        det = KNNNovelty(false_flag_rate=0.1, random_state=seed).fit(_table(n_ref, 100 + seed))
        total += int(det.predict(_table(m, 200 + seed)).sum())
        n = det.n_calibration_
        k = math.ceil((n + 1) * (1 - 0.1) - 1e-9)
        law = stats.betabinom(m, n + 1 - k, k)
        mean, var = mean + law.mean(), var + law.var()
    assert abs(total - mean) <= 4 * math.sqrt(var), (total / (reps * m), mean / (reps * m))
    assert mean / (reps * m) <= 0.1
