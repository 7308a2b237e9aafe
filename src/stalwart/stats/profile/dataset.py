"""DatasetProfile: the row count and one mergeable :class:`ColumnProfile` per column.

Two profiles are enough to compute drift and quality: each records ``n_rows`` and every
column's kind. Profiles of batches, windows or partitions merge into the profile of all
their rows; ``to_bytes`` gives compact pickle-free bytes.

>>> import pandas as pd
>>> from stalwart.stats.profile import profile
>>> a = profile(pd.DataFrame({"x": [1, 2], "c": ["u", "v"]}))
>>> b = profile(pd.DataFrame({"x": [3, 4], "d": [True, False]}))
>>> m = a.merge(b)
>>> m.n_rows, list(m.columns), m["x"].n_rows, m.kinds
(4, ['x', 'c', 'd'], 4, {'x': 'numeric', 'c': 'categorical', 'd': 'boolean'})
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..._json import jsonable
from ...exceptions import SchemaError
from .column import ColumnProfile
from .serialize import dumps, loads

__all__ = ["DatasetProfile"]

SCHEMA_VERSION = "1.0"


class DatasetProfile:
    """Profile of a table: ``n_rows`` and ``columns`` (name -> :class:`ColumnProfile`).

    A column absent from some of the merged parts has a smaller ``n_rows`` than the
    dataset: its rows count only where it was present.
    """

    def __init__(self, n_rows: int, columns: Mapping[str, ColumnProfile],
                 meta: Mapping[str, Any] | None = None) -> None:
        self.n_rows = int(n_rows)
        self.columns: dict[str, ColumnProfile] = dict(columns)
        self.meta: dict[str, Any] = dict(meta or {})

    # -- access --------------------------------------------------------------------------
    def __getitem__(self, name: str) -> ColumnProfile:
        try:
            return self.columns[name]
        except KeyError:
            shown = ", ".join(list(self.columns)[:12])
            raise SchemaError(f"column {name!r}", expected="a column of the profile",
                              got=f"{name!r}, which is not profiled",
                              fix=f"use one of: {shown}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def kinds(self) -> dict[str, str]:
        """Column name -> kind."""
        return {name: col.kind for name, col in self.columns.items()}

    # -- merge and serialisation ---------------------------------------------------------
    def merge(self, other: DatasetProfile) -> DatasetProfile:
        """New profile of both parts' rows; columns are the union (this one's order first)."""
        if not isinstance(other, DatasetProfile):
            raise SchemaError("profile to merge", expected="a DatasetProfile",
                              got=f"an object of type {type(other).__name__}",
                              fix="build it with stalwart.stats.profile.profile(data)")
        cols: dict[str, ColumnProfile] = {}
        for name in [*self.columns, *(n for n in other.columns if n not in self.columns)]:
            a, b = self.columns.get(name), other.columns.get(name)
            if a is not None and b is not None:
                cols[name] = a.merge(b)
            else:  # a copy, so that the result shares no sketch with its operands
                only = a if a is not None else b
                cols[name] = only.merge(_empty_like(only))
        return DatasetProfile(self.n_rows + other.n_rows, cols, self.meta)

    def to_bytes(self) -> bytes:
        return dumps(self.n_rows, self.columns, self.meta)

    @classmethod
    def from_bytes(cls, raw: bytes) -> DatasetProfile:
        n_rows, columns, meta = loads(raw)
        return cls(n_rows, columns, meta)

    def to_dict(self) -> dict[str, Any]:
        """JSON summary (``schema_version`` "1.0") with one entry per column."""
        return jsonable({"schema_version": SCHEMA_VERSION, "n_rows": self.n_rows,
                         "n_columns": len(self.columns), "meta": self.meta,
                         "columns": {name: col.to_dict() for name, col in self.columns.items()}})

    def __repr__(self) -> str:
        return f"DatasetProfile(n_rows={self.n_rows}, columns={list(self.columns)})"


def _empty_like(col: ColumnProfile) -> ColumnProfile:
    return ColumnProfile(col.name, kll_k=col.kll_k, max_exact_categories=col.max_exact_categories,
                         hll_lg_k=col.hll_lg_k, frequent_lg_k=col.frequent_lg_k)
