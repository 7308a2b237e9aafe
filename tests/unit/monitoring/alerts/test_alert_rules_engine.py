"""Alert rules and the engine: exact fire/resolve windows, dedup, grouping, state, errors."""

from __future__ import annotations

import json

import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring.alerts import AlertEngine, Rule


def win(i: int, metrics: dict, monitor: str = "m", group: str | None = None) -> dict:
    w = {"monitor": monitor, "window_start": f"2026-01-{i + 1:02d}",
         "window_end": f"2026-01-{i + 2:02d}", "metrics": metrics}
    if group is not None:
        w["group"] = group
    return w


def run(engine: AlertEngine, values: list, metric: str = "x", roundtrip: bool = False):
    """Feed values; return (fired idx, resolved idx, firing idx, events, final state)."""
    state = None
    fired, resolved, firing, all_events = [], [], [], []
    for i, v in enumerate(values):
        if roundtrip and state is not None:
            state = json.loads(json.dumps(state))
        state, ev = engine.evaluate(win(i, {metric: v}), state)
        all_events.append(ev)
        fired += [i] * len(ev.fired)
        resolved += [i] * len(ev.resolved)
        firing += [i] * len(ev.firing)
    return fired, resolved, firing, all_events, state


def test_threshold_fires_and_resolves_on_exact_windows():
    f, r, s, _, _ = run(AlertEngine([Rule("x", "gt", 0.3)]), [0.1, 0.4, 0.5, 0.2, 0.4, 0.3])
    assert (f, r, s) == ([1, 4], [3, 5], [2])


@pytest.mark.parametrize("op,values,fired", [
    ("lt", [0.3, 0.29, 0.3], [1]), ("le", [0.31, 0.3, 0.3], [1]),
    ("ge", [0.29, 0.3, 0.3], [1]), ("gt", [0.3, 0.3, 0.31], [2]),
])
def test_every_operator_at_its_boundary(op, values, fired):
    assert run(AlertEngine([Rule("x", op, 0.3)]), values)[0] == fired


def test_consecutive_windows_before_firing():
    values = [0.4, 0.4, 0.1, 0.4, 0.4, 0.4, 0.4, 0.1]
    f, r, s, events, _ = run(AlertEngine(["x > 0.3 for 3 windows"]), values)
    assert (f, r, s) == ([5], [7], [6])
    assert [[(p["windows"], p["needed"]) for p in e.pending] for e in events] == [
        [(1, 3)], [(2, 3)], [], [(1, 3)], [(2, 3)], [], [], []]


def test_clear_windows_delays_resolution():
    rule = Rule("x", "gt", 0.3, clear_windows=2)
    f, r, s, _, _ = run(AlertEngine([rule]), [0.5, 0.1, 0.5, 0.1, 0.1, 0.1])
    assert (f, r, s) == ([0], [4], [1, 2, 3])


def test_hysteresis_fires_at_one_level_and_clears_past_another():
    values = [0.35, 0.25, 0.21, 0.2, 0.25, 0.31]
    f, r, s, events, _ = run(AlertEngine(["x > 0.3 clear 0.2"]), values)
    assert (f, r, s) == ([0, 5], [3], [1, 2])
    assert [a.count for a in events[2].firing] == [3]
    # without hysteresis the same series resolves at once
    assert run(AlertEngine(["x > 0.3"]), values)[:2] == ([0, 5], [1])


def test_relative_to_fixed_baseline_as_ratio():
    rule = Rule("accuracy", "lt", 0.9, kind="relative", baseline=0.9, change="ratio",
                severity="critical")
    f, r, _, events, _ = run(AlertEngine([rule]), [0.9, 0.85, 0.80, 0.9], metric="accuracy")
    assert (f, r) == ([2], [3])
    assert events[2].fired[0].observed == pytest.approx(0.8 / 0.9)
    assert events[2].fired[0].value == 0.8


