"""Request size limit: an ASGI middleware that answers 413 before the app reads too much.

The limit is checked twice: from ``Content-Length`` (refused before any byte is read) and while
the body streams in (a chunked body, or a lying header, is cut off at the limit). Bodies within
the limit are buffered and replayed to the app unchanged.

>>> BodySizeLimit(app=None, max_bytes=10).max_bytes
10
"""

from __future__ import annotations

import json
from typing import Any

from ..exceptions import ParameterError

__all__ = ["DEFAULT_MAX_BODY_BYTES", "BodySizeLimit"]

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

Scope = dict[str, Any]


class BodySizeLimit:
    """Pure ASGI middleware: refuse HTTP request bodies larger than ``max_bytes`` with 413."""

    def __init__(self, app: Any, *, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 1:
            raise ParameterError("max_body_bytes", expected="an integer >= 1",
                                 got=repr(max_bytes), fix="pass e.g. 10485760 (10 MB)")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send, f"the request body declares {declared} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        disconnected = False
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(send, f"the request body has more than {self.max_bytes} "
                                         "bytes")
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replay = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        sent = False

        async def replay_receive() -> dict[str, Any]:
            nonlocal sent
            if not sent and not disconnected:
                sent = True
                return replay
            return await receive() if not disconnected else {"type": "http.disconnect"}

        await self.app(scope, replay_receive, send)

    async def _refuse(self, send: Any, got: str) -> None:
        detail = (f"payload too large: {got}; the limit is {self.max_bytes} bytes. "
                  "Fix: send smaller batches")
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
