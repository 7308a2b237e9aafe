"""Turn a mixed table into a numeric matrix, with every choice fitted on the reference.

Multivariate detectors work on vectors. :class:`TabularEncoder` learns, from the reference
only, how to map each column to numbers, so that the current data is mapped the same way:

- numeric (and boolean, and datetime as seconds) columns are standardised with the
  reference mean and standard deviation; a column constant in the reference keeps scale 1
  (its reference values become 0, so any current deviation still shows) and is noted;
  missing (and infinite) values are imputed with the reference mean (0 after standardising)
  and, when the reference itself has missing values in the column, a 0/1 missing indicator
  is added;
- categorical columns are one-hot encoded over the ``max_categories`` most frequent
  reference categories (missing is a category of its own), plus one ``<other>`` column that
  catches rarer and unseen categories; or ``categorical="ordinal"``: one column holding the
  frequency rank (unseen = -1), compact for tree models.

Every imputation and every constant column is stated in :attr:`TabularEncoder.notes_` (and
in :meth:`TabularEncoder.transform_notes` for the current data). Columns are matched by name;
a missing or extra column is a :class:`~stalwart.exceptions.SchemaError` naming it.

>>> import pandas as pd
>>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0, None], "c": ["a", "b", "a", "a"]})
>>> enc = TabularEncoder().fit(ref)
>>> enc.feature_names_
['x', 'x=<missing>', 'c=a', 'c=b', 'c=<other>']
>>> enc.transform(pd.DataFrame({"x": [2.0], "c": ["z"]})).round(3).tolist()
[[0.0, 0.0, 0.0, 0.0, 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...data.dataset import to_pandas
from ...exceptions import DataError, ParameterError, SchemaError

__all__ = ["TabularEncoder", "check_rows", "to_frame"]

_MISSING = "<missing>"
_OTHER = "<other>"


def to_frame(data: Any, what: str) -> pd.DataFrame:
    """A pandas view of ``data`` (DataFrame, numpy array, polars/arrow table, mapping)."""
    return to_pandas(data, what=what)


def check_rows(n: int, minimum: int, what: str, method: str) -> None:
    """Raise a :class:`DataError` naming the minimum when ``n`` rows are too few."""
    if n < minimum:
        raise DataError(what, expected=f"at least {minimum} rows for {method}",
                        got=f"{n} rows", fix="pass a larger sample (or a longer window)")


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str                 # "numeric" | "categorical"
    mean: float = 0.0
    scale: float = 1.0
    indicator: bool = False   # add a 0/1 missing-indicator column
    categories: tuple[str, ...] = ()
    datetime: bool = False


class TabularEncoder:
    """Fit on the reference; ``transform`` maps any table with the same columns to floats."""

    def __init__(self, *, max_categories: int = 20, categorical: str = "onehot") -> None:
        self.max_categories = max_categories
        self.categorical = categorical

    def fit(self, reference: Any) -> TabularEncoder:
        if self.categorical not in ("onehot", "ordinal"):
            raise ParameterError("categorical", expected="'onehot' or 'ordinal'",
                                 got=repr(self.categorical), fix="use 'onehot' (the default)")
        frame = to_frame(reference, "reference")
        if frame.shape[1] == 0:
            raise DataError("reference", expected="at least one column", got="no columns",
                            fix="pass the feature columns")
        self.columns_ = [str(c) for c in frame.columns]
        self.notes_: list[str] = []
        self.specs_: list[_Column] = []
        for name in self.columns_:
            spec = self._fit_column(name, frame[name])
            if spec is not None:
                self.specs_.append(spec)
        if not self.specs_:
            raise DataError("reference", expected="at least one column with values",
                            got="only all-missing columns", fix="check the reference data")
        self.feature_names_: list[str] = []
        self.groups_: dict[str, list[int]] = {}
        for spec in self.specs_:
            names = self._names(spec)
            start = len(self.feature_names_)
            self.groups_[spec.name] = list(range(start, start + len(names)))
            self.feature_names_.extend(names)
        return self

    def _fit_column(self, name: str, s: pd.Series) -> _Column | None:
        kind, values, is_dt = _numeric_view(s)
        if kind == "numeric":
            missing = np.isnan(values)
            if missing.all():
                self.notes_.append(f"column {name!r} is missing in every reference row: "
                                   "left out of the multivariate test")
                return None
            present = values[~missing]
            mean, std = float(present.mean()), float(present.std())
            if missing.any():
                self.notes_.append(f"column {name!r}: {int(missing.sum())} missing reference "
                                   "values imputed with the reference mean, plus a missing "
                                   "indicator")
            if not std > 0:
                self.notes_.append(f"column {name!r} is constant in the reference: kept "
                                   "unscaled, so any current deviation still counts")
                std = 1.0
            return _Column(name, "numeric", mean, std, bool(missing.any()), datetime=is_dt)
        counts = _as_labels(s).value_counts(sort=True)
        kept = tuple(str(c) for c in counts.index[:self.max_categories])
        if len(counts) == 1:
            self.notes_.append(f"column {name!r} is constant in the reference "
                               f"(always {kept[0]!r})")
        if len(counts) > self.max_categories:
            self.notes_.append(f"column {name!r}: {len(counts) - self.max_categories} rarer "
                               f"categories grouped into {_OTHER!r}")
        return _Column(name, "categorical", categories=kept)

    def _names(self, spec: _Column) -> list[str]:
        if spec.kind == "numeric":
            return [spec.name] + ([f"{spec.name}={_MISSING}"] if spec.indicator else [])
        if self.categorical == "ordinal":
            return [spec.name]
        return [f"{spec.name}={c}" for c in spec.categories] + [f"{spec.name}={_OTHER}"]

    def _check_columns(self, frame: pd.DataFrame, what: str) -> None:
        got = [str(c) for c in frame.columns]
        missing = [c for c in self.columns_ if c not in got]
        extra = [c for c in got if c not in self.columns_]
        if missing or extra:
            parts = ([f"missing {missing}"] if missing else []) + (
                [f"unexpected {extra}"] if extra else [])
            raise SchemaError(f"columns of {what}", expected="the reference's columns",
                              got=" and ".join(parts),
                              fix="select the same columns in reference and current data")

    def transform(self, data: Any, what: str = "current") -> np.ndarray:
        """The encoded matrix (rows x ``len(feature_names_)``), float64."""
        if not hasattr(self, "specs_"):
            from ...exceptions import StageError
            raise StageError("TabularEncoder.transform called before fit")
        frame = to_frame(data, what)
        self._check_columns(frame, what)
        self.last_notes_: list[str] = []
        blocks = [self._encode(spec, frame[spec.name], what) for spec in self.specs_]
        out = np.column_stack(blocks) if blocks else np.empty((len(frame), 0))
        return np.ascontiguousarray(out, dtype=np.float64)

    def _encode(self, spec: _Column, s: pd.Series, what: str) -> np.ndarray:
        if spec.kind == "numeric":
            kind, values, _ = _numeric_view(s)
            if kind != "numeric":
                try:
                    values = pd.to_numeric(s, errors="raise").to_numpy(dtype=np.float64,
                                                                      na_value=np.nan)
                except (TypeError, ValueError):
                    raise SchemaError(f"column {spec.name!r} of {what}",
                                      expected="numeric values, as in the reference",
                                      got=f"values of type {s.dtype}",
                                      fix="convert the column or check the export") from None
            missing = np.isnan(values)
            if missing.any() and not spec.indicator:
                self.last_notes_.append(
                    f"column {spec.name!r}: {int(missing.sum())} missing {what} values (none "
                    "in the reference) imputed with the reference mean")
            z = np.where(missing, 0.0, (values - spec.mean) / spec.scale)
            return np.column_stack([z, missing.astype(float)]) if spec.indicator else z
        labels = _as_labels(s).to_numpy()
        index = {c: i for i, c in enumerate(spec.categories)}
        codes = np.fromiter((index.get(v, -1) for v in labels), dtype=np.int64,
                            count=len(labels))
        if self.categorical == "ordinal":
            return codes.astype(np.float64)
        onehot = np.zeros((len(labels), len(spec.categories) + 1))
        onehot[np.arange(len(labels)), np.where(codes < 0, len(spec.categories), codes)] = 1.0
        return onehot


def _numeric_view(s: pd.Series) -> tuple[str, np.ndarray, bool]:
    """("numeric", float values with NaN, is_datetime) or ("categorical", empty, False)."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "numeric", s.astype("float64").to_numpy(), False
    if pd.api.types.is_datetime64_any_dtype(dtype):
        secs = s.astype("int64").to_numpy(dtype=np.float64) / 1e9
        return "numeric", np.where(s.isna().to_numpy(), np.nan, secs), True
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        values = s.to_numpy(dtype=np.float64, na_value=np.nan)
        # an infinity has no distance to anything: it is treated (and imputed) as missing
        return "numeric", np.where(np.isinf(values), np.nan, values), False
    return "categorical", np.empty(0), False


def _as_labels(s: pd.Series) -> pd.Series:
    """Categories keyed by ``str(value)`` (the profile convention); missing is its own."""
    return s.astype(object).map(lambda v: _MISSING if _is_missing(v) else str(v))


def _is_missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # lists and arrays
        return False
