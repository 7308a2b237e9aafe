"""Check: rows and ids of the data that also appear in the reference (training) data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...data.schema import Role
from ...quality.rowhash import row_hashes
from ...quality.train_test_overlap import (RowOverlap, aligned_row_hashes, id_overlap,
                                           mismatched_columns, overlap_with_target, row_overlap)
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["TrainTestOverlap"]

_MAX_ROWS = 20


@register_check
class TrainTestOverlap(Check):
    """Share of data rows that are also reference rows, over the features (and with the
    target), and of rows whose id (columns with role ``id``) the reference also holds.

    A test row seen in training inflates every metric measured on it. Above ``warn_share``
    of the rows the check warns, above ``fail_share`` it fails. Shared ids warn above
    ``warn_share``: the same entity in both splits (or an id that is only a row number,
    when the rows themselves differ).
    """

    name = "train_test_overlap"
    title = "Train/test overlap"
    needs = frozenset({"reference"})

    # Warn from 1%: natural repeats in tables with few coarse columns can reach it, so
    # it asks for a look; fail from 5%: scores on such a test set are measurably inflated.
    def __init__(self, *, id_columns: Sequence[str] | None = None, warn_share: float = 0.01,
                 fail_share: float = 0.05,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.id_columns = id_columns
        self.warn_share = warn_share
        self.fail_share = fail_share
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("overlap_share", "le", self.fail_share,
                          name=f"at most {self.fail_share:.0%} of data rows are reference rows"),
                Condition("overlap_share", "le", self.warn_share, severity="warn",
                          name=f"at most {self.warn_share:.0%} of data rows are reference rows"),
                Condition("max_id_overlap_share", "le", self.warn_share, severity="warn",
                          name=f"at most {self.warn_share:.0%} of data rows have an id the "
                               "reference also has")]

    def compute(self, ctx: CheckContext) -> Evidence:
        data, ref = ctx.data, ctx.reference
        assert ref is not None  # guaranteed by needs
        schema = data.schema
        features, target = schema.features, schema.target
        ids = (schema.with_role(Role.ID) if self.id_columns is None
               else [schema[c].name for c in self.id_columns])
        by_features = with_target = None
        if features:
            h_data, h_ref = _hashes(ctx, features, "features")
            by_features = row_overlap(h_data, h_ref, data_index=data.frame.index,
                                      reference_index=ref.frame.index, columns=features)
            if target is not None:
                with_target = overlap_with_target(data.frame, ref.frame, features=features,
                                                  target=target, data_hashes=h_data,
                                                  reference_hashes=h_ref)
        id_results = [id_overlap(data.frame[c], ref.frame[c]) for c in ids]
        metrics: dict[str, Any] = {
            "n_rows": data.n_rows,
            "n_reference_rows": ref.n_rows,
            "n_overlap_rows": None if by_features is None else by_features.n_overlap,
            "overlap_share": None if by_features is None else by_features.share,
            "n_overlap_rows_with_target": None if with_target is None else with_target.n_overlap,
            "overlap_share_with_target": None if with_target is None else with_target.share,
            "n_id_columns": len(ids),
            "max_id_overlap_share": max((i.share for i in id_results), default=None),
            "n_shared_ids": sum(i.n_ids_shared for i in id_results) if ids else None,
        }
        rows: list[tuple[Any, ...]] = []
        for label, res in (("features", by_features), ("features + target", with_target)):
            if res is not None:
                rows.append((label, res.n_overlap, round(res.share, 6),
                             "; ".join(f"data {a} = reference {b}" for a, b in res.examples)))
        for i in id_results:
            rows.append((f"id {i.column}", i.n_rows_shared, round(i.share, 6),
                         ", ".join(map(str, i.examples))))
        tables = []
        if rows:
            tables.append(Table("Data rows also found in the reference",
                                ("compared on", "rows", "share of data rows", "examples"),
                                tuple(rows)))
        charts = ()
        if rows:
            charts = (Chart("bar", "Share of data rows also in the reference",
                            {"labels": [r[0] for r in rows], "values": [r[2] for r in rows]},
                            x_label="compared on", y_label="share of data rows"),)
        return Evidence(metrics, _summary(by_features, with_target, id_results, data.n_rows),
                        tuple(tables), charts)



def _hashes(ctx: CheckContext, columns: list[str], key: str) -> tuple[Any, Any]:
    """Both sides' row hashes over ``columns``, shared through the run's cache."""
    frame, ref = ctx.data.frame, ctx.reference.frame  # type: ignore[union-attr]
    if mismatched_columns(frame, ref, columns):
        # dtypes differ between the two sides: hash both on common types (not cached)
        return aligned_row_hashes(frame, ref, columns)
    return (ctx.cached(f"row_hashes:{key}", lambda: row_hashes(frame, columns)),
            ctx.cached(f"reference_row_hashes:{key}", lambda: row_hashes(ref, columns)))


def _summary(by_features: RowOverlap | None, with_target: RowOverlap | None,
             ids: list[Any], n_rows: int) -> str:
    parts = []
    if by_features is None:
        parts.append("no feature columns to compare rows on")
    elif by_features.n_overlap:
        text = (f"{by_features.n_overlap:,} of {n_rows:,} data rows "
                f"({by_features.share:.1%}) also appear in the reference")
        if with_target is not None:
            text += f" ({with_target.n_overlap:,} with the same target)"
        parts.append(text)
    else:
        parts.append(f"none of {n_rows:,} data rows appears in the reference")
    shared = [i for i in ids if i.n_rows_shared]
    if shared:
        worst = max(shared, key=lambda i: i.share)
        parts.append(f"{len(shared)} id column(s) share values with the reference "
                     f"(worst: {worst.column}, {worst.share:.1%} of rows)")
    return "; ".join(parts)
