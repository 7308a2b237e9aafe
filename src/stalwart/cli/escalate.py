"""``stalwart escalate``: report bad predictions, list them, watch their SLAs, analyse errors.

Each command is one library call on the store (:class:`stalwart.rca.EscalationDesk`,
:func:`stalwart.rca.analyse_errors_in_store`). ``sla`` exits 1 when an escalation has breached
its SLA (so cron can page someone); every command exits 2 on bad input, such as an unknown
event id, or on a store without escalation support.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ..exceptions import StageError
from ._common import EXIT_FAILED, EXIT_USAGE, clean_errors

__all__ = ["escalate_command"]

_SEVERITIES = ("low", "medium", "high", "critical")
_STATUSES = ("open", "analysed", "fixed", "closed")


def _store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        click.option("--workspace", type=click.Path(file_okay=False),
                     help="Folder of the embedded SQLite store [default: $STALWART_WORKSPACE]."),
        click.option("--store", "store_url", default=None,
                     help="Store URL, e.g. postgresql+psycopg://user@host/db [default: "
                          "$STALWART_STORE_URL or SQLite in the workspace]."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help="Output format."),
    )):
        func = option(func)
    return func


def _with_store(func: Callable[..., Any]) -> Callable[..., Any]:
    """Open the store for the command, close it after; a missing store feature exits 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, workspace: str | None, store_url: str | None, **kwargs: Any) -> Any:
        from ..store import open_store

        store = open_store(store_url or os.environ.get("STALWART_STORE_URL"),
                           workspace=workspace)
        try:
            return func(*args, store=store, **kwargs)
        except StageError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        finally:
            store.close()

    return wrapper


