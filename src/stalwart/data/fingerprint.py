"""Content fingerprints: a stable hash of a table's values, column names and kinds.

Two tables with the same content (same column order and values) give the same
fingerprint in any process on any machine; a change to one value changes it.

>>> import pandas as pd
>>> a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
>>> fingerprint(a) == fingerprint(a.copy())
True
>>> fingerprint(a) == fingerprint(a.assign(x=[1, 3]))
False
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

__all__ = ["fingerprint"]

_PREFIX = "sha256:"


def _column_hash(s: pd.Series) -> np.ndarray:
    try:
        # pandas hashes with a fixed key, so this is stable across runs and machines
        return pd.util.hash_pandas_object(s, index=False).to_numpy()
    except TypeError:
        # unhashable cells (lists, dicts): hash their text form instead
        return pd.util.hash_pandas_object(s.map(repr), index=False).to_numpy()


def fingerprint(frame: pd.DataFrame) -> str:
    """Return ``sha256:<hex>`` of the frame's content, independent of its index."""
    h = hashlib.sha256()
    h.update(f"rows={len(frame)};".encode())
    for name in frame.columns:
        s = frame[name]
        h.update(f"col={name!s}:{_dtype_family(s)};".encode())
        h.update(np.ascontiguousarray(_column_hash(s)).tobytes())
    return _PREFIX + h.hexdigest()


def _dtype_family(s: pd.Series) -> str:
    """A coarse dtype name, so pandas 2 'object' and pandas 3 'str' strings hash alike."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    return "object"
