"""Train/test overlap: rows (and ids) of the data that also appear in the reference data.

A test row that is also a training row measures memory, not generalisation. Rows are
compared through 64-bit row hashes (:func:`~stalwart.quality.row_hashes`): with a million
rows on each side the chance of one false match is about 1 in 20 million.

>>> import pandas as pd
>>> train = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
>>> test = pd.DataFrame({"x": [2.0, 9.0, 3.0, 4.0], "y": [1, 1, 1, 0]})
>>> result = train_test_overlap(test, train, features=["x"], target="y")
>>> result.features.n_overlap, result.features_and_target.n_overlap
(2, 1)
>>> result.features.examples
((0, 1), (2, 2))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .rowhash import row_hashes

__all__ = ["IdOverlap", "RowOverlap", "TrainTestOverlapResult", "aligned_row_hashes",
           "id_overlap", "mismatched_columns", "overlap_with_target", "row_overlap",
           "train_test_overlap"]

_N_EXAMPLES = 5


@dataclass(frozen=True)
class RowOverlap:
    """Data rows whose values over ``columns`` equal a reference row's."""

    columns: tuple[str, ...]
    n_rows: int
    n_overlap: int
    examples: tuple[tuple[Any, Any], ...] = ()  # (data row label, reference row label)

    @property
    def share(self) -> float:
        return self.n_overlap / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "n_rows": self.n_rows,
                "n_overlap": self.n_overlap, "share": self.share,
                "examples": [list(e) for e in self.examples]}


@dataclass(frozen=True)
class IdOverlap:
    """Data rows whose id also appears in the reference's same id column."""

    column: str
    n_rows: int
    n_rows_shared: int
    n_ids_shared: int
    examples: tuple[Any, ...] = ()  # shared id values

    @property
    def share(self) -> float:
        return self.n_rows_shared / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "n_rows": self.n_rows,
                "n_rows_shared": self.n_rows_shared, "n_ids_shared": self.n_ids_shared,
                "share": self.share, "examples": list(self.examples)}


@dataclass(frozen=True)
class TrainTestOverlapResult:
    features: RowOverlap
    features_and_target: RowOverlap | None
    ids: tuple[IdOverlap, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"features": self.features.to_dict(),
                "features_and_target": None if self.features_and_target is None
                else self.features_and_target.to_dict(),
                "ids": [i.to_dict() for i in self.ids]}


def mismatched_columns(frame: pd.DataFrame, reference: pd.DataFrame,
                       columns: Sequence[str]) -> list[str]:
    """Columns whose dtype differs between the two frames (their hashes would differ too)."""
    return [c for c in columns if frame[c].dtype != reference[c].dtype
            and not (_is_text(frame[c]) and _is_text(reference[c]))]


def _is_text(s: pd.Series) -> bool:
    # str, object-of-str and category-of-str hash alike in pandas, so they need no casting
    return pd.api.types.is_string_dtype(s.dtype) or s.dtype == object or isinstance(
        s.dtype, pd.CategoricalDtype)


