"""``stalwart faulttree analyse``: top-event probability and minimal cut sets of a fault tree.

One library call: :func:`stalwart.rca.fault_tree_analysis.analyse_fault_tree` on the tree
read from a JSON file; with ``--from-store`` the probabilities of the monitored components
are first estimated from the store's saved window results
(:func:`~stalwart.rca.fault_tree_monitoring.failure_counts_from_store`, read only).
Exit code 0 on success, 2 on bad input (the message says what to fix).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..exceptions import DataError, ParameterError
from ..reports._format import fmt_value
from ._common import clean_errors, emit_report

__all__ = ["faulttree_command"]


def _read_tree(path: str):  # noqa: ANN202 - returns a FaultTree (imported lazily)
    from ..rca import FaultTree

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError("fault tree file", expected="a readable JSON document",
                        got=f"{path}: {exc}", fix="check the file (see docs/fault_trees.md "
                        "for the format)") from None
    return FaultTree.from_dict(doc)


def _text(result) -> str:  # noqa: ANN001 - a FaultTreeResult
    lines = [f"top event {result.tree.top!r}",
             f"  P(top), exact             {fmt_value(result.top_probability)}",
             f"  rare-event approximation  {fmt_value(result.rare_event_approximation)}",
             f"  min-cut upper bound       {fmt_value(result.min_cut_upper_bound)}"]
    if result.top_probability_range is not None:
        low, high = result.top_probability_range
        lines.append(f"  over monitored intervals  {fmt_value(low)} .. {fmt_value(high)}")
    lines.append(f"{len(result.cut_sets)} minimal cut set(s):")
    lines += [f"  {c.probability:<10.4g} {' AND '.join(c.events)}" for c in result.cut_sets]
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


@click.group("faulttree")
def faulttree_command() -> None:
    """Fault trees: how a deployed system fails, and how likely it is."""


@faulttree_command.command("analyse")
@click.argument("tree", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the report here instead of standard output.")
@click.option("--from-store", "store_url", default=None,
              help="Store URL: estimate the monitored components' probabilities from its "
                   "saved window results (the tree's 'monitoring' section says how).")
@click.option("--model", default=None,
              help="Model whose monitors to read (a component without a named monitor uses "
                   "the model's only monitor).")
@click.option("--start", default=None, help="Only windows starting at or after this ISO time.")
@click.option("--end", default=None, help="Only windows starting before this ISO time.")
@click.option("--level", type=float, default=0.95, show_default=True,
              help="Coverage of the estimates' intervals.")
@clean_errors
def analyse_command(tree: str, fmt: str, out: str | None, store_url: str | None,
                    model: str | None, start: str | None, end: str | None,
                    level: float) -> None:
    """Exact top-event probability, rare-event and min-cut bounds, minimal cut sets and
    importance measures of the fault tree in TREE (JSON)."""
    from ..rca import (analyse_fault_tree, estimate_failure_probabilities,
                       failure_counts_from_store)

    parsed = _read_tree(tree)
    estimates = ()
    if store_url is None:
        if model is not None or start is not None or end is not None:
            raise ParameterError("--model/--start/--end", expected="--from-store with them",
                                 got="no --from-store", fix="add --from-store URL, or drop them")
    else:
        from ..store import open_store

        with open_store(store_url) as store:
            counts = failure_counts_from_store(store, parsed.monitoring, model=model,
                                               start=start, end=end)
        estimates = estimate_failure_probabilities(counts, level=level)
    result = analyse_fault_tree(parsed, estimates=estimates)
    emit_report(result, text=_text(result), fmt=fmt, out=out,
                summary=f"P(top) = {fmt_value(result.top_probability)}, "
                        f"{len(result.cut_sets)} minimal cut set(s)")
