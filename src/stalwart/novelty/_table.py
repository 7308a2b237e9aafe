"""Numeric tables for the novelty detectors: checked, then standardised on the reference.

Accepted: anything :func:`stalwart.data.to_pandas` reads (pandas, polars, Arrow, numpy, a
mapping of columns, a CSV/Parquet path). Numeric and boolean columns are used; categorical or
text columns are **rejected** with a :class:`SchemaError` naming them (encode them first, or
pass ``columns=``), because one-hot columns make covariance-based scores (Mahalanobis, GMM)
singular. Missing values are rejected with a :class:`DataError` naming the columns (impute or
drop rows first): a distance to a missing value is undefined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from ..data.dataset import to_pandas
from ..exceptions import DataError, SchemaError

__all__ = ["NumericTable"]


class NumericTable:
    """Remembers the reference columns; turns tables into float matrices."""

    def __init__(self, columns: Sequence[str] | None = None) -> None:
        self.columns = None if columns is None else list(columns)

    def frame(self, data: Any, *, fitting: bool, notes: list[str]) -> pd.DataFrame:
        what = "reference" if fitting else "data"
        if isinstance(data, np.ndarray) and not fitting and data.ndim == 2:
            if data.shape[1] != len(self.columns_):
                raise SchemaError(what, expected=f"{len(self.columns_)} columns "
                                  f"({', '.join(self.columns_[:10])})",
                                  got=f"an array with {data.shape[1]} columns",
                                  fix="pass the same columns as the reference, in order")
            frame = to_pandas(data, columns=self.columns_, what=what)
        else:
            frame = to_pandas(data, columns=self.columns if fitting else None, what=what)
        if len(frame) == 0 or frame.shape[1] == 0:
            raise DataError(what, expected="at least one row and one column",
                            got=f"{len(frame)} rows x {frame.shape[1]} columns",
                            fix="pass a non-empty table")
        if fitting:
            bad = [c for c in frame.columns
                   if not (pd.api.types.is_numeric_dtype(frame[c])
                           or pd.api.types.is_bool_dtype(frame[c]))]
            if bad:
                raise SchemaError(
                    "columns for numeric novelty", expected="numeric or boolean columns",
                    got=f"non-numeric columns {bad[:10]}",
                    fix="one-hot or ordinal-encode them first, or pass columns= without them "
                        "(for free text use OOVNovelty / TextEmbeddingNovelty)")
            self.columns_ = [str(c) for c in frame.columns]
        else:
            missing = [c for c in self.columns_ if c not in frame.columns]
            if missing:
                raise SchemaError(what, expected="every reference column",
                                  got=f"missing columns {missing[:10]}",
                                  fix="pass data with the reference's columns")
            extra = [c for c in frame.columns if c not in self.columns_]
            if extra:
                notes.append(f"columns not in the reference were ignored: {extra[:10]}")
            frame = frame.loc[:, self.columns_]
            bad = [c for c in frame.columns
                   if not (pd.api.types.is_numeric_dtype(frame[c])
                           or pd.api.types.is_bool_dtype(frame[c]))]
            if bad:
                raise SchemaError(what, expected="numeric columns, like the reference",
                                  got=f"non-numeric columns {bad[:10]}",
                                  fix="check the types of these columns")
        nan_cols = [c for c in frame.columns if frame[c].isna().any()]
        if nan_cols:
            raise DataError(what, expected="no missing values (novelty scores need every value)",
                            got=f"missing values in columns {nan_cols[:10]}",
                            fix="impute or drop the rows with missing values first")
        return frame

    def fit_scaler(self, frame: pd.DataFrame) -> np.ndarray:
        """Standardise on ``frame`` (the training part); zero-variance columns stay centred."""
        x = _finite(frame)
        self.scaler_ = StandardScaler().fit(x)
        return self.scaler_.transform(x)

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        return self.scaler_.transform(_finite(frame))


def _finite(frame: pd.DataFrame) -> np.ndarray:
    x = frame.to_numpy(dtype=float)
    if not np.isfinite(x).all():
        raise DataError("data", expected="finite values", got="infinite values",
                        fix="replace or drop the infinite values")
    return x
