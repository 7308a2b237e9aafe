"""The escalation desk: report, list, update escalations in a store and watch their SLAs.

:class:`EscalationDesk` is a thin layer over a store that has escalation support (the
``escalations`` table: ``add_escalation``, ``escalation``, ``escalations``,
``update_escalation``; any object following :class:`EscalationStore` will do). It computes
the SLA clock with its :class:`~stalwart.rca.escalation.SLAPolicy`, raises
publicity-hungry errors to ``critical`` before storing them, and sends SLA breaches through
alert channels. A store without escalation support gives a :class:`StageError` naming what
is missing; a refused report (unknown event, bad severity) stores nothing.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
...     "model": "m", "model_version": "1", "features": {"x": 1},
...     "outputs": {"prediction": 0}}])
>>> desk = EscalationDesk(store)
>>> esc = desk.report("m", event_id="e1", severity="critical", customer="acme", expected=1,
...                   reported_at="2026-01-02T08:00:00Z")
>>> esc.status, esc.due_at.isoformat()
('open', '2026-01-02T12:00:00+00:00')
>>> report = desk.check_slas(now="2026-01-02T13:00:00Z")
>>> [e.id for e in report.breached] == [esc.id], report.alerts[0].value
(True, 1.0)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .._json import jsonable
from ..exceptions import StageError
from ..monitoring.alerts import Channel, ChannelResult, channel_from_dict, dispatch
from .escalation import Escalation, SLAPolicy, SLAReport, check_slas
from .publicity import PublicityVerdict, raise_publicity

__all__ = ["EscalationDesk", "EscalationStore", "SLAAlerts"]

_NEEDS = ("add_escalation", "escalation", "escalations", "update_escalation")


@dataclass(frozen=True)
class SLAAlerts:
    """What :meth:`EscalationDesk.raise_sla_alerts` did: the SLA report, the breaches
    alerted for the first time (fingerprints), the alerts resolved because their escalation
    was resolved, and the channels' answers."""

    report: SLAReport
    new: tuple[str, ...]
    resolved: tuple[str, ...]
    deliveries: tuple[ChannelResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"report": self.report.to_dict(), "new": list(self.new),
                         "resolved": list(self.resolved), "deliveries": list(self.deliveries)})


class EscalationStore(Protocol):
    """What the desk needs from a store (``stalwart.store.Store`` provides it)."""

    def add_escalation(self, model: str, *, severity: str, due_at: Any,
                       event_id: str | None = None, payload: Mapping[str, Any] | None = None,
                       customer: str | None = None, expected: Any = None,
                       reported_at: Any = None, note: str | None = None) -> Any: ...

    def escalation(self, escalation_id: int) -> Any: ...

    def escalations(self, *, model: str | None = None, status: str | None = None,
                    customer: str | None = None, severity: str | None = None,
                    limit: int | None = None) -> tuple[Any, ...]: ...

    def update_escalation(self, escalation_id: int, *, status: str | None = None,
                          **changes: Any) -> Any: ...


