"""What the explainability checks share: labelled rows of a dataset, permutation importance
on them (cached per run), and the ranked table and bar chart of a result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data import Dataset
from ...exceptions import DataError
from ...explain import ImportanceResult, permutation_importance
from ..check import CheckContext
from ..evaluation._common import features_of
from ..result import Chart, Table

__all__ = ["importance_chart", "importance_of", "importance_table"]

_SHOWN = 20


def _labelled(ctx: CheckContext, data: Dataset, what: str) -> tuple[pd.DataFrame, np.ndarray]:
    frame = data.frame
    if ctx.data.target not in frame.columns:
        raise DataError(f"the {what}", expected=f"the target column {ctx.data.target!r}",
                        got="no such column", fix="pass labelled reference data")
    frame = frame.loc[frame[ctx.data.target].notna().to_numpy()]
    if len(frame) < 2:
        raise DataError(f"labelled rows of the {what}", expected="at least two",
                        got=f"{len(frame)}", fix="pass more labelled rows")
    return frame[features_of(ctx, data)], frame[ctx.data.target].to_numpy()


def importance_of(ctx: CheckContext, which: str, *, scoring: str | None, n_repeats: int,
                  max_rows: int) -> ImportanceResult:
    """Permutation importance of the model on ``which`` ("data" or "reference"), cached."""
    data = ctx.data if which == "data" else ctx.reference
    key = f"explain:importance:{which}:{scoring}:{n_repeats}:{max_rows}"

    def compute() -> ImportanceResult:
        X, y = _labelled(ctx, data, which)
        return permutation_importance(ctx.model, X, y, scoring=scoring, n_repeats=n_repeats,
                                      max_rows=max_rows, random_state=ctx.random_state)

    return ctx.cached(key, compute)


def importance_table(result: ImportanceResult, title: str) -> Table:
    rows = tuple((f.rank, f.name, round(f.mean, 6), round(f.ci_low, 6), round(f.ci_high, 6))
                 for f in result.features[:_SHOWN])
    return Table(title, ("rank", "feature", "importance", "interval low", "interval high"),
                 rows, total_rows=len(result.features))


def importance_chart(result: ImportanceResult, title: str) -> Chart:
    shown = result.features[:_SHOWN]
    return Chart("bar", title, {"labels": [f.name for f in shown],
                                "values": [float(f.mean) for f in shown]},
                 x_label="feature", y_label=f"drop in {result.options.get('scoring')}")

