"""Drawing primitives for the SVG charts: escaping, scales, ticks, axes, colours and boxes.

Charts are drawn by hand as SVG text because the report must be one offline file and a
plotting stack (matplotlib, plotly) is not a core dependency (DESIGN.md section 6). The
functions here only lay out coordinates from data a check already computed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from ._format import fmt_value, truncate

__all__ = ["AXIS", "CURRENT", "DASHES", "INK", "MUTED", "REFERENCE", "SERIES", "WIDTH", "Axes",
           "Malformed", "color_scale", "esc", "fmt_tick", "is_dark", "legend", "message_box",
           "nice_ticks", "numbers", "svg_document", "text", "tick_labels_x", "truncate",
           "value_title"]

WIDTH = 640
# Okabe-Ito: distinguishable with every common colour-vision deficiency
CURRENT, REFERENCE = "#0072B2", "#E69F00"
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
# line series also differ by dash pattern, so colour is never the only cue
DASHES = ("", "7 3", "2 3", "9 3 2 3", "4 4", "1 2", "12 4")
INK, MUTED, GRID, AXIS = "#1f2328", "#59636e", "#e6e8eb", "#8c959f"

_VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779",
            "#6ece58", "#b5de2b", "#fde725")
_DIVERGING = ("#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582",
              "#d6604d", "#b2182b")


class Malformed(ValueError):
    """Chart data that cannot be drawn; the report shows the reason in place of the chart."""


def esc(value: Any) -> str:
    """Escape any value for SVG text and attributes (quotes included)."""
    return escape(str(value), quote=True)


def numbers(values: Any, what: str, *, allow_none: bool = True) -> list[float | None]:
    """Chart numbers as floats (None stays None: a missing value); anything else is malformed."""
    if not isinstance(values, Sequence) or isinstance(values, str):
        raise Malformed(f"{what} must be a list of numbers")
    out: list[float | None] = []
    for v in values:
        if v is None and allow_none:
            out.append(None)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(None if math.isnan(v) or math.isinf(v) else float(v))
        else:
            raise Malformed(f"{what} holds {v!r}, which is not a number")
    return out


def nice_ticks(lo: float, hi: float, *, count: int = 5) -> tuple[list[float], float]:
    """Round tick positions (steps of 1, 2, 2.5 or 5 times a power of ten) covering [lo, hi].

    >>> nice_ticks(0, 0.87)
    ([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 0.2)
    >>> nice_ticks(3, 3)[0]
    [2.6, 2.8, 3.0, 3.2, 3.4]
    """
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-200):  # one value (or float noise)
        pad = abs(lo) * 0.1 if abs(lo) > 1e-100 else 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    ticks = np.arange(first, last + 1) * step
    decimals = 3 - math.floor(math.log10(step))
    if decimals <= 300:  # rounded so 3 * 0.1 is 0.3 (beyond, 10**decimals overflows)
        ticks = np.round(ticks, decimals)
    return [float(t) + 0.0 for t in ticks], step


def fmt_tick(value: float, step: float) -> str:
    """A tick label with only the digits the step needs; k and M for large values.

    >>> fmt_tick(0.30000000000000004, 0.1), fmt_tick(25000, 5000), fmt_tick(2500000, 5e5)
    ('0.3', '25k', '2.5M')
    """
    if abs(value) >= 1e6 and step >= 1e5:
        return f"{value / 1e6:g}M"
    if abs(value) >= 1e4 and step >= 1e3:
        return f"{value / 1e3:g}k"
    decimals = max(0, -math.floor(math.log10(step)) + (1 if round(step / 10 ** math.floor(
        math.log10(step)), 6) == 2.5 else 0)) if step > 0 else 0
    return f"{value:.{decimals}f}"


def text(x: float, y: float, content: str, *, size: int = 11, anchor: str = "middle",
         fill: str = MUTED, weight: str = "normal", rotate: float = 0.0) -> str:
    transform = f' transform="rotate({rotate:g} {x:.1f} {y:.1f})"' if rotate else ""
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}{transform}>{esc(content)}</text>')


def svg_document(body: list[str], *, height: float, title: str, kind: str) -> str:
    """The outer ``<svg>``; no ``xmlns`` because it is inlined in HTML (and must hold no URL)."""
    head = (f'<svg class="chart chart-{esc(kind)}" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{esc(title)}" '
            f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif">')
    return "\n".join([head, f"<title>{esc(title)}</title>", *body, "</svg>"])


def message_box(title: str, message: str, *, kind: str) -> str:
    """A small framed box in place of a chart: "no data", or why it cannot be drawn."""
    body = [text(16, 24, title, size=13, anchor="start", fill=INK, weight="600"),
            f'<rect x="8.5" y="36.5" width="{WIDTH - 17}" height="52" rx="6" fill="#f6f8fa" '
            f'stroke="{AXIS}" stroke-dasharray="4 3"/>',
            text(WIDTH / 2, 67, message, size=12)]
    return svg_document(body, height=96, title=f"{title}: {message}", kind=kind)


@dataclass(frozen=True)
class Axes:
    """A plot area inside the SVG and the data ranges mapped onto it."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float] = (0.0, 1.0)
    y_range: tuple[float, float] = (0.0, 1.0)

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        return self.left + (value - lo) / (hi - lo) * self.width

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        return self.top + self.height - (value - lo) / (hi - lo) * self.height

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def y_grid(self, ticks: Sequence[float], step: float) -> list[str]:
        """Horizontal grid lines with tick labels on the left."""
        out = []
        for t in ticks:
            y = self.y(t)
            out.append(f'<line x1="{self.left:.1f}" x2="{self.left + self.width:.1f}" '
                       f'y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
            out.append(text(self.left - 6, y + 4, fmt_tick(t, step), anchor="end"))
        return out

    def x_ticks(self, ticks: Sequence[float], step: float) -> list[str]:
        out = [f'<line x1="{self.left:.1f}" x2="{self.left + self.width:.1f}" '
               f'y1="{self.bottom:.1f}" y2="{self.bottom:.1f}" stroke="{AXIS}"/>']
        for t in ticks:
            x = self.x(t)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{self.bottom:.1f}" '
                       f'y2="{self.bottom + 4:.1f}" stroke="{AXIS}"/>')
            out.append(text(x, self.bottom + 16, fmt_tick(t, step)))
        return out

    def axis_labels(self, x_label: str, y_label: str, *, x_offset: float = 36) -> list[str]:
        out = []
        if x_label:
            out.append(text(self.left + self.width / 2, self.bottom + x_offset,
                            truncate(x_label, 80), size=12, fill=INK))
        if y_label:
            cx, cy = 14, self.top + self.height / 2
            out.append(text(cx, cy, truncate(y_label, 50), size=12, fill=INK, rotate=-90))
        return out


def tick_labels_x(labels: Sequence[str], centers: Sequence[float], *, y: float,
                  band: float) -> tuple[list[str], float]:
    """Category labels under the plot: rotated when crowded, thinned when very crowded.

    Returns the SVG parts and the vertical room they take.
    """
    longest = max((len(s) for s in labels), default=0)
    rotate = longest * 6.5 > band * 0.95
    every = max(1, math.ceil(len(labels) / 40))
    limit = 18 if rotate else max(3, int(band / 6.5))
    out = []
    for i, (label, cx) in enumerate(zip(labels, centers, strict=True)):
        if i % every:
            continue
        shown = truncate(label, limit)
        if rotate:
            out.append(text(cx + 3, y + 10, shown, anchor="end", rotate=-40))
        else:
            out.append(text(cx, y + 14, shown))
    room = (min(longest, limit) * 6.5 * 0.64 + 16) if rotate else 20
    return out, room


def color_scale(lo: float, hi: float) -> tuple[Any, bool]:
    """A colour function over [lo, hi]: diverging around 0 when the data has both signs."""
    diverging = lo < 0 < hi
    anchors = _DIVERGING if diverging else _VIRIDIS
    if diverging:
        bound = max(-lo, hi)
        lo, hi = -bound, bound
    rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in anchors]

    def color(value: float) -> str:
        t = 0.5 if hi == lo else min(1.0, max(0.0, (value - lo) / (hi - lo)))
        pos = t * (len(rgb) - 1)
        i = min(int(pos), len(rgb) - 2)
        frac = pos - i
        mixed = [round(a + (b - a) * frac) for a, b in zip(rgb[i], rgb[i + 1], strict=True)]
        return "#" + "".join(f"{c:02x}" for c in mixed)

    return color, diverging


def is_dark(color: str) -> bool:
    """Whether white text reads better than black on ``color`` (relative luminance)."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5


def legend(entries: Sequence[tuple[str, str, str]], *, right: float, y: float) -> list[str]:
    """Swatches (label, colour, dash) aligned to the right edge, in one row."""
    out, x = [], right
    for label, color, dash in reversed(entries):
        shown = truncate(label, 24)
        x -= len(shown) * 6.2 + 30
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="{y - 4:.1f}" y2="{y - 4:.1f}" '
                   f'stroke="{color}" stroke-width="3"{dash_attr}/>')
        out.append(text(x + 22, y, shown, anchor="start", fill=INK))
    return out


def value_title(label: str, value: Any) -> str:
    return f"<title>{esc(label)}: {esc(fmt_value(value))}</title>"
