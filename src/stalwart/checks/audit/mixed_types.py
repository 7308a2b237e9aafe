"""Check: columns holding more than one kind of value (numbers and strings, scalars and lists)."""

from __future__ import annotations

from collections.abc import Sequence

from ...data.schema import Kind, Role
from ...quality.mixed_types import ColumnTypeMix, mixed_types
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["MixedTypes"]

_MAX_ROWS = 20


@register_check
class MixedTypes(Check):
    """Flag columns that mix kinds of values.

    A column mixing scalars with lists, dicts or arrays fails: a model cannot read it.
    Other mixes (numbers with strings, numeric-looking strings with words, booleans with
    numbers) warn once the minority kind reaches ``min_share`` of the column's values.
    In free-text columns every string counts as text, so a note reading "42" is no mix.
    """

    name = "mixed_types"
    title = "Mixed types"

    # 1 value in 10,000: a lone stray value in a huge column is more often a one-off glitch,
    # while from this rate on the pollution is systematic (a source that writes "unknown"
    # into a numeric field). Columns below it are still listed in the table.
    def __init__(self, *, columns: Sequence[str] | None = None, min_share: float = 1e-4,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.min_share = min_share
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_container_mix_columns", "eq", 0,
                          name="no column mixes scalars with lists, dicts or arrays"),
                Condition("n_mixed_columns", "eq", 0, severity="warn",
                          name=f"no column mixes kinds of values (minority share >= "
                               f"{self.min_share:g})")]

    def compute(self, ctx: CheckContext) -> Evidence:
        frame = ctx.data.frame
        names = ctx.columns(self.columns, default=list(frame.columns))
        schema = ctx.data.schema
        free_text = [c.name for c in schema if c.kind is Kind.TEXT or c.role is Role.TEXT]
        result = mixed_types(frame, names, text_columns=free_text)
        flagged = [c for c in result.columns
                   if c.mixes_containers or c.minority_share >= self.min_share]
        containers = [c for c in flagged if c.mixes_containers]
        metrics = {
            "n_columns_checked": result.n_columns_checked,
            "n_mixed_columns": len(flagged),
            "n_container_mix_columns": len(containers),
            "max_minority_share": max((c.minority_share for c in flagged), default=0.0),
            "n_unexamined_columns": len(result.unexamined),
        }
        tables = []
        if result.columns:
            rows = tuple((c.column, _tally(c), c.dominant, round(c.minority_share, 6),
                          c in flagged, _examples(c)) for c in result.columns[:_MAX_ROWS])
            tables.append(Table("Columns holding more than one kind of value",
                                ("column", "kinds", "dominant kind", "minority share",
                                 "flagged", "minority examples"),
                                rows, total_rows=len(result.columns)))
        if result.unexamined:
            tables.append(Table("Columns that could not be examined", ("column", "reason"),
                                tuple(result.unexamined[:_MAX_ROWS]),
                                total_rows=len(result.unexamined)))
        return Evidence(metrics, _summary(result.n_columns_checked, flagged, containers,
                                          result.unexamined), tuple(tables))


def _tally(c: ColumnTypeMix) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in c.counts.items())


def _examples(c: ColumnTypeMix) -> str:
    return "; ".join(f"{kind}: {ex['value']} (row {ex['row']})"
                     for kind, ex in c.examples.items())


def _summary(n_checked: int, flagged: list[ColumnTypeMix], containers: list[ColumnTypeMix],
             unexamined: tuple[tuple[str, str], ...]) -> str:
    tail = f"; {len(unexamined)} could not be examined" if unexamined else ""
    if not flagged:
        return f"no column of {n_checked} mixes kinds of values{tail}"
    worst = flagged[0]
    text = (f"{len(flagged)} of {n_checked} columns mix kinds of values; worst: {worst.column} "
            f"({_tally(worst)})")
    if containers:
        text += f"; {len(containers)} mix scalars with lists, dicts or arrays"
    return text + tail
