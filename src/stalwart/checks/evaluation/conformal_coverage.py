"""Check: split-conformal prediction sets or intervals, and whether they cover as promised."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ...exceptions import DataError, ParameterError
from ...uncertainty.conformal import conformal_intervals, conformal_sets
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._common import model_outputs

__all__ = ["ConformalCoverage"]

#: one-sided normal quantile of 0.99: an exchangeable model fails about 1 run in 100
_Z = 2.326
_MIN_HALF = 10


@register_check
class ConformalCoverage(Check):
    """Calibrate split-conformal prediction sets (LAC score, classifiers with
    probabilities) or intervals (absolute residual, regressors) on half of the evaluation
    rows and measure how often they hold the true label on the other half.

    Under exchangeability coverage is at least ``1 - alpha``, but the measured value
    varies with both halves: conditional on the calibration half it is Beta distributed
    with variance about ``alpha (1 - alpha) / n_cal``, and the test half adds a binomial
    ``alpha (1 - alpha) / n_test``. The margin is 2.326 standard deviations of their sum
    (a one-sided 1% test), and the check fails when coverage is below
    ``1 - alpha - margin`` (``coverage_gap`` below 0). ``split="random"`` (seeded) checks
    the model's probabilities or residuals can be conformalised at all;
    ``split="ordered"`` calibrates on the first half of the rows and tests on the second,
    so on time-ordered data a failure says the later rows are not like the earlier ones.
    """

    name = "conformal_coverage"
    title = "Conformal coverage"
    category = "model"
    needs = frozenset({"model", "target"})

    def __init__(self, *, alpha: float = 0.1, split: str = "random",
                 conditions: Sequence[Condition] | None = None) -> None:
        self.alpha = alpha
        self.split = split
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("coverage_gap", "ge", 0.0,
                          name=f"coverage at least {1 - self.alpha:g} minus the sampling margin")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and ctx.model.task == "classification" \
                and not ctx.model.can("predict_proba"):
            missing.append("a classifier with predict_proba (sets are built from probabilities)")
        return missing

    def compute(self, ctx: CheckContext) -> Evidence:
        if self.split not in ("random", "ordered"):
            raise ParameterError("split", expected="'random' or 'ordered'", got=repr(self.split),
                                 fix="pass split='random'")
        if not 0 < self.alpha < 1:
            raise ParameterError("alpha", expected="a number in (0, 1)", got=repr(self.alpha),
                                 fix="pass alpha=0.1")
        out = model_outputs(ctx)
        n = out.y.size
        if n < 2 * _MIN_HALF:
            raise DataError("evaluation rows", expected=f"at least {2 * _MIN_HALF} labelled rows "
                            "to split into calibration and test halves", got=f"{n}",
                            fix="evaluate on more rows")
        order = (np.random.default_rng(ctx.random_state).permutation(n)
                 if self.split == "random" else np.arange(n))
        cal, test = order[: n // 2], order[n // 2:]
        if out.task == "classification":
            pos = {c: i for i, c in enumerate(out.classes.tolist())}
            y_index = np.array([pos[v] for v in out.y.tolist()], dtype=int)
            sets = conformal_sets(out.proba[cal], y_index[cal], out.proba[test],
                                  alpha=self.alpha, score="lac")
            hit = sets[np.arange(test.size), y_index[test]]
            size = sets.sum(axis=1)
            width_name, width = "mean_set_size", float(size.mean())
            extra = {"empty_set_share": float(np.mean(size == 0)),
                     "singleton_share": float(np.mean(size == 1))}
            counts = np.bincount(size, minlength=out.classes.size + 1)
            chart = Chart("bar", "Prediction set sizes",
                          {"labels": [str(k) for k in range(counts.size)],
                           "values": counts.tolist()}, x_label="set size", y_label="rows")
        else:
            iv = conformal_intervals(out.y[cal], out.pred[cal], out.pred[test], alpha=self.alpha)
            hit = (out.y[test] >= iv[:, 0]) & (out.y[test] <= iv[:, 1])
            width_name, width = "mean_width", float(np.mean(iv[:, 1] - iv[:, 0]))
            extra = {}
            chart = None
        coverage = float(hit.mean())
        target = 1.0 - self.alpha
        margin = _Z * math.sqrt(self.alpha * (1 - self.alpha) * (1 / cal.size + 1 / test.size))
        metrics = {"coverage": coverage, "target_coverage": target, "margin": margin,
                   "coverage_gap": coverage - (target - margin), width_name: width,
                   "n_calibration": int(cal.size), "n_test": int(test.size), **extra}
        table = Table("Coverage", ("quantity", "value"),
                      tuple((k, round(v, 6) if isinstance(v, float) else v)
                            for k, v in metrics.items()))
        summary = (f"coverage {coverage:.3f} on {test.size} rows for a {target:.0%} target "
                   f"(margin {margin:.3f}); {width_name.replace('_', ' ')} {width:.3g} "
                   f"({self.split} half/half split)")
        return Evidence(metrics, summary, (table,), () if chart is None else (chart,))
