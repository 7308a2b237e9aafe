"""Python-level type tallies of a column chunk, vectorised over the chunk's rows.

Every cell gets one of :data:`TYPE_NAMES`. Typed columns are tallied from their dtype (no
per-cell work); object columns map each cell to its type once (``Series.map(type)``, a C
loop in pandas) and name the few distinct types.

>>> import pandas as pd
>>> names = type_names(pd.Series([1, "a", None, [1], 2.5, True], dtype=object))
>>> names.tolist()
['int', 'str', 'null', 'list', 'float', 'bool']
>>> tally(names)
{'bool': 1, 'float': 1, 'int': 1, 'list': 1, 'null': 1, 'str': 1}
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["TYPE_NAMES", "tally", "type_name", "type_names"]

TYPE_NAMES = ("int", "float", "str", "bool", "datetime", "list", "dict", "bytes", "null",
              "other")


def type_name(t: type) -> str:
    """Name of a Python type in :data:`TYPE_NAMES` (bool before int: bool is an int)."""
    if issubclass(t, (bool, np.bool_)):
        return "bool"
    if issubclass(t, (int, np.integer)):
        return "int"
    if issubclass(t, (float, np.floating, decimal.Decimal)):
        return "float"
    if issubclass(t, str):
        return "str"
    if issubclass(t, (dt.date, dt.time, np.datetime64, pd.Timestamp)):
        return "datetime"
    if issubclass(t, (list, tuple, set, frozenset, np.ndarray)):
        return "list"
    if issubclass(t, dict):
        return "dict"
    if issubclass(t, (bytes, bytearray, memoryview)):
        return "bytes"
    if t is type(None) or t is type(pd.NA) or t is type(pd.NaT):
        return "null"
    return "other"


def _dtype_name(dtype: Any) -> str | None:
    """The one type name every non-missing cell of a typed column has, else None."""
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        return "datetime"
    if isinstance(dtype, pd.StringDtype):
        return "str"
    if pd.api.types.is_timedelta64_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        return "other"
    return None


def type_names(s: pd.Series, missing: np.ndarray | None = None) -> pd.Series | str:
    """Per-cell type names of ``s`` (missing cells are "null"), or one name for typed columns.

    A typed column (numeric, bool, datetime, string dtype) returns a plain ``str``: every
    non-missing cell has that type, so no per-cell work is done.
    """
    single = _dtype_name(s.dtype)
    if single is not None:
        return single
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        names = pd.Series(cats.map(type), dtype=object).map(type_name).to_numpy()
        out = pd.Series(np.where(s.cat.codes.to_numpy() < 0, "null",
                                 names[np.maximum(s.cat.codes.to_numpy(), 0)]
                                 if len(names) else "null"), index=s.index, dtype=object)
        return out
    if missing is None:
        missing = s.isna().to_numpy()
    if len(s) and pd.api.types.infer_dtype(s, skipna=True) == "string":
        out = np.full(len(s), "str", dtype=object)
    else:
        types = s.map(type)
        lookup = {t: type_name(t) for t in pd.unique(types.to_numpy())}
        out = types.map(lookup).to_numpy(dtype=object)
    out[missing] = "null"
    return pd.Series(out, index=s.index, dtype=object)


def tally(names: pd.Series | str, n: int = 0, n_missing: int = 0) -> dict[str, int]:
    """Counts per type name; ``names`` a per-cell Series, or one name with ``n`` cells."""
    if isinstance(names, str):
        out = {names: n - n_missing} if n - n_missing else {}
        if n_missing:
            out["null"] = n_missing
        return dict(sorted(out.items()))
    vc = names.value_counts(sort=False)
    return {str(k): int(v) for k, v in sorted(vc.items())}
