"""Check: values that break the schema (min, max, allowed, integer, nullable, ±inf), and
values the reference data never showed (out of its range, new categories)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...quality.invalid_values import Violation, invalid_values
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["InvalidValues"]

_MAX_ROWS = 20
_EXAMPLE_CHARS = 40


@register_check
class InvalidValues(Check):
    """Values outside what the schema declares, or outside what the reference showed.

    Declared rules come from the schema (set them with ``schema.override(name, min=...,
    max=..., allowed=..., integer=..., nullable=...)`` or a schema file): any breach fails.
    Against reference data, numeric values outside its observed range (widened by
    ``range_tolerance`` of its width) and categories it never showed warn once they reach
    1% of the rows in a column, and fail from 10% (a unit change, a new code list). Values outside the range count only when there are more of
    them than fresh data from the reference's own population would show (binomial p-value
    below ``alpha``; see :mod:`stalwart.quality.invalid_values`), so a small reference does
    not raise alarms.
    """

    name = "invalid_values"
    title = "Invalid values"

    # 5% of the reference's width on each side: with a reference of a few thousand rows,
    # its own min and max sit just inside the population's, so fresh data from the same
    # population crosses them now and then by a hair; a 5% margin absorbs that and keeps
    # real breaches (a unit change, a sentinel such as -999) in view.
    # 1,000 categories: beyond that a column is closer to an identifier or free text than to
    # a code list, and "unseen in training" says little about a single value.
    # alpha 0.001 per column keeps the chance of any false alarm near 5% over 50 columns.
    def __init__(self, *, columns: Sequence[str] | None = None, range_tolerance: float = 0.05,
                 max_categories: int = 1000, alpha: float = 0.001,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.range_tolerance = range_tolerance
        self.max_categories = max_categories
        self.alpha = alpha
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        # 1%: a handful of unseen values is normal in fresh data; a percent of a column
        # means the model will extrapolate or see unknown codes on a visible share of rows.
        # 10%: a unit change, a new code list or a broken join: the model's answers on
        # those rows are guesses
        return [Condition("n_invalid_values", "eq", 0,
                          name="no value breaks the schema (min, max, allowed, integer, "
                               "nullable, ±inf)"),
                Condition("max_out_of_reference_share", "le", 0.10),
                Condition("max_out_of_reference_share", "le", 0.01, severity="warn"),
                Condition("max_new_category_share", "le", 0.10),
                Condition("max_new_category_share", "le", 0.01, severity="warn")]

    def compute(self, ctx: CheckContext) -> Evidence:
        schema = ctx.data.schema
        names = None if self.columns is None else ctx.columns(self.columns, default=())
        reference = None if ctx.reference is None else ctx.reference.frame
        result = invalid_values(ctx.data.frame, schema, reference=reference, columns=names,
                                range_tolerance=self.range_tolerance,
                                max_categories=self.max_categories)
        declared = [v for v in result.violations if v.source == "schema"]
        by_ref = [v for v in result.violations if v.source == "reference"
                  and (v.p_value is None or v.p_value < self.alpha)]
        out_of_range: dict[str, float] = {}
        new_cats: dict[str, float] = {}
        for v in by_ref:
            target = new_cats if v.rule == "new_category" else out_of_range
            target[v.column] = target.get(v.column, 0.0) + v.share
        has_ref = reference is not None
        metrics: dict[str, Any] = {
            "n_columns_checked": result.n_columns_checked,
            "n_invalid_columns": len({v.column for v in declared}),
            "n_invalid_values": sum(v.count for v in declared),
            "max_invalid_share": max((v.share for v in declared), default=0.0),
            "n_infinite_values": sum(v.count for v in declared if v.rule == "infinite"),
            "n_out_of_reference_columns": len(out_of_range) if has_ref else None,
            "max_out_of_reference_share": max(out_of_range.values(), default=0.0)
            if has_ref else None,
            "n_new_category_columns": len(new_cats) if has_ref else None,
            "max_new_category_share": max(new_cats.values(), default=0.0) if has_ref else None,
            "n_unexamined_columns": len(result.unexamined),
        }
        ordered = sorted(result.violations, key=lambda v: (v.source != "schema", -v.share))
        tables = []
        if ordered:
            rows = tuple((v.column, v.rule, v.source, v.count, round(v.share, 6), v.detail,
                          None if v.p_value is None else float(f"{v.p_value:.3g}"),
                          v in declared or v in by_ref,
                          ", ".join(_short(e) for e in v.examples),
                          ", ".join(str(r) for r in v.example_rows))
                         for v in ordered[:_MAX_ROWS])
            tables.append(Table("Invalid values by column and rule",
                                ("column", "rule", "source", "count", "share", "rule detail",
                                 "p-value (by chance)", "counted", "examples", "example rows"),
                                rows, total_rows=len(ordered)))
        if result.unexamined:
            tables.append(Table("Columns that could not be examined", ("column", "reason"),
                                tuple(result.unexamined[:_MAX_ROWS]),
                                total_rows=len(result.unexamined)))
        if result.not_applied:
            tables.append(Table("Reference rules not applied", ("column", "reason"),
                                tuple(result.not_applied[:_MAX_ROWS]),
                                total_rows=len(result.not_applied)))
        charts = _chart(tuple(declared + by_ref))
        return Evidence(metrics, _summary(result.n_columns_checked, declared, out_of_range,
                                          new_cats, has_ref), tuple(tables), charts)


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _EXAMPLE_CHARS else text[:_EXAMPLE_CHARS - 3] + "..."


def _chart(violations: tuple[Violation, ...]) -> tuple[Chart, ...]:
    share: dict[str, float] = {}
    for v in violations:
        share[v.column] = share.get(v.column, 0.0) + v.share
    if not share:
        return ()
    top = sorted(share.items(), key=lambda kv: -kv[1])[:_MAX_ROWS]
    return (Chart("bar", "Share of rows with an invalid value, by column",
                  {"labels": [k for k, _ in top], "values": [round(v, 6) for _, v in top]},
                  x_label="column", y_label="share of rows (summed over rules)"),)


def _summary(n_checked: int, declared: list[Violation], out_of_range: dict[str, float],
             new_cats: dict[str, float], has_ref: bool) -> str:
    parts = []
    if declared:
        worst = max(declared, key=lambda v: v.share)
        cols = len({v.column for v in declared})
        parts.append(f"{cols} of {n_checked} columns break the schema; worst: {worst.column} "
                     f"{worst.share:.1%} {worst.rule.replace('_', ' ')} ({worst.detail})")
    else:
        parts.append(f"no value breaks the schema in {n_checked} columns")
    if out_of_range:
        col, share = max(out_of_range.items(), key=lambda kv: kv[1])
        parts.append(f"{len(out_of_range)} outside the reference range (worst: {col} {share:.1%})")
    if new_cats:
        col, share = max(new_cats.items(), key=lambda kv: kv[1])
        parts.append(f"{len(new_cats)} with new categories (worst: {col} {share:.1%})")
    if has_ref and not out_of_range and not new_cats:
        parts.append("all values within what the reference showed")
    return "; ".join(parts)
