"""Check: missing and disguised-missing values, per column and in co-missing patterns."""

from __future__ import annotations

from collections.abc import Sequence

from ...data.schema import Role
from ...quality.missing_values import DISGUISED_TOKENS, MissingValuesResult, missing_values
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["MissingValues"]

_TOP = 20


@register_check
class MissingValues(Check):
    """Report missing values per column, disguised ones (``"N/A"``, ``""``...) apart.

    Fails when a column is missing in every row (it carries nothing); warns when a
    column's missing share (true plus disguised) exceeds ``max_missing_share``. Also
    reports the most common sets of columns missing together and the pairs of columns
    whose missingness is correlated (``abs(phi) >= min_correlation``).
    """

    name = "missing_values"
    title = "Missing values"

    # 5% follows Deepchecks' default for its null-share condition: past it, imputation
    # starts to shape what a model learns and deserves a look. 0.7 is the usual cut for a
    # "strong" correlation; missingness this correlated usually has one cause (a join, a form).
    def __init__(self, *, columns: Sequence[str] | None = None,
                 max_missing_share: float = 0.05,
                 disguised_tokens: Sequence[str] = DISGUISED_TOKENS,
                 min_correlation: float = 0.7,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.max_missing_share = max_missing_share
        self.disguised_tokens = disguised_tokens
        self.min_correlation = min_correlation
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_all_missing_columns", "eq", 0,
                          name="no column is missing in every row"),
                Condition("max_missing_share", "le", self.max_missing_share, severity="warn",
                          name=f"no column misses more than {self.max_missing_share:.0%} "
                               f"of its values")]

    def compute(self, ctx: CheckContext) -> Evidence:
        schema = ctx.data.schema
        names = ctx.columns(self.columns,
                            default=[c.name for c in schema if c.role is not Role.IGNORE])
        r = missing_values(ctx.data.frame, names, disguised_tokens=self.disguised_tokens,
                           min_correlation=self.min_correlation)
        n_cells = max(r.n_rows * len(r.columns), 1)
        worst = max(r.columns, key=lambda c: c.total_share, default=None)
        over = [c for c in r.columns if c.total_share > self.max_missing_share]
        metrics = {
            "n_columns": len(r.columns),
            "n_columns_with_missing": len(r.with_missing),
            "n_all_missing_columns": len(r.all_missing),
            "n_columns_over_threshold": len(over),
            "max_missing_share": worst.total_share if worst else 0.0,
            "missing_cell_share": sum(c.n_missing for c in r.columns) / n_cells,
            "disguised_cell_share": sum(c.n_disguised for c in r.columns) / n_cells,
            "n_columns_with_disguised": sum(1 for c in r.columns if c.n_disguised),
            "rows_with_missing_share": r.rows_with_missing_share,
            "n_missing_patterns": len(r.patterns),
            "n_correlated_pairs": len(r.strong_pairs),
        }
        return Evidence(metrics, _summary(r), _tables(r), _charts(r))


def _tables(r: MissingValuesResult) -> tuple[Table, ...]:
    cols = sorted(r.with_missing, key=lambda c: -c.total_share)
    tables = []
    if cols:
        rows = tuple((c.name, c.n_missing, c.n_disguised, round(c.missing_share, 6),
                      round(c.disguised_share, 6),
                      ", ".join(f"{v!r} x{n}" for v, n in c.disguised_values[:5]))
                     for c in cols[:_TOP])
        tables.append(Table("Columns with missing values", ("column", "missing", "disguised",
                            "missing share", "disguised share", "disguised values"),
                            rows, total_rows=len(cols)))
    if r.patterns:
        n_with = max(round(r.rows_with_missing_share * r.n_rows), 1)
        rows = tuple((", ".join(p), n, round(n / n_with, 6)) for p, n in r.patterns)
        tables.append(Table("Most common sets of columns missing together",
                            ("columns missing", "rows", "share of rows with missing"), rows))
    if r.strong_pairs:
        rows = tuple((a, b, round(phi, 4)) for a, b, phi in r.strong_pairs[:_TOP])
        tables.append(Table("Columns whose missingness is correlated",
                            ("column", "column", "phi"), rows, total_rows=len(r.strong_pairs)))
    notes = [(c.name, c.note) for c in r.columns if c.note]
    if notes:
        tables.append(Table("Columns not fully examined", ("column", "reason"),
                            tuple(notes[:_TOP]), total_rows=len(notes)))
    return tuple(tables)


def _charts(r: MissingValuesResult) -> tuple[Chart, ...]:
    cols = sorted(r.with_missing, key=lambda c: -c.total_share)[:_TOP]
    if not cols:
        return ()
    charts = [Chart("bar", "Missing share per column (top columns)",
                    {"labels": [c.name for c in cols],
                     "values": [round(c.total_share, 6) for c in cols]},
                    x_label="column", y_label="share of rows missing")]
    shares = {c.name: c.total_share for c in r.columns}
    keep = sorted(range(len(r.correlated_columns)),
                  key=lambda i: -shares[r.correlated_columns[i]])[:_TOP]
    if len(keep) >= 2:
        keep.sort()
        names = [r.correlated_columns[i] for i in keep]
        z = [[None if r.correlation[i][j] is None else round(r.correlation[i][j], 4)
              for j in keep] for i in keep]
        charts.append(Chart("heatmap", "Correlation of missingness (phi)",
                            {"x": names, "y": names, "z": z}))
    return tuple(charts)


def _summary(r: MissingValuesResult) -> str:
    cols = r.with_missing
    if not cols:
        return f"no missing values in {len(r.columns)} columns"
    worst = max(cols, key=lambda c: c.total_share)
    text = (f"{len(cols)} of {len(r.columns)} columns have missing values; worst: "
            f"{worst.name} {worst.total_share:.1%}")
    if worst.n_disguised:
        text += f" ({worst.disguised_share:.1%} disguised, e.g. {worst.disguised_values[0][0]!r})"
    if r.all_missing:
        shown = ", ".join(r.all_missing[:5]) + (" ..." if len(r.all_missing) > 5 else "")
        text += f"; {len(r.all_missing)} missing in every row: {shown}"
    text += f"; {r.rows_with_missing_share:.1%} of rows have a missing value"
    return text
