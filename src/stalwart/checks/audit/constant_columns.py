"""Check: constant and near-constant feature columns."""

from __future__ import annotations

from collections.abc import Sequence

from ...quality.constant_columns import ConstantColumnsResult, constant_columns
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["ConstantColumns"]

_TOP = 20


@register_check
class ConstantColumns(Check):
    """Flag features that hold one value (fail) or almost only one value (warn).

    A feature is near-constant when its commonest value (missing counts as a value)
    covers at least ``threshold`` of the rows. A two-valued feature whose rarer value
    appears in at least ``rare_flag_min_rows`` rows is a *rare flag* (fraud, churn or
    defect markers): listed in the table, not counted as near-constant.
    """

    name = "constant_columns"
    title = "Constant and near-constant columns"

    # 0.99 (caret's nearZeroVar flags from 95/5) keeps any value held by 1% of rows;
    # below that a column is worth a look. 100 rows is the rare-flag floor: with 100
    # positives a rate is known to about +-10% of itself and a tree can split on it, so a
    # 0.5% fraud flag on 20,000 rows is a signal, not a near-constant.
    def __init__(self, *, columns: Sequence[str] | None = None, threshold: float = 0.99,
                 rare_flag_min_rows: int = 100,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.threshold = threshold
        self.rare_flag_min_rows = rare_flag_min_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_constant_columns", "eq", 0, name="no feature is constant"),
                Condition("n_near_constant_columns", "eq", 0, severity="warn",
                          name=f"no feature has one value in {self.threshold:.0%} or more "
                               f"of its rows")]

    def compute(self, ctx: CheckContext) -> Evidence:
        schema = ctx.data.schema
        names = ctx.columns(self.columns, default=schema.features)
        r = constant_columns(ctx.data.frame, names, threshold=self.threshold,
                             rare_flag_min_rows=self.rare_flag_min_rows)
        shares = [c.dominant_share for c in r.columns
                  if c.status not in ("constant", "not_examined") and c.dominant_share is not None]
        metrics = {
            "n_columns": len(r.columns),
            "n_constant_columns": len(r.with_status("constant")),
            "n_near_constant_columns": len(r.with_status("near_constant")),
            "n_rare_flag_columns": len(r.with_status("rare_flag")),
            "n_unexamined_columns": len(r.with_status("not_examined")),
            "max_dominant_share": max(shares, default=None),
        }
        return Evidence(metrics, _summary(r), _tables(r))


def _tables(r: ConstantColumnsResult) -> tuple[Table, ...]:
    tables = []
    flagged = r.flagged
    if flagged:
        rows = tuple((c.name, c.status.replace("_", " "), _short(c.dominant_value),
                      round(c.dominant_share or 0.0, 6), c.n_other_rows, c.n_distinct)
                     for c in flagged[:_TOP])
        tables.append(Table("Constant and near-constant columns",
                            ("column", "status", "dominant value", "dominant share",
                             "rows with other values", "distinct values"),
                            rows, total_rows=len(flagged)))
    skipped = r.with_status("not_examined")
    if skipped:
        tables.append(Table("Columns that could not be examined", ("column", "reason"),
                            tuple((c.name, c.note) for c in skipped[:_TOP]),
                            total_rows=len(skipped)))
    return tuple(tables)


def _short(v: object) -> str:
    text = str(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _summary(r: ConstantColumnsResult) -> str:
    const, near = r.with_status("constant"), r.with_status("near_constant")
    flags, skipped = r.with_status("rare_flag"), r.with_status("not_examined")
    parts = []
    if const:
        parts.append(f"{len(const)} constant ({', '.join(c.name for c in const[:5])}"
                     f"{' ...' if len(const) > 5 else ''})")
    if near:
        worst = max(near, key=lambda c: c.dominant_share or 0.0)
        parts.append(f"{len(near)} near-constant (worst: {worst.name}, "
                     f"{worst.dominant_share:.2%} {_short(worst.dominant_value)})")
    text = (f"{' and '.join(parts)} of {len(r.columns)} features" if parts
            else f"no constant or near-constant feature among {len(r.columns)}")
    if flags:
        text += f"; {len(flags)} rare two-valued flag(s) kept: {', '.join(c.name for c in flags[:5])}"
    if skipped:
        text += f"; {len(skipped)} could not be examined"
    return text
