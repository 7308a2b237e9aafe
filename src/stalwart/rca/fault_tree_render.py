"""Draw a :class:`FaultTreeResult` as inline SVG inside one standalone HTML page.

The renderer only lays out what the analysis computed (DESIGN.md, "compute and render
apart"): node probabilities, cut sets and importance measures come from the result. The
page loads nothing (no script, no stylesheet, no font, no URL). Gates are drawn with the
usual symbols (AND: flat base and round top; OR: curved base and pointed top; VOTE: the OR
symbol marked ``k/n``) and their type written beside them, so the shape is not the only
cue. A basic event shared by several gates is drawn under each of them and marked
"shared"; a gate reached a second time is drawn once and referred to by a transfer
triangle afterwards.

>>> from stalwart.rca import BasicEvent, FaultTree, Gate
>>> from stalwart.rca import analyse_fault_tree
>>> tree = FaultTree(top="t", events=[BasicEvent("a <x>", 0.1), BasicEvent("b", 0.2)],
...                  gates=[Gate("t", "and", ["a <x>", "b"])])
>>> page = analyse_fault_tree(tree).to_html()
>>> page.startswith("<!DOCTYPE html>") and "a &lt;x&gt;" in page and "<svg" in page
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Any

from ..reports._format import fmt_value, truncate
from ..reports._svg_base import INK, MUTED, REFERENCE, esc, text

__all__ = ["render_fault_tree_html", "render_fault_tree_svg"]

COL, ROW, BOX_W, BOX_H = 150, 118, 136, 44
MARGIN = 16
GATE_FILL, EVENT_FILL, TOP_FILL = "#eef4fb", "#fff8ec", "#fde8e8"


@dataclass
class _Drawn:
    """One drawn occurrence of a node: its place and what it is drawn as."""

    id: str
    kind: str  # "gate", "event" or "transfer"
    depth: int
    children: list[_Drawn] = field(default_factory=list)
    x: float = 0.0


def _layout(result: Any) -> tuple[_Drawn, int, int]:
    """Occurrences of the reachable nodes as a tree, leaves left to right, parents centred."""
    gates = {g.id: g for g in result.tree.gates}
    expanded: set[str] = set()

    def build(node: str, depth: int) -> _Drawn:
        if node not in gates:
            return _Drawn(node, "event", depth)
        if node in expanded:
            return _Drawn(node, "transfer", depth)
        expanded.add(node)
        drawn = _Drawn(node, "gate", depth)
        drawn.children = [build(c, depth + 1) for c in gates[node].children]
        return drawn

    root = build(result.tree.top, 0)
    leaves, deepest = 0, 0

    def place(d: _Drawn) -> None:
        nonlocal leaves, deepest
        deepest = max(deepest, d.depth)
        if not d.children:
            d.x = MARGIN + leaves * COL + COL / 2
            leaves += 1
            return
        for c in d.children:
            place(c)
        d.x = (d.children[0].x + d.children[-1].x) / 2

    place(root)
    return root, leaves, deepest


def _gate_symbol(x: float, y: float, gate: Any) -> list[str]:
    """The gate symbol under a box at ``y`` (its top); returns the SVG parts."""
    stroke = f'fill="#ffffff" stroke="{INK}" stroke-width="1.3"'
    if gate.type == "and":
        path = (f"M{x - 13:.1f},{y + 28:.1f} L{x - 13:.1f},{y + 15:.1f} "
                f"A13,13 0 0 1 {x + 13:.1f},{y + 15:.1f} L{x + 13:.1f},{y + 28:.1f} Z")
        label = "AND"
    else:
        path = (f"M{x - 13:.1f},{y + 28:.1f} Q{x:.1f},{y + 21:.1f} {x + 13:.1f},{y + 28:.1f} "
                f"Q{x + 12:.1f},{y + 10:.1f} {x:.1f},{y + 2:.1f} "
                f"Q{x - 12:.1f},{y + 10:.1f} {x - 13:.1f},{y + 28:.1f} Z")
        label = "OR" if gate.type == "or" else f"VOTE {gate.k}/{len(gate.children)}"
    return [f'<path d="{path}" {stroke}/>',
            text(x + 18, y + 22, label, size=10, anchor="start", fill=INK, weight="600")]


def _node(d: _Drawn, result: Any, shared: Counter[str]) -> list[str]:
    y = MARGIN + d.depth * ROW
    x0 = d.x - BOX_W / 2
    prob = result.node_probabilities.get(d.id)
    fill = TOP_FILL if d.id == result.tree.top else (
        GATE_FILL if d.kind != "event" else EVENT_FILL)
    node = result.tree.nodes[d.id]
    tip = f"{d.id}: P = {fmt_value(prob)}" + (f" ({node.description})" if node.description
                                               else "")
    out = [f"<g><title>{esc(tip)}</title>",
           f'<rect x="{x0:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="5" '
           f'fill="{fill}" stroke="{MUTED}"/>',
           text(d.x, y + 17, truncate(d.id, 19), size=11, fill=INK, weight="600"),
           text(d.x, y + 34, f"P = {fmt_value(prob)}", size=11, fill=INK), "</g>"]
    below = y + BOX_H
    if d.kind == "gate":
        out += [f'<line x1="{d.x:.1f}" x2="{d.x:.1f}" y1="{below:.1f}" y2="{below + 2:.1f}" '
                f'stroke="{INK}"/>', *_gate_symbol(d.x, below, node)]
        base = below + 28
        for c in d.children:
            cy = MARGIN + c.depth * ROW
            out.append(f'<polyline points="{d.x:.1f},{base:.1f} {d.x:.1f},{base + 10:.1f} '
                       f'{c.x:.1f},{base + 10:.1f} {c.x:.1f},{cy:.1f}" fill="none" '
                       f'stroke="{MUTED}"/>')
    elif d.kind == "event":
        out += [f'<line x1="{d.x:.1f}" x2="{d.x:.1f}" y1="{below:.1f}" y2="{below + 6:.1f}" '
                f'stroke="{INK}"/>',
                f'<circle cx="{d.x:.1f}" cy="{below + 18:.1f}" r="12" fill="#ffffff" '
                f'stroke="{INK}" stroke-width="1.3"/>']
        if shared[d.id] > 1:
            out.append(text(d.x + 17, below + 22, "shared", size=10, anchor="start",
                            fill=REFERENCE, weight="600"))
    else:  # a transfer: the gate is drawn where it first appears
        out += [f'<path d="M{d.x:.1f},{below:.1f} L{d.x + 13:.1f},{below + 22:.1f} '
                f'L{d.x - 13:.1f},{below + 22:.1f} Z" fill="#ffffff" stroke="{INK}"/>',
                text(d.x + 18, below + 18, "see above", size=10, anchor="start")]
    for c in d.children:
        out += _node(c, result, shared)
    return out


def render_fault_tree_svg(result: Any) -> str:
    """The reachable tree as one ``<svg>`` element (no ``xmlns``: it is inlined in HTML)."""
    root, leaves, deepest = _layout(result)
    shared: Counter[str] = Counter()
    stack = [root]
    while stack:
        d = stack.pop()
        if d.kind == "event":
            shared[d.id] += 1
        stack.extend(d.children)
    width = max(2 * MARGIN + leaves * COL, 320)
    height = 2 * MARGIN + deepest * ROW + BOX_H + 36
    title = f"fault tree of {result.tree.name or result.tree.top}"
    head = (f'<svg class="fault-tree" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{esc(title)}" '
            f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif">')
    return "\n".join([head, f"<title>{esc(title)}</title>", *_node(root, result, shared),
                      "</svg>"])


def _table(columns: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(
        f'<td class="{"num" if isinstance(v, (int, float)) and not isinstance(v, bool) else ""}">'
        f"{escape(fmt_value(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;
margin:24px;max-width:1200px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #d0d7de;
padding:4px 10px;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.figure{overflow-x:auto;border:1px solid #d0d7de;border-radius:6px;padding:8px}
.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px}
dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px}dt{color:#59636e}
"""


