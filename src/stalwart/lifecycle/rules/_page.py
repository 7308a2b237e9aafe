"""A small self-contained HTML page for the rule layer's results: facts, tables, charts.

Every value is escaped; charts are drawn by :func:`stalwart.reports.svg.render_svg` from
data the result already holds (the page computes nothing).

>>> page = render_page("Rules <x>", facts=[("rows", 3)], tables=[("Hits", ["rule", "hits"],
...                    [["a", 2]])])
>>> "Rules &lt;x&gt;" in page and "<td>2</td>" in page
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import escape

from ...checks.result import Chart
from ...reports._format import fmt_value
from ...reports.svg import render_svg

__all__ = ["render_page"]

_STYLE = ("body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2933}"
          "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
          "td,th{border:1px solid #cbd2d9;padding:.25rem .6rem;text-align:left}"
          "th{background:#f0f4f8}.msg{font-weight:600}")


def _cell(value: Any) -> str:
    return str(escape(fmt_value(value)))


def render_page(title: str, *, facts: Sequence[tuple[str, Any]] = (),
                tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = (),
                charts: Sequence[Chart] = (), message: str | None = None) -> str:
    parts = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{escape(title)}</h1>"]
    if message:
        parts.append(f"<p class=\"msg\">{escape(message)}</p>")
    if facts:
        parts.append("<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{_cell(v)}</td></tr>"
                                         for k, v in facts) + "</table>")
    for chart in charts:
        parts.append(f"<figure>{render_svg(chart)}</figure>")
    for caption, columns, rows in tables:
        parts.append(f"<h2>{escape(caption)}</h2>")
        if not rows:
            parts.append("<p>none</p>")
            continue
        head = "".join(f"<th>{escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                       for row in rows)
        parts.append(f"<table><tr>{head}</tr>{body}</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
