"""Server metrics in the Prometheus text format, written by hand.

Why no ``prometheus_client``: the server needs three families (a request counter, an event
counter and one latency histogram); a hundred lines here keep the ``server`` extra to FastAPI
and uvicorn, and the output format is small and stable (text exposition format 0.0.4).
Counters live in one process; behind several workers each worker reports its own.

>>> m = Metrics()
>>> m.count_request("GET", "/healthz", 200)
>>> m.observe_ingest(0.004, accepted=3, duplicates=1, rejected=0)
>>> text = m.render()
>>> 'stalwart_http_requests_total{method="GET",route="/healthz",status="200"} 1' in text
True
>>> 'stalwart_ingest_latency_seconds_bucket{le="0.005"} 1' in text
True
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["LATENCY_BUCKETS", "Metrics", "MetricsMiddleware"]

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                   10.0)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _num(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Metrics:
    """Thread-safe counters and the ingest latency histogram of one server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = {}
        self._events = {"accepted": 0, "duplicates": 0, "rejected": 0}
        self._labels = {"accepted": 0, "duplicates": 0, "rejected": 0}
        self._buckets = [0] * len(LATENCY_BUCKETS)
        self._count = 0
        self._sum = 0.0

    def count_request(self, method: str, route: str, status: int) -> None:
        key = (method, route, str(status))
        with self._lock:
            self._requests[key] = self._requests.get(key, 0) + 1

    def observe_ingest(self, seconds: float, *, accepted: int, duplicates: int,
                       rejected: int) -> None:
        with self._lock:
            self._events["accepted"] += accepted
            self._events["duplicates"] += duplicates
            self._events["rejected"] += rejected
            self._count += 1
            self._sum += seconds
            for i, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    self._buckets[i] += 1

    def count_labels(self, *, accepted: int, duplicates: int, rejected: int) -> None:
        with self._lock:
            self._labels["accepted"] += accepted
            self._labels["duplicates"] += duplicates
            self._labels["rejected"] += rejected

    def render(self) -> str:
        with self._lock:
            lines = ["# HELP stalwart_http_requests_total HTTP requests by method, route "
                     "template and status.", "# TYPE stalwart_http_requests_total counter"]
            for (method, route, status), n in sorted(self._requests.items()):
                lines.append(f'stalwart_http_requests_total{{method="{_label(method)}",'
                             f'route="{_label(route)}",status="{status}"}} {n}')
            lines += ["# HELP stalwart_events_ingested_total Prediction events by outcome.",
                      "# TYPE stalwart_events_ingested_total counter"]
            lines += [f'stalwart_events_ingested_total{{outcome="{k}"}} {v}'
                      for k, v in self._events.items()]
            lines += ["# HELP stalwart_labels_ingested_total Labels by outcome.",
                      "# TYPE stalwart_labels_ingested_total counter"]
            lines += [f'stalwart_labels_ingested_total{{outcome="{k}"}} {v}'
                      for k, v in self._labels.items()]
            lines += ["# HELP stalwart_ingest_latency_seconds Time to validate and store one "
                      "event batch.", "# TYPE stalwart_ingest_latency_seconds histogram"]
            lines += [f'stalwart_ingest_latency_seconds_bucket{{le="{_num(b)}"}} {n}'
                      for b, n in zip(LATENCY_BUCKETS, self._buckets)]
            lines += [f'stalwart_ingest_latency_seconds_bucket{{le="+Inf"}} {self._count}',
                      f"stalwart_ingest_latency_seconds_sum {_num(self._sum)}",
                      f"stalwart_ingest_latency_seconds_count {self._count}"]
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """Pure ASGI middleware counting every HTTP request by route template and status."""

    def __init__(self, app: Any, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    @staticmethod
    def _route(scope: dict[str, Any]) -> str:
        """The route template (bounded label values); requests that reached no route, such
        as 404s and bodies refused for size, share the label ``unrouted``."""
        route = scope.get("route")
        path = getattr(route, "path", None)
        return path if isinstance(path, str) else "unrouted"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def record_send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_send)
        finally:
            self.metrics.count_request(scope.get("method", "?"), self._route(scope), status)
