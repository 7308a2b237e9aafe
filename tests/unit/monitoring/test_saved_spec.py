"""What a saved monitor carries (schedule, reference period, rules, channels, triggers, review
policy): parsed, round-tripped, and refused with expected / got / fix when wrong."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring import MonitorSpec, ReviewPolicy
from stalwart.monitoring.saved import (parse_reference, parse_schedule, trigger_from_dict)

ACTION = {"type": "command", "argv": [sys.executable, "-c", "pass"]}


def test_schedule_forms():
    assert parse_schedule("15min") == pd.Timedelta(minutes=15)
    assert parse_schedule("every 1 event") == 1
    assert parse_schedule(" Every 2000 events ") == 2000
    assert parse_schedule(None) is None
    for bad in ("every 0 events", "every few events", "1M", 3600, "", "-1h"):
        with pytest.raises(ParameterError) as info:
            parse_schedule(bad)
        text = str(info.value)
        assert "expected" in text and "got" in text and "Fix:" in text


def test_reference_period():
    ref = parse_reference({"start": "2026-01-01T00:00:00+02:00", "end": "2026-01-08",
                           "model_version": "3"})
    assert ref == {"start": "2025-12-31T22:00:00+00:00", "end": "2026-01-08T00:00:00+00:00",
                   "model_version": "3"}
    with pytest.raises(ParameterError, match="start < end"):
        parse_reference({"start": "2026-01-08", "end": "2026-01-01"})
    with pytest.raises(ParameterError, match="period of logged events"):
        parse_reference({"start": "2026-01-01"})
    with pytest.raises(ParameterError, match="unknown keys"):
        parse_reference({"start": "2026-01-01", "end": "2026-01-02", "rows": 5})
    with pytest.raises(ParameterError, match="ISO-8601"):
        parse_reference({"start": "soon", "end": "2026-01-02"})
    with pytest.raises(ParameterError, match="version name"):
        parse_reference({"start": "2026-01-01", "end": "2026-01-02", "model_version": 3})


def test_triggers_from_dicts():
    trig = trigger_from_dict({"condition": "drift_share > 0.3", "windows": 3, "action": ACTION,
                              "name": "retrain"})
    assert (trig.name, trig.windows, trig.action.argv) == ("retrain", 3, ACTION["argv"])
    assert trigger_from_dict(trig.to_dict()).to_dict() == trig.to_dict()
    by_rule = trigger_from_dict({"condition": "accuracy drop", "action": {
        "type": "webhook", "url": "https://ci.example/retrain"}})
    assert by_rule.rule_name == "accuracy drop" and by_rule.windows == 1
    with pytest.raises(ParameterError, match="give the action a type"):
        trigger_from_dict({"condition": "x > 1", "action": {"argv": ["true"]}})
    with pytest.raises(ParameterError, match="arguments"):
        trigger_from_dict({"condition": "x > 1", "action": {"type": "command", "cmd": "x"}})
    with pytest.raises(ParameterError, match="integer >= 1"):
        trigger_from_dict({"condition": "x > 1", "windows": 0, "action": ACTION})


def test_spec_round_trip_and_old_specs():
    spec = MonitorSpec(name="m", model="churn", metrics=["latency"], schedule="every 10 events",
                       rules=["latency_p99 > 250 for 2 windows"], channels="ops",
                       triggers=[{"condition": "latency_p99 > 250", "action": ACTION}],
                       reference={"start": "2026-01-01", "end": "2026-01-02"},
                       review=ReviewPolicy(max_set_size=1))
    data = spec.to_dict()
    assert data["channels"] == ["ops"] and data["rules"][0]["windows"] == 2
    assert data["review"] == {"max_proba_below": None, "max_set_size": 1, "flag": None}
    assert MonitorSpec.from_dict(data) == spec
    assert [r.name for r in spec.alert_rules()] == ["latency_p99 > 250 for 2 windows"]
    assert [t.windows for t in spec.retrain_triggers()] == [1]
    old = {"schema_version": "1.0", "name": "m", "model": "churn", "window": "1D",
           "metrics": {"latency": {}}, "kpis": {}}
    loaded = MonitorSpec.from_dict(old)
    assert loaded.to_dict() == old  # nothing added to a spec without the new keys
    assert (loaded.rules, loaded.channels, loaded.schedule, loaded.reference) == \
        ((), (), None, None)
    with pytest.raises(DataError, match="unknown keys"):
        MonitorSpec.from_dict({**old, "cron": "* * * * *"})


def test_spec_refuses_bad_saved_fields():
    with pytest.raises(ParameterError, match="unique names"):
        MonitorSpec(name="m", rules=["x > 1", "x > 1"])
    with pytest.raises(ParameterError, match="names of channels"):
        MonitorSpec(name="m", channels=[""])
    with pytest.raises(ParameterError, match="unique names"):
        MonitorSpec(name="m", triggers=[{"condition": "x > 1", "action": ACTION}] * 2)
    with pytest.raises(ParameterError, match="schedule"):
        MonitorSpec(name="m", schedule="hourly")
    with pytest.raises(ParameterError, match="at least one condition"):
        MonitorSpec(name="m", review={})


def test_review_policy_conditions():
    frame = pd.DataFrame({
        "event_id": ["a", "b", "c", "d", "e"],
        "outputs.proba.0": [0.5, 0.9, None, 0.3, 0.7],
        "outputs.proba.1": [0.5, 0.1, None, 0.7, 0.3],
        "outputs.prediction_set": [["0", "1"], ["0"], None, ["1"], ["0", "1", "2"]],
        "outputs.novel": [False, True, None, False, False]})
    assert ReviewPolicy(max_proba_below=0.6).select(frame) == [
        ("a", "top probability 0.5 < 0.6")]
    assert [e for e, _ in ReviewPolicy(max_set_size=2).select(frame)] == ["e"]
    assert ReviewPolicy(flag="outputs.novel").select(frame) == [("b", "outputs.novel is set")]
    both = ReviewPolicy(max_proba_below=0.75, max_set_size=1, flag="outputs.novel")
    assert [e for e, _ in both.select(frame)] == ["a", "b", "d", "e"]
    assert ReviewPolicy(flag="metadata.ood").select(frame) == []  # absent column: nothing
    assert ReviewPolicy(max_proba_below=0.6).select(frame.iloc[:0]) == []
    event = {"event_id": "x", "outputs": {"proba": {"0": 0.2, "1": 0.8},
                                          "prediction_set": ["0", "1"]}}
    assert ReviewPolicy(max_set_size=1).reason(event) == "prediction set of 2 > 1"
    assert ReviewPolicy(max_proba_below=0.6).reason(event) is None
    for bad in ({"max_proba_below": 0}, {"max_proba_below": 1.5}, {"max_set_size": 0},
                {"max_set_size": True}, {"flag": ""}, {"threshold": 0.5}):
        with pytest.raises(ParameterError):
            ReviewPolicy.from_dict(bad)
