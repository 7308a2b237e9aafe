from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring.evaluate import evaluate_windows
from stalwart.monitoring.metrics import register_kpi
from stalwart.monitoring.metrics.kpi import KPIS
from stalwart.monitoring.spec import DEFAULT_METRICS, MonitorSpec
from stalwart.monitoring.windows import assign_windows, check_events, parse_window


def _events(times, **cols):
    ts = pd.to_datetime(times, utc=True)
    return pd.DataFrame({"event_id": [str(i) for i in range(len(ts))], "timestamp": ts,
                         "model": "m", "latency_ms": np.arange(len(ts), dtype=float), **cols})


def test_daily_windows_align_to_utc_midnight_and_keep_empty_days():
    frame = _events(["2026-01-01 23:59:59", "2026-01-02 00:00:00", "2026-01-04 12:00:00"])
    out = list(assign_windows(frame, "1D"))
    assert [s.isoformat() for s, _, _ in out] == ["2026-01-01T00:00:00+00:00",
                                                  "2026-01-02T00:00:00+00:00",
                                                  "2026-01-03T00:00:00+00:00",
                                                  "2026-01-04T00:00:00+00:00"]
    assert [len(sub) for _, _, sub in out] == [1, 1, 0, 1]
    assert all(e - s == pd.Timedelta("1D") for s, e, _ in out)


def test_six_hour_windows_and_explicit_range():
    frame = _events(["2026-01-01 07:00", "2026-01-01 11:59", "2026-01-01 12:00"])
    out = list(assign_windows(frame, "6h", start="2026-01-01", end="2026-01-02"))
    assert [len(sub) for _, _, sub in out] == [0, 2, 1, 0]
    assert out[1][0] == pd.Timestamp("2026-01-01 06:00", tz="UTC")


def test_other_time_zones_are_converted_to_utc():
    ts = pd.to_datetime(["2026-01-02 00:30"]).tz_localize("Europe/Paris")  # 23:30 UTC on 1st
    frame = pd.DataFrame({"timestamp": ts})
    (start, end, sub), = assign_windows(frame, "1D")
    assert start == pd.Timestamp("2026-01-01", tz="UTC") and len(sub) == 1


def test_count_windows_follow_time_order():
    frame = _events(["2026-01-01 03:00", "2026-01-01 01:00", "2026-01-01 02:00"])
    out = list(assign_windows(frame, 2))
    assert [sub["latency_ms"].tolist() for _, _, sub in out] == [[1.0, 2.0], [0.0]]
    assert out[0][0] == pd.Timestamp("2026-01-01 01:00", tz="UTC")
    assert out[0][1] == pd.Timestamp("2026-01-01 02:00", tz="UTC")


@pytest.mark.parametrize("window", ["7x", "1M", 0, -3, 1.5, True, "-1D"])
def test_bad_windows_are_parameter_errors(window):
    with pytest.raises(ParameterError) as err:
        parse_window(window)
    assert err.value.expected and err.value.got and err.value.fix


def test_frames_without_usable_timestamps_are_data_errors():
    with pytest.raises(DataError, match="'timestamp' column") as err:
        check_events(pd.DataFrame({"x": [1]}))
    assert err.value.fix
    with pytest.raises(DataError, match="naive"):
        check_events(pd.DataFrame({"timestamp": pd.to_datetime(["2026-01-01"])}))
    with pytest.raises(DataError, match="missing"):
        check_events(pd.DataFrame({"timestamp": pd.to_datetime(["2026-01-01", None], utc=True)}))
    with pytest.raises(DataError, match="DataFrame"):
        check_events([{"timestamp": "2026-01-01"}])


def test_iso_strings_are_accepted():
    frame = pd.DataFrame({"timestamp": ["2026-01-01T10:00:00Z", "2026-01-01T11:00:00+00:00"]})
    assert [len(sub) for _, _, sub in assign_windows(frame, "1D")] == [2]


def test_spec_json_round_trip_with_registered_kpi():
    fn = KPIS.get("rt_kpi") if "rt_kpi" in KPIS else register_kpi("rt_kpi", lambda f: 1.0)
    spec = MonitorSpec(name="churn-daily", model="churn", window="6h",
                       metrics={"data_drift": {"alarm_rate": 0.01, "alarm_horizon": 28},
                                "latency": {"percentiles": (50, 90)}},
                       kpis={"one": fn})
    text = json.dumps(spec.to_dict())
    back = MonitorSpec.from_dict(json.loads(text))
    assert back.to_dict() == spec.to_dict()
    assert back.kpis == {"one": "rt_kpi"} and back.metric_options()["kpis"]
    assert MonitorSpec(name="d").metrics == {m: {} for m in DEFAULT_METRICS}
    assert MonitorSpec(name="c", window=500).to_dict()["window"] == 500


def test_unregistered_callable_kpi_cannot_go_to_json():
    spec = MonitorSpec(name="k", metrics=["latency"], kpis={"n": lambda f: 1.0})
    with pytest.raises(ParameterError, match="registered"):
        spec.to_dict()


@pytest.mark.parametrize("kwargs, error, text", [
    ({"metrics": ["latency", "nope"]}, ParameterError, "window metric 'nope'"),
    ({"window": "7x"}, ParameterError, "fixed-length"),
    ({"name": ""}, ParameterError, "monitor name"),
    ({"kpis": {"k": "no_such_kpi"}}, ParameterError, "business KPI"),
])
def test_bad_specs(kwargs, error, text):
    with pytest.raises(error, match=text) as err:
        MonitorSpec(**{"name": "m", **kwargs})
    assert err.value.fix


def test_from_dict_rejects_unknown_keys():
    with pytest.raises(DataError, match="unknown keys"):
        MonitorSpec.from_dict({"name": "m", "windw": "1D"})


def test_evaluate_without_timestamps_is_a_data_error():
    spec = MonitorSpec(name="m", metrics=["latency"])
    with pytest.raises(DataError, match="timestamp"):
        evaluate_windows(spec, pd.DataFrame({"latency_ms": [1.0]}))


def test_window_results_are_json_able():
    frame = _events(["2026-01-01 01:00", "2026-01-03 01:00"])
    results = evaluate_windows(MonitorSpec(name="m", metrics=["latency"]), frame)
    dicts = [r.to_dict() for r in results]
    json.dumps(dicts)
    assert [d["n_events"] for d in dicts] == [1, 0, 1]
    assert dicts[1]["metrics"]["latency_p50"] is None and dicts[0]["schema_version"] == "1.0"
