"""Alerts: rules on window metrics, an engine with persistent state, channels, triggers.

>>> engine = AlertEngine(["latency_p95 > 250 for 2 windows clear 200"])
>>> state, events = engine.evaluate({"monitor": "api", "window_start": "t0",
...                                  "window_end": "t1", "metrics": {"latency_p95": 300}})
>>> events.fired, state["alerts"]["api/latency_p95 > 250 for 2 windows/"]["streak"]
((), 1)
"""

from __future__ import annotations

from .channels import (CHANNELS, Channel, EmailChannel, LogChannel, WebhookChannel,
                       channel_from_dict, dispatch)
from .engine import STATE_VERSION, AlertEngine, fingerprint
from .notification import Alert, AlertEvents, Notification
from .result import ChannelResult, TriggerRun
from .rules import OPS, RULE_KINDS, SEVERITIES, Rule
from .triggers import CONTEXT_ENV, CommandAction, RetrainTrigger, WebhookAction

__all__ = [
    "CHANNELS", "CONTEXT_ENV", "OPS", "RULE_KINDS", "SEVERITIES", "STATE_VERSION", "Alert",
    "AlertEngine", "AlertEvents", "Channel", "ChannelResult", "CommandAction", "EmailChannel",
    "LogChannel", "Notification", "RetrainTrigger", "Rule", "TriggerRun", "WebhookAction",
    "WebhookChannel", "channel_from_dict", "dispatch", "fingerprint",
]
