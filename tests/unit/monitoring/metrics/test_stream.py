"""60 daily windows of a synthetic stream: quiet when stationary, alarm at a planted shift."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.monitoring.evaluate import evaluate_windows
from stalwart.monitoring.spec import MonitorSpec

METRICS = ["data_drift", "novelty", "prediction", "performance", "estimated_performance",
           "latency"]


def _series(results, key):
    return np.array([np.nan if r.metrics[key] is None else r.metrics[key] for r in results])


def test_stationary_stream_raises_no_drift_alarm(reference, stream_factory):
    spec = MonitorSpec(name="churn-daily", model="churn", window="1D",
                       metrics=["data_drift", "novelty"])
    results = evaluate_windows(spec, stream_factory(11, 60, 300), reference=reference)
    assert len(results) == 60 and all(r.n_events == 300 for r in results)
    assert _series(results, "drift_alarm").sum() == 0
    assert np.nanmean(_series(results, "novel_share")) < 0.02
    assert results[-1].details["data_drift"]["alarm"]["window"] == 59


def test_planted_shift_on_day_40_alarms_on_day_40_or_41(reference, stream_factory):
    spec = MonitorSpec(name="churn-daily", model="churn", window="1D", metrics=METRICS)
    results = evaluate_windows(spec, stream_factory(12, 60, 300, shift_day=40),
                               reference=reference)
    alarms = np.flatnonzero(_series(results, "drift_alarm") == 1)
    assert alarms.size and alarms[0] in (40, 41)
    assert results[alarms[0]].window_start == pd.Timestamp("2026-03-01", tz="UTC") + \
        pd.Timedelta(days=int(alarms[0]))
    share, novel = _series(results, "drift_share"), _series(results, "novel_share")
    assert share[:40].mean() < 0.1 and share[40:].mean() >= 1 / 3
    assert novel[40:].mean() > 2 * novel[:40].mean()
    assert "x1" in results[40].details["data_drift"]["drifted"]
    est, real = _series(results, "estimated_accuracy"), _series(results, "accuracy")
    assert np.abs(est[40:] - real[40:]).mean() < 0.03  # covariate shift: CBPE keeps up


def test_empty_day_is_reported_and_spends_no_budget(reference, stream_factory):
    frame = stream_factory(13, 5, 200)
    frame = frame[frame["timestamp"].dt.day != 3]  # 2026-03-03 has no events
    spec = MonitorSpec(name="m", model="churn", window="1D", metrics=["data_drift", "latency"])
    results = evaluate_windows(spec, frame, reference=reference)
    assert [r.n_events for r in results] == [200, 200, 0, 200, 200]
    empty = results[2]
    assert empty.empty and set(empty.metrics.values()) == {None}
    assert "empty window" in empty.notes[0]
    decision = results[3].details["data_drift"]["alarm"]
    assert decision["window"] == 3 and "4 of the budget" not in decision["reason"]
    assert "window 3 of the budget" in decision["reason"]


def test_other_models_events_are_left_out(stream_factory, events_factory):
    other = events_factory(np.random.default_rng(0), 50, model="fraud")
    frame = pd.concat([stream_factory(14, 1, 100), other], ignore_index=True)
    spec = MonitorSpec(name="m", model="churn", window="1D", metrics=["latency"])
    assert [r.n_events for r in evaluate_windows(spec, frame)] == [100]


@pytest.mark.parametrize("window", [250, "12h"])
def test_count_and_sub_day_windows(stream_factory, window):
    frame = stream_factory(15, 2, 300)
    spec = MonitorSpec(name="m", window=window, metrics=["latency"])
    results = evaluate_windows(spec, frame)
    sizes = [r.n_events for r in results]
    assert sum(sizes) == 600
    if window == 250:
        assert sizes == [250, 250, 100]
        assert results[0].window_end == frame["timestamp"].sort_values().iloc[249]
    else:
        assert len(sizes) == 4


def test_a_metric_failing_on_one_window_keeps_the_others(reference, stream_factory):
    frame = stream_factory(16, 2, 100)
    day1 = frame["timestamp"] >= pd.Timestamp("2026-03-02", tz="UTC")
    frame.loc[day1, ["outputs.proba.0", "outputs.proba.1"]] = np.nan
    frame = frame.drop(columns=["outputs.prediction"])
    spec = MonitorSpec(name="m", window="1D", metrics=["prediction", "latency"])
    fitted = spec.fit(reference.drop(columns=["outputs.prediction"]))
    first, second = evaluate_windows(fitted, frame)
    assert first.metrics["share.1"] is not None and not first.notes
    assert second.metrics["latency_p50"] is not None
    assert second.metrics["prediction_drifted"] is None and second.metrics["share.0"] is None


def test_no_events_and_no_range_gives_no_windows(stream_factory):
    frame = stream_factory(17, 1, 10).iloc[:0]
    assert evaluate_windows(MonitorSpec(name="m", metrics=["latency"]), frame) == ()


def test_performance_leaves_out_labelled_events_without_prediction(reference, stream_factory):
    frame = stream_factory(18, 1, 100)
    frame.loc[:9, "outputs.prediction"] = np.nan
    spec = MonitorSpec(name="m", window="1D", metrics=["performance"])
    (result,) = evaluate_windows(spec, frame, reference=reference)
    rest = frame.iloc[10:]
    expected = (rest["label"] == rest["outputs.prediction"]).mean()
    assert result.metrics["accuracy"] == pytest.approx(expected)
    assert "10 labelled events without a prediction" in result.details["performance"]["notes"][0]
