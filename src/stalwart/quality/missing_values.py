"""Missing values: per column, disguised tokens, all-missing columns and co-missing patterns.

A cell is *missing* when pandas says so (NaN, None, NaT, ``pd.NA``). In string columns a
cell is *disguised missing* when, stripped and lower-cased, it is one of
:data:`DISGUISED_TOKENS` (``""``, ``"N/A"``, ``"null"``, ``"?"``...); both are reported apart
and both count as missing for the row and pattern statistics.

Co-missing structure: the most common sets of columns missing together (over rows with at
least one missing cell), and the phi coefficient (Pearson correlation of the 0/1 missing
indicators) between every pair of columns with missing values.

>>> import pandas as pd
>>> df = pd.DataFrame({"a": [1.0, None, 3.0, None], "b": ["x", "N/A", " ", None],
...                    "c": [None] * 4})
>>> r = missing_values(df)
>>> [(c.name, c.n_missing, c.n_disguised) for c in r.columns]
[('a', 2, 0), ('b', 1, 2), ('c', 4, 0)]
>>> r.all_missing, r.rows_with_missing_share
(('c',), 1.0)
>>> r.patterns[0]
(('a', 'b', 'c'), 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DISGUISED_TOKENS", "ColumnMissing", "MissingValuesResult", "missing_values"]

#: compared after stripping surrounding whitespace and lower-casing; "" covers blank cells
DISGUISED_TOKENS: tuple[str, ...] = ("", "na", "n/a", "#n/a", "nan", "null", "none", "?", "-",
                                     "--")

_CHUNK = 131_072  # rows per block when multiplying indicator matrices (bounds memory)


@dataclass(frozen=True)
class ColumnMissing:
    name: str
    n_missing: int
    n_disguised: int
    missing_share: float
    disguised_share: float
    disguised_values: tuple[tuple[str, int], ...] = ()
    note: str = ""

    @property
    def total_share(self) -> float:
        return self.missing_share + self.disguised_share

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "n_missing": self.n_missing, "n_disguised": self.n_disguised,
                "missing_share": self.missing_share, "disguised_share": self.disguised_share,
                "total_share": self.total_share,
                "disguised_values": [list(p) for p in self.disguised_values], "note": self.note}


@dataclass(frozen=True)
class MissingValuesResult:
    """Per-column counts (every examined column, in order) and row-level structure.

    ``correlation`` is indexed like ``correlated_columns`` (the columns with some but not
    all rows missing); ``None`` where a column's indicator has no variance.
    """

    n_rows: int
    columns: tuple[ColumnMissing, ...]
    all_missing: tuple[str, ...]
    rows_with_missing_share: float
    patterns: tuple[tuple[tuple[str, ...], int], ...]
    correlated_columns: tuple[str, ...]
    correlation: tuple[tuple[float | None, ...], ...]
    strong_pairs: tuple[tuple[str, str, float], ...]

    @property
    def with_missing(self) -> tuple[ColumnMissing, ...]:
        return tuple(c for c in self.columns if c.n_missing + c.n_disguised > 0)

    def to_dict(self) -> dict[str, Any]:
        return {"n_rows": self.n_rows, "columns": [c.to_dict() for c in self.columns],
                "all_missing": list(self.all_missing),
                "rows_with_missing_share": self.rows_with_missing_share,
                "patterns": [{"columns": list(c), "rows": n} for c, n in self.patterns],
                "correlated_columns": list(self.correlated_columns),
                "correlation": [list(r) for r in self.correlation],
                "strong_pairs": [list(p) for p in self.strong_pairs]}


def missing_values(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
                   disguised_tokens: Sequence[str] = DISGUISED_TOKENS,
                   min_correlation: float = 0.7, top_patterns: int = 10) -> MissingValuesResult:
    """Count missing and disguised-missing cells and describe how they co-occur."""
    cols = list(frame.columns if columns is None else columns)
    n = len(frame)
    tokens = {t.strip().lower() for t in disguised_tokens}
    per_column, masks = [], {}
    for name in cols:
        s = frame[name]
        missing = s.isna().to_numpy()
        n_missing = int(missing.sum())
        found, note = _disguised(s, tokens)
        n_disguised = int(sum(c for _, c in found))
        if n_disguised:
            missing = missing | s.isin([v for v, _ in found]).to_numpy()
        if missing.any():
            masks[name] = missing
        per_column.append(ColumnMissing(
            name, n_missing, n_disguised, n_missing / n if n else 0.0,
            n_disguised / n if n else 0.0,
            tuple((str(v), c) for v, c in found), note))
    all_missing = tuple(c.name for c in per_column if n and c.n_missing + c.n_disguised == n)
    names = list(masks)
    if names:
        indicator = np.column_stack([masks[c] for c in names])
        any_missing = indicator.any(axis=1)
        rows_share = float(any_missing.mean())
        patterns = _patterns(indicator[any_missing], names, top_patterns)
    else:
        indicator, rows_share, patterns = None, 0.0, ()
    varying = [i for i, c in enumerate(names) if 0 < masks[c].sum() < n]
    corr_names = tuple(names[i] for i in varying)
    corr = _phi(indicator[:, varying]) if varying else np.zeros((0, 0))
    strong = []
    for i in range(len(corr_names)):
        for j in range(i + 1, len(corr_names)):
            if np.isfinite(corr[i, j]) and abs(corr[i, j]) >= min_correlation:
                strong.append((corr_names[i], corr_names[j], float(corr[i, j])))
    strong.sort(key=lambda p: -abs(p[2]))
    return MissingValuesResult(
        n, tuple(per_column), all_missing, rows_share, patterns, corr_names,
        tuple(tuple(None if not np.isfinite(v) else float(v) for v in row) for row in corr),
        tuple(strong))


def _disguised(s: pd.Series, tokens: set[str]) -> tuple[list[tuple[Any, int]], str]:
    """Distinct string values of ``s`` that are missing tokens, with their counts."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if not (pd.api.types.is_string_dtype(dtype.categories.dtype)
                or dtype.categories.dtype == object):
            return [], ""
        counts = s.value_counts(dropna=True, sort=False)
    elif pd.api.types.is_string_dtype(dtype) or dtype == object:
        try:
            # counting distinct values first keeps the string work to one per value
            counts = s.value_counts(dropna=True, sort=False)
        except TypeError:
            return [], "not searched for disguised missing values: holds unhashable cells"
    else:
        return [], ""
    if counts.empty:
        return [], ""
    values = counts.index
    is_str = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if not is_str.any():
        return [], ""
    text = pd.Index(values[is_str].astype(str)).str.strip().str.lower()
    hit = text.isin(list(tokens))
    chosen = counts[is_str][hit]
    chosen = chosen[chosen > 0].sort_values(ascending=False, kind="stable")
    return [(v, int(c)) for v, c in chosen.items()], ""


def _patterns(indicator: np.ndarray, names: list[str], top: int
              ) -> tuple[tuple[tuple[str, ...], int], ...]:
    """The ``top`` most frequent rows of a boolean matrix, as column-name sets with counts."""
    if len(indicator) == 0:
        return ()
    packed = np.packbits(indicator, axis=1)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
    uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))[:top]
    out = []
    for k in order:
        row = indicator[first[k]]
        out.append((tuple(n for n, m in zip(names, row) if m), int(counts[k])))
    return tuple(out)


def _phi(indicator: np.ndarray) -> np.ndarray:
    """Pearson correlation of 0/1 columns from their co-occurrence counts.

    The counts are accumulated in row blocks so the float copy never exceeds one block.
    """
    n, k = indicator.shape
    both = np.zeros((k, k))
    for start in range(0, n, _CHUNK):
        block = indicator[start:start + _CHUNK].astype(np.float32)
        both += block.T @ block
    ones = np.diag(both).copy()
    cov = n * both - np.outer(ones, ones)
    var = ones * (n - ones)
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / np.sqrt(np.outer(var, var))
    return corr
