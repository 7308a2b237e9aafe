"""Check: k-anonymity of the table on declared quasi-identifiers."""

from __future__ import annotations

from collections.abc import Sequence

from ...privacy.kanonymity import k_anonymity
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["KAnonymity"]

_MAX_ROWS = 20


@register_check
class KAnonymity(Check):
    """Every combination of the declared quasi-identifiers is shared by at least ``k`` rows.

    Quasi-identifiers (age, postcode, sex...) are not inferred: they depend on what an
    attacker may know, so they are declared (``quasi_identifiers=[...]``); without them the
    check is skipped, saying so. Violating classes are listed with masked values.
    """

    name = "k_anonymity"
    title = "k-anonymity on quasi-identifiers"
    category = "privacy"
    required_options = ("quasi_identifiers",)

    def __init__(self, *, quasi_identifiers: Sequence[str] | None = None, k: int = 5,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.quasi_identifiers = quasi_identifiers
        self.k = k
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("k", "ge", self.k, name=f"k-anonymity k >= {self.k}")]

    def compute(self, ctx: CheckContext) -> Evidence:
        qi = ctx.columns(self.quasi_identifiers, default=())
        r = k_anonymity(ctx.data.frame, qi, target_k=self.k)
        share = r.n_rows_violating / r.n_rows if r.n_rows else 0.0
        metrics = {"k": r.k, "n_classes": r.n_classes, "n_rows_violating": r.n_rows_violating,
                   "share_rows_violating": share}
        tables, charts = [], []
        if r.violating:
            rows = tuple((", ".join(f"{q}={v}" for q, v in values.items()), size)
                         for values, size in r.violating[:_MAX_ROWS])
            tables.append(Table(f"Classes smaller than k={self.k} (values masked)",
                                ("quasi-identifiers", "rows"), rows,
                                total_rows=sum(n for s, n in r.class_sizes.items()
                                               if s < self.k)))
        if r.class_sizes:
            charts.append(Chart("bar", "Equivalence classes by size",
                                {"labels": [str(s) for s in r.class_sizes],
                                 "values": list(r.class_sizes.values())},
                                x_label="class size (rows)", y_label="classes"))
        summary = (f"k = {r.k} on {', '.join(qi)}: {r.n_classes} classes, "
                   f"{r.n_rows_violating} rows ({share:.1%}) in classes below {self.k}")
        return Evidence(metrics, summary, tuple(tables), tuple(charts))
