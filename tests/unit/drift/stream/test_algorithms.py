"""Algorithm details: ADWIN's bucket statistics, CUSUM's closed form, KSWIN's p-values."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

import stalwart.drift.stream as st
from stalwart.drift.stream.cusum import siegmund_arl


def test_adwin_window_statistics_equal_numpy_while_no_change() -> None:
    x = np.random.default_rng(0).normal(5.0, 2.0, 3000)
    det = st.ADWIN().update_many(x)
    assert det.n_detections == 0 and det.width == 3000
    assert math.isclose(det.mean, x.mean(), rel_tol=1e-12)
    assert math.isclose(det.variance, x.var(), rel_tol=1e-9)
    # exponential histogram: at most max_buckets (+1 while merging) per level, sizes 2**i
    sizes = [2 ** i * len(level) for i, level in enumerate(det.levels_)]
    assert sum(sizes) == 3000
    assert all(len(level) <= det.max_buckets for level in det.levels_)
    assert len(det.levels_) <= math.ceil(math.log2(3000 / det.max_buckets)) + 1
    bucket_sums = [b[0] for level in det.levels_ for b in level]
    assert math.isclose(sum(bucket_sums), x.sum(), rel_tol=1e-12)


def test_adwin_drops_the_old_values_and_keeps_the_new_mean() -> None:
    rng = np.random.default_rng(4)
    det = st.ADWIN(clock=1)
    det.update_many(np.r_[rng.normal(0, 0.5, 1000), rng.normal(2, 0.5, 300)])
    assert det.detections and 1000 <= det.detections[0] < 1040
    assert det.width < 300 and abs(det.mean - 2.0) < 0.15


def test_cusum_siegmund_closed_form() -> None:
    # Siegmund (1985): one-sided ARL0 = (exp(2kb) - 2kb - 1) / (2k^2), b = h + 1.166
    assert round(siegmund_arl(5.0, 0.5, two_sided=False)) == 938
    assert round(siegmund_arl(8.0, 0.5)) == 9556
    # known mean/std: the warm-up is skipped; a +1 sd shift is seen within ~16 steps (ARL1)
    rng = np.random.default_rng(0)
    delays = []
    for _ in range(50):
        det = st.CUSUM(mean=0.0, std=1.0).update_many(rng.normal(1.0, 1.0, 200))
        delays.append(det.detections[0] + 1)
    assert 12 <= np.mean(delays) <= 20


def test_cusum_estimates_mean_and_std_in_the_warm_up() -> None:
    x = np.random.default_rng(1).normal(10.0, 3.0, 100)
    det = st.CUSUM().update_many(x)
    assert math.isclose(det.center_, x.mean()) and math.isclose(det.scale_, x.std(ddof=1))
    assert det.statistic == (0.0, 0.0)
    det.update(10.0 + 3.0 * 9.0)  # one value nine sd away: S+ = 9 - 0.5 > 8
    assert det.drift_detected


def test_kswin_p_values_are_scipys_and_rivers() -> None:
    river_drift = __import__("river.drift", fromlist=["KSWIN"])
    x = np.random.default_rng(5).normal(size=160)
    ours, ref = st.KSWIN(seed=3), river_drift.KSWIN(seed=3)
    for v in x:
        ours.update(v)
        ref.update(v)
        assert math.isclose(ours.p_value, ref.p_value) or ours.n_seen < 100
    full = st.KSWIN(subsample=False).update_many(x)
    older, recent = x[-100:-30], x[-30:]
    assert math.isclose(full.p_value, stats.ks_2samp(older, recent).pvalue)
    assert math.isclose(full.statistic, stats.ks_2samp(older, recent).statistic)
