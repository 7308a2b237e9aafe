"""EscalationDesk over a store: SLA clocks, publicity raise, missing store support."""

import dataclasses
import datetime as dt
import logging

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.rca import EscalationDesk, PublicityDetector, SLAPolicy
from stalwart.store import Store, open_store

UTC = dt.timezone.utc


@dataclasses.dataclass
class _Row:
    id: int
    model: str
    severity: str
    reported_at: dt.datetime
    due_at: dt.datetime
    event_id: str | None = None
    payload: dict | None = None
    customer: str | None = None
    expected: object = None
    status: str = "open"
    resolved_at: dt.datetime | None = None
    analysis: dict | None = None
    note: str | None = None


class _MemoryStore:
    """The EscalationStore protocol in memory (as the real store answers)."""

    def __init__(self):
        self.rows: list[_Row] = []

    def add_escalation(self, model, *, severity, due_at, event_id=None, payload=None,
                       customer=None, expected=None, reported_at=None, note=None):
        row = _Row(len(self.rows) + 1, model, severity, reported_at, due_at, event_id, payload,
                   customer, expected, note=note)
        self.rows.append(row)
        return row

    def escalation(self, escalation_id):
        return self.rows[escalation_id - 1]

    def escalations(self, *, model=None, status=None, customer=None, severity=None, limit=None):
        return tuple(r for r in self.rows if model in (None, r.model)
                     and status in (None, r.status))

    def update_escalation(self, escalation_id, *, status=None, **changes):
        row = self.rows[escalation_id - 1]
        if status is not None:
            row.status = status
        for k, v in changes.items():
            setattr(row, k, v)
        return row

    def channels(self):
        return ()


T0 = "2026-03-01T08:00:00Z"


def test_report_stores_the_sla_clock_of_the_policy():
    store = _MemoryStore()
    desk = EscalationDesk(store, policy=SLAPolicy(hours={"high": 10}))
    esc = desk.report("m", event_id="e1", severity="high", customer="acme", expected=1,
                      reported_at=T0)
    assert esc.id == 1 and store.rows[0].due_at == dt.datetime(2026, 3, 1, 18, tzinfo=UTC)
    assert desk.get(1) == esc and desk.list(model="m") == (esc,) and desk.list(model="x") == ()
    assert desk.update(1, status="fixed").status == "fixed"


def test_publicity_hungry_report_is_stored_critical_with_evidence():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] > 0).astype(int)
    verdict = PublicityDetector().fit(X, y).assess([2.0, 0.0], expected=1, prediction=0,
                                                  confidence=0.97)
    store = _MemoryStore()
    esc = EscalationDesk(store).report("m", event_id="e1", severity="low", expected=1,
                                       reported_at=T0, verdict=verdict)
    assert esc.severity == "critical" and store.rows[0].severity == "critical"
    assert esc.due_at == dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert store.rows[0].analysis["publicity"]["publicity_hungry"] is True


def test_a_store_without_escalation_support_is_a_stage_error_and_stores_nothing():
    with pytest.raises(StageError, match="add_escalation.*migration 0003"):
        EscalationDesk(object()).report("m", event_id="e", severity="low")
    with pytest.raises(StageError, match="escalations"):
        EscalationDesk(object()).check_slas()

    class _AddOnly:
        rows = []

        def add_escalation(self, *a, **k):
            self.rows.append(a)

    store = _AddOnly()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    verdict = PublicityDetector().fit(X, (X[:, 0] > 0).astype(int)).assess(
        [2.0, 0.0], expected=1, prediction=0, confidence=0.97)
    with pytest.raises(StageError, match="update_escalation"):
        EscalationDesk(store).report("m", event_id="e", severity="low", verdict=verdict)
    assert store.rows == []
    with pytest.raises(ParameterError):  # validated before the store is asked
        EscalationDesk(_MemoryStore()).report("m", event_id="e", severity="urgent")


def test_check_slas_and_notify_through_channel_configs(caplog):
    store = _MemoryStore()
    desk = EscalationDesk(store)
    desk.report("m", event_id="e1", severity="critical", reported_at=T0)
    desk.report("m", event_id="e2", severity="low", reported_at=T0)
    report = desk.check_slas(now="2026-03-01T13:00:00Z")
    assert [e.id for e in report.breached] == [1] and [e.id for e in report.on_track] == [2]
    with caplog.at_level(logging.INFO, logger="stalwart.alerts"):
        sent = desk.notify(report, [{"type": "log"}])
    assert [r.ok for r in sent] == [True] and "1 alert fired" in caplog.text
    assert desk.notify(report) == ()  # no channel saved in the store


@pytest.mark.skipif(not hasattr(Store, "add_escalation"),
                    reason="the store's escalation support (migration 0003) is not merged")
def test_real_store_unknown_event_is_refused_and_nothing_is_stored(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        store.ingest_events([{"event_id": "e1", "timestamp": "2026-03-01T07:00:00Z",
                              "model": "m", "model_version": "1", "segment": "acme",
                              "features": {"x": 1}, "outputs": {"prediction": 0}}])
        desk = EscalationDesk(store)
        with pytest.raises(DataError, match="event_id"):
            desk.report("m", event_id="nope", severity="high", reported_at=T0)
        assert desk.list() == ()
        esc = desk.report("m", event_id="e1", severity="high", expected=1, reported_at=T0)
        assert esc.customer == "acme" and esc.due_at == dt.datetime(2026, 3, 2, 8, tzinfo=UTC)
        store.save_channel("ops-log", "log", {})
        report = desk.check_slas(now="2026-03-02T09:00:00Z")
        assert [e.id for e in report.breached] == [esc.id]
        assert [r.channel for r in desk.notify(report)] == ["log"]
    finally:
        store.close()
