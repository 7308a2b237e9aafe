"""Draw an :class:`~.report.RCAReport` as one self-contained HTML page.

Renderers compute nothing: every number shown is a value of the report, formatted; the
charts (``stalwart.reports.svg``) plot stored values (explanation contributions, tail
probabilities, neighbour label counts). Every piece of text is escaped; the page loads
nothing (inline CSS and SVG, no script).

>>> from stalwart.rca.attribution import attribute
>>> from stalwart.rca.report import RCAReport
>>> r = RCAReport(model={"name": "<m>"}, row={"x": 1.0}, prediction=1, expected=0,
...               probabilities={"1": 0.8}, at=None, unusual_features=[], neighbours={},
...               explanation={}, monitoring=None, blast_radius=None, slice=None,
...               attribution=attribute({}), evidence={}, options={}, notes=())
>>> page = render_rca_html(r)
>>> "&lt;m&gt;" in page and "<m>" not in page and "genuinely hard case" in page
True
"""

from __future__ import annotations

import html
from typing import Any

from ..checks.result import Chart
from ..reports._format import fmt_value, printable
from ..reports.svg import render_svg

__all__ = ["render_rca_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;
background:#f3f5f8;margin:0;padding:24px;line-height:1.45}
main{max-width:1040px;margin:0 auto}
section{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:16px 20px;
margin:0 0 16px}
h1{font-size:1.5rem;margin:0 0 12px}h2{font-size:1.15rem;margin:0 0 10px}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:6px 0}
th,td{border-bottom:1px solid #d1d9e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cause{font-size:1.25rem;font-weight:600;color:#c5221f}.muted{color:#59636e}
.fired{color:#c5221f;font-weight:600}.quiet{color:#59636e}
ul{margin:4px 0 4px 20px;padding:0}svg{max-width:100%;height:auto}
"""


def _e(value: Any) -> str:
    if isinstance(value, str):
        return html.escape(printable(value))
    return html.escape(fmt_value(value))


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    if not rows:
        return '<p class="muted">none</p>'
    head = "".join(f"<th>{_e(label)}</th>" for _, label in columns)
    body = []
    for r in rows:
        cells = []
        for key, _ in columns:
            v = r.get(key)
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            cells.append(f'<td class="num">{_e(v)}</td>' if num else f"<td>{_e(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _pairs(mapping: dict[str, Any] | None) -> str:
    if not mapping:
        return '<p class="muted">none</p>'
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in mapping.items()
                   if not isinstance(v, (dict, list)))
    return f"<table><tbody>{rows}</tbody></table>"


def _attribution(report: Any) -> str:
    a = report.attribution
    steps = []
    for s in a.steps:
        state = "fired" if s.fired else ("not examined" if not s.examined else "no")
        cls = "fired" if s.fired else "quiet"
        steps.append({"cause": s.cause, "state": state, "reason": s.reason, "_cls": cls})
    rows = "".join(f'<tr><td>{_e(s["cause"])}</td><td class="{s["_cls"]}">{_e(s["state"])}'
                   f'</td><td>{_e(s["reason"])}</td></tr>' for s in steps)
    also = ", ".join(a.also_consistent) or "none"
    support = "" if a.supported else ' <span class="muted">(fallback: no decisive evidence)' \
                                     '</span>'
    return (f'<section><h2>Attribution</h2><p class="cause">{_e(a.label)}{support}</p>'
            f"<p>{_e(a.reason)}</p><p><b>Family:</b> {_e(a.family)}. <b>Remedy</b> "
            f"({_e(', '.join(a.remedy_kinds))}): {_e(a.remedy)}</p>"
            f"<p><b>Also consistent with the evidence:</b> {_e(also)}</p>"
            "<h3>Decision list</h3><table><thead><tr><th>cause</th><th>fired</th>"
            f"<th>why</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _bar(title: str, labels: list[Any], values: list[Any], y_label: str) -> str:
    return render_svg(Chart("bar", title, {"labels": labels, "values": values},
                            y_label=y_label))


def render_rca_html(report: Any, *, title: str | None = None) -> str:
    """The report as a self-contained HTML page."""
    name = report.model.get("name") if isinstance(report.model, dict) else None
    heading = title or f"Root-cause analysis: {name or 'model'}"
    parts = [f"<h1>{_e(heading)}</h1>"]
    parts.append("<section><h2>The prediction</h2>" + _pairs({
        "prediction": report.prediction, "expected": report.expected, "time": report.at}) +
        _pairs(report.probabilities) + "<h3>Row</h3>" + _pairs(report.row) + "</section>")
    parts.append(_attribution(report))
    uf = report.unusual_features
    parts.append("<section><h2>Unusual features</h2>" + _bar(
        "Tail probability against the reference (small = unusual)",
        [u["feature"] for u in uf], [u["tail"] for u in uf], "tail probability") + _table(
        uf, [("feature", "feature"), ("value", "value"), ("status", "status"),
             ("percentile", "percentile"), ("robust_z", "robust z"),
             ("frequency", "frequency"), ("tail", "tail"), ("unusual", "unusual")]) +
        "</section>")
    nb = report.neighbours or {}
    counts = nb.get("label_counts") or {}
    parts.append("<section><h2>Nearest training examples</h2>" + _pairs(
        {k: nb.get(k) for k in ("k", "majority", "majority_share", "share_as_predicted",
                                "same_prediction_share")}) +
        _bar("Labels of the nearest training rows", list(counts), list(counts.values()),
             "rows") +
        _table([{"rank": x["rank"], "distance": x["distance"], "label": x["label"],
                 "prediction": x["prediction"], **x["features"]}
                for x in nb.get("examples", [])],
               [("rank", "#"), ("distance", "distance"), ("label", "label"),
                ("prediction", "model says")] + [(c, c) for c in report.row]) + "</section>")
    ex = report.explanation or {}
    contrib = ex.get("contributions", [])
    parts.append("<section><h2>Local explanation</h2>" + _pairs(
        {k: ex.get(k) for k in ("method", "explained_class", "probability", "baseline",
                                "sum_of_contributions", "n_samples")}) +
        _bar("Contribution to the predicted class's probability",
             [c["feature"] for c in contrib], [c["contribution"] for c in contrib],
             "probability") + "</section>")
    mon = report.monitoring
    if mon is None:
        parts.append('<section><h2>Monitors and alerts</h2><p class="muted">no store given'
                     "</p></section>")
    else:
        parts.append("<section><h2>Monitors and alerts</h2>" + _pairs(
            {k: mon.get(k) for k in ("model", "start", "end", "n_events_read", "capped")}) +
            "<h3>Alerts</h3>" + _table(mon.get("alerts", []), [
                ("monitor", "monitor"), ("rule", "rule"), ("severity", "severity"),
                ("status", "status"), ("first_seen", "first seen"),
                ("last_seen", "last seen"), ("count", "count")]) +
            "<h3>Window results</h3>" + _table(mon.get("windows", []), [
                ("monitor", "monitor"), ("window_start", "start"), ("window_end", "end"),
                ("n_events", "events")]) + "</section>")
    parts.append("<section><h2>Blast radius</h2>" + (_pairs(report.blast_radius)
                 if report.blast_radius else '<p class="muted">no production window</p>') +
                 "</section>")
    sl = report.slice or {}
    weak = sl.get("weak_segment")
    parts.append("<section><h2>Slice</h2>" + _pairs(
        {k: sl.get(k) for k in ("source", "n_rows", "overall_error", "n_weak_segments")}) +
        ("<p><b>Weak segment holding the row:</b> " + _e(" & ".join(weak["conditions"])) +
         f" (error {_e(weak['slice_loss'])} vs {_e(weak['rest_loss'])}, n = "
         f"{_e(weak['size'])})</p>" if weak else "<p>The row is in no weak segment.</p>") +
        _table(sl.get("row_slices", []), [("condition", "slice"), ("size", "rows"),
                                          ("error_rate", "error rate")]) + "</section>")
    if report.notes:
        parts.append("<section><h2>Notes</h2><ul>" + "".join(
            f"<li>{_e(n)}</li>" for n in report.notes) + "</ul></section>")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(heading)}</title><style>{_CSS}</style></head><body><main>"
            + "".join(parts) + "</main></body></html>")
