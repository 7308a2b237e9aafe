"""Check: did the model's outputs move? Black-box shift detection on its predictions.

The model's outputs summarise the features that matter to it, so a shift there is a shift
that can change decisions (Lipton et al. 2018; Rabanser et al. 2019). See
:class:`stalwart.drift.multivariate.BBSDDrift`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...drift.multivariate import BBSDDrift
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..evaluation._common import features_of
from ..result import Evidence, Table
from ._inputs import needs_raw_rows, numeric_as_in_reference
from ._sample import sample_rows

__all__ = ["PredictionDrift"]


@register_check
class PredictionDrift(Check):
    """Kolmogorov-Smirnov tests of each model output (class probability, or the
    prediction of a regressor) on reference vs current rows, Bonferroni-corrected.
    Warns when the outputs moved (corrected p-value below ``alpha``)."""

    name = "prediction_drift"
    title = "Prediction drift"
    category = "drift"
    needs = frozenset({"reference", "model"})

    def __init__(self, *, alpha: float = 0.05, max_rows: int = 200_000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.alpha = alpha
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("p_value", "ge", self.alpha, severity="warn",
                          name="model outputs did not move")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        return super().missing_needs(ctx) or needs_raw_rows(ctx)

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None
        columns = features_of(ctx, ctx.data)
        ref, _ = sample_rows(ctx.reference.frame[columns], self.max_rows, ctx.random_state)
        cur, _ = sample_rows(ctx.data.frame[columns], self.max_rows, ctx.random_state)
        cur, dropped = numeric_as_in_reference(ctx, cur, drop_rows=True)
        result = BBSDDrift(ctx.model, alpha=self.alpha).fit(ref).detect(cur)
        outputs = result.details.get("outputs", [])
        rows = tuple((o.get("output"), _r(o.get("statistic")), _r(o.get("p_value")))
                     for o in outputs)
        tables = (Table("Per-output Kolmogorov-Smirnov tests",
                        ("output", "KS statistic", "p-value"), rows),) if rows else ()
        summary = (f"model outputs {'moved' if result.drifted else 'did not move'}: largest "
                   f"KS statistic {result.statistic:.3f}, Bonferroni p = {result.p_value:.3g}"
                   + "".join(f"; {n}" for n in dropped))
        return Evidence({"statistic": result.statistic, "p_value": result.p_value},
                        summary, tables)


def _r(value: object) -> object:
    return None if value is None else round(float(value), 6)  # type: ignore[arg-type]
