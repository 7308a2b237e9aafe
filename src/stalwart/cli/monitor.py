"""``stalwart monitor run``: run the store's saved monitors that are due (or one, now).

One library call: :func:`stalwart.monitoring.run_due` (every due monitor, the others are
listed as not due) or :meth:`stalwart.monitoring.Scheduler.run_monitor` with ``--name``.
State is persisted in the store, so running this from cron every few minutes is the same as
the server's built-in scheduler. Exit code 1 when a monitor failed (its error is printed),
2 on bad input.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..exceptions import StageError
from ._common import EXIT_FAILED, clean_errors

__all__ = ["monitor_command"]


def _summary(run: Any) -> str:
    fired = sum(len(a.fired) for a in run.alerts)
    resolved = sum(len(a.resolved) for a in run.alerts)
    parts = [f"{len(run.windows)} window(s)", f"{fired} alert(s) fired",
             f"{resolved} resolved", f"{len(run.deliveries)} delivery(ies)",
             f"{len(run.trigger_runs)} trigger run(s)"]
    if run.review:
        parts.append(f"{run.review.get('queued', 0)} queued for review")
    return f"{run.monitor}: " + ", ".join(parts)


@click.group("monitor")
def monitor_command() -> None:
    """Saved monitors: run them against the store."""


@monitor_command.command("run")
@click.option("--workspace", type=click.Path(file_okay=False),
              help="Folder of the embedded SQLite store [default: $STALWART_WORKSPACE].")
@click.option("--store", "store_url", default=None,
              help="Store URL, e.g. postgresql+psycopg://user@host/db [default: "
                   "$STALWART_STORE_URL or SQLite in the workspace].")
@click.option("--name", default=None,
              help="Run this saved monitor now, due or not [default: every due monitor].")
@click.option("--now", default=None,
              help="ISO time to run as of [default: the current time]; only windows complete "
                   "by then are evaluated.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@clean_errors
def run_command(workspace: str | None, store_url: str | None, name: str | None,
                now: str | None, fmt: str) -> None:
    """Evaluate the complete windows not yet evaluated, raise alerts, deliver, trigger."""
    import os

    from ..monitoring import Scheduler
    from ..store import open_store

    url = store_url or os.environ.get("STALWART_STORE_URL")
    store = open_store(url, workspace=workspace)
    try:
        scheduler = Scheduler(store)
        if name is not None:
            store.monitor(name)  # an unknown name is a clean input error
            try:
                run = scheduler.run_monitor(name, now=now)
            except StageError as exc:  # another scheduler holds its lease
                click.echo(f"error: {exc}", err=True)
                sys.exit(EXIT_FAILED)
            result: dict[str, Any] = run.to_dict()
            lines, failed = [_summary(run)], False
        else:
            tick = scheduler.run_due(now=now)
            result = tick.to_dict()
            lines = [_summary(r) for r in tick.runs]
            lines += [f"{m}: not due" for m in tick.not_due]
            lines += [f"{m}: busy (another scheduler is running it)" for m in tick.busy]
            lines += [f"{m}: FAILED {err}" for m, err in tick.errors.items()]
            failed = bool(tick.errors)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(result, sort_keys=True))
    else:
        click.echo("\n".join(lines) if lines else "no saved monitors")
    if failed:
        sys.exit(EXIT_FAILED)
