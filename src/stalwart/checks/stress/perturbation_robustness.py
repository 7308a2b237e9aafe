"""Check: the model's metric under perturbations, with a limit on the drop at a named
perturbation and severity (default: Gaussian noise of 0.1 robust spreads, severity 2, may
cost at most 0.02 of the metric), degradation curves and the worst column per perturbation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...perturb import SEVERITIES
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence
from ._common import curves, grid_table, named_cell, not_applied_table, run_stress, worst_table

__all__ = ["PerturbationRobustness"]


def _limit_key(spec: str) -> tuple[str, int]:
    name, _, level = spec.partition("@")
    from ...exceptions import ParameterError
    if not name or not level.isdigit():
        raise ParameterError("limits", expected="keys 'perturbation@severity', e.g. "
                             "'scaling@3'", got=repr(spec), fix="write the key in that form")
    return name, int(level)


@register_check
class PerturbationRobustness(Check):
    """Runs every tabular perturbation (or ``perturbations``) at ``severities`` and fails
    when the metric drops by more than ``max_drop`` under ``perturbation`` at ``severity``;
    ``limits`` adds more such limits (``{"scaling@3": 0.05}``). A model that raises on the
    named perturbation makes the check an error (it cannot vouch); raising on others is
    counted in ``model_errors`` and warned about. ``perturbation_options`` configures
    perturbations by name (``{"unit_change": {"units": "m->cm"}}``).
    """

    name = "perturbation_robustness"
    title = "Robustness to perturbations"
    category = "model"
    needs = frozenset({"model", "target"})

    # 0.02: two points of accuracy for noise a tenth of a column's spread, below what a
    # sensor or a data-entry slip adds; a model losing more leans on exact values.
    def __init__(self, *, perturbation: str = "gaussian_noise", severity: int = 2,
                 max_drop: float = 0.02, limits: Mapping[str, float] | None = None,
                 perturbations: Sequence[str] | None = None,
                 severities: Sequence[int] = SEVERITIES, per_feature: bool = True,
                 perturbation_options: Mapping[str, Mapping[str, Any]] | None = None,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.perturbation = perturbation
        self.severity = severity
        self.max_drop = max_drop
        self.limits = limits
        self.perturbations = perturbations
        self.severities = severities
        self.per_feature = per_feature
        self.perturbation_options = perturbation_options
        self.conditions = conditions

    def _limits(self) -> dict[tuple[str, int], float]:
        out = {(self.perturbation, int(self.severity)): float(self.max_drop)}
        for spec, value in dict(self.limits or {}).items():
            out[_limit_key(spec)] = float(value)
        return out

    def default_conditions(self) -> list[Condition]:
        conds = [Condition("drop", "le", self.max_drop,
                           name=f"drop under {self.perturbation} "
                                f"(severity {self.severity}) at most {self.max_drop:g}")]
        for (name, level), value in list(self._limits().items())[1:]:
            conds.append(Condition(f"drop.{name}.s{level}", "le", value,
                                   name=f"drop under {name} (severity {level}) at most "
                                        f"{value:g}"))
        conds.append(Condition("model_errors", "eq", 0, severity="warn",
                               name="the model accepts every perturbed input"))
        return conds

    def compute(self, ctx: CheckContext) -> Evidence:
        limits = self._limits()
        names = None if self.perturbations is None else list(self.perturbations)
        levels = sorted(set(self.severities) | {lvl for _, lvl in limits})
        if names is not None:
            names += [n for n, _ in limits if n not in names]
        result = run_stress(ctx, perturbations=names, severities=levels,
                            per_feature=self.per_feature, options=self.perturbation_options)
        cell = named_cell(result, self.perturbation, self.severity)
        metrics: dict[str, Any] = {"metric": result.metric, "clean_score": result.clean_score,
                                   "score": cell.score, "drop": cell.drop,
                                   "flip_rate": cell.flip_rate,
                                   "prediction_shift": cell.prediction_shift}
        for (name, level) in list(limits)[1:]:
            metrics[f"drop.{name}.s{level}"] = named_cell(result, name, level).drop
        scored = [c for c in result.cells if c.drop is not None and c.applied]
        worst = max(scored, key=lambda c: c.drop) if scored else None
        metrics["worst_drop"] = None if worst is None else worst.drop
        metrics["worst_case"] = None if worst is None else f"{worst.perturbation}@{worst.severity}"
        metrics["model_errors"] = sum(1 for c in result.cells if c.error)
        metrics["n_rows"] = result.n_rows
        moved = (f"{cell.flip_rate:.1%} of predictions flipped" if cell.flip_rate is not None
                 else f"predictions moved by {cell.prediction_shift:.4g} on average")
        summary = (f"{result.metric} {result.clean_score:.3f} clean, {cell.score:.3f} under "
                   f"{self.perturbation} (severity {self.severity}): drop {cell.drop:+.3f}, "
                   f"{moved}")
        if worst is not None:
            summary += f"; worst {worst.perturbation} at {worst.severity} ({worst.drop:+.3f})"
        if metrics["model_errors"]:
            summary += f"; the model raised on {metrics['model_errors']} perturbed inputs"
        tables = (grid_table(result), worst_table(result), not_applied_table(result))
        return Evidence(metrics, summary, tables, curves(result))
