"""The application factory: ``create_app`` opens the store and wires the routes.

Nothing happens at import time; every call builds an independent app (its own store, tokens
and metrics), so tests and several servers in one process do not share state.

>>> from stalwart.service import create_app
>>> app = create_app(ServiceSettings(store_url="sqlite://"), tokens={"t0k3n": ["admin"]})
>>> sorted(p for p in app.openapi()["paths"] if not p.startswith("/api"))
['/healthz', '/metrics']
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from .._version import __version__
from ..exceptions import ParameterError
from ..store import Store, open_store
from .auth import TokenSet, load_tokens
from .errors import install_error_handlers
from .limits import DEFAULT_MAX_BODY_BYTES, BodySizeLimit
from .telemetry import Metrics, MetricsMiddleware

__all__ = ["API_PREFIX", "ServiceSettings", "create_app"]

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class ServiceSettings:
    """Server settings; ``from_env`` reads ``STALWART_STORE_URL``, ``STALWART_WORKSPACE``,
    ``STALWART_TOKEN_FILE``, ``STALWART_MAX_BODY_BYTES`` and ``STALWART_SCHEDULE_INTERVAL``
    (seconds between scheduler ticks; None = no scheduler in the server)."""

    store_url: str | None = None
    workspace: str | None = None
    token_file: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    schedule_interval: float | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any
                 ) -> ServiceSettings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "store_url": env.get("STALWART_STORE_URL"),
            "workspace": env.get("STALWART_WORKSPACE"),
            "token_file": env.get("STALWART_TOKEN_FILE")}
        raw = env.get("STALWART_MAX_BODY_BYTES")
        if raw is not None:
            try:
                values["max_body_bytes"] = int(raw)
            except ValueError:
                raise ParameterError("STALWART_MAX_BODY_BYTES", expected="an integer of bytes",
                                     got=repr(raw), fix="set e.g. 10485760") from None
        raw = env.get("STALWART_SCHEDULE_INTERVAL")
        if raw:
            try:
                values["schedule_interval"] = float(raw)
            except ValueError:
                raise ParameterError("STALWART_SCHEDULE_INTERVAL", expected="seconds (a "
                                     "number)", got=repr(raw), fix="set e.g. 60") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def create_app(settings: ServiceSettings | None = None, *, store: Store | None = None,
               tokens: TokenSet | Mapping[str, Any] | None = None) -> FastAPI:
    """Build the server app (``settings`` default: :meth:`ServiceSettings.from_env`).

    ``store`` (else ``settings.store_url`` / ``settings.workspace``) is the monitoring store;
    a store opened here is closed when the app shuts down. ``tokens`` (a :class:`TokenSet` or
    ``{token: [scopes]}``) else ``settings.token_file`` else ``$STALWART_TOKENS``.
    """
    from .routes import ROUTERS

    settings = ServiceSettings.from_env() if settings is None else settings
    if tokens is None:
        token_set = load_tokens(settings.token_file)
    else:
        token_set = tokens if isinstance(tokens, TokenSet) else TokenSet(tokens)
    owned = store is None
    if store is None:
        store = open_store(settings.store_url, workspace=settings.workspace)

    from ..monitoring.scheduler import Scheduler

    scheduler = Scheduler(store)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.schedule_interval is not None:
            scheduler.run_forever(interval=settings.schedule_interval)
        yield
        scheduler.stop()
        if owned:
            app.state.store.close()

    app = FastAPI(title="stalwart monitoring server", version=__version__,
                  description="Ingest prediction events and labels; manage references, "
                              "monitors, alerts and the review queue.", lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.tokens = token_set
    app.state.metrics = Metrics()
    app.state.scheduler = scheduler
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    # outermost last: metrics see every request, including those refused for size
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    return app
