"""Check: l-diversity of a sensitive column within the quasi-identifier classes."""

from __future__ import annotations

from collections.abc import Sequence

from ...privacy.kanonymity import l_diversity
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["LDiversity"]


@register_check
class LDiversity(Check):
    """Each quasi-identifier class holds at least ``l`` distinct values of the sensitive
    column (distinct l-diversity); the entropy l-diversity is reported alongside.

    Needs declared ``quasi_identifiers``; the sensitive column is ``sensitive`` or else the
    schema's only sensitive column. Without them the check is skipped, saying so.
    """

    name = "l_diversity"
    title = "l-diversity of a sensitive column"
    category = "privacy"
    required_options = ("quasi_identifiers",)

    def __init__(self, *, quasi_identifiers: Sequence[str] | None = None,
                 sensitive: str | None = None, l: int = 2,  # noqa: E741 - the method's name
                 conditions: Sequence[Condition] | None = None) -> None:
        self.quasi_identifiers = quasi_identifiers
        self.sensitive = sensitive
        self.l = l  # noqa: E741
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("distinct_l", "ge", self.l, name=f"distinct l-diversity >= {self.l}")]

    def compute(self, ctx: CheckContext) -> Evidence:
        empty = {"distinct_l": None, "entropy_l": None, "n_classes_violating": None}
        qi = ctx.columns(self.quasi_identifiers, default=())
        sensitive = self.sensitive
        if sensitive is None:
            declared = [c for c in ctx.data.schema.sensitive if c not in qi]
            if len(declared) != 1:
                return Evidence(empty, "not run: no sensitive column given (pass sensitive=...)"
                                if not declared else f"not run: several sensitive columns "
                                f"{declared[:5]}; pass sensitive=... to pick one")
            sensitive = declared[0]
        sensitive = ctx.columns([sensitive], default=())[0]
        r = l_diversity(ctx.data.frame, qi, sensitive, target_l=self.l)
        metrics = {"distinct_l": r.distinct_l, "entropy_l": r.entropy_l,
                   "n_classes_violating": r.n_classes_violating}
        tables = []
        if r.worst:
            rows = tuple((", ".join(f"{q}={v}" for q, v in w["values"].items()), w["size"],
                          w["distinct"], round(w["entropy_l"], 3)) for w in r.worst)
            tables.append(Table(f"Least diverse classes of {sensitive!r} (values masked)",
                                ("quasi-identifiers", "rows", "distinct values", "entropy l"),
                                rows, total_rows=r.n_classes))
        summary = (f"distinct l = {r.distinct_l}, entropy l = {r.entropy_l:.3g} for "
                   f"{sensitive!r} over {r.n_classes} classes; {r.n_classes_violating} below "
                   f"l={self.l}") if r.n_classes else "no rows: l-diversity is undefined"
        return Evidence(metrics, summary, tuple(tables))
