"""Outcomes of delivering a notification (:class:`ChannelResult`) or running a trigger.

>>> ChannelResult(channel="log", ok=True, attempts=1).to_dict()["ok"]
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..._json import jsonable

__all__ = ["ChannelResult", "TriggerRun"]


@dataclass(frozen=True)
class ChannelResult:
    """What happened when one channel sent one notification."""

    channel: str
    ok: bool
    attempts: int
    status: int | None = None      # HTTP status (webhook) or SMTP reply code
    error: str | None = None
    detail: str = ""
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


@dataclass(frozen=True)
class TriggerRun:
    """One retraining trigger firing: the context it passed and the action's outcome."""

    trigger: str
    fingerprint: str
    action: str
    ok: bool
    exit_code: int | None = None
    http_status: int | None = None
    stderr_tail: str = ""
    error: str | None = None
    context: dict[str, Any] | None = None
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})
