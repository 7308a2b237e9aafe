"""One router per resource; ``ROUTERS`` is what :func:`create_app` includes."""

from __future__ import annotations

from . import alerts, events, health, labels, metrics, monitors, references, review

__all__ = ["ROUTERS"]

ROUTERS = (health.router, metrics.router, events.router, labels.router, references.router,
           monitors.router, alerts.router, review.router)
