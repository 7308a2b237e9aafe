"""One small offline HTML page for a result: a message, facts, tables and charts.

Used by results whose page is a list of facts and tables (the escalations' SLA report, the
publicity scan, error analysis, the rule layer's results); the numbers come from the result,
nothing is computed here, and nothing is loaded from outside the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._format import fmt_value, printable
from .svg import render_svg

__all__ = ["render_page"]

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · stalwart</title>
<style>
body { margin: 0; background: #f3f5f8; color: #1f2328;
       font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
section { background: #fff; border: 1px solid #d1d9e0; border-radius: 8px;
          padding: 16px 20px; margin: 16px 0; overflow-x: auto; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 10px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #d1d9e0; padding: 4px 8px; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #59636e; } .message { font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
{% if message %}<p class="message">{{ message }}</p>{% endif %}
{% if facts %}<section><dl>
{% for label, value in facts %}<dt>{{ label }}</dt><dd>{{ text(value) }}</dd>
{% endfor %}</dl></section>{% endif %}
{% for name, svg in charts %}<section><h2>{{ name }}</h2>{{ svg }}</section>
{% endfor %}
{% for name, columns, rows in tables %}<section><h2>{{ name }}</h2>
{% if rows %}<table>
<thead><tr>{% for c in columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>{% for v in row %}<td{% if is_number(v) %} class="num"{% endif %}>{{ text(v) }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>{% else %}<p class="muted">none</p>{% endif %}
</section>
{% endfor %}
</main>
</body>
</html>
"""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    return printable(value) if isinstance(value, str) else fmt_value(value)


def render_page(title: str, *, facts: Iterable[tuple[str, Any]] = (),
                tables: Iterable[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = (),
                charts: Iterable[Any] = (), message: str | None = None) -> str:
    """One self-contained HTML page: a message, facts, tables and inline SVG charts
    (``Chart`` objects); every value escaped.

    >>> from stalwart.checks.result import Chart
    >>> page = render_page("<t>", facts=[("n", 3)], tables=[("rows", ["a"], [[1.5]])],
    ...                    charts=[Chart("bar", "b", {"labels": ["x"], "values": [1]})])
    >>> "&lt;t&gt;" in page and "<svg" in page and page.count("<section>") == 3
    True
    """
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.globals.update(text=_text, is_number=_is_number)
    # render_svg escapes every piece of text it draws, so its output is safe markup
    drawn = [(c.title, Markup(render_svg(c))) for c in charts]  # noqa: S704
    return env.from_string(_PAGE).render(title=title, facts=list(facts), tables=list(tables),
                                         charts=drawn, message=message)
