"""Check: how well does the model do on current data, before its labels arrive?

Classifiers: confidence-based performance estimation (CBPE) on probabilities calibrated on
the labelled reference; regressors: direct loss estimation (DLE). Both see covariate shift,
neither sees concept shift (P(y|x) changing); see docs/estimation.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...drift.multivariate._encode import TabularEncoder
from ...estimation import CBPE, DLE, PerformanceEstimate
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..evaluation._common import features_of
from ..result import Evidence, Table
from ._inputs import needs_raw_rows, numeric_as_in_reference
from ._sample import sample_rows

__all__ = ["EstimatedPerformance"]


@register_check
class EstimatedPerformance(Check):
    """Label-free estimate of ``metric`` on current data against its realised value on
    the labelled reference. Classifiers (accuracy by default) fail when the estimated drop
    exceeds ``max_drop``; regressors (MAE by default) when the estimated error rises by more
    than ``max_relative_rise`` of its reference value. The estimate's interval is in the
    evidence."""

    name = "estimated_performance"
    title = "Estimated performance (no labels)"
    category = "drift"
    needs = frozenset({"reference", "model"})

    # a 5-point accuracy drop (or a 25% rise in MAE) is the usual size of drop that
    # triggers a retraining review; smaller ones sit inside the estimate's own noise on
    # windows of a few thousand rows
    def __init__(self, *, metric: str | None = None, max_drop: float = 0.05,
                 max_relative_rise: float = 0.25, max_rows: int = 100_000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.metric = metric
        self.max_drop = max_drop
        self.max_relative_rise = max_relative_rise
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        # one of the two metrics is None (so its condition skips): classifiers report the
        # drop of a higher-is-better metric, regressors the relative rise of an error
        return [Condition("estimated_drop", "le", self.max_drop,
                          name=f"estimated drop at most {self.max_drop:g}"),
                Condition("relative_rise", "le", self.max_relative_rise,
                          name=f"estimated error rise at most {self.max_relative_rise:.0%}")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx) or needs_raw_rows(ctx)
        target = ctx.data.target or (ctx.reference.target if ctx.reference else None)
        if not missing and (target is None or ctx.reference is None
                            or target not in ctx.reference.frame):
            missing.append("labels in the reference data (a --target column there)")
        if not missing and ctx.model.task == "classification" and not ctx.model.can(
                "predict_proba"):
            missing.append("a classifier with predict_proba (CBPE works on probabilities)")
        return missing

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None
        target = ctx.data.target or ctx.reference.target
        ref_frame = ctx.reference.frame[ctx.reference.frame[target].notna()]
        ref, _ = sample_rows(ref_frame, self.max_rows, ctx.random_state)
        columns = features_of(ctx, ctx.data)
        cur, note = sample_rows(ctx.data.frame[columns], self.max_rows, ctx.random_state)
        cur, dropped = numeric_as_in_reference(ctx, cur, drop_rows=True)
        note = "; ".join(n for n in (note, *dropped) if n)
        model = ctx.model
        if model.task == "classification":
            metric = self.metric or "accuracy"
            estimator = CBPE(metrics=(metric,), random_state=ctx.random_state)
            estimator.fit_model(model, ref[columns], ref[target].to_numpy())
            estimate = estimator.estimate_model(cur[columns])
            higher_is_better = True
        else:
            metric = self.metric or "mae"
            encoder = TabularEncoder().fit(ref[columns])
            x_ref = encoder.transform(ref[columns], "reference")
            estimator = DLE(metrics=(metric,), random_state=ctx.random_state)
            estimator.fit(x_ref, ref[target].to_numpy(dtype=float),
                          np.asarray(model.predict(ref[columns]), dtype=float))
            estimate = estimator.estimate(encoder.transform(cur[columns], "current"),
                                          np.asarray(model.predict(cur[columns]), dtype=float))
            higher_is_better = False
        return _evidence(estimate, metric, higher_is_better, note)


def _evidence(estimate: PerformanceEstimate, metric: str, higher_is_better: bool,
              note: str) -> Evidence:
    m = estimate[metric]
    ref = m.reference_value
    change = m.value - ref
    metrics = {"estimated": m.value, "lower": m.lower, "upper": m.upper, "reference": ref,
               "estimated_drop": -change if higher_is_better else None,
               "relative_rise": None if higher_is_better or not ref else change / ref}
    table = Table("Estimate", ("metric", "reference (realised)", "current (estimated)",
                               "interval", "method"),
                  ((metric, round(ref, 6), round(m.value, 6),
                    f"[{m.lower:.4f}, {m.upper:.4f}]", m.interval_method),))
    summary = (f"estimated {metric} {m.value:.3f} [{m.lower:.3f}, {m.upper:.3f}] on current "
               f"data against {ref:.3f} realised on the reference ({estimate.method}, no "
               "labels needed)" + (f"; {note}" if note else ""))
    return Evidence(metrics, summary, (table,))
