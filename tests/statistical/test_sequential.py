"""False alarms under repeated testing: the budget holds on stationary streams; power.

Two simulations of stationary streams. (1) Exact null, vectorised: every window's p-value is
U(0, 1), as for any exact test; 20,000 streams of 200 windows. (2) Real tests: 500 streams
of 60 windows, each window (50 values) compared with the stream's reference (200 values) by
scipy's two-sample KS test; every window shares the reference, so the tests are dependent,
which the union bound covers. The share of streams with any false alarm must be <= rate
within a one-sided binomial bound (99.9%).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from stalwart.drift.sequential import AlarmBudget, ks_window_pvalues, spending_levels

RATE = 0.05


def binomial_upper(n: int, p: float, q: float = 0.999) -> float:
    """Largest share of ``n`` streams compatible with a probability ``p`` (quantile ``q``)."""
    return float(stats.binom.ppf(q, n, p)) / n


def run_budget(pvalues: np.ndarray, **params: object) -> list[tuple[int, ...]]:
    out = []
    for row in pvalues:
        budget = AlarmBudget(**params)
        for p in row.tolist():
            budget.update(p)
        out.append(budget.alarms)
    return out


def test_exact_null_open_ended_spending() -> None:
    n, windows = 20_000, 200
    p = np.random.default_rng(0).random((n, windows))
    levels = spending_levels(windows, rate=RATE)
    share = np.mean((p <= levels).any(axis=1))
    expected = 1 - np.prod(1 - levels)  # 0.0486 for independent windows
    assert expected <= RATE
    assert share <= binomial_upper(n, RATE)
    lo, hi = stats.binom.ppf([0.0005, 0.9995], n, expected) / n
    assert lo <= share <= hi  # and it is not more conservative than it should be
    # without a budget (0.05 per window) almost every stream raises a false alarm
    assert np.mean((p <= RATE).any(axis=1)) > 0.99
    # the class takes the same decisions as the vectorised levels
    rows = p[:150]
    assert run_budget(rows, rate=RATE) == [tuple(np.flatnonzero(r <= levels).tolist())
                                           for r in rows]


def test_exact_null_horizon_blocks_and_confirmation() -> None:
    n, windows, horizon = 20_000, 200, 50
    p = np.random.default_rng(1).random((n, windows))
    rejected = p <= spending_levels(windows, rate=RATE, horizon=horizon)
    blocks = rejected.reshape(n, windows // horizon, horizon)
    any_in_block = blocks.any(axis=2).mean()
    assert any_in_block <= binomial_upper(n * windows // horizon, RATE)
    per_block = blocks.sum(axis=2).mean()  # expected false alarms per 50 windows <= rate
    assert per_block <= RATE + 3 * np.sqrt(RATE / (n * windows // horizon))
    # two windows in a row: far fewer alarms, still bounded
    both = rejected[:, 1:] & rejected[:, :-1]
    assert both.any(axis=1).mean() <= any_in_block / 10


def test_real_ks_tests_keep_the_rate() -> None:
    n, windows = 500, 60
    shares = {}
    pvals = []
    for seed in range(n):
        rng = np.random.default_rng(seed)
        pvals.append(ks_window_pvalues(rng.normal(size=200), rng.normal(size=(windows, 50))))
    pvals = np.array(pvals)
    # the KS test is conservative on its own (P(p <= a) <= a at every window)
    assert np.mean(pvals <= 0.05) <= binomial_upper(n * windows, 0.05)
    shares["open"] = np.mean([bool(a) for a in run_budget(pvals, rate=RATE)])
    rejected = pvals <= spending_levels(windows, rate=RATE, horizon=windows)
    shares["horizon"] = rejected.any(axis=1).mean()
    shares["confirm"] = (rejected[:, 1:] & rejected[:, :-1]).any(axis=1).mean()
    for name, share in shares.items():
        assert share <= binomial_upper(n, RATE), (name, shares)
    assert np.mean((pvals <= RATE).any(axis=1)) > 0.5  # naive per-window testing


def test_power_a_change_at_window_30_is_alarmed_within_three_windows() -> None:
    n, windows, change = 100, 60, 30
    delays, early = [], 0
    for seed in range(n):
        rng = np.random.default_rng(1000 + seed)
        data = rng.normal(size=(windows, 100))
        data[change:] += 0.75
        p = ks_window_pvalues(rng.normal(size=400), data)
        budget = AlarmBudget(rate=RATE)
        for v in p.tolist():
            budget.update(v)
        early += any(a < change for a in budget.alarms)
        after = [a for a in budget.alarms if a >= change]
        delays.append(after[0] - change if after else windows)
    assert early / n <= binomial_upper(n, RATE)  # a false alarm before the change
    assert np.mean(np.array(delays) <= 2) >= 0.95
    # the horizon mode spends rate / 60 on every window: flat power
    budget = AlarmBudget(rate=RATE, horizon=60)
    assert np.isclose(budget.update(0.5).decisions[0].level, RATE / 60)
