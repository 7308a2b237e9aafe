"""What every command shares: error handling, progress bars and output writing."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from ..exceptions import InputError, MissingExtraError

#: exit codes: 0 the gate passed, 1 a check failed, 2 usage or input error
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def clean_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library input errors into one clear message and exit code 2, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (InputError, MissingExtraError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper


def gate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every suite command shares: --format, --out, --fail-on and --seed."""
    from ..reports import FORMATS

    for option in reversed((
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
                     show_default=True, help="Output format."),
        click.option("--out", type=click.Path(dir_okay=False),
                     help="Write the report here instead of standard output."),
        click.option("--fail-on", type=click.Choice(["warn", "fail"]), default="fail",
                     show_default=True, help="Lowest status that makes the exit code 1."),
        click.option("--seed", type=int, default=None, help="Random seed for sampling checks."),
    )):
        func = option(func)
    return func


def emit_result(result: Any, *, fmt: str, out: str | None, fail_on: str) -> None:
    """Print or write a suite result in ``fmt`` and exit with the gate's code."""
    from ..reports import render_html, render_json, render_junit, render_text, write_report

    if out:
        path = write_report(result, out, format=fmt)
        click.echo(render_text(result, color=sys.stdout.isatty()))
        click.echo(f"report written to {path}")
    else:
        renderer = {"text": lambda r: render_text(r, color=sys.stdout.isatty()),
                    "json": render_json, "html": render_html, "junit": render_junit}[fmt]
        click.echo(renderer(result))
    sys.exit(result.exit_code(fail_on=fail_on))


class ProgressBar:
    """A tqdm bar over a suite's checks, on stderr, shown only on a terminal."""

    def __init__(self, total: int, *, enabled: bool, desc: str) -> None:
        self._bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm
            self._bar = tqdm(total=total, desc=desc, unit="check", file=sys.stderr, leave=False)

    def __call__(self, check: Any, result: Any) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(check.name)
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def emit_report(result: Any, *, text: str, summary: str, fmt: str, out: str | None,
                html: Any = None) -> None:
    """Print a plain result (one with ``to_dict``, not a suite) as ``text``, ``json`` or
    ``html``; with ``out`` the report goes to that file and ``summary`` with the file's path
    to the terminal. ``html`` renders the page (default ``result.to_html``: a result of the
    algorithm layer has no renderer of its own, its page is drawn in ``stalwart.reports``)."""
    import json

    from ..reports.writing import write_text_atomic

    body = {"text": lambda: text,
            "json": lambda: json.dumps(result.to_dict(), indent=2, ensure_ascii=False),
            "html": (lambda: html(result)) if html is not None else result.to_html}[fmt]()
    if out:
        click.echo(f"{summary}\nreport written to {write_text_atomic(out, body)}")
    else:
        click.echo(body)

