"""Check: features that look like identifiers (keys, row numbers, unique codes)."""

from __future__ import annotations

from collections.abc import Sequence

from ...quality.id_like_columns import IdLikeResult, id_like_columns
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["IdLikeColumns"]

_TOP = 20
_RULES = {"sequence": "whole numbers in a constant-step sequence",
          "dense_unique_integers": "distinct whole numbers over a dense range",
          "unique_strings": "distinct strings"}


@register_check
class IdLikeColumns(Check):
    """Warn about features that look like identifiers.

    A model can memorise an identifier but not generalise from it, and row numbers or
    auto-increment keys often encode time or the order of collection (a leak). Columns
    whose role is already ``id`` are not features and are not examined; to keep a
    flagged column out of training, give it the ``id`` (or ``ignore``) role.
    """

    name = "id_like_columns"
    title = "Identifier-like columns"

    # 99% distinct leaves room for a few re-used keys; a density of 0.25 means the values
    # fill a quarter of their range or more, as keys do even after filtering, while
    # measurements stored as integers (amounts in cents) are spread far thinner. 50 rows:
    # below that, all-distinct values are too common by chance to mean anything.
    def __init__(self, *, columns: Sequence[str] | None = None,
                 min_unique_share: float = 0.99, min_density: float = 0.25,
                 min_rows: int = 50, conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.min_unique_share = min_unique_share
        self.min_density = min_density
        self.min_rows = min_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_id_like_columns", "eq", 0, severity="warn",
                          name="no feature looks like an identifier")]

    def compute(self, ctx: CheckContext) -> Evidence:
        schema = ctx.data.schema
        names = ctx.columns(self.columns, default=schema.features)
        r = id_like_columns(ctx.data.frame, names, min_unique_share=self.min_unique_share,
                            min_density=self.min_density, min_rows=self.min_rows)
        metrics = {"n_columns": len(r.columns), "n_id_like_columns": len(r.flagged),
                   "n_unexamined_columns": len(r.not_examined),
                   "max_unique_share": max((c.unique_share for c in r.flagged), default=None)}
        return Evidence(metrics, _summary(r), _tables(r))


def _tables(r: IdLikeResult) -> tuple[Table, ...]:
    tables = []
    if r.flagged:
        rows = tuple((c.name, _RULES[c.rule], c.n_values, c.n_unique,
                      None if c.unique_share is None else round(c.unique_share, 6), c.step,
                      None if c.density is None else round(c.density, 6))
                     for c in r.flagged[:_TOP])
        tables.append(Table("Features that look like identifiers",
                            ("column", "why", "values", "distinct", "distinct share", "step",
                             "density"), rows, total_rows=len(r.flagged)))
    if r.not_examined:
        tables.append(Table("Columns that could not be examined", ("column", "reason"),
                            tuple((c.name, c.note) for c in r.not_examined[:_TOP]),
                            total_rows=len(r.not_examined)))
    return tuple(tables)


def _summary(r: IdLikeResult) -> str:
    tail = f"; {len(r.not_examined)} could not be examined" if r.not_examined else ""
    if not r.flagged:
        return f"no feature of {len(r.columns)} looks like an identifier{tail}"
    shown = ", ".join(f"{c.name} ({_RULES[c.rule]})" for c in r.flagged[:3])
    more = " ..." if len(r.flagged) > 3 else ""
    return f"{len(r.flagged)} of {len(r.columns)} features look like identifiers: {shown}{more}{tail}"
