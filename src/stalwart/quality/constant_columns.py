"""Constant and near-constant columns: the share of rows holding a column's commonest value.

Missing counts as a value (a column that is empty but for a few cells is near-constant).
A column is *constant* when it holds one value, *near-constant* when its dominant value
covers at least ``threshold`` of the rows. A two-valued column whose rarer value still
appears in at least ``rare_flag_min_rows`` rows is a *rare flag* (fraud, churn, defect
markers): listed, but not counted as near-constant, because a few hundred positive rows
are plenty for a model to use.

Numbers avoid a full value count: a value held by more than half the rows is the median
of the non-missing values, so one ``O(n)`` selection and one comparison find it exactly.

>>> import pandas as pd
>>> df = pd.DataFrame({"k": [1] * 200, "n": [0] * 199 + [5], "x": range(200)})
>>> r = constant_columns(df)
>>> [(c.name, c.status, c.dominant_share) for c in r.flagged]
[('k', 'constant', 1.0), ('n', 'near_constant', 0.995)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ColumnDominance", "ConstantColumnsResult", "constant_columns"]

MISSING = "<missing>"


@dataclass(frozen=True)
class ColumnDominance:
    """``dominant_share`` is exact when above 0.5 and ``None`` below (not needed)."""

    name: str
    status: str  # constant | near_constant | rare_flag | ok | not_examined
    dominant_value: Any
    dominant_share: float | None
    n_distinct: int | None
    n_other_rows: int | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "dominant_value": self.dominant_value,
                "dominant_share": self.dominant_share, "n_distinct": self.n_distinct,
                "n_other_rows": self.n_other_rows, "note": self.note}


@dataclass(frozen=True)
class ConstantColumnsResult:
    n_rows: int
    threshold: float
    columns: tuple[ColumnDominance, ...]

    def with_status(self, status: str) -> tuple[ColumnDominance, ...]:
        return tuple(c for c in self.columns if c.status == status)

    @property
    def flagged(self) -> tuple[ColumnDominance, ...]:
        """Constant, near-constant and rare-flag columns, most dominated first."""
        out = [c for c in self.columns if c.status in ("constant", "near_constant", "rare_flag")]
        return tuple(sorted(out, key=lambda c: -(c.dominant_share or 0.0)))

    def to_dict(self) -> dict[str, Any]:
        return {"n_rows": self.n_rows, "threshold": self.threshold,
                "columns": [c.to_dict() for c in self.columns]}


def constant_columns(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
                     threshold: float = 0.99, rare_flag_min_rows: int = 100
                     ) -> ConstantColumnsResult:
    """Find constant, near-constant and rare-flag columns of ``frame``."""
    cols = list(frame.columns if columns is None else columns)
    n = len(frame)
    out = []
    for name in cols:
        s = frame[name]
        try:
            value, count, distinct = _dominant(s)
        except TypeError:
            out.append(ColumnDominance(name, "not_examined", None, None, None, None,
                                       "holds unhashable cells (lists, dicts)"))
            continue
        share = count / n if n and count is not None else None
        other = None if count is None else n - count
        if distinct is not None and distinct <= 1:
            status = "constant"
        elif share is not None and share >= threshold:
            rare_flag = distinct == 2 and other is not None and other >= rare_flag_min_rows
            status = "rare_flag" if rare_flag else "near_constant"
        else:
            status = "ok"
        out.append(ColumnDominance(name, status, value, share, distinct, other))
    return ConstantColumnsResult(n, threshold, tuple(out))


def _dominant(s: pd.Series) -> tuple[Any, int | None, int | None]:
    """(dominant value, its row count, number of distinct values incl. missing).

    Count and distinct are ``None`` when no value covers more than half the rows
    (then the column is far from constant, and counting exactly would cost a hash table).
    """
    n = len(s)
    missing = s.isna().to_numpy()
    n_missing = int(missing.sum())
    if n == 0:
        return None, 0, 0
    if n_missing * 2 > n:
        rest = s[~missing]
        if len(rest) == 0:
            return MISSING, n, 1
        return MISSING, n_missing, 1 + int(rest.nunique())
    dtype = s.dtype
    numeric = (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
               and not isinstance(dtype, pd.CategoricalDtype))
    if numeric:
        values = s.to_numpy(dtype=float, na_value=np.nan)[~missing]
        median = float(np.quantile(values, 0.5, method="lower"))
        count = int((values == median).sum())
        if count * 2 <= n:
            return None, None, None
        others = values[values != median]
        distinct = 1 + int(len(np.unique(others))) + (n_missing > 0)
        value: Any = int(median) if pd.api.types.is_integer_dtype(dtype) else median
        return value, count, distinct
    counts = s.value_counts(dropna=False, sort=True)
    top = counts.index[0]
    if not pd.api.types.is_scalar(top):  # a list or array cell: show its text
        value = str(top)
    else:
        value = MISSING if pd.isna(top) else _plain(top)
    return value, int(counts.iloc[0]), int(len(counts))


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
