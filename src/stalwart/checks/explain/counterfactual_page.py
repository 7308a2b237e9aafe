"""Text and HTML faces of a :class:`~stalwart.explain.CounterfactualResult` (layer 2: the
result lives in layer 1, which may not import the renderers). Nothing is computed here but
formatting: one table per query row, the original values then each counterfactual with its
changed cells written ``feature: from → to``.

>>> from stalwart.explain import Change, Counterfactual, CounterfactualQuery, \\
...     CounterfactualResult
>>> cf = Counterfactual(values={"a": 2.0}, changes=(Change("a", 1.0, 2.0, 0.5),),
...                     distance=0.5, sparsity=1, prediction=1, probability=0.6, valid=True)
>>> q = CounterfactualQuery(index=0, original={"a": 1.0}, prediction=0, probability=0.7,
...                         target=[1], status="found", counterfactuals=(cf,),
...                         diversity=None, message=None, blocked_by=())
>>> r = CounterfactualResult(queries=(q,), model={"name": "m"}, features=[], options={},
...                          n_model_calls=3, n_rows_scored=40)
>>> "a: 1 → 2" in counterfactual_page(r)
True
>>> counterfactual_text(r).splitlines()[1]
'Row 0: prediction 0, target [1] (found)'
"""

from __future__ import annotations

from typing import Any

from ...explain import CounterfactualQuery, CounterfactualResult
from ...reports._format import fmt_value
from ...reports.page import render_page

__all__ = ["counterfactual_page", "counterfactual_text"]


def _facts(result: CounterfactualResult) -> list[tuple[str, Any]]:
    return [("model", result.model.get("name")), ("query rows", len(result.queries)),
            ("with a counterfactual", result.n_feasible),
            ("infeasible", result.n_infeasible), ("validity", result.validity),
            ("mean changed features", result.mean_sparsity),
            ("mean scaled L1 distance", result.mean_distance),
            ("model calls", result.n_model_calls), ("rows scored", result.n_rows_scored)]


def _heading(q: CounterfactualQuery) -> str:
    name = (f"Row {fmt_value(q.index)}: prediction {fmt_value(q.prediction)}, target "
            f"{fmt_value(q.target)} ({q.status.replace('_', ' ')})")
    return name + (f": {q.message}" if q.message else "")


def _query_table(q: CounterfactualQuery) -> tuple[str, list[str], list[list[Any]]]:
    columns = ["feature", "original"] + [f"counterfactual {i + 1}"
                                         for i in range(len(q.counterfactuals))]
    rows: list[list[Any]] = []
    for feature, value in q.original.items():
        row: list[Any] = [feature, value]
        for cf in q.counterfactuals:
            moved = {c.feature: c for c in cf.changes}
            row.append(f"{feature}: {fmt_value(moved[feature].original)} → "
                       f"{fmt_value(moved[feature].counterfactual)}"
                       if feature in moved else "")
        rows.append(row)
    rows.append(["prediction", q.prediction, *[c.prediction for c in q.counterfactuals]])
    rows.append(["probability", q.probability, *[c.probability for c in q.counterfactuals]])
    rows.append(["changed features", 0, *[c.sparsity for c in q.counterfactuals]])
    rows.append(["scaled L1 distance", 0.0, *[c.distance for c in q.counterfactuals]])
    return _heading(q), columns, rows


def counterfactual_page(result: CounterfactualResult, *,
                        title: str = "Counterfactual explanations") -> str:
    """One self-contained HTML page: the batch's facts, then one table per query row."""
    return render_page(title, facts=_facts(result),
                       tables=[_query_table(q) for q in result.queries],
                       message="; ".join(result.warnings) or None)


def counterfactual_text(result: CounterfactualResult) -> str:
    """Plain text for a terminal: a summary line, then per query row its heading and one
    line per counterfactual listing the changes."""
    facts = dict(_facts(result))
    lines = [f"Counterfactual explanations: {facts['with a counterfactual']} of "
             f"{facts['query rows']} query rows with a counterfactual, mean changed features "
             f"{fmt_value(facts['mean changed features'])}, mean scaled L1 "
             f"{fmt_value(facts['mean scaled L1 distance'])}"]
    for q in result.queries:
        lines.append(_heading(q))
        for i, cf in enumerate(q.counterfactuals, start=1):
            moves = ", ".join(f"{c.feature}: {fmt_value(c.original)} → "
                              f"{fmt_value(c.counterfactual)}" for c in cf.changes)
            lines.append(f"  {i}. {moves} (prediction {fmt_value(cf.prediction)}, scaled L1 "
                         f"{cf.distance:.3g})")
    lines += [f"warning: {w}" for w in result.warnings]
    return "\n".join(lines)
