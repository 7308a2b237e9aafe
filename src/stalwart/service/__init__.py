"""The monitoring server: a versioned REST API over the store (needs the ``server`` extra).

>>> from stalwart.service import create_app
>>> app = create_app(store_url="sqlite://", tokens={"t": ["admin"]})  # doctest: +SKIP
"""

from __future__ import annotations

from .._optional import require

require("fastapi", extra="server", purpose="the monitoring server")

from .app import ServiceSettings, create_app  # noqa: E402
from .auth import SCOPES, TokenSet, load_tokens  # noqa: E402

__all__ = ["SCOPES", "ServiceSettings", "TokenSet", "create_app", "load_tokens"]
