"""Check: what simulated drift would cost: the model's metric under covariate shift on the
features it depends on most (both directions) and under label shift to equal class priors;
warns when the worst costs more than ``max_drop``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...perturb.robustness import shift_impact
from ...perturb.shift import covariate_shift, label_shift
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ..evaluation._common import model_outputs

__all__ = ["ShiftRobustness"]


def _strongest(X: pd.DataFrame, y: np.ndarray, k: int) -> list[str]:
    """The ``k`` numeric columns most rank-correlated with the label (codes for classes)."""
    codes = np.unique(y, return_inverse=True)[1] if y.dtype.kind not in "fiu" else y
    target = pd.Series(codes.astype(float), index=X.index)
    scores = {}
    for col in X.columns:
        values = X[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) \
                and values.nunique() > 1:
            # Spearman on the rows where the column is known: np.corrcoef on ranks with a
            # single missing value gave NaN and dropped the column from the ranking
            r = values.astype(float).corr(target, method="spearman")
            if np.isfinite(r):
                scores[col] = abs(float(r))
    return sorted(scores, key=lambda c: (-scores[c], str(c)))[:k]


@register_check
class ShiftRobustness(Check):
    """Covariate shift of ``strength`` (weights ``exp(strength * z)``, about one standard
    deviation of the feature for strength 1 on a normal feature) on ``features`` (default:
    the ``max_features`` numeric features most correlated with the label), up and down,
    and for classifiers label shift to equal priors. Warns when the worst drop exceeds
    ``max_drop``: a drift of that size would cost that much.
    """

    name = "shift_robustness"
    title = "Cost of simulated shift"
    category = "model"
    needs = frozenset({"model", "target"})

    # 0.05: a one-sd drift of a key feature is common between seasons or regions; losing
    # five points of the metric to it deserves a look before shipping (a warning, not a gate)
    def __init__(self, *, features: Sequence[str] | None = None, strength: float = 1.0,
                 max_features: int = 3, label_shift: bool = True, max_drop: float = 0.05,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.features = features
        self.strength = strength
        self.max_features = max_features
        self.label_shift = label_shift
        self.max_drop = max_drop
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("worst_drop", "le", self.max_drop, severity="warn",
                          name=f"no simulated shift costs more than {self.max_drop:g}")]

    def compute(self, ctx: CheckContext) -> Evidence:
        out = model_outputs(ctx)
        X, y = out.X.reset_index(drop=True), out.y
        chosen = (ctx.columns(self.features, default=[]) if self.features is not None
                  else _strongest(X, y, self.max_features))
        shifts = {}
        for col in chosen:
            for direction in ("increase", "decrease"):
                shifts[f"{col} {direction}"] = covariate_shift(
                    X, y, feature=col, strength=self.strength, direction=direction,
                    random_state=ctx.random_state)
        if self.label_shift and out.task == "classification" and np.unique(y).size > 1:
            classes = np.unique(y)
            priors = {c.item() if hasattr(c, "item") else c: 1 / classes.size for c in classes}
            shifts["equal class priors"] = label_shift(X, y, priors=priors,
                                                       random_state=ctx.random_state)
        if not shifts:
            return Evidence({"worst_drop": None, "n_shifts": 0},
                            "no numeric feature varies and no label shift applies: nothing "
                            "to simulate")
        result = shift_impact(ctx.model, X, y, shifts)
        worst = result.worst()
        metrics: dict[str, Any] = {"metric": result.metric, "clean_score": result.clean_score,
                                   "worst_drop": None if worst is None else worst.drop,
                                   "worst_shift": None if worst is None else worst.name,
                                   "n_shifts": len(result.rows)}
        rows = tuple((r.name, r.kind, r.n_rows, r.score, r.drop, _size(r.size),
                      "; ".join(r.warnings) or (r.error or "")) for r in result.rows)
        table = Table(f"{result.metric} under each simulated shift (clean "
                      f"{result.clean_score:.3f})",
                      ("shift", "kind", "rows", "score", "drop", "achieved shift", "notes"), rows)
        chart = Chart("bar", f"{result.metric} drop by simulated shift",
                      {"labels": [r.name for r in result.rows],
                       "values": [r.drop for r in result.rows]},
                      x_label="shift", y_label=f"{result.metric} drop")
        summary = (f"{len(result.rows)} simulated shifts; worst {worst.name!r} costs "
                   f"{worst.drop:+.3f} {result.metric}" if worst is not None
                   else "the model raised on every shifted sample")
        return Evidence(metrics, summary, (table,), (chart,))


def _size(size: Any) -> str:
    if "mean_shift_sd" in size:
        return ", ".join(f"{k} mean {v:+.2f} sd" for k, v in size["mean_shift_sd"].items()) + \
            f" ({size['effective_sample_size']:.0f} effective rows)"
    if "priors_after" in size:
        return "priors " + ", ".join(f"{k}: {v:.2f}" for k, v in size["priors_after"].items())
    return ""
