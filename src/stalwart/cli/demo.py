"""``stalwart demo``: the main job, end to end, on the embedded defaults."""

from __future__ import annotations

import click

from .._config import Settings
from ..demo import run_demo
from ._common import clean_errors


@click.command("demo")
@click.option("--workspace", type=click.Path(file_okay=False),
              help="Folder for data, model, reports and the store [default: "
                   "$STALWART_WORKSPACE or ./stalwart-workspace].")
@click.option("--seed", type=int, default=None, help="Random seed.")
@click.option("--serve", is_flag=True,
              help="Then keep serving the API and the dashboard on the workspace's store "
                   "(needs the server extra).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind with --serve.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port with --serve.")
@clean_errors
def demo_command(workspace: str | None, seed: int | None, serve: bool, host: str,
                 port: int) -> None:
    """Train a model on a real data set shipped with scikit-learn, run every suite, write
    the HTML reports, then replay six weeks of production traffic with injected faults into
    the workspace's SQLite store, monitor it daily and raise the alerts."""
    uvicorn = None
    if serve:  # before the work: a missing extra is said at once, not after a minute
        from .._optional import require

        uvicorn = require("uvicorn", extra="server", purpose="stalwart demo --serve")
        require("fastapi", extra="server", purpose="stalwart demo --serve")
    settings = Settings.from_env()
    result = run_demo(workspace=workspace or settings.workspace,
                      random_state=settings.random_state if seed is None else seed,
                      echo=click.echo)
    click.echo("")
    click.echo(f"Open the report: {result.index_path}")
    url = result.dashboard_url(host, port)
    if uvicorn is None:
        click.echo("See production on the dashboard: stalwart demo --serve (or: stalwart "
                   f"serve --workspace {result.workspace} --token-file {result.token_file}),"
                   f" then open {url}")
        return
    from ..service import ServiceSettings, create_app

    app = create_app(ServiceSettings(workspace=str(result.workspace),
                                     token_file=str(result.token_file)))
    click.echo(f"Serving the dashboard: open {url} (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
