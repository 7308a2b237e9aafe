"""Check: exact and near-duplicate rows over the features and the target."""

from __future__ import annotations

from collections.abc import Sequence

from ...quality.duplicates import DuplicateGroup, duplicates, near_duplicate_hashes
from ...quality.rowhash import row_hashes
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["Duplicates"]

_TOP = 20


@register_check
class Duplicates(Check):
    """Count rows that repeat an earlier row, exactly or once normalised.

    Rows are compared over the features and the target (ids and timestamps are left out,
    so one record loaded twice under two ids is still caught). Near duplicates match
    after lower-casing and trimming strings and rounding numbers to
    ``significant_digits`` significant digits; they are counted apart from exact ones.
    """

    name = "duplicates"
    title = "Duplicate rows"

    # Warn from 1% duplicated rows (a few repeats are normal in tables with few,
    # coarse columns); fail from 10%: repeats that common over-weight some rows and leak
    # between cross-validation folds, so validation scores come out too high.
    # 6 significant digits catch float noise and CSV round trips without merging rows
    # that differ in a real measurement; lower it to catch re-typed or re-measured rows.
    def __init__(self, *, significant_digits: int = 6, warn_share: float = 0.01,
                 fail_share: float = 0.10,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.significant_digits = significant_digits
        self.warn_share = warn_share
        self.fail_share = fail_share
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("duplicate_share", "le", self.fail_share,
                          name=f"at most {self.fail_share:.0%} of rows are exact duplicates"),
                Condition("duplicate_share", "le", self.warn_share, severity="warn",
                          name=f"at most {self.warn_share:.0%} of rows are exact duplicates"),
                Condition("near_duplicate_share", "le", self.warn_share, severity="warn",
                          name=f"at most {self.warn_share:.0%} of rows are near duplicates")]

    def compute(self, ctx: CheckContext) -> Evidence:
        data = ctx.data
        cols = data.features + ([data.target] if data.target is not None else [])
        key = "features+target" if data.target is not None else "features"
        if not cols:
            metrics = {"n_rows": data.n_rows, "n_columns": 0, "n_duplicate_rows": None,
                       "duplicate_share": None, "n_near_duplicate_rows": None,
                       "near_duplicate_share": None, "n_duplicate_groups": None}
            return Evidence(metrics, "not examined: the data has no feature or target column")

        hashes = ctx.cached(f"row_hashes:{key}", lambda: row_hashes(data.frame, cols))
        near = ctx.cached(f"near_row_hashes:{key}:{self.significant_digits}",
                          lambda: near_duplicate_hashes(data.frame, cols,
                                                        significant_digits=self.significant_digits))
        r = duplicates(data.frame, cols, significant_digits=self.significant_digits,
                       hashes=hashes, near_hashes=near, top_groups=_TOP)
        metrics = {"n_rows": r.n_rows, "n_columns": len(cols),
                   "n_duplicate_rows": r.n_duplicate_rows, "duplicate_share": r.duplicate_share,
                   "n_duplicate_groups": r.n_duplicate_groups,
                   "n_near_duplicate_rows": r.n_near_duplicate_rows,
                   "near_duplicate_share": r.near_duplicate_share,
                   "n_near_duplicate_groups": r.n_near_duplicate_groups,
                   "largest_group_size": r.groups[0].size if r.groups else 0}
        tables = []
        if r.groups:
            tables.append(_table("Largest groups of exact duplicates", r.groups,
                                 r.n_duplicate_groups))
        if r.near_groups:
            tables.append(_table("Largest groups of near duplicates (not exact)", r.near_groups,
                                 r.n_near_duplicate_groups))
        return Evidence(metrics, _summary(r.n_rows, r.n_duplicate_rows, r.n_duplicate_groups,
                                          r.n_near_duplicate_rows, r.groups), tuple(tables))


def _table(title: str, groups: tuple[DuplicateGroup, ...], total: int) -> Table:
    rows = tuple((g.size, ", ".join(map(str, g.rows)) + (" ..." if g.size > len(g.rows) else ""),
                  _example(g.example)) for g in groups)
    return Table(title, ("rows in group", "row index", "example"), rows, total_rows=total)


def _example(example: dict[str, object]) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in example.items())
    return text if len(text) <= 200 else text[:197] + "..."


def _summary(n: int, n_dup: int, n_groups: int, n_near: int,
             groups: tuple[DuplicateGroup, ...]) -> str:
    if not n_dup and not n_near:
        return f"no duplicate rows among {n}"
    parts = []
    if n_dup:
        parts.append(f"{n_dup} of {n} rows ({n_dup / n:.1%}) repeat an earlier row exactly, "
                     f"in {n_groups} groups (largest: {groups[0].size} rows)")
    if n_near:
        parts.append(f"{n_near} more ({n_near / n:.1%}) are near duplicates")
    return "; ".join(parts)
