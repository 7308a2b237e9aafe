"""AlarmBudget: levels, horizon blocks, confirmation, untested windows, records; KS windows."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from stalwart.drift.sequential import (AlarmBudget, AlarmHistory, ks_window_pvalues,
                                       spending_levels)
from stalwart.exceptions import DataError, ParameterError


def test_open_ended_levels_sum_to_the_rate() -> None:
    levels = spending_levels(1_000_000, rate=0.05)
    assert levels.sum() < 0.05
    assert math.isclose(levels.sum(), 0.05, rel_tol=1e-5)
    assert math.isclose(levels[0], 0.05 * 6 / math.pi ** 2)
    assert math.isclose(levels[29], 0.05 * 6 / (math.pi ** 2 * 900))
    assert np.all(np.diff(levels) < 0)


def test_budget_matches_the_vectorised_levels_and_records_spending() -> None:
    p = np.random.default_rng(0).random(40)
    budget = AlarmBudget(rate=0.1)
    for v in p:
        budget.update(v)
    levels = spending_levels(40, rate=0.1)
    assert [d.level for d in budget.decisions] == pytest.approx(levels.tolist())
    assert [d.spent for d in budget.decisions] == pytest.approx(np.cumsum(levels).tolist())
    assert budget.alarms == tuple(np.flatnonzero(p <= levels).tolist())
    assert budget.spent == pytest.approx(levels.sum())


def test_horizon_renews_the_budget_every_block() -> None:
    budget = AlarmBudget(rate=0.05, horizon=4)
    for p in [0.5] * 9:
        budget.update(p)
    assert {d.level for d in budget.decisions} == {0.0125}
    assert [round(d.spent, 4) for d in budget.decisions] == [0.0125, 0.025, 0.0375, 0.05,
                                                             0.0125, 0.025, 0.0375, 0.05,
                                                             0.0125]
    assert "window 1 of the budget" in budget.decisions[4].reason
    assert "each block of 4 windows" in budget.guarantee


def test_consecutive_confirmation() -> None:
    budget = AlarmBudget(rate=0.05, consecutive=2)
    for p in [1e-9, 0.9, 1e-9, 1e-9, 1e-9, 0.9]:
        budget.update(p)
    d = budget.decisions
    assert [x.rejected for x in d] == [True, False, True, True, True, False]
    assert [x.streak for x in d] == [1, 0, 1, 2, 3, 0]
    assert budget.alarms == (3, 4)
    assert d[0].reason.startswith("rejected, waiting for confirmation")
    assert "2 in a row, 2 needed" in d[3].reason
    assert not budget.alarm


def test_untested_windows_spend_nothing_and_break_the_streak() -> None:
    budget = AlarmBudget(consecutive=2)
    budget.update(1e-9).update(None, note="empty window").update(float("nan")).update(1e-9)
    d = budget.decisions
    assert [x.window for x in d] == [0, 1, 2, 3]
    assert d[1].p_value is None and d[1].level == 0.0 and d[1].reason == "not tested: empty window"
    assert d[2].reason == "not tested (no p-value)"
    assert d[3].level == pytest.approx(spending_levels(2)[1])  # the 2nd tested window
    assert d[3].streak == 1 and budget.alarms == ()


def test_history_is_a_json_able_record() -> None:
    budget = AlarmBudget(rate=0.05)
    for p in [0.4, 1e-8, 0.2]:
        budget.update(p)
    hist = budget.history()
    assert isinstance(hist, AlarmHistory) and hist.first_alarm == 1
    out = hist.to_dict()
    json.dumps(out)
    assert out["schema_version"] == "1.0" and out["alarms"] == [1]
    assert out["decisions"][1]["alarm"] is True and "alpha spending" in out["guarantee"]
    assert budget.reset().decisions == () and budget.spent == 0.0


@pytest.mark.parametrize("params", [{"rate": 0.0}, {"rate": 1.5}, {"horizon": 0},
                                    {"horizon": 2.5}, {"consecutive": 0}])
def test_bad_parameters(params: dict) -> None:
    with pytest.raises(ParameterError):
        AlarmBudget(**params).update(0.5)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("inf")])
def test_bad_p_values(bad: float) -> None:
    with pytest.raises(DataError, match="p_value"):
        AlarmBudget().update(bad)


def test_ks_window_pvalues_equal_scipy_with_ties_and_mixed_sizes() -> None:
    rng = np.random.default_rng(1)
    ref = rng.integers(0, 5, 120).astype(float)
    windows = [rng.integers(0, 6, n).astype(float) for n in (10, 30, 30, 75)]
    windows.append(np.array([np.nan, np.nan]))
    p = ks_window_pvalues(ref, windows)
    expect = [stats.ks_2samp(w, ref).pvalue for w in windows[:4]]
    assert np.allclose(p[:4], expect) and np.isnan(p[4])
    cont = rng.normal(size=(50, 40))
    ref2 = rng.normal(size=150)
    assert np.allclose(ks_window_pvalues(ref2, cont),
                       [stats.ks_2samp(w, ref2).pvalue for w in cont], rtol=1e-12)
    with pytest.raises(DataError, match="reference"):
        ks_window_pvalues([np.nan], cont)
