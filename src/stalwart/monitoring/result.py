"""WindowResult: one monitor's numbers for one window.

>>> import pandas as pd
>>> r = WindowResult(monitor="churn", window_start=pd.Timestamp("2026-01-01", tz="UTC"),
...                  window_end=pd.Timestamp("2026-01-02", tz="UTC"), n_events=0,
...                  metrics={"latency_p50": None}, notes=("empty window",))
>>> d = r.to_dict()
>>> d["window_start"], d["metrics"], d["schema_version"]
('2026-01-01T00:00:00+00:00', {'latency_p50': None}, '1.0')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._json import jsonable

__all__ = ["SCHEMA_VERSION", "WindowResult"]

SCHEMA_VERSION = "1.0"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass(frozen=True)
class WindowResult:
    """Flat ``metrics`` (``{name: float | None}``; None = not computable, e.g. an empty
    window), per-metric ``details`` and ``notes`` on anything not computed and why.

    Time windows are ``[window_start, window_end)``; count windows run from the first to the
    last event's timestamp (both included).
    """

    monitor: str
    window_start: Any
    window_end: Any
    n_events: int
    metrics: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    schema_version: str = SCHEMA_VERSION

    @property
    def empty(self) -> bool:
        return self.n_events == 0

    def __getitem__(self, name: str) -> float | None:
        return self.metrics[name]

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "monitor": self.monitor,
                "window_start": _iso(self.window_start), "window_end": _iso(self.window_end),
                "n_events": int(self.n_events), "metrics": jsonable(self.metrics),
                "details": jsonable(self.details), "notes": list(self.notes)}
