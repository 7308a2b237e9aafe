"""Inline SVG drawings of a :class:`~stalwart.checks.result.Chart`, one function per kind.

The chart's data was computed by its check; these functions only place it on a canvas.
Every piece of text (labels, titles, series names) comes from user data and is escaped.
A chart with no data draws a small "no data" box; data that cannot be drawn (lengths that
disagree, text where numbers belong, an unknown kind) draws a box saying why, so one bad
chart never hides the rest of a report.

>>> from stalwart.checks.result import Chart
>>> svg = render_svg(Chart("bar", "Missing share", {"labels": ["a", "<b>"], "values": [0.1, 0.4]}))
>>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
True
>>> "no data" in render_svg(Chart("line", "Empty", {"x": [], "series": {}}))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._format import fmt_value
from ._svg_base import (AXIS, CURRENT, DASHES, INK, REFERENCE, SERIES, WIDTH, Axes, Malformed,
                        color_scale, esc, fmt_tick, is_dark, legend, message_box, nice_ticks,
                        numbers, svg_document, text, tick_labels_x, truncate, value_title)

__all__ = ["KINDS", "render_svg"]

PLOT_HEIGHT = 220


def render_svg(chart: Any) -> str:
    """The SVG markup of ``chart`` (a ``Chart``), ready to inline in an HTML page."""
    title = str(chart.title)
    raw = chart.data if isinstance(chart.data, Mapping) else None
    if raw is None:
        return message_box(title, "cannot draw this chart: its data is not a mapping",
                           kind="invalid")
    data = chart.to_dict()["data"]  # plain lists, NaN and infinities as None
    drawer = _DRAWERS.get(chart.kind)
    if drawer is None:
        return message_box(title, f"cannot draw a chart of kind {truncate(str(chart.kind), 30)!r}"
                           f" (known: {', '.join(KINDS)})", kind="invalid")
    try:
        svg = drawer(title, data, str(chart.x_label), str(chart.y_label))
    except Malformed as exc:
        return message_box(title, truncate(f"cannot draw this chart: {exc}", 90), kind="invalid")
    return svg if svg is not None else message_box(title, "no data", kind="empty")


def _labels(data: Mapping[str, Any], key: str) -> list[str]:
    values = data.get(key, [])
    if not isinstance(values, list):
        raise Malformed(f"{key} must be a list")
    return ["" if v is None else str(v) for v in values]


def _same_length(name: str, values: list[Any], expected: int, of: str) -> None:
    if len(values) != expected:
        raise Malformed(f"{name} has {len(values)} entries but {of} has {expected}")


def _y_axis(lo: float, hi: float, *, top: float, right_room: float = 16.0,
            y_label: str = "") -> tuple[Axes, list[float], float]:
    ticks, step = nice_ticks(lo, hi)
    widest = max(len(fmt_tick(t, step)) for t in ticks)
    left = (26 if y_label else 8) + widest * 6.5 + 8
    axes = Axes(left, top, WIDTH - left - right_room, PLOT_HEIGHT, y_range=(ticks[0], ticks[-1]))
    return axes, ticks, step


def _header(title: str, entries: list[tuple[str, str, str]]) -> tuple[list[str], float]:
    parts = [text(8, 20, truncate(title, 90), size=14, anchor="start", fill=INK, weight="600")]
    if entries:
        parts += legend(entries, right=WIDTH - 12, y=40)
    return parts, (54.0 if entries else 36.0)


def _bar(title: str, data: Mapping[str, Any], x_label: str, y_label: str) -> str | None:
    labels = _labels(data, "labels")
    values = numbers(data.get("values", []), "values")
    _same_length("values", values, len(labels), "labels")
    ref = data.get("reference_values")
    refs = None if ref is None else numbers(ref, "reference_values")
    if refs is not None:
        _same_length("reference_values", refs, len(labels), "labels")
    finite = [v for v in values + (refs or []) if v is not None]
    if not labels or not finite:
        return None
    entries = [("current", CURRENT, ""), ("reference", REFERENCE, "")] if refs else []
    body, top = _header(title, entries)
    axes, ticks, step = _y_axis(min(0.0, *finite), max(0.0, *finite), top=top, y_label=y_label)
    body += axes.y_grid(ticks, step)
    band = axes.width / len(labels)
    inner = band * 0.72
    groups = [("current", values, CURRENT)] + ([("reference", refs, REFERENCE)] if refs else [])
    width = inner / len(groups)
    zero = axes.y(0.0)
    for i, label in enumerate(labels):
        x0 = axes.left + i * band + (band - inner) / 2
        for j, (name, series, color) in enumerate(groups):
            v = series[i]
            if v is None:
                continue
            y0, y1 = sorted((axes.y(v), zero))
            tip = label if len(groups) == 1 else f"{label} ({name})"
            body.append(f'<rect class="bar" x="{x0 + j * width:.1f}" y="{y0:.1f}" '
                        f'width="{max(width - 1, 1):.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                        f'fill="{color}">{value_title(tip, v)}</rect>')
    body.append(f'<line x1="{axes.left:.1f}" x2="{axes.left + axes.width:.1f}" y1="{zero:.1f}" '
                f'y2="{zero:.1f}" stroke="{AXIS}"/>')
    centers = [axes.left + (i + 0.5) * band for i in range(len(labels))]
    tick_parts, room = tick_labels_x(labels, centers, y=axes.bottom, band=band)
    body += tick_parts
    body += axes.axis_labels(x_label, y_label, x_offset=room + 14)
    height = axes.bottom + room + (26 if x_label else 6)
    return svg_document(body, height=height, title=title, kind="bar")


def _histogram(title: str, data: Mapping[str, Any], x_label: str, y_label: str) -> str | None:
    counts = numbers(data.get("counts", []), "counts")
    edges = numbers(data.get("edges", []), "edges", allow_none=False)
    ref = data.get("reference_counts")
    refs = None if ref is None else numbers(ref, "reference_counts")
    if not counts:
        return None
    _same_length("edges", edges, len(counts) + 1, "counts + 1")
    if refs is not None:
        _same_length("reference_counts", refs, len(counts), "counts")
    if any(b <= a for a, b in zip(edges, edges[1:])):  # type: ignore[operator]
        raise Malformed("edges must increase")
    finite = [v for v in counts + (refs or []) if v is not None]
    if not finite:
        return None
    entries = [("current", CURRENT, ""), ("reference", REFERENCE, "")] if refs else []
    body, top = _header(title, entries)
    y_axes, ticks, step = _y_axis(0.0, max(0.0, *finite), top=top, y_label=y_label)
    lo, hi = edges[0], edges[-1]
    axes = Axes(y_axes.left, top, y_axes.width, PLOT_HEIGHT, x_range=(lo, hi),  # type: ignore[arg-type]
                y_range=y_axes.y_range)
    body += axes.y_grid(ticks, step)
    layers = ([("reference", refs, REFERENCE, 0.45)] if refs else []) + [
        ("current", counts, CURRENT, 0.6 if refs else 0.85)]
    for name, series, color, opacity in layers:
        for i, v in enumerate(series):
            if v is None:
                continue
            x0, x1 = axes.x(edges[i]), axes.x(edges[i + 1])  # type: ignore[arg-type]
            y0 = axes.y(v)
            bin_text = f"[{fmt_value(edges[i])}, {fmt_value(edges[i + 1])})"
            tip = bin_text if not refs else f"{bin_text} {name}"
            body.append(f'<rect class="bin" x="{x0:.1f}" y="{y0:.1f}" '
                        f'width="{max(x1 - x0 - 0.5, 0.5):.1f}" '
                        f'height="{max(axes.bottom - y0, 0.5):.1f}" fill="{color}" '
                        f'fill-opacity="{opacity}" stroke="{color}">{value_title(tip, v)}</rect>')
    x_ticks, x_step = nice_ticks(lo, hi)  # type: ignore[arg-type]
    inside = [t for t in x_ticks if lo - 1e-9 * abs(x_step) <= t <= hi + 1e-9 * abs(x_step)]
    body += axes.x_ticks(inside, x_step)
    body += axes.axis_labels(x_label, y_label)
    height = axes.bottom + (50 if x_label else 26)
    return svg_document(body, height=height, title=title, kind="histogram")


def _heatmap(title: str, data: Mapping[str, Any], x_label: str, y_label: str) -> str | None:
    xs, ys = _labels(data, "x"), _labels(data, "y")
    rows = data.get("z", [])
    if not isinstance(rows, list):
        raise Malformed("z must be a list of rows")
    if not xs or not ys or not rows:
        return None
    _same_length("z", rows, len(ys), "y")
    z = [numbers(row, f"z row {i}") for i, row in enumerate(rows)]
    for i, row in enumerate(z):
        _same_length(f"z row {i}", row, len(xs), "x")
    finite = [v for row in z for v in row if v is not None]
    if not finite:
        return None
    lo, hi = min(finite), max(finite)
    color, diverging = color_scale(lo, hi)
    body, top = _header(title, [])
    longest = min(24, max(len(s) for s in ys))
    left = (26 if y_label else 8) + longest * 6.5 + 8
    legend_room = 84
    cell_w = min(90.0, (WIDTH - left - legend_room) / len(xs))  # few columns stay compact
    width = cell_w * len(xs)
    cell_h = min(36.0, max(8.0, 300 / len(ys)))
    axes = Axes(left, top, width, cell_h * len(ys))
    show_values = cell_w >= 34 and cell_h >= 16
    every_y = max(1, round(12 / cell_h))
    for i, (label, row) in enumerate(zip(ys, z, strict=True)):
        y = top + i * cell_h
        if i % every_y == 0:
            body.append(text(left - 6, y + cell_h / 2 + 4, truncate(label, 24), anchor="end"))
        for j, v in enumerate(row):
            x = left + j * cell_w
            fill = "#eaeef2" if v is None else color(v)
            tip = f"{label} × {xs[j]}"
            body.append(f'<rect class="cell" x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" '
                        f'height="{cell_h:.1f}" fill="{fill}" stroke="#ffffff" '
                        f'stroke-width="0.5">{value_title(tip, v)}</rect>')
            if show_values and v is not None:
                ink = "#ffffff" if is_dark(fill) else INK
                body.append(text(x + cell_w / 2, y + cell_h / 2 + 4,
                                 truncate(fmt_value(v), max(3, int(cell_w / 7))), size=10,
                                 fill=ink))
    centers = [left + (j + 0.5) * cell_w for j in range(len(xs))]
    tick_parts, room = tick_labels_x(xs, centers, y=axes.bottom, band=cell_w)
    body += tick_parts
    body += axes.axis_labels(x_label, y_label, x_offset=room + 14)
    bar_height = max(60.0, min(axes.height, 200.0))
    body += _color_legend(color, lo, hi, diverging, x=left + width + 18, top=top,
                          height=bar_height)
    height = max(axes.bottom + room + (26 if x_label else 6), top + bar_height + 12)
    return svg_document(body, height=height, title=title, kind="heatmap")


def _color_legend(color: Any, lo: float, hi: float, diverging: bool, *, x: float, top: float,
                  height: float) -> list[str]:
    """A vertical colour bar in steps (no gradient ids, so many charts can share a page)."""
    if diverging:
        bound = max(-lo, hi)
        lo, hi = -bound, bound
    steps = 40
    out = []
    for k in range(steps):
        value = hi - (hi - lo) * (k + 0.5) / steps
        out.append(f'<rect x="{x:.1f}" y="{top + k * height / steps:.1f}" width="14" '
                   f'height="{height / steps + 0.5:.1f}" fill="{color(value)}"/>')
    out.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="14" height="{height:.1f}" fill="none" '
               f'stroke="{AXIS}"/>')
    marks = [(hi, top), (lo, top + height)] + ([(0.0, top + height / 2)] if diverging else [])
    for value, y in marks:
        out.append(text(x + 20, y + 4, fmt_value(value), anchor="start", size=10))
    return out


def _line(title: str, data: Mapping[str, Any], x_label: str, y_label: str) -> str | None:
    raw_x = data.get("x", [])
    series = data.get("series", {})
    if not isinstance(raw_x, list) or not isinstance(series, Mapping):
        raise Malformed("line charts need x (a list) and series (a mapping of name to values)")
    if not raw_x or not series:
        return None
    values = {str(name): numbers(vals, f"series {name!r}") for name, vals in series.items()}
    for name, vals in values.items():
        _same_length(f"series {name!r}", vals, len(raw_x), "x")
    finite = [v for vals in values.values() for v in vals if v is not None]
    if not finite:
        return None
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw_x)
    entries = [(name, SERIES[k % len(SERIES)], DASHES[k % len(DASHES)])
               for k, name in enumerate(values)]
    body, top = _header(title, entries)
    y_axes, ticks, step = _y_axis(min(finite), max(finite), top=top, y_label=y_label,
                                  right_room=24)
    if numeric:
        xs = [float(v) for v in raw_x]
        lo, hi = min(xs), max(xs)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
    else:
        xs = [float(i) for i in range(len(raw_x))]
        lo, hi = -0.5, len(raw_x) - 0.5
    axes = Axes(y_axes.left, top, y_axes.width, PLOT_HEIGHT, x_range=(lo, hi),
                y_range=y_axes.y_range)
    body += axes.y_grid(ticks, step)
    if numeric:
        x_ticks, x_step = nice_ticks(lo, hi)
        body += axes.x_ticks([t for t in x_ticks if lo <= t <= hi], x_step)
        room = 20.0
    else:
        body.append(f'<line x1="{axes.left:.1f}" x2="{axes.left + axes.width:.1f}" '
                    f'y1="{axes.bottom:.1f}" y2="{axes.bottom:.1f}" stroke="{AXIS}"/>')
        tick_parts, room = tick_labels_x([str(v) for v in raw_x], [axes.x(x) for x in xs],
                                         y=axes.bottom, band=axes.width / len(xs))
        body += tick_parts
    markers = len(xs) <= 60
    for (name, color, dash), vals in zip(entries, values.values(), strict=True):
        path, pen_down = [], False
        for x, v in zip(xs, vals, strict=True):
            if v is None:
                pen_down = False  # a missing value breaks the line
                continue
            path.append(f"{'L' if pen_down else 'M'}{axes.x(x):.1f},{axes.y(v):.1f}")
            pen_down = True
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<path class="series" d="{" ".join(path)}" fill="none" stroke="{color}" '
                    f'stroke-width="2" stroke-linejoin="round"{dash_attr}><title>{esc(name)}'
                    f'</title></path>')
        if markers:
            for x, raw, v in zip(xs, raw_x, vals, strict=True):
                if v is not None:
                    body.append(f'<circle cx="{axes.x(x):.1f}" cy="{axes.y(v):.1f}" r="3" '
                                f'fill="{color}">{value_title(f"{name} at {raw}", v)}</circle>')
    body += axes.axis_labels(x_label, y_label, x_offset=room + 14)
    height = axes.bottom + room + (26 if x_label else 6)
    return svg_document(body, height=height, title=title, kind="line")


_DRAWERS = {"bar": _bar, "histogram": _histogram, "heatmap": _heatmap, "line": _line}
#: the chart kinds the reports can draw
KINDS = tuple(_DRAWERS)
