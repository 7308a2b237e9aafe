"""Check: the model's metrics with bootstrap intervals, and whether it beats a baseline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...exceptions import DataError
from ...metrics import compare_to_baseline, evaluate
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._common import model_outputs, reference_labels

__all__ = ["ModelPerformance"]


@register_check
class ModelPerformance(Check):
    """Score the model with every applicable metric (percentile-bootstrap intervals) and
    compare it with a dummy baseline fitted on the reference target (else on the
    evaluated labels' distribution).

    The baseline is compared on ``baseline_metrics`` (default: balanced accuracy, plus ROC
    AUC when the model gives probabilities, for classification; MAE for regression), chosen
    because a class-prior or mean baseline cannot score well on them by construction.
    The check fails unless the model is better on every one of them with the whole paired
    interval of the difference on the better side of zero (``beats_baseline`` is 1).
    """

    name = "model_performance"
    title = "Model performance"
    category = "model"
    needs = frozenset({"model", "target"})

    # 200 resamples put the ends of a 95% interval within about a percentile point of
    # where 1000 would, at a fifth of the cost; the baseline comparison reuses them.
    def __init__(self, *, n_boot: int = 200, confidence: float = 0.95,
                 baseline_metrics: Sequence[str] | None = None,
                 baseline_strategy: str | None = None,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.n_boot = n_boot
        self.confidence = confidence
        self.baseline_metrics = baseline_metrics
        self.baseline_strategy = baseline_strategy
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("beats_baseline", "eq", 1,
                          name="the model beats the baseline on every compared metric")]

    def compute(self, ctx: CheckContext) -> Evidence:
        out = model_outputs(ctx)
        _check_enough(out.y, out.task)
        res = evaluate(out.y, y_pred=out.pred, proba=out.proba, classes=out.classes,
                       task=out.task, n_boot=self.n_boot, confidence=self.confidence,
                       random_state=ctx.random_state)
        compared = self.baseline_metrics
        if compared is None:
            if out.task == "regression":
                compared = ["mae"]
            else:
                compared = ["balanced_accuracy"] + (["roc_auc"] if out.proba is not None else [])
        cmp = compare_to_baseline(out.y, y_pred=out.pred, proba=out.proba, classes=out.classes,
                                  task=out.task, y_train=reference_labels(ctx),
                                  strategy=self.baseline_strategy, metrics=list(compared),
                                  n_boot=self.n_boot, confidence=self.confidence,
                                  random_state=ctx.random_state)
        metrics: dict[str, object] = {"n_rows": res.n_rows, "n_unlabelled_rows": out.n_dropped}
        for k, iv in res.metrics.items():
            metrics[k] = iv.estimate
            metrics[f"{k}_low"] = iv.low
            metrics[f"{k}_high"] = iv.high
        for k, c in cmp.comparisons.items():
            metrics[f"baseline_{k}"] = c.baseline.estimate
        metrics["beats_baseline"] = int(cmp.beats_baseline)
        rows = tuple((k, round(iv.estimate, 6), round(iv.low, 6), round(iv.high, 6),
                      "higher" if res.greater_is_better[k] else "lower")
                     for k, iv in res.metrics.items())
        cmp_rows = tuple((k, round(c.model.estimate, 6), round(c.baseline.estimate, 6),
                          round(c.difference.estimate, 6), round(c.difference.low, 6),
                          round(c.difference.high, 6), "yes" if c.beats_baseline else "no")
                         for k, c in cmp.comparisons.items())
        level = f"{self.confidence:.0%}"
        tables = (Table(f"Metrics ({level} bootstrap intervals, {self.n_boot} resamples)",
                        ("metric", "estimate", "low", "high", "better"), rows),
                  Table(f"Model versus {cmp.strategy} baseline (fitted on {cmp.baseline_source})",
                        ("metric", "model", "baseline", "difference", "low", "high", "beats"),
                        cmp_rows))
        chart = Chart("bar", "Model minus baseline",
                      {"labels": list(cmp.comparisons),
                       "values": [c.difference.estimate for c in cmp.comparisons.values()],
                       "low": [c.difference.low for c in cmp.comparisons.values()],
                       "high": [c.difference.high for c in cmp.comparisons.values()]},
                      x_label="metric", y_label="model - baseline")
        return Evidence(metrics, _summary(res, cmp), tables, (chart,))


def _check_enough(y, task: str) -> None:
    """Ranking and R2 metrics are undefined on one class or one row: say so up front."""
    if task == "classification" and np.unique(y).size < 2:
        raise DataError("labels of the evaluation rows", expected="at least two classes present",
                        got=f"{y.size} row(s) of one class",
                        fix="evaluate on held-out data with every class")
    if task == "regression" and (y.size < 2 or np.ptp(y) == 0):
        raise DataError("target of the evaluation rows", expected="at least two distinct values",
                        got=f"{y.size} row(s), {np.unique(y).size} distinct",
                        fix="evaluate on more held-out rows")


def _summary(res, cmp) -> str:
    head = "roc_auc" if "roc_auc" in res.metrics else ("accuracy" if "accuracy" in res.metrics
                                                         else "r2")
    parts = [f"{k} {res[k].estimate:.3f} [{res[k].low:.3f}, {res[k].high:.3f}]"
             for k in (head, "accuracy" if head == "roc_auc" else "mae")
             if k in res.metrics]
    losers = [k for k, c in cmp.comparisons.items() if not c.beats_baseline]
    verdict = ("beats the baseline on " + ", ".join(cmp.comparisons) if not losers
               else "does not beat the baseline on " + ", ".join(losers))
    return f"{res.n_rows} rows: " + "; ".join(parts) + f"; {verdict}"
