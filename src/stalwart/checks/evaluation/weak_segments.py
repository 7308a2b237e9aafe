"""Check: slices of the features where the model's loss is significantly higher."""

from __future__ import annotations

from collections.abc import Sequence

from ...slicing import find_weak_segments, row_loss
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._common import model_outputs

__all__ = ["WeakSegments"]

_TOP = 20


@register_check
class WeakSegments(Check):
    """Search single slices and pairs of slices of the features (numeric columns cut into
    ``n_bins`` quantile bins) for a loss significantly above the rest's: the 0/1 error for
    classifiers (Fisher's exact test), the absolute error for regressors (Welch's t-test),
    corrected together over every candidate (Holm). Warns when a slice of at least
    ``min_size`` rows is found whose loss exceeds the rest's by ``min_effect`` or more.
    """

    name = "weak_segments"
    title = "Weak segments"
    category = "model"
    needs = frozenset({"model", "target"})

    # min_effect 0.1 (ten points more error than elsewhere, or 0.1 target units of MAE
    # when the target is scaled) keeps the check on slices worth acting on: any model
    # errs more where the classes overlap, and that alone should not raise a warning.
    def __init__(self, *, columns: Sequence[str] | None = None, n_bins: int = 5,
                 max_order: int = 2, min_size: int = 30, min_effect: float = 0.1,
                 alpha: float = 0.05, conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.n_bins = n_bins
        self.max_order = max_order
        self.min_size = min_size
        self.min_effect = min_effect
        self.alpha = alpha
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_weak_segments", "eq", 0, severity="warn",
                          name="no slice of the data is significantly weaker than the rest")]

    def compute(self, ctx: CheckContext) -> Evidence:
        out = model_outputs(ctx)
        columns = ctx.columns(self.columns, default=list(out.X.columns))
        kind = "error" if out.task == "classification" else "absolute"
        loss = row_loss(out.y, y_pred=out.pred, kind=kind)
        found = find_weak_segments(ctx.data.frame.loc[out.X.index, columns], loss,
                                   n_bins=self.n_bins, max_order=self.max_order,
                                   min_size=self.min_size, min_effect=self.min_effect,
                                   alpha=self.alpha)
        segs = found.segments
        metrics = {"n_weak_segments": len(segs), "n_candidates": found.n_candidates,
                   "overall_loss": found.overall_loss,
                   "worst_segment_effect": max((s.effect for s in segs), default=None),
                   "worst_segment": " & ".join(segs[0].conditions) if segs else None}
        rows = tuple((" & ".join(s.conditions), s.size, round(s.slice_loss, 6),
                      round(s.rest_loss, 6), round(s.effect, 6), float(f"{s.adjusted_p_value:.4g}"))
                     for s in segs[:_TOP])
        loss_name = "error rate" if kind == "error" else "mean absolute error"
        table = Table(f"Weak segments ({loss_name}, Holm-corrected)",
                      ("segment", "rows", "slice loss", "rest loss", "effect",
                       "adjusted p"), rows, total_rows=len(segs))
        charts = ()
        if segs:
            charts = (Chart("bar", f"{loss_name} in the weak segments",
                            {"labels": [r[0] for r in rows], "values": [r[2] for r in rows],
                             "reference_values": [r[3] for r in rows]},
                            x_label="segment", y_label=loss_name),)
        if segs:
            s = segs[0]
            summary = (f"{len(segs)} weak segment(s) among {found.n_candidates} candidates; "
                       f"worst {' & '.join(s.conditions)} ({s.size} rows) {loss_name} "
                       f"{s.slice_loss:.3f} against {s.rest_loss:.3f} elsewhere")
        else:
            summary = (f"no weak segment among {found.n_candidates} candidates "
                       f"(overall {loss_name} {found.overall_loss:.3f})")
        return Evidence(metrics, summary, (table,), charts)
