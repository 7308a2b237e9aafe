"""Update a :class:`ColumnProfile` with one pandas chunk, vectorised per chunk.

No Python loop runs per row: numeric values go to KLL as one numpy array and to the
moments as numpy reductions; categories are counted per chunk (``value_counts``) and the
sketches are updated once per distinct value with its weight (the frequent-items binding
takes one item per call, so this loop runs over at most 768 values per chunk).

>>> import pandas as pd
>>> from stalwart.stats.profile.column import ColumnProfile
>>> col = ColumnProfile("c")
>>> update_column(col, pd.Series(["a", "b", "a", None]))
>>> col.kind, col.counts(), col.n_missing
('categorical', {'a': 2, 'b': 1}, 1)
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...data.schema import Schema
from ._moments import Moments
from ._types import tally, type_names
from .column import ColumnProfile

__all__ = ["infer_kinds", "update_column"]

_NUMBER_TYPES = ("int", "float")


def infer_kinds(frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Kind and reason per column, from ``stalwart.data`` schema inference."""
    if frame.shape[1] == 0:
        return {}
    schema = Schema.infer(frame)
    return {spec.name: (spec.kind.value, spec.reason.split("; role")[0].removeprefix("kind: "))
            for spec in schema}


def update_column(col: ColumnProfile, s: pd.Series) -> None:
    """Add the rows of ``s`` to ``col`` (the first chunk with values decides the kind)."""
    n = len(s)
    if n == 0:
        return
    missing = s.isna().to_numpy()
    n_missing = int(missing.sum())
    col.n_rows += n
    col.n_missing += n_missing
    names = type_names(s, missing)
    if col.kind_ is None and (n_missing < n or isinstance(names, str)):
        _decide_kind(col, s, names)  # values, or a typed dtype (float NaNs are numeric)
    for key, value in tally(names, n, n_missing).items():
        col.type_counts[key] = col.type_counts.get(key, 0) + value
    col.type_counts = dict(sorted(col.type_counts.items()))
    if n_missing == n or col.kind_ is None:
        return
    kind = col.kind
    if kind == "numeric":
        _update_numeric(col, s, names, missing)
    elif kind == "datetime":
        _update_datetime(col, s, names, missing)
    elif kind in ("categorical", "text", "boolean"):
        _update_counts(col, s, names, missing)
    elif kind == "other":
        col.n_invalid += 0  # type tallies are the whole summary of an "other" column


def _decide_kind(col: ColumnProfile, s: pd.Series, names: pd.Series | str) -> None:
    """Kind from schema inference on this chunk, refined by the cells' Python types."""
    kind, reason = infer_kinds(s.to_frame(name="__col__"))["__col__"]
    if reason == "no non-missing values to infer from":
        return  # stays open until a chunk with values arrives
    if kind == "other" and not isinstance(names, str):
        # Decimal, date and similar objects that the schema leaves as "other"
        seen = set(pd.unique(names.to_numpy())) - {"null"}
        if seen and seen <= {"int", "float"}:
            kind, reason = "numeric", "numbers stored as objects (Decimal or numpy scalars)"
        elif seen == {"datetime"}:
            kind, reason = "datetime", "dates or datetimes stored as objects"
    col.set_kind(kind, reason)


def _keep(col: ColumnProfile, names: pd.Series | str, missing: np.ndarray,
          allowed: tuple[str, ...]) -> np.ndarray | None:
    """Mask of cells whose type fits the kind (None: all non-missing cells fit)."""
    if isinstance(names, str):
        if names in allowed:
            return None
        col.n_invalid += int((~missing).sum())
        return np.zeros(len(missing), dtype=bool)
    ok = names.isin(allowed).to_numpy()
    col.n_invalid += int((~ok & ~missing).sum())
    return ok


def _update_numeric(col: ColumnProfile, s: pd.Series, names: pd.Series | str,
                    missing: np.ndarray) -> None:
    keep = _keep(col, names, missing, _NUMBER_TYPES)
    if keep is None:
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        x = x[~missing] if missing.any() else x
    else:
        x = s[keep].astype(np.float64).to_numpy()
    finite = np.isfinite(x)
    if not finite.all():
        col.n_infinite += int((~finite).sum())
        x = x[finite]
    _add_values(col, x)
    if x.size == 0:
        return
    col.sum_ += float(np.sum(x))
    col.n_zero_ += int(np.count_nonzero(x == 0))
    col.n_negative_ += int(np.count_nonzero(x < 0))
    col.n_integer_valued_ += int(np.count_nonzero(x == np.floor(x)))


