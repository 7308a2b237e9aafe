"""Mixed types: columns whose values are of more than one kind.

A column that held scalars and suddenly holds lists, a numeric column polluted with
``"unknown"`` strings, booleans mixed with numbers: each breaks typed processing
downstream. Values are tallied into kinds (missing values are not a kind):

- ``number``: ints, floats, decimals (not booleans)
- ``numeric_string``: strings that parse as a number, such as ``"12"`` or ``"-3.5e2"``
- ``string``: any other string
- ``boolean``, ``datetime``, ``container`` (list, tuple, dict, set, array), ``other``

>>> import pandas as pd
>>> frame = pd.DataFrame({"a": pd.Series([1, 2, "3", "n/a"], dtype=object),
...                       "b": pd.Series([1, [2, 3], 4, 5], dtype=object),
...                       "c": [1.0, 2.0, 3.0, 4.0]})
>>> result = mixed_types(frame)
>>> [(c.column, c.counts) for c in result.columns]
[('b', {'number': 3, 'container': 1}), ('a', {'number': 2, 'numeric_string': 1, 'string': 1})]
>>> result.columns[0].mixes_containers, result.columns[0].examples
(True, {'container': {'row': 1, 'value': '[2, 3]'}})
"""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["KINDS", "ColumnTypeMix", "MixedTypesResult", "mixed_types", "numeric_string_mask"]

#: the kinds values are tallied into, in reporting order
KINDS: tuple[str, ...] = ("number", "numeric_string", "string", "boolean", "datetime",
                          "container", "other")
_CONTAINER = "container"
_EXAMPLE_CHARS = 80

# a decimal number with optional sign, thousands separators and exponent, as people type it
_NUMERIC_STRING = re.compile(
    r"\s*[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*")


@dataclass(frozen=True)
class ColumnTypeMix:
    """The kinds found in one column that holds more than one kind."""

    column: str
    n_values: int  # non-missing values
    counts: dict[str, int]
    dominant: str
    minority_share: float  # share of non-missing values not of the dominant kind
    mixes_containers: bool  # scalars and containers in the same column
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)  # minority kind -> row, value

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "n_values": self.n_values, "counts": dict(self.counts),
                "dominant": self.dominant, "minority_share": self.minority_share,
                "mixes_containers": self.mixes_containers,
                "examples": {k: dict(v) for k, v in self.examples.items()}}


@dataclass(frozen=True)
class MixedTypesResult:
    """Columns holding more than one kind of value, and columns that could not be read."""

    columns: tuple[ColumnTypeMix, ...]
    n_columns_checked: int
    unexamined: tuple[tuple[str, str], ...] = ()  # (column, reason)

    def to_dict(self) -> dict[str, Any]:
        return {"columns": [c.to_dict() for c in self.columns],
                "n_columns_checked": self.n_columns_checked,
                "unexamined": [{"column": c, "reason": r} for c, r in self.unexamined]}


