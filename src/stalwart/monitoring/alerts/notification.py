"""What the alert engine reports: alerts, a window's events, and the grouped notification.

An :class:`AlertEvents` holds, for one window of one monitor, the alerts that ``fired`` (new),
those ``firing`` still (deduplicated: no new notification, their ``count`` grows), those
``resolved``, the rules that could not be judged (``missing``: metric None or absent, or
no baseline yet), and the rules breaching but not yet for enough windows (``pending``).
:meth:`AlertEvents.notification` groups the fired and resolved alerts into one
:class:`Notification`, or returns None when there is nothing new to say.

>>> a = Alert(fingerprint="m/r/", rule="r", monitor="m", group="", metric="x",
...           severity="critical", status="firing", value=0.5, observed=0.5, threshold=0.3,
...           count=1, since="2026-01-02", window_start="2026-01-01", window_end="2026-01-02")
>>> ev = AlertEvents(monitor="m", window_start="2026-01-01", window_end="2026-01-02",
...                  fired=(a,))
>>> note = ev.notification()
>>> note.severity, note.subject
('critical', '[stalwart] CRITICAL m: 1 alert fired, 0 resolved')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..._json import FieldsJSON, jsonable
from .rules import SEVERITY_RANK

__all__ = ["Alert", "AlertEvents", "Notification"]


@dataclass(frozen=True)
class Alert(FieldsJSON):
    """One rule's state on one window: firing or resolved."""

    fingerprint: str
    rule: str
    monitor: str
    group: str
    metric: str
    severity: str
    status: str          # "firing" | "resolved"
    value: float | None  # the metric's value on this window
    observed: float | None  # what the rule compared (the value, or its change)
    threshold: float
    count: int           # windows this alert has been firing (1 when it fires)
    since: str | None    # window_end of the window that fired it
    window_start: str
    window_end: str
    message: str = ""


@dataclass(frozen=True)
class Notification:
    """All the alerts one window raised or resolved for one monitor, sent as one message."""

    monitor: str
    window_start: str
    window_end: str
    severity: str
    fired: tuple[Alert, ...]
    resolved: tuple[Alert, ...]
    firing: tuple[Alert, ...] = ()
    schema_version: str = "1.0"

    @property
    def subject(self) -> str:
        return (f"[stalwart] {self.severity.upper()} {self.monitor}: "
                f"{len(self.fired)} alert{'s' if len(self.fired) != 1 else ''} fired, "
                f"{len(self.resolved)} resolved")

    @property
    def text(self) -> str:
        lines = [self.subject, f"window {self.window_start} .. {self.window_end}", ""]
        for title, alerts in (("FIRED", self.fired), ("RESOLVED", self.resolved),
                              ("STILL FIRING", self.firing)):
            for a in alerts:
                lines.append(f"{title} [{a.severity}] {a.rule}: {a.message}")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "monitor": self.monitor,
            "window_start": self.window_start, "window_end": self.window_end,
            "severity": self.severity, "subject": self.subject,
            "fired": [a.to_dict() for a in self.fired],
            "resolved": [a.to_dict() for a in self.resolved],
            "firing": [a.to_dict() for a in self.firing],
        })


@dataclass(frozen=True)
class AlertEvents:
    """The outcome of evaluating one window: fired, still firing, resolved, missing."""

    monitor: str
    window_start: str
    window_end: str
    fired: tuple[Alert, ...] = ()
    firing: tuple[Alert, ...] = ()
    resolved: tuple[Alert, ...] = ()
    missing: tuple[dict[str, Any], ...] = field(default=())
    pending: tuple[dict[str, Any], ...] = field(default=())
    schema_version: str = "1.0"

    @property
    def active(self) -> tuple[Alert, ...]:
        """Every alert active after this window (new and still firing)."""
        return self.fired + self.firing

    def notification(self) -> Notification | None:
        """One grouped notification for what changed, or None (nothing new: dedup)."""
        if not self.fired and not self.resolved:
            return None
        changed = self.fired + self.resolved
        severity = max((a.severity for a in changed), key=SEVERITY_RANK.__getitem__)
        return Notification(monitor=self.monitor, window_start=self.window_start,
                            window_end=self.window_end, severity=severity, fired=self.fired,
                            resolved=self.resolved, firing=self.firing)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "monitor": self.monitor,
            "window_start": self.window_start, "window_end": self.window_end,
            "fired": [a.to_dict() for a in self.fired],
            "firing": [a.to_dict() for a in self.firing],
            "resolved": [a.to_dict() for a in self.resolved],
            "missing": [dict(m) for m in self.missing],
            "pending": [dict(p) for p in self.pending],
        })