def render_fault_tree_html(result: Any, *, title: str | None = None) -> str:
    """``result`` as one self-contained HTML page."""
    name = result.tree.name or result.tree.top
    page_title = title if title is not None else f"{name} · fault tree · stalwart"
    summary = [("top event", result.tree.top),
               ("P(top), exact", result.top_probability),
               ("rare-event approximation", result.rare_event_approximation),
               ("min-cut upper bound", result.min_cut_upper_bound),
               ("minimal cut sets", len(result.cut_sets))]
    if result.top_probability_range is not None:
        low, high = result.top_probability_range
        summary.append(("P(top) over monitored intervals", f"{fmt_value(low)} – "
                        f"{fmt_value(high)}"))
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{escape(page_title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Fault tree: {escape(name)}</h1>", "<dl>"]
    parts += [f"<dt>{escape(k)}</dt><dd>{escape(fmt_value(v))}</dd>" for k, v in summary]
    parts.append("</dl>")
    parts += [f'<p class="note">{escape(n)}</p>' for n in result.notes]
    parts += ["<h2>Tree</h2>", f'<div class="figure">{render_fault_tree_svg(result)}</div>',
              "<h2>Minimal cut sets</h2>",
              _table(["#", "events", "order", "probability"],
                     [[i, ", ".join(c.events), c.order, c.probability]
                      for i, c in enumerate(result.cut_sets, start=1)]),
              "<h2>Importance of basic events</h2>",
              _table(["event", "probability", "source", "Birnbaum", "criticality",
                      "Fussell-Vesely", "RAW", "RRW"],
                     [[m.event, m.probability, result.probability_sources.get(m.event, ""),
                       m.birnbaum, m.criticality, m.fussell_vesely,
                       m.risk_achievement_worth, m.risk_reduction_worth]
                      for m in result.importance])]
    if result.estimates:
        parts += ["<h2>Probabilities from monitoring</h2>",
                  _table(["component", "failed windows", "windows", "probability",
                          "interval low", "interval high", "level", "estimator", "source"],
                         [[e.component, e.failed, e.total, e.probability, e.low, e.high,
                           e.level, e.estimator, e.source] for e in result.estimates])]
    parts += [f"<footer><p>schema {escape(result.schema_version)} · {result.bdd_nodes} BDD "
              "nodes</p></footer>", "</body></html>"]
    return "\n".join(parts)
