"""Escalations and SLA clocks: due times, breaches, at-risk windows, alerts for channels."""

import datetime as dt
import json
import logging

import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring.alerts import LogChannel, dispatch
from stalwart.rca import Escalation, SLAPolicy, check_slas

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _esc(severity="high", *, at=T0, id=1, model="churn", status="open", policy=None, **kw):
    e = Escalation.create(model, event_id=f"e{id}", severity=severity, reported_at=at,
                          policy=policy, **kw)
    return e.with_changes(id=id, status=status)


@pytest.mark.parametrize("severity,hours", [("critical", 4), ("high", 24), ("medium", 72),
                                            ("low", 168)])
def test_default_due_at_per_severity(severity, hours):
    assert _esc(severity).due_at == T0 + dt.timedelta(hours=hours)


def test_policy_overrides_keep_the_other_defaults():
    policy = SLAPolicy(hours={"critical": 2})
    assert policy.hours == {"low": 168.0, "medium": 72.0, "high": 24.0, "critical": 2.0}
    assert _esc("critical", policy=policy).due_at == T0 + dt.timedelta(hours=2)
    # naive times and ISO strings are UTC
    assert policy.due_at("high", "2026-03-01T10:00:00+02:00") == T0 + dt.timedelta(hours=24)
    assert policy.due_at("high", dt.datetime(2026, 3, 1, 8)) == T0 + dt.timedelta(hours=24)


@pytest.mark.parametrize("kwargs", [{"hours": {"urgent": 1}}, {"hours": {"low": 0}},
                                    {"hours": {"low": True}}, {"warn_share": 1.0},
                                    {"warn_share": -0.1}, {"hours": [4]}])
def test_bad_policy_is_a_parameter_error(kwargs):
    with pytest.raises(ParameterError):
        SLAPolicy(**kwargs)


def test_bad_escalations_are_clear_errors():
    with pytest.raises(ParameterError, match="severity"):
        Escalation.create("m", event_id="e", severity="urgent")
    with pytest.raises(DataError, match="event_id"):
        Escalation.create("m", severity="low")
    with pytest.raises(ParameterError, match="model"):
        Escalation.create("", event_id="e", severity="low")
    with pytest.raises(ParameterError, match="status"):
        _esc(status="done")
    with pytest.raises(DataError, match="due_at"):
        Escalation("m", "low", reported_at=T0, due_at=T0 - dt.timedelta(seconds=1),
                   event_id="e")


def test_breached_and_time_left_at_the_boundary():
    e = _esc("critical")  # due 12:00
    due = T0 + dt.timedelta(hours=4)
    assert e.time_left(due - dt.timedelta(minutes=30)) == dt.timedelta(minutes=30)
    assert not e.breached(due)                       # exactly on time is in time
    assert e.breached(due + dt.timedelta(seconds=1))
    assert e.time_left("2026-03-01T13:30:00Z") == dt.timedelta(hours=-1.5)
    # a resolved escalation breached only if it was resolved late, whatever "now" is
    late = e.with_changes(status="fixed", resolved_at=due + dt.timedelta(minutes=1))
    ok = e.with_changes(status="closed", resolved_at=due - dt.timedelta(minutes=1))
    assert late.breached(T0) and not ok.breached(due + dt.timedelta(days=9))


def test_check_slas_sorts_open_escalations_and_raises_alerts_for_breaches():
    now = T0 + dt.timedelta(hours=30)
    items = [
        _esc("critical", id=1),                                   # due +4h: 26 h overdue
        _esc("high", id=2),                                        # due +24h: 6 h overdue
        _esc("medium", id=3, at=T0 + dt.timedelta(hours=-36)),     # due +36h: 6 h left of 72
        _esc("low", id=4),                                          # 144 h left of 168
        _esc("critical", id=5, status="closed"),
        _esc("medium", id=6, model="fraud", at=T0 - dt.timedelta(hours=45)),  # 3 h overdue
    ]
    report = check_slas(items, now)
    assert [e.id for e in report.breached] == [1, 2, 6]           # ordered by due time
    assert [e.id for e in report.at_risk] == [3]                  # 6 <= 0.25 * 72
    assert [e.id for e in report.on_track] == [4]
    assert report.n_resolved == 1
    by_id = {a.fingerprint.rsplit("/", 1)[1]: a for a in report.alerts}
    assert by_id["1"].value == 26.0 and by_id["1"].severity == "critical"
    assert by_id["2"].value == 6.0 and by_id["2"].severity == "critical"    # high -> critical
    assert by_id["6"].value == 3.0 and by_id["6"].severity == "warning"     # medium -> warning
    assert by_id["1"].since == (T0 + dt.timedelta(hours=4)).isoformat()
    notes = report.notifications()
    assert [(n.monitor, len(n.fired), n.severity) for n in notes] == [
        ("escalations/churn", 2, "critical"), ("escalations/fraud", 1, "warning")]
    # at-risk share is configurable: with 0.05 the medium one is on track
    assert check_slas(items, now, policy=SLAPolicy(warn_share=0.05)).at_risk == ()


def test_already_notified_breaches_raise_no_alert_again():
    items = [_esc("critical", id=1), _esc("critical", id=2)]
    first = check_slas(items, T0 + dt.timedelta(hours=5))
    again = check_slas(items, T0 + dt.timedelta(hours=6),
                       notified=[first.alerts[0].fingerprint])
    assert len(again.breached) == 2 and [a.fingerprint for a in again.alerts] == [
        first.alerts[1].fingerprint]


def test_breach_notification_goes_through_an_existing_channel(caplog):
    report = check_slas([_esc("low", id=7, customer="acme")], T0 + dt.timedelta(hours=170))
    with caplog.at_level(logging.INFO, logger="stalwart.alerts"):
        results = dispatch(report.notifications()[0], [LogChannel()])
    assert results[0].ok
    assert "[stalwart] INFO escalations/churn: 1 alert fired" in caplog.text
    assert "customer acme" in caplog.text and "2 h past its SLA" in caplog.text


def test_records_round_trip_and_render():
    e = _esc("high", id=3, customer="acme", expected={"label": 1})
    assert Escalation.from_record(e.to_dict()) == e
    report = check_slas([e], T0 + dt.timedelta(hours=25))
    doc = json.loads(json.dumps(report.to_dict()))
    assert doc["n_breached"] == 1 and doc["breached"][0]["hours_left"] == -1.0
    assert doc["alerts"][0]["metric"] == "hours_overdue"
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>") and "acme" in page and "Breached" in page



@pytest.mark.parametrize("hours", [float("inf"), float("nan"), 1e9, 0, -1])
def test_sla_hours_must_be_finite_positive_and_at_most_a_century(hours):
    with pytest.raises(ParameterError, match="finite number of hours"):
        SLAPolicy(hours={"low": hours})
