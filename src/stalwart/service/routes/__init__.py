"""One router per resource; ``ROUTERS`` is what :func:`create_app` includes."""

from __future__ import annotations

from . import (alerts, columnar, dashboard, escalations, events, health, labels, metrics,
               monitors, overview, references, review, rules, versions)

__all__ = ["ROUTERS"]

# overview before review: its fixed paths (/review/queue) must win over /review/{item_id}
ROUTERS = (health.router, metrics.router, events.router, columnar.router, labels.router,
           references.router, overview.router, monitors.router, alerts.router, review.router,
           escalations.router, rules.router, versions.router, dashboard.router)