def test_relative_to_trailing_mean_as_difference():
    rule = Rule("lat", "gt", 10, kind="relative", baseline_windows=3)
    f, r, s, events, state = run(AlertEngine([rule]), [100, 102, 98, 130, 131, 100],
                                 metric="lat")
    assert (f, r, s) == ([3], [5], [4])
    assert events[3].fired[0].observed == pytest.approx(30.0)
    assert events[4].firing[0].observed == pytest.approx(21.0)
    assert [m["reason"] for m in events[0].missing] == [
        "baseline needs 3 earlier windows, has 0"]
    assert len(events[2].missing) == 1 and events[3].missing == ()
    assert state["alerts"]["m/" + rule.name + "/"]["history"] == [130, 131, 100]


def test_ratio_with_zero_baseline_is_missing_not_fired():
    rule = Rule("x", "gt", 2, kind="relative", baseline=0, change="ratio")
    _, _, _, events, _ = run(AlertEngine([rule]), [5.0])
    assert events[0].fired == () and "ratio is undefined" in events[0].missing[0]["reason"]


def test_missing_values_never_fire_and_are_stated():
    engine = AlertEngine(["x > 0.3 for 2 windows"])
    f, _, _, events, _ = run(engine, [0.5, None, 0.5, float("nan"), 0.5])
    assert f == []
    assert [len(e.missing) for e in events] == [0, 1, 0, 1, 0]
    assert events[1].missing[0]["reason"] == "metric value is None"
    _, ev = engine.evaluate(win(0, {"other": 1.0}))
    assert ev.missing[0]["reason"] == "metric absent from the window"


def test_firing_alert_stays_firing_through_a_missing_value():
    f, r, s, events, _ = run(AlertEngine(["x > 0.3"]), [0.5, None, 0.5, 0.1])
    assert (f, r, s) == ([0], [3], [1, 2])
    assert [a.count for a in events[1].firing] == [1]  # a missing window does not count
    assert [a.count for a in events[2].firing] == [2]


def test_dedup_counts_and_one_notification():
    f, _, s, events, state = run(AlertEngine(["x > 0.3"]), [0.5, 0.6, 0.7, 0.8])
    assert f == [0] and s == [1, 2, 3]
    assert [a.count for e in events for a in e.active] == [1, 2, 3, 4]
    assert {a.fingerprint for e in events for a in e.active} == {"m/x > 0.3/"}
    assert [e.notification() is not None for e in events] == [True, False, False, False]
    assert state["alerts"]["m/x > 0.3/"]["since"] == "2026-01-02"


def test_grouping_one_notification_per_monitor_window_with_max_severity():
    engine = AlertEngine([Rule("a", "gt", 1, severity="info"),
                          Rule("b", "lt", 0, severity="critical"),
                          Rule("c", "gt", 100)])
    _, ev = engine.evaluate(win(0, {"a": 2, "b": -1, "c": 5}))
    note = ev.notification()
    assert [a.rule for a in note.fired] == ["a > 1", "b < 0"]
    assert note.severity == "critical"
    assert note.subject == "[stalwart] CRITICAL m: 2 alerts fired, 0 resolved"
    assert json.loads(json.dumps(note.to_dict()))["fired"][1]["metric"] == "b"


def test_datetime_window_bounds_become_iso_strings():
    import datetime as dt
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    state, ev = AlertEngine(["x > 0"]).evaluate({"monitor": "m", "window_start": t0,
                                                 "window_end": t0 + dt.timedelta(days=1),
                                                 "metrics": {"x": 1}})
    assert ev.fired[0].since == "2026-01-02T00:00:00+00:00"
    assert ev.window_start == "2026-01-01T00:00:00+00:00"
    json.dumps(state)


def test_groups_and_monitors_have_separate_fingerprints():
    engine = AlertEngine([Rule("x", "gt", 0, monitor="m")])
    s, ev_a = engine.evaluate(win(0, {"x": 1}, group="cust-a"))
    s, ev_b = engine.evaluate(win(0, {"x": 1}, group="cust-b"), s)
    s, ev_o = engine.evaluate(win(0, {"x": 1}, monitor="other"), s)
    assert [a.fingerprint for a in ev_a.fired + ev_b.fired] == ["m/x > 0/cust-a",
                                                                "m/x > 0/cust-b"]
    assert ev_o.fired == () and ev_o.missing == ()  # rule scoped to monitor "m"


