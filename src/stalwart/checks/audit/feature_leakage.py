"""Check: a feature that alone predicts the target almost perfectly (target leakage)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...data.schema import Kind
from ...quality.feature_leakage import FeaturePowerResult, feature_power
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["FeatureLeakage"]

_MAX_ROWS = 20


@register_check
class FeatureLeakage(Check):
    """Score each feature's out-of-fold power to predict the target alone.

    The power is 0 for a feature no better than chance and 1 for a perfect one
    (classification: balanced accuracy rescaled above chance; regression: R²). A feature
    at or above ``threshold`` fails: real features rarely predict a target alone that
    well, a copy or a post-outcome column does. With reference (training) data, a feature
    whose power in the reference exceeds its power in the data by ``gap_threshold`` or more
    warns: it knew the answer in training only.
    """

    name = "feature_leakage"
    title = "Feature leakage"
    needs = frozenset({"target"})

    # 0.95: on scikit-learn's breast cancer, wine, iris and diabetes data the strongest
    # honest single feature scores 0.84 or less, while a target copy with noise or a
    # recoded target scores above 0.99. A gap of 0.25 is several times the sampling noise
    # of the power on a few thousand rows (about 0.03). Between 0.9 and 0.95 a feature
    # warns: above every honest feature measured, but within reach of a strong real one
    # (a target copy with N(0, 0.3) noise on a 0/1 target scores about 0.90).
    def __init__(self, *, threshold: float = 0.95, warn_threshold: float = 0.9,
                 gap_threshold: float = 0.25,
                 n_bins: int = 64, max_categories: int = 100, n_folds: int = 5,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.threshold = threshold
        self.warn_threshold = warn_threshold
        self.gap_threshold = gap_threshold
        self.n_bins = n_bins
        self.max_categories = max_categories
        self.n_folds = n_folds
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_leaky_features", "eq", 0,
                          name=f"no feature alone predicts the target with power >= "
                               f"{self.threshold:g}"),
                Condition("n_suspicious_features", "eq", 0, severity="warn",
                          name=f"no feature alone predicts the target with power >= "
                               f"{self.warn_threshold:g}"),
                Condition("n_gap_features", "eq", 0, severity="warn",
                          name=f"no feature is more predictive in the reference by >= "
                               f"{self.gap_threshold:g}")]

    def _score(self, ctx: CheckContext, frame: Any) -> FeaturePowerResult:
        schema = ctx.data.schema
        target = schema.target
        task = "regression" if schema[target].kind is Kind.NUMERIC else "classification"
        return feature_power(frame, target, schema.features, task=task, n_bins=self.n_bins,
                             max_categories=self.max_categories, n_folds=self.n_folds,
                             max_rows=ctx.max_rows_for_model_checks,
                             random_state=ctx.random_state)

    def compute(self, ctx: CheckContext) -> Evidence:
        current = self._score(ctx, ctx.data.frame)
        reference = None
        if ctx.reference is not None and ctx.reference.frame[ctx.data.target].notna().any():
            reference = self._score(ctx, ctx.reference.frame)
        powers = {f.feature: f.power for f in current.features if f.power is not None}
        ref_powers = ({} if reference is None else
                      {f.feature: f.power for f in reference.features if f.power is not None})
        gaps = {k: ref_powers[k] - powers[k] for k in powers if k in ref_powers}
        leaky = sorted({k for k, p in powers.items() if p >= self.threshold}
                       | {k for k, p in ref_powers.items() if p >= self.threshold})
        suspicious = sorted({k for k, p in powers.items() if p >= self.warn_threshold}
                            | {k for k, p in ref_powers.items() if p >= self.warn_threshold})
        gap_features = sorted(k for k, g in gaps.items() if g >= self.gap_threshold)
        unscored = [f for f in current.features if f.power is None]
        metrics: dict[str, Any] = {
            "n_rows_sampled": current.n_rows,
            "n_reference_rows_sampled": None if reference is None else reference.n_rows,
            "n_features_scored": len(powers),
            "n_features_unscored": len(unscored),
            "max_power": max(powers.values(), default=None),
            "max_power_reference": max(ref_powers.values(), default=None),
            "max_power_gap": max(gaps.values(), default=None),
            "n_leaky_features": len(leaky),
            "n_suspicious_features": len(suspicious),
            "n_gap_features": len(gap_features),
        }
        scored = [f for f in current.features if f.power is not None]
        rows = tuple((f.feature, round(f.power, 4), round(f.score, 4),
                      _round(ref_powers.get(f.feature)), _round(gaps.get(f.feature)),
                      f.feature in suspicious or f.feature in gap_features)
                     for f in scored[:_MAX_ROWS])
        tables = [Table(f"Single-feature power ({current.metric}, normalised; top {_MAX_ROWS})",
                        ("feature", "power", current.metric, "reference power",
                         "reference - data", "flagged"), rows, total_rows=len(scored))]
        only_ref = [k for k in leaky if k not in powers or powers[k] < self.threshold]
        if only_ref:
            tables.append(Table("Features leaky in the reference only",
                                ("feature", "reference power", "data power"),
                                tuple((k, _round(ref_powers[k]), _round(powers.get(k)))
                                      for k in only_ref[:_MAX_ROWS]), total_rows=len(only_ref)))
        if unscored:
            tables.append(Table("Features that could not be scored", ("feature", "reason"),
                                tuple((f.feature, f.reason) for f in unscored[:_MAX_ROWS]),
                                total_rows=len(unscored)))
        top = scored[:_MAX_ROWS]
        data: dict[str, Any] = {"labels": [f.feature for f in top],
                                "values": [round(f.power, 4) for f in top]}
        if reference is not None:
            data["reference_values"] = [_round(ref_powers.get(f.feature)) for f in top]
        charts = (Chart("bar", f"Power of each feature alone (top {_MAX_ROWS})", data,
                        x_label="feature", y_label="normalised power (0 = chance, 1 = perfect)"),)
        return Evidence(metrics, _summary(current, leaky or suspicious, gap_features, powers,
                                          ref_powers, gaps, self.threshold if leaky else
                                          self.warn_threshold, severe=bool(leaky)),
                        tuple(tables), charts)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _summary(current: FeaturePowerResult, leaky: list[str], gap_features: list[str],
             powers: dict[str, float], ref_powers: dict[str, float], gaps: dict[str, float],
             threshold: float, *, severe: bool = True) -> str:
    n = len(powers)
    if not powers:
        return "no feature could be scored"
    sample = f" (on {current.n_rows:,} rows)"
    if leaky:
        worst = max(leaky, key=lambda k: max(powers.get(k, 0.0), ref_powers.get(k, 0.0)))
        where = "" if powers.get(worst, 0.0) >= threshold else " in the reference"
        value = powers.get(worst, 0.0) if not where else ref_powers[worst]
        how = "almost perfectly" if severe else "suspiciously well"
        text = (f"{len(leaky)} of {n} features alone predict the target {how} "
                f"(power >= {threshold:g}); worst: {worst} power {value:.3f}{where}")
    else:
        best = max(powers, key=lambda k: powers[k])
        text = f"no feature alone predicts the target near-perfectly; strongest: {best} " \
               f"power {powers[best]:.3f}"
    if gap_features:
        worst_gap = max(gap_features, key=lambda k: gaps[k])
        text += (f"; {len(gap_features)} far more predictive in the reference (worst: "
                 f"{worst_gap} {ref_powers[worst_gap]:.3f} vs {powers[worst_gap]:.3f})")
    return text + sample
