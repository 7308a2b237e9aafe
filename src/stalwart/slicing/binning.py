"""Turn any column into a few readable groups so it can be sliced.

Numeric columns with more distinct values than ``n_bins`` are cut at their quantiles
(duplicate edges merged, so a skewed column may get fewer bins); every other column is
grouped by value. Missing values form their own group, ``"(missing)"``. Labels read as
conditions: ``"<= 2.5"``, ``"(2.5, 7]"``, ``"> 7"`` or the value itself. A column with more
than ``max_categories`` values keeps its most frequent ones and groups the rest as
``"(other)"``, so an identifier or timestamp column cannot explode the number of slices.

>>> import pandas as pd
>>> b = bin_column(pd.Series([1, 2, 3, 4, 5, 6, 7, 8]), n_bins=2)
>>> list(b.labels)
['<= 4', '> 4']
>>> b.codes.tolist()
[0, 0, 0, 0, 1, 1, 1, 1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError

__all__ = ["MISSING", "OTHER", "BinnedColumn", "bin_column", "bin_frame"]

MISSING = "(missing)"
OTHER = "(other)"


@dataclass(frozen=True)
class BinnedColumn:
    """Integer group code per row (``0..len(labels)-1``) and one readable label per code."""

    name: str
    codes: np.ndarray
    labels: tuple[str, ...]
    numeric: bool
    edges: tuple[float, ...] = ()

    def condition(self, code: int) -> str:
        """The group as a condition on the column, e.g. ``"age <= 30"``."""
        label = self.labels[code]
        if label == MISSING:
            return f"{self.name} is missing"
        if label == OTHER and not self.numeric:
            return f"{self.name} is a less frequent value"
        if self.numeric and self.edges:
            if label.startswith(("<=", ">")):
                return f"{self.name} {label}"
            return f"{self.name} in {label}"
        return f"{self.name} == {label}"


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def bin_column(values: Any, *, n_bins: int = 5, max_categories: int = 20,
               name: str | None = None) -> BinnedColumn:
    """Group one column: quantile bins for numeric columns, values otherwise."""
    for key, value in (("n_bins", n_bins), ("max_categories", max_categories)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
            raise ParameterError(key, expected="an integer >= 2", got=repr(value),
                                 fix=f"pass {key}=5 or another integer >= 2")
    s = pd.Series(values).reset_index(drop=True)
    col = str(name if name is not None else (s.name if s.name is not None else "column"))
    missing = s.isna().to_numpy()
    numeric = (pd.api.types.is_numeric_dtype(s.dtype)
               and not pd.api.types.is_bool_dtype(s.dtype))
    if numeric:
        x = s.to_numpy(dtype=float, na_value=np.nan)
        present = x[~missing]
        if np.unique(present).size > n_bins:
            # Interior quantile edges, each snapped down to the largest observed value at or
            # below it (ties could otherwise leave a bin empty) and kept below the maximum;
            # a value equal to an edge falls in the lower bin, as "(lo, hi]" labels say.
            u = np.unique(present)
            q = np.quantile(present, np.linspace(0, 1, n_bins + 1))[1:-1]
            inner = np.unique(u[np.searchsorted(u, q, side="right") - 1])
            inner = inner[inner < u[-1]]
            if inner.size == 0:  # nearly every row holds the maximum: split just below it
                inner = u[-2:-1]
            codes = np.searchsorted(inner, np.where(missing, 0.0, x), side="left")
            labels = [f"<= {_fmt(inner[0])}"]
            labels += [f"({_fmt(a)}, {_fmt(b)}]" for a, b in zip(inner[:-1], inner[1:])]
            labels.append(f"> {_fmt(inner[-1])}")
            return _with_missing(col, codes, labels, missing, numeric=True,
                                 edges=tuple(float(e) for e in inner))
    strings = s.astype(object).where(~missing, None)
    counts = strings[~missing].value_counts(sort=True)
    other = counts.size > max_categories
    uniques = counts.index[:max_categories - 1].to_numpy() if other else counts.index.to_numpy()
    try:
        uniques = np.array(sorted(uniques), dtype=object)
    except TypeError:
        uniques = np.array(sorted(uniques, key=str), dtype=object)
    codes = pd.Index(uniques, dtype=object).get_indexer(strings.to_numpy()).astype(int)
    labels = [_fmt(v) if isinstance(v, float) else str(v) for v in uniques]
    if other:
        codes[(codes == -1) & ~missing] = len(labels)
        labels.append(OTHER)
    return _with_missing(col, codes, labels, missing, numeric=numeric)


def _with_missing(col: str, codes: np.ndarray, labels: list[str], missing: np.ndarray, *,
                  numeric: bool, edges: tuple[float, ...] = ()) -> BinnedColumn:
    codes = np.asarray(codes, dtype=int).copy()
    if missing.any():
        codes[missing] = len(labels)
        labels = [*labels, MISSING]
    return BinnedColumn(col, codes, tuple(labels), numeric, edges)


def bin_frame(frame: pd.DataFrame, *, n_bins: int = 5,
              max_categories: int = 20) -> list[BinnedColumn]:
    """:func:`bin_column` for every column of ``frame``, in column order."""
    return [bin_column(frame[c], n_bins=n_bins, max_categories=max_categories, name=str(c))
            for c in frame.columns]
