"""Check: calibration of a classifier's probabilities (ECE, MCE, reliability diagram)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...uncertainty import reliability_diagram
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._common import model_outputs

__all__ = ["Calibration"]


@register_check
class Calibration(Check):
    """Top-label expected and maximum calibration error over ``n_bins`` equal-width bins.

    ECE is the row-weighted mean gap between the confidence of the predicted class and
    how often that prediction is right; MCE the largest gap of a non-empty bin. Warns
    when ECE exceeds ``max_ece``. Regression models and classifiers without
    probabilities are skipped.
    """

    name = "calibration"
    title = "Calibration"
    category = "model"
    needs = frozenset({"model", "target"})

    # 15 equal-width bins is the usual ECE setting (Guo et al. 2017); a 0.05 gap means
    # stated confidences are off by five points on average, enough to mislead thresholds.
    def __init__(self, *, n_bins: int = 15, max_ece: float = 0.05,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.n_bins = n_bins
        self.max_ece = max_ece
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("ece", "le", self.max_ece, severity="warn",
                          name=f"expected calibration error at most {self.max_ece:g}")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and (ctx.model.task != "classification"
                            or not ctx.model.can("predict_proba")):
            missing.append("a classifier with predict_proba (calibration is about "
                           "probabilities)")
        return missing

    def compute(self, ctx: CheckContext) -> Evidence:
        out = model_outputs(ctx)
        d = reliability_diagram(out.y, out.proba, n_bins=self.n_bins, classes=out.classes)
        conf = np.asarray(d.confidence)
        acc = np.asarray(d.accuracy)
        count = np.asarray(d.count)
        used = count > 0
        mean_conf = float(out.proba.max(axis=1).mean())
        hit_rate = float(np.sum(acc[used] * count[used]) / count.sum())
        metrics = {"ece": d.ece, "mce": d.mce, "mean_confidence": mean_conf,
                   "accuracy": hit_rate, "overconfidence": mean_conf - hit_rate,
                   "n_rows": int(count.sum()), "n_bins_used": int(used.sum())}
        edges = d.edges
        rows = tuple((f"[{edges[i]:.3f}, {edges[i + 1]:.3f}]", int(count[i]),
                      round(float(conf[i]), 6), round(float(acc[i]), 6),
                      round(float(acc[i] - conf[i]), 6))
                     for i in np.flatnonzero(used))
        table = Table("Reliability bins (top-label)",
                      ("confidence bin", "rows", "mean confidence", "accuracy", "gap"), rows)
        chart = Chart("line", "Reliability diagram",
                      {"x": [float(c) for c in conf[used]], "y": [float(a) for a in acc[used]],
                       "counts": [int(c) for c in count[used]], "diagonal": [0.0, 1.0]},
                      x_label="mean confidence", y_label="accuracy")
        side = "over" if mean_conf > hit_rate else "under"
        summary = (f"ECE {d.ece:.3f}, MCE {d.mce:.3f} over {self.n_bins} bins; mean "
                   f"confidence {mean_conf:.3f} against accuracy {hit_rate:.3f} "
                   f"({side}confident by {abs(mean_conf - hit_rate):.3f})")
        return Evidence(metrics, summary, (table,), (chart,))
