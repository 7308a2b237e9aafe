"""One view of a column for the diagnosis, built from raw values (exact) or a profile.

Every finding is computed from two :class:`ColumnView` objects, so raw data and profiles
share one code path. The raw view is exact (sorted values, exact counts); the profile view
reads the :class:`~stalwart.stats.profile.ColumnProfile` sketches, whose quantiles, CDF and
point masses are off by at most the KLL rank error (``rank_error``, stated in the evidence).

>>> import pandas as pd
>>> view = ColumnView.from_series(pd.Series([1, 2, 2, None], dtype="Int64"), "numeric")
>>> view.type_counts, view.n_missing, round(view.mass(2.0), 3)
({'int': 3}, 1, 0.667)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...stats.profile._types import tally, type_names

__all__ = ["ColumnView", "container_types", "type_counts"]

_CONTAINERS = ("list", "dict")
_MAX_EXACT_CATEGORIES = 1000


def container_types() -> tuple[str, ...]:
    return _CONTAINERS


def type_counts(s: pd.Series) -> dict[str, int]:
    """Tally non-missing values by Python-level type (the profile's ``type_counts``, by the
    profile's own type naming, so both paths of the diagnosis agree)."""
    missing = s.isna().to_numpy()
    out = tally(type_names(s, missing), len(s), int(missing.sum()))
    out.pop("null", None)
    return out


def _as_float(s: pd.Series, kind: str) -> np.ndarray | None:
    """Sorted finite float values of a numeric or datetime column (datetimes in ns)."""
    if kind == "datetime":
        d = pd.to_datetime(s, errors="coerce", utc=True).dropna()
        return np.sort(d.dt.tz_localize(None).to_numpy().astype("datetime64[ns]")
                       .astype(np.int64).astype(np.float64))
    if kind != "numeric" or pd.api.types.is_bool_dtype(s.dtype):
        return None
    x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.sort(x[np.isfinite(x)])


@dataclass(frozen=True, eq=False)
class ColumnView:
    """What the diagnosis needs to know of one column on one side."""

    name: str
    kind: str
    n_rows: int
    n_missing: int
    type_counts: dict[str, int]
    counts: dict[str, int] | None  # category (str) -> count; None when not kept
    counts_exact: bool
    minimum: float | None
    maximum: float | None
    dtype: str | None = None  # raw only
    values: np.ndarray | None = None  # raw only: sorted finite numbers
    profile: Any = None  # profile only: the ColumnProfile
    rank_error: float = 0.0

    @property
    def exact(self) -> bool:
        return self.profile is None

    @property
    def count(self) -> int:
        """Finite numbers for numeric and datetime views (what quantiles and masses are
        shares of), else non-missing cells."""
        if self.values is not None:
            return len(self.values)
        if self.profile is not None and self.kind in ("numeric", "datetime"):
            return int(self.profile.n_values)
        return self.n_rows - self.n_missing

    @property
    def numeric(self) -> bool:
        """Quantiles, CDF and masses are available."""
        return self.minimum is not None and (self.values is None or len(self.values) > 0)

    @classmethod
    def from_series(cls, s: pd.Series, kind: str) -> ColumnView:
        values = _as_float(s, kind)
        n_missing = int(s.isna().sum())
        counts = None
        if kind in ("categorical", "boolean", "text"):
            try:
                vc = s.dropna().astype(str).value_counts()
            except TypeError:
                vc = None
            if vc is not None:
                counts = {str(k): int(v) for k, v in vc.items()}
        has = values is not None and len(values) > 0
        return cls(str(s.name), kind, len(s), n_missing, type_counts(s), counts,
                   counts is not None and len(counts) <= _MAX_EXACT_CATEGORIES,
                   float(values[0]) if has else None, float(values[-1]) if has else None,
                   dtype=str(s.dtype), values=values)

    @classmethod
    def from_profile(cls, p: Any) -> ColumnView:
        counts = None
        if p.kind in ("categorical", "boolean", "text"):
            counts = {str(k): int(v) for k, v in p.counts().items()}
        numeric = p.kind in ("numeric", "datetime") and p.n_values > 0
        lo = getattr(p, "min", None) if numeric else None
        hi = getattr(p, "max", None) if numeric else None
        if numeric and (lo is None or hi is None):  # datetime: ends from the sketch
            lo, hi = (float(v) for v in p.quantiles([0.0, 1.0]))
        return cls(p.name, p.kind, int(p.n_rows), int(p.n_missing), dict(p.type_counts),
                   counts, bool(p.counts_exact) if counts is not None else False,
                   None if lo is None else float(lo), None if hi is None else float(hi),
                   profile=p, rank_error=float(p.rank_error) if numeric else 0.0)

    # -- distribution ------------------------------------------------------------------
    def quantiles(self, q: Any) -> np.ndarray:
        q = np.asarray(q, dtype=np.float64)
        if self.values is not None:
            return np.quantile(self.values, q)
        return np.asarray(self.profile.quantiles(q), dtype=np.float64)

    def cdf(self, x: Any) -> np.ndarray:
        """Share of non-missing numbers <= x."""
        x = np.asarray(x, dtype=np.float64)
        if self.values is not None:
            return np.searchsorted(self.values, x, side="right") / max(len(self.values), 1)
        return np.asarray(self.profile.cdf(x), dtype=np.float64)

    def cdf_at(self, x: float) -> float:
        return float(np.ravel(self.cdf(np.array([x])))[0])

    def mass(self, v: float) -> float:
        """Share of non-missing numbers equal to ``v``."""
        below = np.nextafter(v, -np.inf)
        both = np.ravel(self.cdf(np.array([v, below])))
        return float(both[0] - both[1])

    def top_values(self, k: int = 10) -> list[float]:
        """Candidate point masses: the most frequent numbers (raw), or values where the
        sketch's quantile function is flat over at least 1 % of ranks (profile)."""
        if self.values is not None:
            if len(self.values) == 0:
                return []
            uniq, cnt = np.unique(self.values, return_counts=True)
            order = np.argsort(-cnt, kind="stable")[:k]
            return [float(uniq[i]) for i in order if cnt[i] > 1]
        grid = self.quantiles(np.linspace(0, 1, 201))
        flat = grid[1:][np.diff(grid) == 0]
        return [float(v) for v in pd.unique(flat)][:k]
