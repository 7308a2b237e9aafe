"""Nearest training examples of one row: a mixed-type encoding and a prefit neighbour index.

:class:`RowEncoder` turns a table of numeric and categorical features into one numeric
matrix: numeric columns are centred on the reference median and divided by a robust
standard deviation (``1.4826 * MAD``, else the standard deviation, else 1), so one unit is
one typical spread; categorical columns are one-hot over the reference categories, so two
rows that differ in one category are at distance ``sqrt(2)``, as two rows 1.4 spreads apart on
a numeric column (a different category weighs more than a typical numeric difference). A
value the encoder cannot read (a missing value, text in a numeric column) takes the
reference median; an unseen category is all zeros.

:class:`NeighbourIndex` fits scikit-learn's ``NearestNeighbors`` on the encoded reference once
(root-cause analysis of many escalations reuses it) and measures the reference's own scale
on a sample of at most ``scale_sample`` rows: ``spacing_`` (median distance from a reference
row to its nearest other row) and ``radius_`` (median distance to its ``n_neighbors``-th
nearest other row, the neighbourhood radius used for the blast radius).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)})
>>> index = NeighbourIndex(n_neighbors=5).fit(ref)
>>> dist, idx = index.kneighbors(pd.DataFrame({"x": [0.0], "c": ["a"]}))
>>> dist.shape, bool((ref.loc[idx[0], "c"] == "a").all())
((1, 5), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from ..exceptions import DataError, ParameterError, StageError

__all__ = ["NeighbourIndex", "RowEncoder", "is_numeric_column"]

_ONE_HOT_WEIGHT = 1.0


def is_numeric_column(series: pd.Series) -> bool:
    """Numeric (not boolean) dtype: scaled as a number; everything else is a category."""
    return bool(pd.api.types.is_numeric_dtype(series.dtype)
                and not pd.api.types.is_bool_dtype(series.dtype))


class RowEncoder:
    """Robust-scaled numerics plus weighted one-hot categoricals, learned on the reference."""

    def __init__(self, *, max_categories: int = 50) -> None:
        self.max_categories = max_categories

    def fit(self, frame: pd.DataFrame) -> RowEncoder:
        if not isinstance(frame, pd.DataFrame) or frame.shape[1] == 0 or len(frame) == 0:
            raise DataError("reference features", expected="a non-empty DataFrame",
                            got=type(frame).__name__ if not isinstance(frame, pd.DataFrame)
                            else f"{frame.shape[0]} rows x {frame.shape[1]} columns",
                            fix="pass the training rows with their feature columns")
        self.columns_ = [str(c) for c in frame.columns]
        self.numeric_: dict[str, tuple[float, float]] = {}
        self.categories_: dict[str, list[str]] = {}
        for col in self.columns_:
            s = frame[col]
            if is_numeric_column(s):
                x = s.to_numpy(dtype=float, na_value=np.nan)
                x = x[np.isfinite(x)]
                if x.size == 0:
                    self.numeric_[col] = (0.0, 1.0)
                    continue
                median = float(np.median(x))
                scale = 1.4826 * float(np.median(np.abs(x - median)))
                if not scale > 0:
                    scale = float(np.std(x))
                self.numeric_[col] = (median, scale if scale > 0 else 1.0)
            else:
                counts = s.dropna().astype(str).value_counts()
                self.categories_[col] = [str(v) for v in counts.index[: self.max_categories]]
        return self

    @property
    def n_outputs(self) -> int:
        return len(self.numeric_) + sum(len(v) for v in self.categories_.values())

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        if getattr(self, "columns_", None) is None:
            raise StageError("RowEncoder.transform() was called before fit(); call fit first")
        missing = [c for c in self.columns_ if c not in frame.columns]
        if missing:
            raise DataError("rows to encode", expected=f"the reference columns {self.columns_}",
                            got=f"missing {missing}", fix="pass every feature column")
        parts = []
        for col in self.columns_:
            s = frame[col]
            if col in self.numeric_:
                median, scale = self.numeric_[col]
                x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                x = np.where(np.isfinite(x), x, median)
                parts.append(((x - median) / scale)[:, None])
            else:
                cats = self.categories_[col]
                codes = pd.Index(cats, dtype=object).get_indexer(
                    s.astype(object).where(s.notna(), None).map(
                        lambda v: None if v is None else str(v)).to_numpy())
                block = np.zeros((len(s), len(cats)))
                seen = codes >= 0
                block[np.flatnonzero(seen), codes[seen]] = _ONE_HOT_WEIGHT
                parts.append(block)
        return np.hstack(parts) if parts else np.zeros((len(frame), 0))


class NeighbourIndex:
    """Prefit nearest-neighbour index on the encoded reference, with its own distance scale."""

    def __init__(self, *, n_neighbors: int = 15, scale_sample: int = 2000,
                 random_state: int | None = 0) -> None:
        self.n_neighbors = n_neighbors
        self.scale_sample = scale_sample
        self.random_state = random_state

    def fit(self, frame: pd.DataFrame) -> NeighbourIndex:
        k = self.n_neighbors
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ParameterError("n_neighbors", expected="an integer >= 1", got=repr(k),
                                 fix="pass n_neighbors=15")
        if len(frame) <= k:
            raise DataError("reference", expected=f"more than n_neighbors={k} rows",
                            got=f"{len(frame)} rows", fix="pass more reference rows or a "
                            "smaller n_neighbors")
        self.encoder_ = RowEncoder().fit(frame)
        self.matrix_ = self.encoder_.transform(frame)
        self.n_reference_ = int(self.matrix_.shape[0])
        self.model_ = NearestNeighbors(n_neighbors=k).fit(self.matrix_)
        rng = np.random.default_rng(self.random_state)
        n = min(self.n_reference_, int(self.scale_sample))
        sample = rng.choice(self.n_reference_, size=n, replace=False)
        dist, _ = self.model_.kneighbors(self.matrix_[sample], n_neighbors=k + 1)
        # column 0 is the row itself (distance 0): its neighbours start at column 1
        self.spacing_ = float(np.median(dist[:, 1]))
        self.radius_ = float(np.median(dist[:, k]))
        return self

    def _check(self) -> None:
        if getattr(self, "model_", None) is None:
            raise StageError("NeighbourIndex was used before fit(); call fit(reference) first")

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        self._check()
        return self.encoder_.transform(frame)

    def kneighbors(self, frame: pd.DataFrame, *, n_neighbors: int | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
        """Distances and reference row positions of the nearest reference rows, nearest first."""
        self._check()
        return self.model_.kneighbors(self.encode(frame), n_neighbors=n_neighbors
                                      or self.n_neighbors)

    def count_within(self, point: np.ndarray, others: np.ndarray, radius: float) -> int:
        """How many rows of the encoded matrix ``others`` lie within ``radius`` of ``point``."""
        if others.shape[0] == 0:
            return 0
        d = np.sqrt(((others - point[None, :]) ** 2).sum(axis=1))
        return int(np.count_nonzero(d <= radius))

    def reference_count_within(self, point: np.ndarray, radius: float) -> int:
        self._check()
        found = self.model_.radius_neighbors(point[None, :], radius=radius,
                                             return_distance=False)
        return int(found[0].size)

    def describe(self) -> dict[str, Any]:
        self._check()
        return {"n_neighbors": int(self.n_neighbors), "n_reference": self.n_reference_,
                "spacing": self.spacing_, "radius": self.radius_,
                "numeric_columns": sorted(self.encoder_.numeric_),
                "categorical_columns": sorted(self.encoder_.categories_)}
