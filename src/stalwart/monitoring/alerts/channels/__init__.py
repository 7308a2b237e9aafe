"""Alert channels: log, webhook (httpx), e-mail (smtplib), and their registry."""

from __future__ import annotations

from .email import EmailChannel
from .log import LogChannel
from .registry import CHANNELS, Channel, channel_from_dict, dispatch
from .webhook import WebhookChannel

__all__ = ["CHANNELS", "Channel", "EmailChannel", "LogChannel", "WebhookChannel",
           "channel_from_dict", "dispatch"]
