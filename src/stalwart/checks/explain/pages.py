"""Text and HTML faces of the explanation results (layer 2: the results live in layer 1,
which may not import the renderers). Nothing is computed here but formatting.

>>> from stalwart.explain import ImportanceResult
>>> page = ExplanationReport(ImportanceResult.from_values({"a": 0.2, "b": 0.1}, method="given"))
>>> page.text().splitlines()[2].split()
['1', 'a', '0.2']
>>> "<svg" in page.to_html()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...explain import ImportanceDriftResult, ImportanceResult, LocalExplanation, ShapResult
from ...reports.page import render_page
from ..result import Chart

__all__ = ["ExplanationReport"]

_SHOWN = 20


@dataclass(frozen=True)
class ExplanationReport:
    """One explanation result with ``to_dict`` (the result's own), ``to_html`` and ``text``."""

    result: Any

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_dict()

    def _parts(self) -> tuple[str, list[tuple[str, Any]], list[Any], list[Chart]]:
        r = self.result
        shap_facts: list[tuple[str, Any]] = []
        if isinstance(r, ShapResult):  # the ranking, plus what only the SHAP result knows
            shap_facts = [("algorithm", r.algorithm), ("why", r.reason),
                          ("additivity error", r.additivity_error),
                          ("background rows", r.n_background)]
            r = r.to_importance()
        if isinstance(r, ImportanceResult):
            ci = any(f.has_interval for f in r.features)
            cols = ["rank", "feature", "importance"] + (["interval low", "interval high"]
                                                        if ci else [])
            rows = [[f.rank, f.name, f.mean] + ([f.ci_low, f.ci_high] if ci else [])
                    for f in r.features[:_SHOWN]]
            facts = [("method", r.method)] + shap_facts \
                + [(k, v) for k, v in r.options.items() if v is not None] \
                + [(k, v) for k, v in r.details.items() if k not in r.options] \
                + [("warning", w) for w in r.warnings]
            chart = Chart("bar", "Importance", {"labels": [f.name for f in r.features[:_SHOWN]],
                                                "values": [f.mean for f in r.features[:_SHOWN]]})
            return "Feature importance", facts, [("Ranking", cols, rows)], [chart]
        if isinstance(r, LocalExplanation):
            rows = [[c["feature"], c["value"], c["contribution"]] for c in r.contributions]
            facts = [("method", r.method), ("why", r.reason),
                     ("explained class", r.explained_class), ("output", r.output),
                     ("prediction", r.prediction), ("base value", r.base_value),
                     ("additivity gap", r.additivity_gap)]
            chart = Chart("bar", "Contributions",
                          {"labels": [c["feature"] for c in r.contributions[:_SHOWN]],
                           "values": [c["contribution"] for c in r.contributions[:_SHOWN]]})
            return ("Local explanation", facts,
                    [("Contributions", ["feature", "value", "contribution"], rows)], [chart])
        if isinstance(r, ImportanceDriftResult):
            rows = [[c["feature"], c["a"], c["b"], c["change"], c["rank_a"], c["rank_b"],
                     c["intervals_overlap"]] for c in r.changes[:_SHOWN]]
            facts = [("Spearman", r.spearman), ("Kendall", r.kendall),
                     (f"top-{r.top_k} Jaccard", r.jaccard), ("entered", r.entered or "none"),
                     ("left", r.left or "none")] + [("warning", w) for w in r.warnings]
            return ("Importance drift", facts,
                    [("Changes", ["feature", r.labels[0], r.labels[1], "change", "rank a",
                                  "rank b", "intervals overlap"], rows)], [])
        raise TypeError(f"no page for {type(r).__name__}")

    def to_html(self) -> str:
        title, facts, tables, charts = self._parts()
        return render_page(title, facts=facts, tables=tables, charts=charts)

    def text(self) -> str:
        title, facts, tables, _ = self._parts()
        _, cols, rows = tables[0]
        lines = [title, "  ".join(cols), *("  ".join(_fmt(v) for v in row) for row in rows)]
        lines += [f"{label}: {_fmt(value)}" for label, value in facts]
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
