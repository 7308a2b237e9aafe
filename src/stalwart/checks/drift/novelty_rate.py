"""Check: how many current rows look like nothing in the reference?

A novelty detector is trained on part of the reference and its threshold calibrated on the
rest so that ``false_flag_rate`` of reference-like rows are flagged (split conformal, see
:mod:`stalwart.novelty`). Far more flagged current rows than that rate means inputs the
model never learned from.
"""

from __future__ import annotations

from collections.abc import Sequence

from scipy import stats

from ...drift.multivariate._encode import TabularEncoder
from ...novelty import NOVELTY_DETECTORS, min_calibration_size
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._inputs import needs_raw_rows, numeric_as_in_reference
from ._sample import sample_rows
from .feature_drift import MODEL_INPUTS

__all__ = ["NoveltyRate"]

#: the gated metrics, undefined (so their conditions skip) when nothing could be tested
_UNTESTED = {"excess_novel_share": None, "significant_excess": None}


@register_check
class NoveltyRate(Check):
    """Share of current rows flagged as novel by a calibrated detector (isolation forest
    by default; any numeric-table detector of ``stalwart.novelty`` by name).

    Warns when the flagged share is significantly above ``false_flag_rate`` (one-sided
    binomial test below ``alpha``) and at least ``warn_factor`` times it; fails from
    ``fail_factor`` times it.
    """

    name = "novelty_rate"
    title = "Novel inputs"
    category = "drift"
    needs = frozenset({"reference"})

    # 3x the calibrated rate is a visible excess that a binomial test also confirms on a few
    # hundred rows; 10x means one row in ten (at 1%) is unlike anything in training
    def __init__(self, *, detector: str = "isolation_forest", false_flag_rate: float = 0.01,
                 alpha: float = 0.01, warn_factor: float = 3.0, fail_factor: float = 10.0,
                 max_rows: int = 50_000, conditions: Sequence[Condition] | None = None) -> None:
        self.detector = detector
        self.false_flag_rate = false_flag_rate
        self.alpha = alpha
        self.warn_factor = warn_factor
        self.fail_factor = fail_factor
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        r = self.false_flag_rate
        return [Condition("excess_novel_share", "lt", (self.fail_factor - 1) * r,
                          name=f"novel share below {self.fail_factor:g}x the calibrated rate"),
                Condition("significant_excess", "lt", (self.warn_factor - 1) * r,
                          severity="warn",
                          name=f"no significant novel share above {self.warn_factor:g}x the "
                               "calibrated rate")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        return super().missing_needs(ctx) or needs_raw_rows(ctx)

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None
        columns = [c for c in ctx.reference.schema.with_role(*MODEL_INPUTS)
                   if c in ctx.data.schema]
        if not columns:
            return Evidence(_UNTESTED, "no feature shared by reference and current data")
        ref, _ = sample_rows(ctx.reference.frame[columns], self.max_rows, ctx.random_state)
        cur, note = sample_rows(ctx.data.frame[columns], self.max_rows, ctx.random_state)
        cur, coerced = numeric_as_in_reference(ctx, cur, drop_rows=False)
        note = "; ".join(n for n in (note, *coerced) if n)
        # detectors work on numbers: the same reference-fitted encoding the multivariate
        # tests use (standardised numbers, one-hot categories with an <other> bucket)
        encoder = TabularEncoder().fit(ref)
        detector = NOVELTY_DETECTORS.get(self.detector)(
            false_flag_rate=self.false_flag_rate, random_state=ctx.random_state)
        need = min_calibration_size(self.false_flag_rate)
        if round(len(ref) * 0.3) < need:
            return Evidence(_UNTESTED, (
                f"not tested: the reference has {len(ref)} rows; calibrating a "
                f"{self.false_flag_rate:g} false-flag rate needs {need} held-out rows, so at "
                f"least {int(need / 0.3) + 1} rows"))
        detector.fit(encoder.transform(ref, "reference"))
        result = detector.detect(encoder.transform(cur, "current"))
        n, k = len(cur), int(result.flags.sum())
        share = k / n
        p = float(stats.binomtest(k, n, result.expected_false_flag_rate,
                                  alternative="greater").pvalue)
        excess = share - result.expected_false_flag_rate
        metrics = {"novel_share": share, "n_novel": k, "p_value": p,
                   "expected_share": result.expected_false_flag_rate,
                   "excess_novel_share": excess,
                   "significant_excess": excess if p < self.alpha else 0.0}
        rows = tuple((int(t.get("index", -1)), round(float(t.get("score", 0.0)), 6))
                     for t in result.top)
        table = Table("Most unusual current rows", ("row", "novelty score"), rows)
        chart = Chart("bar", "Flagged share of rows",
                      {"labels": ["flagged"], "values": [share],
                       "reference_values": [result.expected_false_flag_rate]},
                      y_label="share of rows")
        summary = (f"{share:.2%} of current rows flagged novel by {self.detector} "
                   f"(calibrated rate {result.expected_false_flag_rate:.2%}, binomial "
                   f"p = {p:.3g})" + (f"; {note}" if note else ""))
        return Evidence(metrics, summary, (table,) if rows else (), (chart,))
