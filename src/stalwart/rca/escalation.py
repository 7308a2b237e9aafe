"""Escalations: a reported bad prediction with a severity and an SLA clock.

An :class:`Escalation` names one prediction (by ``event_id`` of a stored event, or by its
``payload`` of features) that a customer says is wrong, with the output it expected. Its
**SLA clock** starts at ``reported_at``; :class:`SLAPolicy` gives the hours allowed to resolve
it per severity (default: critical 4 h, high 24 h, medium 72 h, low 168 h), hence ``due_at``.
An escalation is *resolved* once its status is ``fixed`` or ``closed``; until then it
**breaches** its SLA when ``now > due_at`` and is **at risk** when less than ``warn_share`` of
its allowed time is left.

:func:`check_slas` sorts open escalations into breached, at risk and on track, and turns each
breach into an :class:`~stalwart.monitoring.alerts.Alert` grouped, per model, into a
:class:`~stalwart.monitoring.alerts.Notification`: the objects the alert channels (log,
webhook, e-mail) already send (``dispatch(notification, channels)``).

Severities map onto alert severities as ``critical``/``high`` -> ``critical``, ``medium`` ->
``warning``, ``low`` -> ``info`` (:data:`ALERT_SEVERITY`).

>>> import datetime as dt
>>> policy = SLAPolicy()
>>> esc = Escalation.create("churn", event_id="e1", severity="high", customer="acme",
...                         expected=1, reported_at="2026-03-01T08:00:00Z", policy=policy)
>>> esc.due_at.isoformat()
'2026-03-02T08:00:00+00:00'
>>> esc.breached("2026-03-02T07:00:00"), esc.time_left("2026-03-02T07:00:00")
(False, datetime.timedelta(seconds=3600))
>>> report = check_slas([esc], "2026-03-02T09:30:00", policy=policy)
>>> [b.id for b in report.breached], report.alerts[0].severity, report.alerts[0].value
([None], 'critical', 1.5)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._json import FieldsJSON, jsonable
from ..exceptions import DataError, ParameterError
from ..monitoring.alerts import Alert, Notification
from ..reports.page import render_page
from ..store.escalations import ESCALATION_SEVERITIES, ESCALATION_STATUSES
from ..store.events import to_utc

__all__ = ["ALERT_SEVERITY", "DEFAULT_SLA_HOURS", "SEVERITIES", "STATUSES", "Escalation",
           "SLAPolicy", "SLAReport", "check_slas"]

_MAX_SLA_HOURS = 24 * 365 * 100.0
# the store's vocabulary: one definition of what an escalation's severity and status can be
SEVERITIES = ESCALATION_SEVERITIES
STATUSES = ESCALATION_STATUSES
RESOLVED = ("fixed", "closed")
DEFAULT_SLA_HOURS: Mapping[str, float] = {"critical": 4.0, "high": 24.0, "medium": 72.0,
                                          "low": 168.0}
ALERT_SEVERITY: Mapping[str, str] = {"critical": "critical", "high": "critical",
                                     "medium": "warning", "low": "info"}


def _when(value: Any, what: str) -> dt.datetime:
    """A datetime or ISO string as an aware UTC datetime (naive input is taken as UTC), as
    the store's records hold them."""
    return to_utc(value, what).replace(tzinfo=dt.timezone.utc)


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600.0


@dataclass(frozen=True)
class SLAPolicy(FieldsJSON):
    """Hours allowed to resolve an escalation, per severity, and the at-risk share.

    ``hours`` overrides the defaults for the severities it names (``{"critical": 2}`` keeps
    the others); ``warn_share`` is the share of the allowed time under which an open
    escalation counts as *at risk* (0.25: the last hour of a 4-hour clock).
    """

    hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))
    warn_share: float = 0.25

    def __post_init__(self) -> None:
        if not isinstance(self.hours, Mapping):
            raise ParameterError("SLA hours", expected="a mapping {severity: hours}",
                                 got=repr(self.hours), fix="pass hours={'critical': 4}")
        unknown = sorted(set(self.hours) - set(SEVERITIES))
        if unknown:
            raise ParameterError("SLA hours", expected=f"severities among {SEVERITIES}",
                                 got=repr(unknown), fix="name only the four severities")
        merged = {**DEFAULT_SLA_HOURS, **self.hours}
        for sev, h in merged.items():
            if (isinstance(h, bool) or not isinstance(h, (int, float))
                    or not 0 < h <= _MAX_SLA_HOURS):
                raise ParameterError(f"SLA hours for {sev!r}", expected="a finite number of "
                                     f"hours > 0 (at most {_MAX_SLA_HOURS:g}: 100 years)",
                                     got=repr(h), fix="pass hours={'critical': 4, ...}")
        object.__setattr__(self, "hours", {s: float(merged[s]) for s in SEVERITIES})
        w = self.warn_share
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not 0.0 <= w < 1.0:
            raise ParameterError("warn_share", expected="a number in [0, 1)", got=repr(w),
                                 fix="pass warn_share=0.25 (at risk in the last quarter)")

    def allowed(self, severity: str) -> dt.timedelta:
        """The time allowed to resolve an escalation of ``severity``."""
        _check_severity(severity)
        return dt.timedelta(hours=self.hours[severity])

    def due_at(self, severity: str, reported_at: Any) -> dt.datetime:
        """``reported_at`` plus the hours allowed for ``severity`` (UTC)."""
        return _when(reported_at, "reported_at") + self.allowed(severity)