def _value(text: str | None) -> Any:
    """A JSON value when the text parses as one (1, true, {"a": 1}), else the text."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _line(e: Any) -> str:
    who = f", customer {e.customer}" if e.customer else ""
    what = f"event {e.event_id}" if e.event_id else "payload"
    return (f"#{e.id} {e.model} [{e.severity}] {e.status}{who}: {what}, expected "
            f"{json.dumps(e.expected)}, due {e.due_at.isoformat()}")


@click.group("escalate")
def escalate_command() -> None:
    """Escalations: reported bad predictions with SLA clocks, and error analysis."""


@escalate_command.command("report")
@_store_options
@click.option("--model", required=True, help="The model that made the prediction.")
@click.option("--event-id", default=None, help="The stored event of the bad prediction.")
@click.option("--payload", default=None,
              help="The input as a JSON object, for a prediction that was not logged.")
@click.option("--severity", type=click.Choice(_SEVERITIES), required=True,
              help="Severity; it sets the SLA (critical 4 h, high 24 h, medium 72 h, low 168 h).")
@click.option("--customer", default=None, help="Who reported it [default: the event's segment].")
@click.option("--expected", default=None, help="The expected output (JSON or text).")
@click.option("--reported-at", default=None, help="ISO time of the report [default: now].")
@click.option("--note", default=None, help="Free text.")
@clean_errors
@_with_store
def report_command(store: Any, fmt: str, model: str, event_id: str | None,
                   payload: str | None, severity: str, customer: str | None,
                   expected: str | None, reported_at: str | None, note: str | None) -> None:
    """Record a bad prediction (by --event-id or --payload) with its SLA clock."""
    from ..exceptions import DataError
    from ..rca import EscalationDesk

    doc = _value(payload)
    if payload is not None and not isinstance(doc, dict):
        raise DataError("--payload", expected="a JSON object of features",
                        got=payload[:80], fix="""pass --payload '{"x": 1.5}'""")
    esc = EscalationDesk(store).report(model, severity=severity, event_id=event_id,
                                       payload=doc, customer=customer,
                                       expected=_value(expected), reported_at=reported_at,
                                       note=note)
    click.echo(json.dumps(esc.to_dict(), sort_keys=True) if fmt == "json"
               else f"escalation {_line(esc)}")


@escalate_command.command("list")
@_store_options
@click.option("--model", default=None, help="Only this model's escalations.")
@click.option("--status", type=click.Choice(_STATUSES), default=None, help="Only this status.")
@clean_errors
@_with_store
def list_command(store: Any, fmt: str, model: str | None, status: str | None) -> None:
    """List escalations in the order reported."""
    from ..rca import EscalationDesk

    items = EscalationDesk(store).list(model=model, status=status)
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in items], sort_keys=True))
    else:
        click.echo("\n".join(_line(e) for e in items) if items else "no escalations")


@escalate_command.command("sla")
@_store_options
@click.option("--model", default=None, help="Only this model's escalations.")
@click.option("--now", default=None, help="ISO time to judge as of [default: now].")
@click.option("--notify", is_flag=True,
              help="Send breach alerts through the channels saved in the store.")
@clean_errors
@_with_store
def sla_command(store: Any, fmt: str, model: str | None, now: str | None,
                notify: bool) -> None:
    """Breached and at-risk escalations; exit code 1 when any SLA is breached."""
    from ..rca import EscalationDesk

    desk = EscalationDesk(store)
    report = desk.check_slas(now, model=model)
    sent = desk.notify(report) if notify else ()
    if fmt == "json":
        click.echo(json.dumps({**report.to_dict(), "deliveries": [r.to_dict() for r in sent]},
                              sort_keys=True))
    else:
        lines = [f"as of {report.now.isoformat()}: {len(report.breached)} breached, "
                 f"{len(report.at_risk)} at risk, {len(report.on_track)} on track, "
                 f"{report.n_resolved} resolved"]
        lines += [f"BREACHED {_line(e)}" for e in report.breached]
        lines += [f"AT RISK  {_line(e)}" for e in report.at_risk]
        lines += [f"sent via {r.channel}: {'ok' if r.ok else r.error}" for r in sent]
        click.echo("\n".join(lines))
    if report.breached:
        sys.exit(EXIT_FAILED)


@escalate_command.command("errors")
@_store_options
@click.option("--model", required=True, help="The model whose labelled traffic to analyse.")
@click.option("--start", required=True, help="Window start (ISO time, inclusive).")
@click.option("--end", required=True, help="Window end (ISO time, exclusive).")
@click.option("--prediction", default="outputs.prediction", show_default=True,
              help="Column of the predicted label.")
@click.option("--max-depth", type=int, default=3, show_default=True, help="Error tree depth.")
@click.option("--min-samples-leaf", type=int, default=30, show_default=True,
              help="Fewest rows in a tree leaf.")
@click.option("--n-bins", type=int, default=5, show_default=True,
              help="Quantile bins per numeric feature in the heatmaps.")
@click.option("--max-pairs", type=int, default=6, show_default=True,
              help="Feature-pair heatmaps kept (hottest first).")
@click.option("--sample", type=int, default=None,
              help="Analyse a seeded random sample of at most this many rows [default: all].")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the report here: HTML, or JSON for a .json name.")
@clean_errors
@_with_store
def errors_command(store: Any, fmt: str, model: str, start: str, end: str, prediction: str,
                   max_depth: int, min_samples_leaf: int, n_bins: int, max_pairs: int,
                   sample: int | None, out: str | None) -> None:
    """Error tree and feature-pair heatmaps of the labelled events in [start, end)."""
    from ..rca import analyse_errors_in_store
    from ..reports.writing import write_text_atomic

    result = analyse_errors_in_store(store, model, start, end, prediction=prediction,
                                     max_depth=max_depth, min_samples_leaf=min_samples_leaf,
                                     n_bins=n_bins, max_pairs=max_pairs, sample=sample)
    doc = result.to_dict()
    if out:
        content = (json.dumps(doc, sort_keys=True) if out.lower().endswith(".json")
                   else result.to_html())
        write_text_atomic(out, content)
    if fmt == "json":
        click.echo(json.dumps(doc, sort_keys=True))
        return
    lines = [f"{model} {start} .. {end}: {result.n_rows:,} labelled rows, "
             f"{result.n_errors:,} errors ({result.error_rate:.2%})"]
    for leaf in result.tree.leaves()[:3]:
        lines.append(f"leaf {' and '.join(leaf.conditions) or 'all rows'}: {leaf.size:,} rows, "
                     f"error rate {leaf.error_rate:.2%}, coverage {leaf.error_coverage:.2%}")
    hot = result.hottest
    if hot is not None:
        lines.append(f"hottest cell {hot['y_condition']} and {hot['x_condition']}: "
                     f"{hot['rows']:,} rows, error rate {hot['error_rate']:.2%}, "
                     f"coverage {hot['error_coverage']:.2%}")
    lines += [f"note: {n}" for n in result.notes]
    if out:
        lines.append(f"report written to {out}")
    click.echo("\n".join(lines))