def test_state_json_round_trip_gives_identical_events_and_input_is_not_mutated():
    rules = ["x > 0.3 for 2 windows clear 0.2",
             {"metric": "x", "op": "gt", "value": 0.05, "kind": "relative",
              "baseline_windows": 2, "name": "jump"}]
    values = [0.1, 0.4, 0.5, 0.25, 0.1, 0.6, 0.7, None, 0.1]
    plain = run(AlertEngine(rules), values)
    tripped = run(AlertEngine(rules), values, roundtrip=True)
    assert [e.to_dict() for e in plain[3]] == [e.to_dict() for e in tripped[3]]
    assert plain[4] == tripped[4]
    state = json.loads(json.dumps(plain[4]))
    frozen = json.dumps(state, sort_keys=True)
    AlertEngine(rules).evaluate(win(9, {"x": 0.9}), state)
    assert json.dumps(state, sort_keys=True) == frozen


def test_rule_dict_and_text_round_trip():
    rule = Rule.parse("drift_share >= 0.3 for 3 windows clear at 0.2", severity="critical",
                      name="drift")
    assert rule == Rule.from_dict(json.loads(json.dumps(rule.to_dict())))
    assert (rule.op, rule.windows, rule.clear) == ("ge", 3, 0.2)
    assert Rule("x", ">=", 1).op == "ge"
    engine = AlertEngine([rule])
    assert AlertEngine.from_dict(json.loads(json.dumps(engine.to_dict()))).rules == (rule,)


@pytest.mark.parametrize("kwargs,what", [
    ({"metric": "x", "op": "between", "value": 1}, "rule op"),
    ({"metric": "x", "op": "gt", "value": 1, "windows": -2}, "rule windows"),
    ({"metric": "x", "op": "gt", "value": 1, "windows": 0}, "rule windows"),
    ({"metric": "", "op": "gt", "value": 1}, "rule metric"),
    ({"metric": "x", "op": "gt", "value": float("nan")}, "rule value"),
    ({"metric": "x", "op": "gt", "value": 1, "severity": "urgent"}, "rule severity"),
    ({"metric": "x", "op": "gt", "value": 1, "clear": 2}, "rule clear level"),
    ({"metric": "x", "op": "gt", "value": 1, "kind": "relative"}, "relative rule baseline"),
    ({"metric": "x", "op": "gt", "value": 1, "kind": "magic"}, "rule kind"),
    ({"metric": "x", "op": "gt", "value": 1, "baseline": 0.5}, "rule baseline"),
    ({"metric": "x", "op": "gt", "value": 1, "name": 7}, "rule name/monitor"),
    ({"metric": "x", "op": "gt", "value": 1, "kind": "relative", "baseline_windows": 0},
     "rule baseline_windows"),
])
def test_bad_rules_raise_parameter_error_with_expected_got_fix(kwargs, what):
    with pytest.raises(ParameterError) as info:
        Rule(**kwargs)
    err = info.value
    assert err.what.startswith(what) and err.expected and err.got and err.fix


def test_bad_rule_dicts_texts_and_engines():
    with pytest.raises(ParameterError, match="rule key 'metric'"):
        Rule.from_dict({"op": "gt", "value": 1})
    with pytest.raises(ParameterError, match="rule keys"):
        Rule.from_dict({"metric": "x", "op": "gt", "value": 1, "thresh": 2})
    with pytest.raises(ParameterError, match="rule text") as info:
        Rule.parse("drift_share is high")
    assert "for N windows" in info.value.expected
    with pytest.raises(ParameterError, match="unique names"):
        AlertEngine(["x > 1", "x > 1"])
    with pytest.raises(DataError, match="alert window"):
        AlertEngine(["x > 1"]).evaluate({"metrics": {"x": 1}})
