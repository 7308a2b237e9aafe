"""Columns that look like identifiers: a model can memorise them but never generalise.

Rules (each finding keeps the rule that made it):

- ``sequence``: whole numbers that, in row order, move by one constant non-zero step
  (row numbers, auto-increment keys);
- ``dense_unique_integers``: whole numbers, (almost) all distinct, covering a dense range
  (``distinct / (max - min + 1) >= min_density``). Distinct but sparse integers (incomes
  in cents, say) are measurements far more often than keys, so they are not flagged;
- ``unique_strings``: strings or categories, (almost) all distinct.

Floats with fractions are never flagged: measurements are naturally unique. Booleans,
datetimes and columns with fewer than ``min_rows`` non-missing values are not candidates.

>>> import pandas as pd
>>> df = pd.DataFrame({"row": range(100), "code": [f"c{i:03d}" for i in range(100)],
...                    "x": [i / 7 for i in range(100)], "k": [i % 3 for i in range(100)]})
>>> [(c.name, c.rule) for c in id_like_columns(df).flagged]
[('row', 'sequence'), ('code', 'unique_strings')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ColumnIdLikeness", "IdLikeResult", "id_like_columns"]


@dataclass(frozen=True)
class ColumnIdLikeness:
    name: str
    rule: str | None  # the rule that flagged it; None when not ID-like
    n_values: int
    n_unique: int | None
    unique_share: float | None
    step: float | None = None
    density: float | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "rule": self.rule, "n_values": self.n_values,
                "n_unique": self.n_unique, "unique_share": self.unique_share,
                "step": self.step, "density": self.density, "note": self.note}


@dataclass(frozen=True)
class IdLikeResult:
    columns: tuple[ColumnIdLikeness, ...]

    @property
    def flagged(self) -> tuple[ColumnIdLikeness, ...]:
        return tuple(c for c in self.columns if c.rule is not None)

    @property
    def not_examined(self) -> tuple[ColumnIdLikeness, ...]:
        return tuple(c for c in self.columns if c.note and c.rule is None)

    def to_dict(self) -> dict[str, Any]:
        return {"columns": [c.to_dict() for c in self.columns]}


def id_like_columns(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
                    min_unique_share: float = 0.99, min_density: float = 0.25,
                    min_rows: int = 50) -> IdLikeResult:
    """Examine ``columns`` of ``frame`` (all by default) for identifier-like values."""
    cols = list(frame.columns if columns is None else columns)
    return IdLikeResult(tuple(_examine(name, frame[name], min_unique_share, min_density,
                                       min_rows) for name in cols))


def _examine(name: str, s: pd.Series, min_unique_share: float, min_density: float,
             min_rows: int) -> ColumnIdLikeness:
    dtype = s.dtype
    values = s.dropna()
    n = len(values)
    if (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
            or pd.api.types.is_timedelta64_dtype(dtype)):
        return ColumnIdLikeness(name, None, n, None, None)
    if n < min_rows:
        return ColumnIdLikeness(name, None, n, None, None)
    numeric = (pd.api.types.is_numeric_dtype(dtype)
               and not isinstance(dtype, pd.CategoricalDtype))
    if numeric:
        x = values.to_numpy(dtype=float)
        finite = np.isfinite(x)
        if not finite.all() or not np.all(np.mod(x, 1) == 0):
            return ColumnIdLikeness(name, None, n, None, None)  # floats: naturally unique
        return _integers(name, x, min_unique_share, min_density)
    try:
        n_unique = int(values.nunique())
    except TypeError:
        return ColumnIdLikeness(name, None, n, None, None,
                                note="not examined: holds unhashable cells (lists, dicts)")
    share = n_unique / n
    rule = "unique_strings" if share >= min_unique_share else None
    return ColumnIdLikeness(name, rule, n, n_unique, share)


def _integers(name: str, x: np.ndarray, min_unique_share: float,
              min_density: float) -> ColumnIdLikeness:
    diffs = np.diff(x)
    if len(diffs) and diffs[0] != 0 and np.all(diffs == diffs[0]):
        return ColumnIdLikeness(name, "sequence", len(x), len(x), 1.0, step=float(diffs[0]),
                                density=1.0 / abs(float(diffs[0])))
    n_unique = int(len(pd.unique(x)))
    share = n_unique / len(x)
    span = float(x.max() - x.min()) + 1.0
    density = n_unique / span
    rule = "dense_unique_integers" if share >= min_unique_share and density >= min_density \
        else None
    return ColumnIdLikeness(name, rule, len(x), n_unique, share, density=density)
