"""One router per resource; ``ROUTERS`` is what :func:`create_app` includes."""

from __future__ import annotations

from . import (alerts, dashboard, events, health, labels, metrics, monitors, overview,
               references, review)

__all__ = ["ROUTERS"]

ROUTERS = (health.router, metrics.router, events.router, labels.router, references.router,
           monitors.router, alerts.router, review.router, overview.router, dashboard.router)
