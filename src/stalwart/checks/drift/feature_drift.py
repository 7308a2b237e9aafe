"""Check: per-feature drift between reference and current data, with effect sizes.

Each column gets the test the drift engine picks for its kind and size (recorded with the
reason), p-values adjusted across columns, and an effect size; a column drifts only when
both say so (see :mod:`stalwart.drift.univariate`). The evidence shows the reference and
current distribution of every compared feature, drifted ones first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...drift.univariate import ColumnDrift, detect_drift
from ...data import Role
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._inputs import PROFILES, TARGET, compared_sides

__all__ = ["FeatureDrift", "MODEL_INPUTS"]

#: roles whose columns the drift checks compare
MODEL_INPUTS = (Role.FEATURE, Role.TEXT, Role.SENSITIVE)


@register_check
class FeatureDrift(Check):
    """Univariate drift of every feature the reference and the current data share.

    Warns when any feature drifted; fails when at least ``max_drifted_share`` of them did
    (the data set as a whole has moved). Columns the engine could not test (missing from
    current data, all missing, a type no test supports) are listed with the reason.
    """

    name = "feature_drift"
    title = "Feature drift"
    category = "drift"
    needs = frozenset({"reference"})

    # half of the features at once is Evidently's dataset-drift default and a fair reading
    # of "the data moved", not "a feature moved"; a single drifted feature is worth a look
    # (warn), since the effect-size gate already keeps harmless changes out
    def __init__(self, *, columns: Sequence[str] | None = None, method: str = "auto",
                 correction: str = "bh", alpha: float = 0.05,
                 thresholds: Mapping[str, float] | None = None,
                 max_drifted_share: float = 0.5, max_charts: int = 40,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.method = method
        self.correction = correction
        self.alpha = alpha
        self.thresholds = thresholds
        self.max_drifted_share = max_drifted_share
        self.max_charts = max_charts
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("share_drifted", "lt", self.max_drifted_share,
                          name=f"less than {self.max_drifted_share:.0%} of the features drifted"),
                Condition("n_drifted", "eq", 0, severity="warn", name="no feature drifted")]

    def compute(self, ctx: CheckContext) -> Evidence:
        reference, current = compared_sides(ctx)
        columns = self._columns(ctx)
        report = ctx.cached("drift:univariate", lambda: detect_drift(
            reference, current, columns=columns, method=self.method,
            correction=self.correction, alpha=self.alpha, thresholds=self.thresholds))
        tested = [c for c in report.columns if c.tested]
        drifted = [c for c in report.columns if c.drifted]
        untested = [c for c in report.columns if not c.tested]
        metrics: dict[str, Any] = {
            "n_columns": len(report.columns), "n_tested": len(tested),
            "n_drifted": len(drifted),
            "share_drifted": len(drifted) / len(tested) if tested else None,
            "max_effect_size": max((c.effect_size for c in tested
                                    if c.effect_size is not None), default=None),
            "n_untested": len(untested)}
        ordered = sorted(report.columns, key=_order)
        table = Table("Per-feature drift", (
            "column", "kind", "method", "statistic", "p-value", "adjusted p", "effect",
            "effect size", "threshold", "drifted", "note"), tuple(
            (c.column, c.kind, c.method, _round(c.statistic), _round(c.p_value),
             _round(c.adjusted_p_value), c.effect_name, _round(c.effect_size),
             _round(c.effect_threshold), "yes" if c.drifted else "no",
             (c.reason + ("; " + c.note if c.note else "")).strip("; "))
            for c in ordered))
        charts = tuple(chart for c in ordered[: self.max_charts]
                       if (chart := distribution_chart(c.column, c.drifted, c.reference_hist,
                                                       c.current_hist)) is not None)
        mode = ("from profiles (approximate, see the error bounds)"
                if ctx.cache.get(PROFILES) is not None else "on raw data")
        names = ", ".join(c.column for c in drifted[:8]) + ("..." if len(drifted) > 8 else "")
        summary = (f"{len(drifted)} of {len(tested)} features drifted {mode}"
                   + (f": {names}" if drifted else "")
                   + (f"; {len(untested)} not tested (see notes)" if untested else ""))
        if metrics["share_drifted"] is None:
            metrics.pop("share_drifted")
            metrics.pop("n_drifted")
        return Evidence(metrics, summary, (table,), charts)

    def _columns(self, ctx: CheckContext) -> list[str] | None:
        if self.columns is not None:
            return list(self.columns)
        profiles = ctx.cache.get(PROFILES)
        if profiles is not None:
            return [c for c in profiles[0].columns if c != ctx.cache.get(TARGET)]
        assert ctx.reference is not None
        # the reference decides what should be there: a feature missing from current data
        # is reported by the engine, a new one by the schema-changes check; text and
        # sensitive columns are inputs too (the target has its own check, label_drift)
        return ctx.reference.schema.with_role(*MODEL_INPUTS)


def _order(c: ColumnDrift) -> tuple[int, float]:
    return (0 if c.drifted else 1, -(c.effect_size or 0.0))


def _round(value: Any) -> Any:
    return None if value is None else round(float(value), 6)


def distribution_chart(column: str, drifted: bool, ref: Mapping[str, Any] | None,
                       cur: Mapping[str, Any] | None) -> Chart | None:
    """Reference vs current shares of one column, from the drift engine's own binning."""
    if not ref or not cur:
        return None
    title = f"{column}: reference vs current" + (" (drifted)" if drifted else "")
    if "edges" in cur:
        return Chart("histogram", title, {"edges": list(cur["edges"]),
                                          "counts": _shares(cur["counts"]),
                                          "reference_counts": _shares(ref["counts"])},
                     x_label=column, y_label="share of rows")
    return Chart("bar", title, {"labels": [str(v) for v in cur["categories"]],
                                "values": _shares(cur["counts"]),
                                "reference_values": _shares(ref["counts"])},
                 x_label=column, y_label="share of rows")


def _shares(counts: Sequence[float]) -> list[float]:
    total = float(sum(counts))
    return [float(v) / total if total else 0.0 for v in counts]