def _common(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    numeric = [pd.api.types.is_numeric_dtype(s.dtype) for s in (a, b)]
    if all(numeric):  # int vs float, nullable vs numpy, bool vs int: compare as floats
        return (a.to_numpy(dtype=np.float64, na_value=np.nan),
                b.to_numpy(dtype=np.float64, na_value=np.nan))
    # anything else: compare the text of the values (missing stays missing)
    return (a.astype(object).where(a.notna(), None).map(str, na_action="ignore"),
            b.astype(object).where(b.notna(), None).map(str, na_action="ignore"))


def aligned_row_hashes(frame: pd.DataFrame, reference: pd.DataFrame,
                       columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Row hashes of both frames over ``columns``, equal whenever the values are equal.

    Columns stored with different dtypes on the two sides (int in one file, float in the
    other) are cast to a common type first, column by column; the others are not copied.
    """
    cols = list(columns)
    bad = mismatched_columns(frame, reference, cols)
    if bad:
        fixed_a, fixed_b = {}, {}
        for c in bad:
            fixed_a[c], fixed_b[c] = _common(frame[c], reference[c])
        frame, reference = frame.assign(**fixed_a), reference.assign(**fixed_b)
    return row_hashes(frame, cols), row_hashes(reference, cols)


def row_overlap(data_hashes: np.ndarray, reference_hashes: np.ndarray, *,
                data_index: pd.Index, reference_index: pd.Index,
                columns: Sequence[str] = ()) -> RowOverlap:
    """Which data hashes appear among the reference hashes, with a few example pairs."""
    n = len(data_hashes)
    if len(reference_hashes) == 0 or n == 0:
        return RowOverlap(tuple(columns), n, 0)
    found = _member(data_hashes, reference_hashes)
    first = np.flatnonzero(found)[:_N_EXAMPLES]
    examples = tuple((_plain(data_index[i]),
                      _plain(reference_index[int(np.argmax(reference_hashes == data_hashes[i]))]))
                     for i in first)
    return RowOverlap(tuple(columns), n, int(found.sum()), examples)


def _member(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Membership through pandas' hash table: several times faster than ``np.isin`` on a
    million uint64 values."""
    return pd.Series(values, copy=False).isin(pool).to_numpy(dtype=bool)


def overlap_with_target(frame: pd.DataFrame, reference: pd.DataFrame, *,
                        features: Sequence[str], target: str, data_hashes: np.ndarray,
                        reference_hashes: np.ndarray) -> RowOverlap:
    """Overlap over features + target, given both sides' feature hashes.

    Only rows that already match on the features can match with the target too, so only
    those rows are hashed again; with little overlap that is a small fraction of the
    work (when most rows overlap, both sides are hashed in full rather than copied).
    """
    cols = list(features) + [target]
    n = len(frame)
    data_pos = np.flatnonzero(_member(data_hashes, reference_hashes))
    if len(data_pos) == 0:
        return RowOverlap(tuple(cols), n, 0)
    ref_pos = np.flatnonzero(_member(reference_hashes, data_hashes[data_pos]))
    if 4 * len(data_pos) > n or 4 * len(ref_pos) > len(reference):
        h_data, h_ref = aligned_row_hashes(frame, reference, cols)
        return row_overlap(h_data, h_ref, data_index=frame.index,
                           reference_index=reference.index, columns=cols)
    sub_data, sub_ref = frame[cols].iloc[data_pos], reference[cols].iloc[ref_pos]
    h_data, h_ref = aligned_row_hashes(sub_data, sub_ref, cols)
    found = row_overlap(h_data, h_ref, data_index=sub_data.index,
                        reference_index=sub_ref.index, columns=cols)
    return RowOverlap(tuple(cols), n, found.n_overlap, found.examples)


def id_overlap(data_ids: pd.Series, reference_ids: pd.Series) -> IdOverlap:
    """Data rows whose id value also appears in the reference ids."""
    seen = pd.unique(reference_ids.dropna())
    shared = data_ids.notna().to_numpy() & data_ids.isin(seen).to_numpy()
    shared_values = pd.unique(data_ids[shared])
    return IdOverlap(str(data_ids.name), len(data_ids), int(shared.sum()), len(shared_values),
                     tuple(_plain(v) for v in shared_values[:_N_EXAMPLES]))


def train_test_overlap(frame: pd.DataFrame, reference: pd.DataFrame, *,
                       features: Sequence[str], target: str | None = None,
                       id_columns: Sequence[str] = ()) -> TrainTestOverlapResult:
    """Rows of ``frame`` found in ``reference`` over the features (and features + target),
    and ids shared by both."""
    feats = list(features)
    h_data, h_ref = aligned_row_hashes(frame, reference, feats)
    by_features = row_overlap(h_data, h_ref, data_index=frame.index,
                              reference_index=reference.index, columns=feats)
    with_target = None
    if target is not None:
        with_target = overlap_with_target(frame, reference, features=feats, target=target,
                                          data_hashes=h_data, reference_hashes=h_ref)
    ids = tuple(id_overlap(frame[c], reference[c]) for c in id_columns)
    return TrainTestOverlapResult(by_features, with_target, ids)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
