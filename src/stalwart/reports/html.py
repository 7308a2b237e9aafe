"""The HTML report: one self-contained, offline page drawn from a :class:`SuiteResult`.

The page inlines its CSS and SVG charts and loads nothing: no external URL, no web font,
no ``<script src>``. A few lines of inline JavaScript add a status filter; without them the
page reads the same. Jinja2 autoescaping escapes every value from the result, and the SVG
charts escape their own text.

>>> from stalwart.checks.result import CheckResult, Status, SuiteResult
>>> r = SuiteResult("audit", Status.PASS,
...                 (CheckResult("dupes", "Duplicates <rows>", "data", Status.PASS, "none"),), {})
>>> page = render_html(r)
>>> page.startswith("<!DOCTYPE html>") and "Duplicates &lt;rows&gt;" in page
True
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..checks.result import CheckResult, SuiteResult, Table
from ._format import (MISSING, STATUS_ORDER, fmt_duration, fmt_value, is_scalar, one_line,
                      printable, slug, truncate)
from .svg import render_svg

__all__ = ["render_html"]

#: a symbol next to every status word, so colour is never the only cue
ICONS = {"pass": "✓", "warn": "!", "fail": "✕", "error": "⚠", "skip": "–"}


@dataclass(frozen=True)
class _CheckView:
    """A check with its place in the suite and the id of its section."""

    index: int
    anchor: str
    result: CheckResult

    @property
    def status(self) -> str:
        return self.result.status.value

    @property
    def scalar_metrics(self) -> list[tuple[str, Any]]:
        return [(k, v) for k, v in self.result.metrics.items() if is_scalar(v)]

    @property
    def nested_metrics(self) -> list[tuple[str, Any]]:
        return [(k, v) for k, v in self.result.metrics.items() if not is_scalar(v)]


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str, sort_keys=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _shown_rows(table: Table) -> str:
    shown = len(table.rows)
    total = shown if table.total_rows is None else table.total_rows
    if total > shown:
        return f"showing {shown:,} of {total:,} rows"
    return f"{shown:,} row{'' if shown == 1 else 's'}"


def _numeric_columns(table: Table) -> set[int]:
    """Columns whose every present cell is a number: they are right-aligned, header too."""
    out = set()
    for j in range(len(table.columns)):
        cells = [row[j] for row in table.rows if j < len(row) and row[j] is not None]
        if cells and all(_is_number(c) for c in cells):
            out.add(j)
    return out


def _when(stamp: str) -> str:
    """An ISO timestamp as ``2024-05-01 12:00 UTC`` (other text is shown as it is)."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if moment.utcoffset() == dt.timedelta(0):
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat(sep=" ", timespec="minutes")


def _verdict(condition: Any) -> str:
    """A condition's message without the description shown next to it.

    ``"n < 10 does not hold (value 12)"`` beside the description ``n < 10`` reads as
    ``does not hold (value 12)``; other messages are shown whole.
    """
    message, description = str(condition.message), str(condition.description)
    rest = message[len(description):].strip() if message.startswith(description) else ""
    return rest or message


def _breakable(name: Any) -> Markup:
    """A metric name that may wrap after its underscores rather than inside a word."""
    return Markup("_<wbr>").join(escape(str(name)).split("_"))


def _finalize(value: Any) -> Any:
    # control characters are not allowed in HTML text: show them as visible escapes
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


def _chart(chart: Any) -> Markup:
    # render_svg escapes every piece of text it draws, so its output is safe markup
    return Markup(render_svg(chart))  # noqa: S704


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("stalwart.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_finalize,
    )
    env.filters.update(fmt=fmt_value, duration=fmt_duration, oneline=one_line, pretty=_pretty,
                       truncate_text=truncate, shown_rows=_shown_rows, when=_when,
                       numeric_columns=_numeric_columns, verdict=_verdict, breakable=_breakable)
    env.tests["number"] = _is_number
    env.globals.update(chart_svg=_chart, icons=ICONS, status_order=STATUS_ORDER,
                       missing=MISSING)
    return env


def render_html(result: SuiteResult, *, title: str | None = None) -> str:
    """``result`` as one self-contained HTML page; ``title`` sets the browser tab title."""
    checks = [_CheckView(i, f"check-{i}-{slug(r.check)}", r)
              for i, r in enumerate(result.results, start=1)]
    # the overview puts the most severe first; sections keep the suite's order
    overview = sorted(checks, key=lambda c: -c.result.status.rank)
    page_title = title if title is not None else f"{result.suite} · stalwart report"
    template = _environment().get_template("report.html")
    return template.render(result=result, title=page_title, checks=checks, overview=overview,
                           counts=result.counts(), data=result.data or {},
                           reference=result.reference, model=result.model)