def _check_severity(severity: Any) -> str:
    if severity not in SEVERITIES:
        raise ParameterError("escalation severity", expected=f"one of {SEVERITIES}",
                             got=repr(severity), fix="pass severity='high' (or low, medium, "
                                                     "critical)")
    return severity


@dataclass(frozen=True)
class Escalation(FieldsJSON):
    """One reported bad prediction; the columns of the store's ``escalations`` table.

    ``event_id`` (a stored event) or ``payload`` (the features, for a prediction that was
    never logged) names the prediction. Times are aware UTC datetimes.
    """

    model: str
    severity: str
    reported_at: dt.datetime
    due_at: dt.datetime
    event_id: str | None = None
    payload: Mapping[str, Any] | None = None
    customer: str | None = None
    expected: Any = None
    status: str = "open"
    id: int | None = None
    resolved_at: dt.datetime | None = None
    analysis: Mapping[str, Any] | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise ParameterError("escalation model", expected="the model's name",
                                 got=repr(self.model), fix="pass model='churn'")
        _check_severity(self.severity)
        if self.status not in STATUSES:
            raise ParameterError("escalation status", expected=f"one of {STATUSES}",
                                 got=repr(self.status), fix="use 'open' for a new escalation")
        if self.event_id is None and self.payload is None:
            raise DataError("escalated prediction", expected="event_id (a stored event) or "
                            "payload (its features)",
                            got=f"event_id={self.event_id!r}, payload={self.payload!r}"[:200],
                            fix="pass event_id='...' or payload={'feature': value, ...}")
        if self.payload is not None and not isinstance(self.payload, Mapping):
            raise DataError("escalation payload", expected="a mapping {feature: value}",
                            got=type(self.payload).__name__, fix="pass payload as a dict")
        for name in ("reported_at", "due_at", "resolved_at"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _when(value, name))
        if self.due_at < self.reported_at:
            raise DataError("escalation due_at", expected="a time at or after reported_at",
                            got=f"due {self.due_at} < reported {self.reported_at}",
                            fix="compute it with SLAPolicy().due_at(severity, reported_at)")

    @classmethod
    def create(cls, model: str, *, severity: str, event_id: str | None = None,
               payload: Mapping[str, Any] | None = None, customer: str | None = None,
               expected: Any = None, reported_at: Any = None, note: str | None = None,
               policy: SLAPolicy | None = None) -> Escalation:
        """A new open escalation whose ``due_at`` follows ``policy`` (now by default)."""
        policy = SLAPolicy() if policy is None else policy
        reported = _when(reported_at if reported_at is not None
                         else dt.datetime.now(dt.timezone.utc), "reported_at")
        return cls(model=model, severity=_check_severity(severity), reported_at=reported,
                   due_at=policy.due_at(severity, reported), event_id=event_id,
                   payload=None if payload is None else dict(payload), customer=customer,
                   expected=expected, note=note)

    @classmethod
    def from_record(cls, record: Any) -> Escalation:
        """From a store record (any object with these attributes) or a mapping."""
        get = record.get if isinstance(record, Mapping) else (
            lambda k, d=None: getattr(record, k, d))
        names = [f.name for f in dataclasses.fields(cls)]
        values = {n: get(n, None) for n in names}
        values["status"] = values["status"] or "open"
        return cls(**values)

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED

    def time_left(self, now: Any) -> dt.timedelta:
        """``due_at - now`` (negative once overdue)."""
        return self.due_at - _when(now, "now")

    def breached(self, now: Any) -> bool:
        """True when the SLA is missed: unresolved past ``due_at``, or resolved after it."""
        if self.resolved:
            return self.resolved_at is not None and self.resolved_at > self.due_at
        return _when(now, "now") > self.due_at

    def with_changes(self, **changes: Any) -> Escalation:
        """A copy with some fields replaced (validated again)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class SLAReport:
    """Open escalations as of ``now``: breached, at risk, on track; breaches as alerts."""

    now: dt.datetime
    policy: SLAPolicy
    breached: tuple[Escalation, ...]
    at_risk: tuple[Escalation, ...]
    on_track: tuple[Escalation, ...]
    n_resolved: int
    alerts: tuple[Alert, ...]
    schema_version: str = "1.0"

    def notifications(self) -> tuple[Notification, ...]:
        """One notification per model with its breach alerts, for ``dispatch``."""
        by_model: dict[str, list[Alert]] = {}
        for alert in self.alerts:
            by_model.setdefault(alert.monitor, []).append(alert)
        out = []
        for monitor, alerts in sorted(by_model.items()):
            rank = {"info": 0, "warning": 1, "critical": 2}
            severity = max((a.severity for a in alerts), key=rank.__getitem__)
            out.append(Notification(monitor=monitor,
                                    window_start=min(a.window_start for a in alerts),
                                    window_end=self.now.isoformat(), severity=severity,
                                    fired=tuple(alerts), resolved=()))
        return tuple(out)

    def _rows(self, items: tuple[Escalation, ...]) -> list[dict[str, Any]]:
        return [{"id": e.id, "model": e.model, "severity": e.severity, "customer": e.customer,
                 "status": e.status, "reported_at": e.reported_at, "due_at": e.due_at,
                 "hours_left": _hours(e.time_left(self.now))} for e in items]

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "now": self.now,
            "policy": self.policy.to_dict(), "n_breached": len(self.breached),
            "n_at_risk": len(self.at_risk), "n_on_track": len(self.on_track),
            "n_resolved": self.n_resolved, "breached": self._rows(self.breached),
            "at_risk": self._rows(self.at_risk), "on_track": self._rows(self.on_track),
            "alerts": [a.to_dict() for a in self.alerts]})

    def to_html(self) -> str:
        d = self.to_dict()
        columns = ["id", "model", "severity", "customer", "status", "reported_at", "due_at",
                   "hours_left"]
        tables = [(title, columns, [[r[c] for c in columns] for r in d[key]])
                  for title, key in (("Breached", "breached"), ("At risk", "at_risk"),
                                     ("On track", "on_track"))]
        facts = [("as of", d["now"]), ("breached", d["n_breached"]),
                 ("at risk", d["n_at_risk"]), ("on track", d["n_on_track"]),
                 ("resolved", d["n_resolved"]),
                 ("SLA hours", ", ".join(f"{k} {v:g} h" for k, v in d["policy"]["hours"].items()))]
        return render_page("Escalation SLAs", facts=facts, tables=tables)


def _alert(e: Escalation, now: dt.datetime, policy: SLAPolicy) -> Alert:
    overdue = _hours(now - e.due_at)
    return Alert(
        fingerprint=f"escalations/{e.model}/sla/{e.id if e.id is not None else e.event_id}",
        rule=f"escalation SLA ({e.severity}: {policy.hours[e.severity]:g} h)",
        monitor=f"escalations/{e.model}", group=e.customer or "", metric="hours_overdue",
        severity=ALERT_SEVERITY[e.severity], status="firing", value=overdue, observed=overdue,
        threshold=0.0, count=1, since=e.due_at.isoformat(),
        window_start=e.reported_at.isoformat(), window_end=now.isoformat(),
        message=(f"escalation {e.id if e.id is not None else '(unsaved)'} ({e.severity}"
                 f"{', customer ' + e.customer if e.customer else ''}, event "
                 f"{e.event_id or '(payload)'}) is {overdue:.3g} h past its SLA "
                 f"(due {e.due_at.isoformat()})"))


def check_slas(escalations: Iterable[Escalation | Any], now: Any = None, *,
               policy: SLAPolicy | None = None,
               notified: Iterable[str] = ()) -> SLAReport:
    """Sort unresolved escalations by SLA state as of ``now`` (default: the current time).

    Each escalation keeps its own ``due_at`` (set when reported); ``policy`` decides the
    at-risk window. Breaches whose alert fingerprint is in ``notified`` are listed but raise
    no alert again (deduplication, as the alert engine does for firing alerts). Store records
    and mappings are accepted and read with :meth:`Escalation.from_record`.
    """
    policy = SLAPolicy() if policy is None else policy
    moment = _when(now if now is not None else dt.datetime.now(dt.timezone.utc), "now")
    seen = set(notified)
    items = [e if isinstance(e, Escalation) else Escalation.from_record(e) for e in escalations]
    breached, at_risk, on_track, alerts = [], [], [], []
    n_resolved = 0
    for e in items:
        if e.resolved:
            n_resolved += 1
            continue
        left = e.time_left(moment)
        if left < dt.timedelta(0):
            breached.append(e)
            alert = _alert(e, moment, policy)
            if alert.fingerprint not in seen:
                alerts.append(alert)
        elif left <= policy.allowed(e.severity) * policy.warn_share:
            at_risk.append(e)
        else:
            on_track.append(e)

    def by_due(x: Escalation) -> tuple[dt.datetime, int]:
        return x.due_at, -SEVERITIES.index(x.severity)

    return SLAReport(now=moment, policy=policy, breached=tuple(sorted(breached, key=by_due)),
                     at_risk=tuple(sorted(at_risk, key=by_due)),
                     on_track=tuple(sorted(on_track, key=by_due)), n_resolved=n_resolved,
                     alerts=tuple(sorted(alerts, key=lambda a: a.since or "")))
