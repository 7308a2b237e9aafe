"""Webhook channel: POST the notification JSON with httpx (the ``server`` extra).

Retries with exponential backoff (``backoff * 2**i`` seconds) on 5xx replies and on
connection errors or timeouts; a 4xx is final (the request itself is wrong). The
:class:`~stalwart.monitoring.alerts.result.ChannelResult` says how many attempts were made
and the last status or error.

>>> WebhookChannel("http://127.0.0.1:9/hook", retries=0).to_dict()["retries"]
0
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ...._optional import require
from ....exceptions import ParameterError
from ..notification import Notification
from ..result import ChannelResult

__all__ = ["WebhookChannel", "post_json"]


def post_json(url: str, payload: Any, *, timeout: float, retries: int, backoff: float,
              headers: Mapping[str, str] | None = None,
              channel: str = "webhook") -> ChannelResult:
    """POST ``payload`` as JSON with retries; never raises for delivery failures."""
    httpx = require("httpx", extra="server", purpose="webhook alerts")
    status: int | None = None
    error: str | None = None
    attempts = 0
    with httpx.Client(timeout=timeout) as client:
        for attempt in range(retries + 1):
            attempts = attempt + 1
            try:
                reply = client.post(url, json=payload, headers=dict(headers or {}))
                status, error = reply.status_code, None
                if status < 400:
                    return ChannelResult(channel=channel, ok=True, attempts=attempts,
                                         status=status, detail=f"POST {url}")
                error = f"HTTP {status}: {reply.text[:200]}"
                if status < 500:
                    break
            except httpx.TransportError as exc:  # connection, timeout: worth retrying
                status, error = None, f"{type(exc).__name__}: {exc}"
            except httpx.HTTPError as exc:  # redirects, decoding: retrying will not help
                status, error = None, f"{type(exc).__name__}: {exc}"
                break
            if attempt < retries:
                time.sleep(backoff * 2 ** attempt)
    return ChannelResult(channel=channel, ok=False, attempts=attempts, status=status,
                         error=error, detail=f"POST {url}")


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str, *, timeout: float = 10.0, retries: int = 3,
                 backoff: float = 0.5, headers: Mapping[str, str] | None = None) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ParameterError("webhook url", expected="an http:// or https:// URL",
                                 got=repr(url), fix="pass url='https://hooks.example/alerts'")
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ParameterError("webhook retries", expected="an integer >= 0",
                                 got=repr(retries), fix="pass retries=3")
        if not timeout > 0 or backoff < 0:
            raise ParameterError("webhook timeout/backoff", expected="timeout > 0, backoff >= 0",
                                 got=repr((timeout, backoff)), fix="pass timeout=10, backoff=0.5")
        self.url = url
        self.timeout = float(timeout)
        self.retries = retries
        self.backoff = float(backoff)
        self.headers = dict(headers or {})

    def send(self, notification: Notification) -> ChannelResult:
        return post_json(self.url, notification.to_dict(), timeout=self.timeout,
                         retries=self.retries, backoff=self.backoff, headers=self.headers,
                         channel=self.name)

    def to_dict(self) -> dict[str, Any]:
        # header values may hold secrets: only their names are exported
        return {"type": self.name, "url": self.url, "timeout": self.timeout,
                "retries": self.retries, "backoff": self.backoff,
                "header_names": sorted(self.headers)}
