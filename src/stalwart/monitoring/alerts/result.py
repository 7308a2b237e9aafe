"""Outcomes of delivering a notification (:class:`ChannelResult`) or running a trigger.

>>> ChannelResult(channel="log", ok=True, attempts=1).to_dict()["ok"]
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..._json import FieldsJSON

__all__ = ["ChannelResult", "TriggerRun"]


@dataclass(frozen=True)
class ChannelResult(FieldsJSON):
    """What happened when one channel sent one notification."""

    channel: str
    ok: bool
    attempts: int
    status: int | None = None      # HTTP status (webhook) or SMTP reply code
    error: str | None = None
    detail: str = ""
    schema_version: str = "1.0"


@dataclass(frozen=True)
class TriggerRun(FieldsJSON):
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

