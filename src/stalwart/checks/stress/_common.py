"""What the stress checks share: the rows to stress, the perturbations by name, one stress
run per distinct request (cached for the suite run), and the tables and curves of a run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...exceptions import DataError, ParameterError
from ...perturb import PERTURBATIONS
from ...perturb.robustness import StressResult, stress_test
from ...perturb.robustness._inputs import load_perturbations
from ..check import CheckContext
from ..evaluation._common import model_outputs
from ..result import Chart, Table

__all__ = ["curves", "grid_table", "named_cell", "not_applied_table", "run_stress",
           "short_error", "worst_table"]


def run_stress(ctx: CheckContext, *, perturbations: Sequence[str] | None,
               severities: Sequence[int], per_feature: bool,
               options: Mapping[str, Mapping[str, Any]] | None) -> StressResult:
    """``stress_test`` of the context's model on its labelled rows (cached per request);
    perturbations fit their scales on the reference (training) rows when there are any."""
    load_perturbations()
    names = (sorted(n for n in PERTURBATIONS.names()
                    if PERTURBATIONS.capabilities(n)["kind"] == "tabular")
             if perturbations is None else list(perturbations))
    options = dict(options or {})
    unknown = [n for n in options if n not in names]
    if unknown:
        raise ParameterError("perturbation options", expected=f"names among the run's "
                             f"perturbations {names}", got=repr(unknown),
                             fix="give options only for perturbations that run")
    key = ("stress", tuple(names), tuple(severities), bool(per_feature),
           repr(sorted((k, sorted(dict(v).items())) for k, v in options.items())))

    def compute() -> StressResult:
        out = model_outputs(ctx)
        templates = [PERTURBATIONS.get(n)(**dict(options.get(n, {}))) for n in names]
        ref = None
        if ctx.reference is not None and all(c in ctx.reference.frame.columns
                                              for c in out.X.columns):
            ref = ctx.reference.frame[list(out.X.columns)]
        return stress_test(ctx.model, out.X, out.y, perturbations=templates,
                           severities=tuple(severities), per_feature=per_feature,
                           reference=ref, random_state=ctx.random_state)

    return ctx.cached(repr(key), compute)


def named_cell(result: StressResult, name: str, severity: int) -> Any:
    cell = result.cell(name, severity)
    if cell.error is not None:
        raise DataError(f"the model under {name} at severity {severity}",
                        expected="predictions on the perturbed rows",
                        got=f"an error: {cell.error.splitlines()[0][:160]}",
                        fix="make the model's pipeline accept such input (an imputer, a type "
                            "check) or gate on another perturbation")
    return cell


def short_error(error: str | None) -> str:
    """A model's error as one line for a table: its first sentence (the full text stays in
    the result's JSON)."""
    if not error:
        return ""
    line = error.strip().splitlines()[0]
    head, dot, _ = line.partition(". ")
    return (head + dot.strip())[:160]


def grid_table(result: StressResult) -> Table:
    rows = tuple((c.perturbation, c.severity, c.score, c.drop, c.flip_rate,
                  c.confidence_shift, "yes" if c.applied else "no", short_error(c.error))
                 for c in result.cells)
    return Table(f"Every perturbation and severity ({result.metric or 'no labels'} on "
                 f"{result.n_rows} rows, clean {result.metric} {result.clean_score})",
                 ("perturbation", "severity", "score", "drop", "flip rate",
                  "confidence shift", "applied", "model error"), rows)


def worst_table(result: StressResult) -> Table:
    rows = tuple((name, f.feature, f.severity, f.score, f.drop, f.flip_rate)
                 for name, f in sorted(result.worst_features().items()))
    return Table("The column that hurts most, per perturbation (applied to that column "
                 "alone)", ("perturbation", "column", "severity", "score", "drop",
                            "flip rate"), rows)


def not_applied_table(result: StressResult) -> Table:
    seen = {}
    for c in result.cells:
        for n in c.notes:
            if not n["applied"] and n["reason"]:
                seen.setdefault((c.perturbation, n["target"]), n["reason"])
    rows = tuple((p, t, r) for (p, t), r in sorted(seen.items()))
    return Table("What a perturbation could not change, and why",
                 ("perturbation", "column", "reason"), rows[:50], total_rows=len(rows))


def curves(result: StressResult) -> tuple[Chart, ...]:
    charts = []
    if result.clean_score is not None:
        charts.append(Chart("line", f"Degradation curves: {result.metric} by severity",
                            result.curves("score"), x_label="severity",
                            y_label=str(result.metric)))
    flips = result.curves("flip_rate")
    if any(v is not None for vals in flips["series"].values() for v in vals):
        charts.append(Chart("line", "Prediction flip rate by severity", flips,
                            x_label="severity", y_label="share of rows flipped"))
    return tuple(charts)