def numeric_string_mask(values: pd.Series) -> np.ndarray:
    """True where a string looks like a number (``"12"``, ``" -3.5"``, ``"1,234"``, ``"2e3"``).

    Classifies each distinct value once, so a column of a million repeated codes costs
    one pass of factorisation plus a regex over its few distinct values.

    >>> numeric_string_mask(pd.Series(["12", "3.5", "abc", "1,234", ".5", "-", "1e5"])).tolist()
    [True, True, False, True, True, False, True]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) == 0:
        return np.zeros(len(values), dtype=bool)
    as_text = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    is_num = as_text.str.fullmatch(_NUMERIC_STRING).fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(values), dtype=bool)
    valid = codes >= 0
    out[valid] = is_num[codes[valid]]
    return out


def _kind_of_type(t: type) -> str:
    if issubclass(t, (bool, np.bool_)):
        return "boolean"
    if issubclass(t, (list, tuple, dict, set, frozenset, np.ndarray, pd.Series)):
        return _CONTAINER
    if issubclass(t, str):
        return "string"  # split into numeric / non-numeric strings afterwards
    if issubclass(t, (dt.date, dt.time, dt.timedelta, np.datetime64, np.timedelta64,
                      pd.Timestamp, pd.Timedelta)):
        return "datetime"
    if issubclass(t, (numbers.Number, decimal.Decimal, fractions.Fraction, np.number)):
        return "number"
    return "other"


def _string_kinds(values: pd.Series, present: np.ndarray) -> np.ndarray:
    """Kind codes (index into KINDS) of string values; -1 where missing."""
    is_num = numeric_string_mask(values)
    kinds = np.where(is_num, KINDS.index("numeric_string"), KINDS.index("string"))
    return np.where(present, kinds, -1).astype(np.int8)


def _object_kinds(s: pd.Series, present: np.ndarray) -> np.ndarray:
    """Kind code per value of an object column (-1 where missing)."""
    kinds = np.full(len(s), -1, dtype=np.int8)
    inferred = pd.api.types.infer_dtype(s, skipna=True)
    if inferred == "empty":
        return kinds
    if inferred == "string":
        return _string_kinds(s, present)
    single = {"integer": "number", "floating": "number", "mixed-integer-float": "number",
              "decimal": "number", "boolean": "boolean", "datetime": "datetime",
              "datetime64": "datetime", "date": "datetime", "time": "datetime",
              "timedelta": "datetime", "timedelta64": "datetime"}.get(inferred)
    if single is not None:
        kinds[present] = KINDS.index(single)
        return kinds
    # a mix (or an unusual type): classify each value's type. pandas maps in C over the
    # column, and the distinct types are few, so each is classified once.
    type_codes, type_uniques = pd.factorize(s.map(type, na_action="ignore"),
                                            use_na_sentinel=True)
    lookup = np.array([KINDS.index(_kind_of_type(t)) for t in type_uniques], dtype=np.int8)
    ok = present & (type_codes >= 0)
    kinds[ok] = lookup[type_codes[ok]]
    string_pos = np.flatnonzero(kinds == KINDS.index("string"))
    if len(string_pos):
        sub = s.iloc[string_pos]
        kinds[string_pos] = _string_kinds(sub, np.ones(len(sub), dtype=bool))
    return kinds


def _column_kinds(s: pd.Series) -> np.ndarray | None:
    """Kind code per value (-1 where missing), or None when the dtype holds one kind."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = pd.Series(np.asarray(dtype.categories, dtype=object), dtype=object)
        cat_kinds = _object_kinds(categories, np.ones(len(categories), dtype=bool))
        codes = s.cat.codes.to_numpy()
        out = np.full(len(s), -1, dtype=np.int8)
        valid = codes >= 0
        out[valid] = cat_kinds[codes[valid]]
        return out
    if pd.api.types.is_string_dtype(dtype) and dtype != object:
        return _string_kinds(s, s.notna().to_numpy())
    if dtype == object:
        return _object_kinds(s, s.notna().to_numpy())
    return None  # numeric, boolean, datetime, interval... dtypes hold one kind


def _example(s: pd.Series, position: int) -> dict[str, Any]:
    text = repr(s.iloc[position])
    if len(text) > _EXAMPLE_CHARS:
        text = text[:_EXAMPLE_CHARS - 3] + "..."
    label = s.index[position]
    return {"row": label.item() if hasattr(label, "item") else label, "value": text}


def mixed_types(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
                text_columns: Sequence[str] = ()) -> MixedTypesResult:
    """Tally the kinds of values in each column and return the columns holding several.

    In ``text_columns`` (free text) a string is a string: a note that reads ``"42"`` is not
    a numeric value polluting the column. Columns are sorted worst first: those mixing
    scalars with containers, then by minority share.
    """
    free_text = set(text_columns)
    names = list(frame.columns if columns is None else columns)
    found: list[ColumnTypeMix] = []
    unexamined: list[tuple[str, str]] = []
    for name in names:
        s = frame[name]
        try:
            kinds = _column_kinds(s)
        except (TypeError, ValueError) as exc:
            unexamined.append((name, f"could not read its values: {type(exc).__name__}: {exc}"))
            continue
        if kinds is None:
            continue
        if name in free_text:
            kinds[kinds == KINDS.index("numeric_string")] = KINDS.index("string")
        counts = np.bincount(kinds[kinds >= 0], minlength=len(KINDS))
        present = np.flatnonzero(counts)
        if len(present) < 2:
            continue
        n_values = int(counts.sum())
        dominant = int(np.argmax(counts))
        tally = {KINDS[k]: int(counts[k]) for k in present}
        examples = {KINDS[k]: _example(s, int(np.argmax(kinds == k)))
                    for k in present if k != dominant}
        has_container = _CONTAINER in tally
        found.append(ColumnTypeMix(
            column=name, n_values=n_values, counts=tally, dominant=KINDS[dominant],
            minority_share=float((n_values - counts[dominant]) / n_values),
            mixes_containers=has_container and len(tally) > 1, examples=examples))
    found.sort(key=lambda c: (not c.mixes_containers, -c.minority_share, c.column))
    return MixedTypesResult(tuple(found), n_columns_checked=len(names) - len(unexamined),
                            unexamined=tuple(unexamined))
