"""Escalations past their SLA become alerts on the scheduler's tick: opened once (sent once
to the saved channels), counted again on later ticks, resolved when the escalation is fixed;
on SQLite and PostgreSQL."""

from __future__ import annotations

import logging

from stalwart.monitoring.scheduler import Scheduler, run_due
from stalwart.rca import EscalationDesk

T0 = "2026-02-01T08:00:00Z"


def _store_with_escalation(store):
    store.ingest_events([{"event_id": "e1", "timestamp": "2026-02-01T07:00:00Z", "model": "m",
                          "model_version": "1", "features": {"x": 1.0},
                          "outputs": {"prediction": 1}}])
    store.save_channel("ops", "log", {"logger": "stalwart.test.sla"})
    return EscalationDesk(store).report("m", event_id="e1", severity="critical",
                                        customer="acme", expected=0, reported_at=T0)


def test_a_breach_is_alerted_once_counted_again_and_resolved_with_its_escalation(store,
                                                                                caplog):
    esc = _store_with_escalation(store)  # critical: due 4 h after the report
    assert run_due(store, now="2026-02-01T11:00:00Z").sla.new == ()
    assert store.alerts() == ()

    with caplog.at_level(logging.INFO, logger="stalwart.test.sla"):
        first = run_due(store, now="2026-02-01T13:00:00Z")
    [alert] = store.alerts()
    assert first.sla.new == (alert.fingerprint,) and alert.monitor == "escalations/m"
    assert alert.status == "open" and alert.severity == "critical" and alert.count == 1
    assert [d.ok for d in first.sla.deliveries] == [True]
    assert sum("SLA" in r.getMessage() for r in caplog.records) >= 1

    again = run_due(store, now="2026-02-01T14:00:00Z")
    assert again.sla.new == () and again.sla.deliveries == ()
    [alert] = store.alerts()
    assert alert.count == 2 and alert.status == "open"

    EscalationDesk(store).update(esc.id, status="fixed")
    done = run_due(store, now="2026-02-01T15:00:00Z")
    assert done.sla.resolved == (alert.fingerprint,)
    assert [a.status for a in store.alerts()] == ["resolved"]
    assert done.to_dict()["sla"]["resolved"] == [alert.fingerprint]


def test_a_second_scheduler_does_not_notify_a_breach_again(store):
    _store_with_escalation(store)
    a, b = Scheduler(store), Scheduler(store)
    runs = [a.run_due(now="2026-02-01T13:00:00Z"), b.run_due(now="2026-02-01T13:00:00Z")]
    new = [fp for r in runs if r.sla is not None for fp in r.sla.new]
    assert len(new) == 1 and len(store.alerts()) == 1
