"""Check: class counts and shares of a classification target, and their shift."""

from __future__ import annotations

from collections.abc import Sequence

from ...data.schema import Kind
from ...quality.class_imbalance import ClassBalanceResult, class_balance
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["ClassImbalance", "regression_target_reason"]

_TOP = 20


def regression_target_reason(ctx: CheckContext) -> str | None:
    """Why the target is not a class label, as a 'needs' phrase; ``None`` when it is one."""
    target = ctx.data.target
    if target is None:
        return None
    spec = ctx.data.schema[target]
    if spec.kind in (Kind.NUMERIC, Kind.DATETIME):
        n_values = int(ctx.data.frame[target].nunique())
        return (f"a classification target ({target!r} is {spec.kind.value} with {n_values} "
                f"distinct values, a regression target; declare its kind 'categorical' if "
                f"it holds class labels)")
    return None


@register_check
class ClassImbalance(Check):
    """Report class counts and shares; with reference data, how the shares moved.

    Fails when the target has a single class or a class with fewer than
    ``min_class_rows`` rows (a model cannot learn it, and stratified cross-validation
    breaks); warns when the majority class outnumbers the minority more than
    ``max_imbalance_ratio`` times, and when the class shares moved by more than
    ``max_total_variation`` (half the L1 distance) from the reference. Regression
    targets are skipped.
    """

    name = "class_imbalance"
    title = "Class imbalance"
    needs = frozenset({"target"})

    # 10 rows per class: fewer and 5-fold stratified CV has folds without the class, and
    # no estimate of the class's error is worth reading. A 10:1 ratio is where accuracy
    # stops meaning much and class weights or resampling are usually needed. A 0.1 total
    # variation is a label shift that moves a tenth of the mass between classes.
    def __init__(self, *, min_class_rows: int = 10, max_imbalance_ratio: float = 10.0,
                 max_total_variation: float = 0.1,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.min_class_rows = min_class_rows
        self.max_imbalance_ratio = max_imbalance_ratio
        self.max_total_variation = max_total_variation
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_classes", "ge", 2, name="the target has at least two classes"),
                Condition("n_rare_classes", "eq", 0,
                          name=f"every class has at least {self.min_class_rows} rows"),
                Condition("imbalance_ratio", "le", self.max_imbalance_ratio, severity="warn",
                          name=f"the majority class is at most {self.max_imbalance_ratio:g} "
                               f"times the minority class"),
                Condition("class_share_total_variation", "le", self.max_total_variation,
                          severity="warn",
                          name=f"class shares moved by at most {self.max_total_variation:g} "
                               f"(total variation) from the reference")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        reason = None if missing else regression_target_reason(ctx)
        return missing + ([reason] if reason else [])

    def compute(self, ctx: CheckContext) -> Evidence:
        target = ctx.data.target
        ref = None
        if ctx.reference is not None and target in ctx.reference.frame.columns:
            ref = ctx.reference.frame[target]
        r = class_balance(ctx.data.frame[target], reference=ref,
                          min_class_rows=self.min_class_rows)
        present = r.present
        metrics = {"n_rows": r.n_rows, "n_missing_labels": r.n_missing,
                   "n_classes": len(present), "imbalance_ratio": r.imbalance_ratio,
                   "minority_share": r.minority_share,
                   "majority_share": max(present) / r.n_rows if present else None,
                   "n_rare_classes": len(r.rare_classes),
                   "max_class_share_shift": r.max_share_shift,
                   "class_share_total_variation": r.total_variation}
        return Evidence(metrics, _summary(r, target), _tables(r), _charts(r))


def _tables(r: ClassBalanceResult) -> tuple[Table, ...]:
    ref = r.reference_shares
    cols = ("class", "rows", "share") + (("reference share", "change") if ref else ())
    rows = []
    for i, (k, n, s) in enumerate(zip(r.classes, r.counts, r.shares)):
        row = (k, n, round(s, 6))
        if ref:
            row += (round(ref[i], 6), round(s - ref[i], 6))
        rows.append(row)
    # the largest classes, then any rare ones that fell past the cut
    shown = rows[:_TOP] + [row for row in rows[_TOP:] if row[0] in r.rare_classes][:_TOP]
    return (Table("Classes", cols, tuple(shown), total_rows=len(rows)),)


def _charts(r: ClassBalanceResult) -> tuple[Chart, ...]:
    data = {"labels": [str(k) for k in r.classes[:_TOP]], "values": list(r.counts[:_TOP])}
    if r.reference_shares is not None:
        # the reference's shares scaled to this data's size, so both bars read as counts
        data["reference_values"] = [round(s * r.n_rows, 3) for s in r.reference_shares[:_TOP]]
    return (Chart("bar", "Rows per class", data, x_label="class", y_label="rows"),)


def _summary(r: ClassBalanceResult, target: str) -> str:
    present = r.present
    if not present:
        return f"no labelled rows in {target!r}"
    if len(present) == 1:
        return f"{target!r} has a single class ({r.classes[0]!r}, {r.n_rows} rows)"
    minority = min(range(len(r.counts)), key=lambda i: r.counts[i] if r.counts[i] else 1e18)
    text = (f"{len(present)} classes in {target!r}; majority {r.classes[0]!r} "
            f"{r.shares[0]:.1%}, minority {r.classes[minority]!r} {r.shares[minority]:.1%} "
            f"(ratio {r.imbalance_ratio:.1f}:1)")
    if r.rare_classes:
        text += (f"; {len(r.rare_classes)} class(es) with fewer than {r.min_class_rows} rows: "
                 + ", ".join(repr(k) for k in r.rare_classes[:5]))
    if r.total_variation is not None:
        text += f"; class shares moved {r.total_variation:.1%} from the reference"
    return text
