"""``stalwart serve``: run the monitoring server (needs the ``server`` extra).

The server process tunes Python's garbage collector once its app is built (:func:`tune_gc`):
an ingest batch allocates tens of thousands of dicts that live until it is stored, and with
the default thresholds they push the interpreter into full collections that walk every
object of the loaded server (about 230,000: FastAPI, pandas, SQLAlchemy) and stop the worker
for over 100 ms, which is the whole p99 budget of a batch. Freezing the start-up objects
takes them out of every later collection, and a larger first-generation threshold collects
the short-lived batch objects less often. Only ``stalwart serve`` does this (it owns the
process); ``create_app`` leaves the collector alone for programs that embed the app.
"""

from __future__ import annotations

import gc
from typing import Any

import click

from ._common import clean_errors

#: allocations between young collections (CPython's default is 700); the middle and old
#: generation thresholds keep their defaults
GC_YOUNG_THRESHOLD = 50_000


def tune_gc() -> None:
    """Collect once, freeze what survives (the loaded server), raise the young threshold."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def worker_app() -> Any:
    """The app of one ``--workers`` process (uvicorn's factory): built, then :func:`tune_gc`."""
    from ..service import create_app

    app = create_app()
    tune_gc()
    return app


@click.command("serve")
@click.option("--workspace", type=click.Path(file_okay=False),
              help="Folder of the embedded SQLite store [default: $STALWART_WORKSPACE or "
                   "./stalwart-workspace].")
@click.option("--store", "store_url", default=None,
              help="Store URL, e.g. postgresql+psycopg://user@host/db [default: "
                   "$STALWART_STORE_URL or SQLite in the workspace].")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port.")
@click.option("--token-file", type=click.Path(dir_okay=False, exists=True), default=None,
              help='JSON {"<token>": ["ingest" | "read" | "admin", ...]} [default: '
                   "$STALWART_TOKEN_FILE, else $STALWART_TOKENS].")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port (each opens the store; /metrics "
                   "counts per process).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info"]),
              default="info", show_default=True, help="uvicorn's log level (info logs every "
              "request).")
@clean_errors
def serve_command(workspace: str | None, store_url: str | None, host: str, port: int,
                  token_file: str | None, workers: int = 1, log_level: str = "info") -> None:
    """Serve the REST API (/api/v1), /healthz, /metrics and /docs over HTTP."""
    import os

    from .._optional import require

    uvicorn = require("uvicorn", extra="server", purpose="stalwart serve")
    from ..service import ServiceSettings, create_app

    settings = ServiceSettings.from_env(store_url=store_url, workspace=workspace,
                                        token_file=token_file)
    app = create_app(settings)
    tokens = len(app.state.tokens)
    click.echo(f"store: {app.state.store.url}; {tokens} token(s)", err=True)
    if tokens == 0:
        click.echo("warning: no tokens configured; every API call will be refused with 401 "
                   "(use --token-file or $STALWART_TOKENS)", err=True)
    if workers == 1:
        tune_gc()
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return
    # several processes: each builds its own app from the same settings (the environment
    # variables create_app reads); the store is already migrated by the app built above
    app.state.store.close()
    for name, value in (("STALWART_STORE_URL", settings.store_url),
                        ("STALWART_WORKSPACE", settings.workspace),
                        ("STALWART_TOKEN_FILE", settings.token_file),
                        ("STALWART_MAX_BODY_BYTES", str(settings.max_body_bytes))):
        if value is not None:
            os.environ[name] = value
    uvicorn.run("stalwart.cli.serve:worker_app", factory=True, host=host, port=port,
                workers=workers, log_level=log_level)
