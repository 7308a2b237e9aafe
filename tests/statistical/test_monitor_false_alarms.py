"""The monitor's drift alarm keeps its stated false-alarm rate over repeated daily windows.

Seeded repetitions of a stationary 60-day stream (each against its own reference): the
share of streams with any ``drift_alarm`` must stay within the AlarmBudget's rate (open-ended
alpha spending: P(any false alarm) <= 0.05) up to binomial noise, and the window p-values
(Bonferroni minimum over the features) must be valid: P(p <= 0.05) <= 0.05.
Measured (seeds 1000-1019): 0 of 20 streams with an alarm; 4.25% of the 1200 window
p-values <= 0.05.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.drift.sequential import AlarmBudget
from stalwart.monitoring.evaluate import evaluate_windows
from stalwart.monitoring.spec import MonitorSpec

N_REPS, DAYS, PER_DAY, RATE = 20, 60, 200, 0.05


def _frame(rng: np.random.Generator, n: int, start: pd.Timestamp, days: int) -> pd.DataFrame:
    offsets = np.sort(rng.uniform(0, days * 86_400, n))
    return pd.DataFrame({"timestamp": start + pd.to_timedelta(offsets, unit="s"),
                         "features.x": rng.normal(size=n),
                         "features.t": rng.standard_t(3, size=n),
                         "features.c": rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1])})


@pytest.mark.slow  # 1200 windows: about 25 s on 2 busy cores
def test_drift_alarm_false_alarm_rate_over_seeded_streams():
    start = pd.Timestamp("2026-01-01", tz="UTC")
    spec = MonitorSpec(name="null", window="1D",
                       metrics={"data_drift": {"alarm_rate": RATE}})
    streams_with_alarm, p_values = 0, []
    for seed in range(N_REPS):
        rng = np.random.default_rng(1000 + seed)
        reference = _frame(rng, 1500, start - pd.Timedelta(days=30), 30)
        results = evaluate_windows(spec, _frame(rng, DAYS * PER_DAY, start, DAYS),
                                   reference=reference)
        assert len(results) == DAYS
        streams_with_alarm += any(r.metrics["drift_alarm"] == 1.0 for r in results)
        p_values += [r.metrics["drift_p_value"] for r in results]
    # P(>= this many streams with an alarm | rate 0.05) < 0.3%
    limit = int(stats.binom.isf(0.003, N_REPS, RATE))
    assert streams_with_alarm <= limit
    p = np.asarray(p_values)
    share = float(np.mean(p <= 0.05))
    assert share <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / p.size)
    # the same p-values judged per block of 30 windows (horizon): <= RATE alarms per block
    blocks_with_alarm = 0
    for rep in p.reshape(N_REPS, DAYS):
        budget = AlarmBudget(rate=RATE, horizon=30)
        for value in rep:
            budget.update(value)
        blocks_with_alarm += len({w // 30 for w in budget.alarms})
    assert blocks_with_alarm <= int(stats.binom.isf(0.003, 2 * N_REPS, RATE))
