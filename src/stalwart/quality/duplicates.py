"""Exact and near-duplicate rows, from one 64-bit hash per row.

*Exact* duplicates share every value of the examined columns. *Near* duplicates share
them after normalising: strings lower-cased with surrounding whitespace stripped and inner
runs of whitespace collapsed, numbers rounded to ``significant_digits`` significant digits.
The near-duplicate count excludes rows that are already exact duplicates.

Hashes are compared, not rows: two different rows collide with probability about
``n**2 / 2**65`` (under 3e-8 for a million rows), which we accept for the speed.

>>> import pandas as pd
>>> df = pd.DataFrame({"a": ["x", "x", " X ", "y"], "b": [1.0, 1.0, 1.0000001, 2.0]})
>>> r = duplicates(df)
>>> r.n_duplicate_rows, r.n_near_duplicate_rows, r.groups[0].rows
(1, 1, (0, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .rowhash import row_hashes

__all__ = ["DuplicateGroup", "DuplicatesResult", "duplicates", "near_duplicate_hashes"]

_MUL = np.uint64(0x100000001B3)
_GOLDEN = 0x9E3779B97F4A7C15
_POW10 = 10.0 ** np.arange(-300, 301)


@dataclass(frozen=True)
class DuplicateGroup:
    """Rows (index labels, the first ``max_rows_per_group``) that hash alike; ``size`` is all."""

    size: int
    rows: tuple[Any, ...]
    example: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"size": self.size, "rows": list(self.rows), "example": self.example}


@dataclass(frozen=True)
class DuplicatesResult:
    n_rows: int
    columns: tuple[str, ...]
    significant_digits: int
    n_duplicate_rows: int  # rows that repeat an earlier row exactly
    n_duplicate_groups: int
    n_near_duplicate_rows: int  # further rows that repeat an earlier row once normalised
    n_near_duplicate_groups: int
    groups: tuple[DuplicateGroup, ...]
    near_groups: tuple[DuplicateGroup, ...]

    @property
    def duplicate_share(self) -> float:
        return self.n_duplicate_rows / self.n_rows if self.n_rows else 0.0

    @property
    def near_duplicate_share(self) -> float:
        return self.n_near_duplicate_rows / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"n_rows": self.n_rows, "columns": list(self.columns),
                "significant_digits": self.significant_digits,
                "n_duplicate_rows": self.n_duplicate_rows,
                "duplicate_share": self.duplicate_share,
                "n_duplicate_groups": self.n_duplicate_groups,
                "n_near_duplicate_rows": self.n_near_duplicate_rows,
                "near_duplicate_share": self.near_duplicate_share,
                "n_near_duplicate_groups": self.n_near_duplicate_groups,
                "groups": [g.to_dict() for g in self.groups],
                "near_groups": [g.to_dict() for g in self.near_groups]}


def duplicates(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
               significant_digits: int = 6, hashes: np.ndarray | None = None,
               near_hashes: np.ndarray | None = None, top_groups: int = 20,
               max_rows_per_group: int = 10) -> DuplicatesResult:
    """Count and show exact and near-duplicate rows of ``frame[columns]``.

    ``hashes`` / ``near_hashes`` may be passed when already computed (a check shares them).
    """
    cols = list(frame.columns if columns is None else columns)
    n = len(frame)
    if hashes is None:
        hashes = row_hashes(frame, cols)
    if near_hashes is None:
        near_hashes = near_duplicate_hashes(frame, cols, significant_digits=significant_digits)
    exact, exact_counts = _factorize(hashes)
    near, near_counts = _factorize(near_hashes)
    n_dup = n - len(exact_counts)
    n_near_total = n - len(near_counts)
    # near groups that hold more than one distinct exact row (only groups of 2+ rows can)
    inside = np.flatnonzero(near_counts[near] > 1)
    pairs = pd.unique(near[inside].astype(np.int64) * len(exact_counts) + exact[inside])
    distinct_exact = np.bincount(pairs // max(len(exact_counts), 1), minlength=len(near_counts))
    near_ids = np.flatnonzero(distinct_exact > 1)

    def show(codes: np.ndarray, counts: np.ndarray, ids: np.ndarray) -> tuple[DuplicateGroup, ...]:
        ids = ids[np.argsort(-counts[ids], kind="stable")][:top_groups]
        if len(ids) == 0:
            return ()
        members = np.flatnonzero(np.isin(codes, ids))
        out = []
        for g in ids:
            pos = members[codes[members] == g]
            if codes is near:  # show one row of each distinct exact version first
                _, firsts = np.unique(exact[pos], return_index=True)
                pos = np.concatenate([pos[np.sort(firsts)], np.setdiff1d(pos, pos[firsts])])
            shown = pos[:max_rows_per_group]
            example = {c: _plain(frame[c].iloc[shown[0]]) for c in cols}
            out.append(DuplicateGroup(int(counts[g]), tuple(frame.index[shown].tolist()), example))
        return tuple(out)

    return DuplicatesResult(
        n_rows=n, columns=tuple(cols), significant_digits=significant_digits,
        n_duplicate_rows=int(n_dup), n_duplicate_groups=int((exact_counts > 1).sum()),
        n_near_duplicate_rows=int(n_near_total - n_dup), n_near_duplicate_groups=len(near_ids),
        groups=show(exact, exact_counts, np.flatnonzero(exact_counts > 1)),
        near_groups=show(near, near_counts, near_ids))


def near_duplicate_hashes(frame: pd.DataFrame, columns: Sequence[str], *,
                          significant_digits: int = 6) -> np.ndarray:
    """One uint64 per row over normalised values of ``columns`` (see the module docstring)."""
    out = np.zeros(len(frame), dtype=np.uint64)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps on purpose
        for i, name in enumerate(columns):
            h = pd.util.hash_array(_normalised(frame[name], significant_digits))
            salt = np.uint64(((i + 1) * _GOLDEN) % 2**64)
            out = (out * _MUL) ^ (h + salt)
    return out


def _normalised(s: pd.Series, digits: int) -> np.ndarray:
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype) and not s.hasnans:
        return s.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return _round_significant(s.to_numpy(dtype=float, na_value=np.nan), digits)
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return pd.util.hash_pandas_object(s, index=False).to_numpy()
    try:
        codes, uniques = pd.factorize(s)
    except TypeError:  # lists or dicts: compare their text
        codes, uniques = pd.factorize(s.map(repr))
    uniques = pd.Series(np.asarray(uniques, dtype=object))
    if pd.api.types.is_string_dtype(dtype) and dtype != object:
        is_str = np.ones(len(uniques), dtype=bool)
    else:
        is_str = uniques.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if is_str.any():
        text = uniques[is_str].astype(str).str.strip().str.lower()
        uniques[is_str] = text.str.replace(r"\s+", " ", regex=True)
    # normalising the distinct values only, then mapping codes, keeps this O(distinct)
    merged, _ = pd.factorize(uniques.astype(str) if not is_str.all() else uniques)
    merged = np.append(merged, -1)  # code -1 (missing) stays -1
    return merged[codes].astype(np.int64)


def _round_significant(x: np.ndarray, digits: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.floor(np.log10(np.abs(x)))  # -inf for 0, nan for nan
    ok = np.isfinite(mag)
    # powers of ten from a table: much faster than 10.0 ** array
    exponent = np.clip(np.where(ok, digits - 1 - mag, 0), -300, 300).astype(np.int64)
    scale = _POW10[exponent + 300]
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(ok, np.round(x * scale) / scale, x)
    out += 0.0  # -0.0 becomes 0.0
    out[np.isnan(out)] = np.nan  # one NaN bit pattern
    return out


def _factorize(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(h)
    return codes, np.bincount(codes, minlength=len(uniques))


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
