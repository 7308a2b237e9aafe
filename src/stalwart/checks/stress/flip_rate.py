"""Check: how many predictions flip under a change declared harmless (default: rounding
to a grid of 0.02 robust spreads, severity 1; at most 1% of predictions may flip)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...perturb import SEVERITIES
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table
from ._common import curves, named_cell, not_applied_table, run_stress, short_error

__all__ = ["FlipRate"]


@register_check
class FlipRate(Check):
    """Applies ``perturbation`` (configured by ``options``, e.g. ``{"units": {"temp":
    "celsius->fahrenheit"}}`` for a unit change the pipeline is meant to absorb) at every
    severity and fails when more than ``max_flip_rate`` of the predictions change at
    ``severity``. Declare a change harmless only when the model should not notice it:
    then any flip is a bug.
    """

    name = "flip_rate"
    title = "Prediction flips under a harmless change"
    category = "model"
    needs = frozenset({"model", "target"})

    # 1%: under a change that should not matter, a flip is an error the change caused
    def __init__(self, *, perturbation: str = "rounding", severity: int = 1,
                 max_flip_rate: float = 0.01, options: Mapping[str, Any] | None = None,
                 severities: Sequence[int] = SEVERITIES,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.perturbation = perturbation
        self.severity = severity
        self.max_flip_rate = max_flip_rate
        self.options = options
        self.severities = severities
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("flip_rate", "le", self.max_flip_rate,
                          name=f"at most {self.max_flip_rate:.1%} of predictions flip under "
                               f"{self.perturbation} (severity {self.severity})")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and ctx.model.task != "classification":
            missing.append("a classifier (a flip is a change of predicted class)")
        return missing

    def compute(self, ctx: CheckContext) -> Evidence:
        levels = sorted(set(self.severities) | {int(self.severity)})
        result = run_stress(ctx, perturbations=[self.perturbation], severities=levels,
                            per_feature=True,
                            options={self.perturbation: dict(self.options or {})})
        cell = named_cell(result, self.perturbation, self.severity)
        at_level = [f for f in result.features
                    if f.severity == int(self.severity) and f.error is None]
        worst = max(at_level, key=lambda f: f.harm) if at_level else None
        metrics: dict[str, Any] = {
            "flip_rate": cell.flip_rate,
            "confidence_shift": cell.confidence_shift, "drop": cell.drop,
            "n_flipped": round(cell.flip_rate * result.n_rows),
            "n_rows": result.n_rows, "worst_column": None if worst is None else worst.feature}
        summary = (f"{metrics['n_flipped']} of {result.n_rows} predictions "
                   f"({cell.flip_rate:.1%}) flip under {self.perturbation} (severity "
                   f"{self.severity})")
        if worst is not None and worst.flip_rate:
            summary += f"; most from column {worst.feature!r}"
        rows = tuple((c.severity, c.flip_rate, c.confidence_shift, c.drop,
                      short_error(c.error))
                     for c in result.cells)
        table = Table(f"{self.perturbation} by severity",
                      ("severity", "flip rate", "confidence shift", "drop", "model error"),
                      rows)
        cols = tuple((f.feature, f.severity, f.flip_rate, f.drop, short_error(f.error))
                     for f in sorted(result.features, key=lambda f: -f.harm)[:20])
        by_col = Table("Columns whose change flips most predictions",
                       ("column", "severity", "flip rate", "drop", "model error"), cols,
                       total_rows=len(result.features))
        return Evidence(metrics, summary, (table, by_col, not_applied_table(result)),
                        curves(result))
