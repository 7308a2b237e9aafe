"""Log channel: write each notification to a :mod:`logging` logger.

Severity maps to the log level (info → INFO, warning → WARNING, critical → CRITICAL).

>>> LogChannel().name
'log'
"""

from __future__ import annotations

import json
import logging

from ..notification import Notification
from ..result import ChannelResult

__all__ = ["LogChannel"]

_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "critical": logging.CRITICAL}


class LogChannel:
    name = "log"

    def __init__(self, *, logger: str = "stalwart.alerts") -> None:
        self.logger = logger

    def send(self, notification: Notification) -> ChannelResult:
        log = logging.getLogger(self.logger)
        log.log(_LEVELS.get(notification.severity, logging.WARNING), "%s %s",
                notification.subject, json.dumps(notification.to_dict(), sort_keys=True))
        return ChannelResult(channel=self.name, ok=True, attempts=1,
                             detail=f"logged to {self.logger!r}")

    def to_dict(self) -> dict[str, object]:
        return {"type": self.name, "logger": self.logger}