class EscalationDesk:
    """Escalations of a store with SLA clocks from ``policy`` (default :class:`SLAPolicy`)."""

    def __init__(self, store: EscalationStore, *, policy: SLAPolicy | None = None) -> None:
        self.store = store
        self.policy = policy

    @property
    def _policy(self) -> SLAPolicy:
        return SLAPolicy() if self.policy is None else self.policy

    def _need(self, name: str) -> Any:
        method = getattr(self.store, name, None)
        if not callable(method):
            missing = [n for n in _NEEDS if not callable(getattr(self.store, n, None))]
            raise StageError(
                f"the store {type(self.store).__name__} has no escalation support (missing "
                f"{', '.join(missing)}): escalations need the 'escalations' table of store "
                "migration 0003. Fix: upgrade stalwart and open the store again (migrations "
                "apply on open), or pass a store that implements EscalationStore")
        return method

    def report(self, model: str, *, severity: str, event_id: str | None = None,
               payload: Mapping[str, Any] | None = None, customer: str | None = None,
               expected: Any = None, reported_at: Any = None, note: str | None = None,
               verdict: PublicityVerdict | None = None) -> Escalation:
        """Store a new escalation; a publicity-hungry ``verdict`` raises it to critical and
        is kept as its analysis (``analysis["publicity"]``)."""
        add = self._need("add_escalation")
        esc = Escalation.create(model, severity=severity, event_id=event_id, payload=payload,
                                customer=customer, expected=expected,
                                reported_at=reported_at, note=note, policy=self._policy)
        if verdict is not None:
            esc = raise_publicity(esc, verdict, policy=self._policy)
            update = self._need("update_escalation")  # checked before anything is stored
        record = add(model, severity=esc.severity, due_at=esc.due_at, event_id=event_id,
                     payload=esc.payload, customer=customer, expected=expected,
                     reported_at=esc.reported_at, note=note)
        if verdict is not None:
            record = update(record.id, analysis=dict(esc.analysis or {}))
        return Escalation.from_record(record)

    def get(self, escalation_id: int) -> Escalation:
        return Escalation.from_record(self._need("escalation")(escalation_id))

    def list(self, *, model: str | None = None, status: str | None = None,
             customer: str | None = None, severity: str | None = None) -> tuple[Escalation, ...]:
        """Escalations in the order reported, optionally filtered."""
        rows = self._need("escalations")(model=model, status=status, customer=customer,
                                         severity=severity)
        return tuple(Escalation.from_record(r) for r in rows)

    def update(self, escalation_id: int, **changes: Any) -> Escalation:
        """Move the status, store an analysis or a note (the store checks transitions)."""
        return Escalation.from_record(self._need("update_escalation")(escalation_id, **changes))

    def check_slas(self, now: Any = None, *, model: str | None = None,
                   notified: Iterable[str] = ()) -> SLAReport:
        """:func:`~stalwart.rca.escalation.check_slas` over the stored escalations."""
        return check_slas(self.list(model=model), now, policy=self._policy, notified=notified)

    def notify(self, report: SLAReport, channels: Iterable[Channel | Mapping[str, Any]] | None
               = None) -> tuple[ChannelResult, ...]:
        """Send the report's breach notifications to ``channels`` (channel objects or their
        configs; default: every channel saved in the store)."""
        if channels is None:
            saved = getattr(self.store, "channels", None)
            configs = [{"type": c.kind, **c.config} for c in saved()] if callable(saved) else []
            channels = configs
        built = [channel_from_dict(c) if isinstance(c, Mapping) else c for c in channels]
        return tuple(r for note in report.notifications() for r in dispatch(note, built))

    def raise_sla_alerts(self, now: Any = None, *,
                         channels: Iterable[Channel | Mapping[str, Any]] | None = None
                         ) -> SLAAlerts:
        """Keep the store's alerts equal to the SLA breaches as of ``now``.

        A breach becomes an open alert in the alerts table (monitor ``escalations/<model>``,
        deduplicated by fingerprint, so the dashboard and ``GET /api/v1/alerts`` show it)
        and is sent to ``channels`` (default: the store's saved channels) **once**, when it
        first opens; later calls only count it again. The alert of an escalation that is no
        longer breached (fixed or closed) is resolved. The server's scheduler calls this on
        every tick, so breaches raise alerts without anyone asking.
        """
        for name in ("upsert_alert", "alerts", "set_alert_status"):
            self._need(name)
        open_alerts = {a.fingerprint: a for a in self.store.alerts()
                       if a.status != "resolved" and a.monitor.startswith("escalations/")}
        report = self.check_slas(now)
        fresh = [a for a in report.alerts if a.fingerprint not in open_alerts]
        for alert in report.alerts:
            self.store.upsert_alert(alert.monitor, alert.rule, severity=alert.severity,
                                    fingerprint=alert.fingerprint, context=alert.to_dict(),
                                    at=report.now)
        breached = {a.fingerprint for a in report.alerts}
        resolved = []
        for fingerprint, record in open_alerts.items():
            if fingerprint not in breached:
                self.store.set_alert_status(record.id, "resolved")
                resolved.append(fingerprint)
        deliveries: tuple[ChannelResult, ...] = ()
        if fresh:
            first = dataclasses.replace(report, alerts=tuple(fresh))
            deliveries = self.notify(first, channels)
        return SLAAlerts(report, tuple(a.fingerprint for a in fresh), tuple(resolved),
                         deliveries)