def _update_datetime(col: ColumnProfile, s: pd.Series, names: pd.Series | str,
                     missing: np.ndarray) -> None:
    keep = _keep(col, names, missing, ("datetime",))
    part = s if keep is None else s[keep]
    if keep is not None and len(part) == 0:
        return
    stamps = pd.to_datetime(part[~missing] if keep is None else part, utc=True)
    ns = stamps.dt.tz_convert(None).to_numpy().astype("datetime64[ns]").astype(np.int64)
    _add_values(col, ns.astype(np.float64))


def _add_values(col: ColumnProfile, x: np.ndarray) -> None:
    if x.size == 0:
        return
    col.kll.update(_writable(x))
    col.moments = col.moments.merge(Moments.of(x))
    col.min_ = float(np.min(x)) if np.isnan(col.min_) else min(col.min_, float(np.min(x)))
    col.max_ = float(np.max(x)) if np.isnan(col.max_) else max(col.max_, float(np.max(x)))
    col.distinct_.add(x)


def _writable(x: np.ndarray) -> np.ndarray:
    # the datasketches binding rejects read-only arrays (pandas often hands out views)
    return np.require(x, dtype=np.float64, requirements=["C", "W"])


def _update_counts(col: ColumnProfile, s: pd.Series, names: pd.Series | str,
                   missing: np.ndarray) -> None:
    allowed = (("bool",) if col.kind == "boolean"  # "yes" in a boolean column is invalid
               else ("int", "float", "str", "bool", "datetime", "bytes", "other"))
    keep = _keep(col, names, missing, allowed)
    part = s if keep is None else s[keep]
    vc = part.value_counts(dropna=True, sort=False)
    vc = vc[vc.to_numpy() > 0]  # unused categories of a categorical dtype
    if len(vc) == 0:
        return
    counts = vc.to_numpy(dtype=np.int64)
    if isinstance(names, str) and names == "str" or (
            vc.index.dtype == object and pd.api.types.infer_dtype(vc.index) == "string"):
        keys = vc.index  # already strings, and unique
    else:
        keys = vc.index.map(str)
        if not keys.is_unique:  # 1 and "1" are one category once keyed by str
            grouped = pd.Series(counts).groupby(np.asarray(keys, dtype=object),
                                                sort=False).sum()
            keys = pd.Index(grouped.index.astype(str))
            counts = grouped.to_numpy(dtype=np.int64)
    order = np.argsort(-counts, kind="stable")
    keys = np.asarray(keys, dtype=object)[order]
    counts = counts[order]
    _update_exact(col, keys, counts)
    _update_frequent(col, keys, counts)
    col.distinct_.add(keys)
    if col.len_kll is None:  # booleans: no string lengths
        return
    chars, words = _lengths(keys)
    col.len_kll.update(_writable(np.repeat(chars, counts)))
    col.words_kll.update(_writable(np.repeat(words, counts)))


def _lengths(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Characters and words (runs of non-whitespace) per string, in Arrow's C++ kernels."""
    arr = pa.array(keys, type=pa.large_string())
    chars = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.float64)
    words = pc.count_substring_regex(arr, r"\S+").to_numpy(zero_copy_only=False)
    return chars, words.astype(np.float64)


def _update_exact(col: ColumnProfile, keys: np.ndarray, counts: np.ndarray) -> None:
    if col.exact is None:
        return
    if len(keys) > col.max_exact_categories:
        col.exact = None
        return
    exact = col.exact
    for key, c in zip(keys.tolist(), counts.tolist()):
        exact[key] = exact.get(key, 0) + c
    if len(exact) > col.max_exact_categories:
        col.exact = None


def _update_frequent(col: ColumnProfile, keys: np.ndarray, counts: np.ndarray) -> None:
    """Feed the chunk's heaviest values, weighted, to the frequent-items sketch.

    Only the ``capacity`` largest of each chunk go in (the sketch cannot hold more); a
    value left out has at most the next count, which is added to ``freq_extra_error``.
    """
    capacity = int(0.75 * 2 ** col.frequent_lg_k)
    if len(keys) > capacity:
        col.freq_extra_error += int(counts[capacity])
        keys, counts = keys[:capacity], counts[:capacity]
    deque(map(col.freq.update, keys.tolist(), counts.tolist()), maxlen=0)
