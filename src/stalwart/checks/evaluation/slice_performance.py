"""Check: the model's performance on each group of the sensitive (or chosen) columns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, mean_absolute_error, recall_score

from ...slicing import metric_frame
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._common import model_outputs

__all__ = ["SlicePerformance"]

_TOP = 30


def _macro_recall(y, p):
    return recall_score(y, p, average="macro", zero_division=0)


@register_check
class SlicePerformance(Check):
    """Recall (macro-averaged) and accuracy for classifiers, MAE for regressors, overall
    and on every group of ``columns`` (default: the schema's sensitive columns; numeric
    columns are cut into ``n_bins`` quantile bins).

    ``worst_group_gap`` is how far the worst group with at least ``min_group_size`` rows
    falls behind the whole data on the main metric (recall, or MAE); warns above
    ``max_gap``. Smaller groups are shown but not judged: their values are noise.
    """

    name = "slice_performance"
    title = "Performance by group"
    category = "model"
    needs = frozenset({"model", "target"})

    # 30 rows keeps the standard error of a group's recall under about 0.09; a 0.1 gap is
    # the usual "four-fifths"-scale disparity worth a person's look.
    def __init__(self, *, columns: Sequence[str] | None = None, max_gap: float = 0.1,
                 min_group_size: int = 30, n_bins: int = 5,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.max_gap = max_gap
        self.min_group_size = min_group_size
        self.n_bins = n_bins
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("worst_group_gap", "le", self.max_gap, severity="warn",
                          name=f"the worst group is within {self.max_gap:g} of overall")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and self.columns is None and not ctx.data.schema.sensitive:
            missing.append("sensitive columns (declare them in the schema or pass columns=)")
        return missing

    def compute(self, ctx: CheckContext) -> Evidence:
        columns = ctx.columns(self.columns, default=ctx.data.schema.sensitive)
        out = model_outputs(ctx)
        by = ctx.data.frame.loc[out.X.index, columns].reset_index(drop=True)
        if out.task == "classification":
            funcs = {"recall": _macro_recall, "accuracy": accuracy_score}
            gib, main = True, "recall"
        else:
            funcs = {"mae": mean_absolute_error}
            gib, main = False, "mae"
        mf = metric_frame(out.y, out.pred, by=by, metrics=funcs, greater_is_better=gib,
                          n_bins=self.n_bins, min_group_size=self.min_group_size)
        overall = mf.overall[main]
        judged = [g for g in mf.groups if g.size >= self.min_group_size
                  and np.isfinite(g.values[main])]
        if judged:
            vals = np.array([g.values[main] for g in judged])
            worst = judged[int(np.argmin(vals) if gib else np.argmax(vals))]
            gap = (overall - worst.values[main]) if gib else (worst.values[main] - overall)
            gap, worst_key = float(gap), " & ".join(worst.key)
        else:
            gap, worst_key = None, None
        metrics = {f"overall_{k}": v for k, v in mf.overall.items()}
        metrics.update({"worst_group_gap": gap, "worst_group": worst_key,
                        "n_groups": len(mf.groups), "n_small_groups": len(mf.small_groups)})
        ordered = sorted(mf.groups, key=lambda g: g.values[main] if gib else -g.values[main])
        rows = tuple((" & ".join(g.key), g.size,
                      *(round(g.values[k], 6) for k in funcs),
                      "yes" if g.size < self.min_group_size else "")
                     for g in ordered[:_TOP])
        table = Table(f"Groups of {', '.join(columns)}, worst {main} first",
                      ("group", "rows", *funcs, "too small to judge"), rows,
                      total_rows=len(ordered))
        chart = Chart("bar", f"{main} by group",
                      {"labels": [r[0] for r in rows], "values": [r[2] for r in rows],
                       "overall": overall}, x_label="group", y_label=main)
        if gap is None:
            summary = (f"no group of {', '.join(columns)} has {self.min_group_size} rows; "
                       f"overall {main} {overall:.3f}")
        else:
            summary = (f"{main} {overall:.3f} overall; worst group {worst_key!r} "
                       f"{worst.values[main]:.3f} (gap {gap:.3f}) over {len(mf.groups)} groups "
                       f"of {', '.join(columns)}")
        return Evidence(metrics, summary, (table,), (chart,))
