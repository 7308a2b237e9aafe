"""The channel registry, building channels from config, and grouped dispatch.

>>> CHANNELS.names()
['email', 'log', 'webhook']
>>> channel_from_dict({"type": "log"}).name
'log'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from ...._registry import Registry
from ....exceptions import ParameterError
from ..notification import Notification
from ..result import ChannelResult
from .email import EmailChannel
from .log import LogChannel
from .webhook import WebhookChannel

__all__ = ["CHANNELS", "Channel", "channel_from_dict", "dispatch"]


class Channel(Protocol):
    name: str

    def send(self, notification: Notification) -> ChannelResult: ...


CHANNELS: Registry[type] = Registry("alert channel")
CHANNELS.register("log", LogChannel, needs_extra=None)
CHANNELS.register("webhook", WebhookChannel, needs_extra="server")
CHANNELS.register("email", EmailChannel, needs_extra=None)


def channel_from_dict(config: Mapping[str, Any]) -> Channel:
    """Build a channel from ``{"type": name, **options}``."""
    if not isinstance(config, Mapping) or "type" not in config:
        raise ParameterError("channel config", expected="a mapping with 'type' and options",
                             got=repr(config), fix="pass {'type': 'webhook', 'url': '...'}")
    options = {k: v for k, v in config.items() if k != "type"}
    cls = CHANNELS.get(config["type"])
    try:
        return cls(**options)
    except TypeError as exc:
        raise ParameterError(f"options of channel {config['type']!r}",
                             expected="the channel's constructor arguments", got=repr(options),
                             fix=str(exc)) from None


def dispatch(notification: Notification | None,
             channels: Iterable[Channel]) -> tuple[ChannelResult, ...]:
    """Send one notification to every channel; a failing channel never stops the others."""
    if notification is None:
        return ()
    results = []
    for channel in channels:
        try:
            results.append(channel.send(notification))
        except Exception as exc:  # a channel bug must not lose the other deliveries
            results.append(ChannelResult(channel=getattr(channel, "name", "?"), ok=False,
                                         attempts=1, error=f"{type(exc).__name__}: {exc}"))
    return tuple(results)
