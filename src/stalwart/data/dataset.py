"""Dataset: a table plus its schema and content fingerprint.

Accepts pandas, polars and pyarrow tables, numpy arrays, mappings of columns and paths of
CSV/Parquet files; inside, it always holds a pandas DataFrame.

>>> import numpy as np
>>> ds = Dataset.from_any(np.array([[1.0, 0], [2.0, 1], [3.0, 0]]), columns=["x", "y"], target="y")
>>> ds.n_rows, ds.target, ds.features
(3, 'y', ['x'])
>>> ds.fingerprint.startswith("sha256:")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, SchemaError
from .fingerprint import fingerprint
from .io import read_table
from .schema import Kind, Role, Schema

__all__ = ["Dataset", "to_pandas"]


def to_pandas(data: Any, *, columns: Sequence[str] | None = None, what: str = "data") -> pd.DataFrame:
    """Convert a supported table to a pandas DataFrame (no copy when it already is one)."""
    if isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, (str, Path)):
        frame = read_table(data)
    elif isinstance(data, pd.Series):
        frame = data.to_frame()
    elif isinstance(data, np.ndarray):
        if data.ndim == 1:
            data = data.reshape(-1, 1)
        if data.ndim != 2:
            raise DataError(what, expected="a 2-D array (rows x columns)",
                            got=f"an array with {data.ndim} dimensions",
                            fix="reshape the array to 2-D or pass a DataFrame")
        names = list(columns) if columns is not None else [f"x{i}" for i in range(data.shape[1])]
        if len(names) != data.shape[1]:
            raise DataError("columns", expected=f"{data.shape[1]} names, one per array column",
                            got=f"{len(names)} names", fix="pass one name per column")
        frame = pd.DataFrame(data, columns=names)
    elif isinstance(data, Mapping):
        frame = pd.DataFrame(dict(data))
    elif type(data).__module__.split(".")[0] == "polars":
        frame = data.to_pandas()
    elif type(data).__module__.split(".")[0] == "pyarrow":
        frame = data.to_pandas()
    else:
        raise DataError(what, expected="a pandas, polars or pyarrow table, a numpy array, "
                        "a mapping of columns or a CSV/Parquet path",
                        got=f"an object of type {type(data).__module__}.{type(data).__name__}",
                        fix="convert the data to one of the supported types")
    if columns is not None and not isinstance(data, np.ndarray):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(f"columns of {what}", expected="names of columns in the data",
                            got=f"missing columns {missing}",
                            fix="use one of: " + ", ".join(map(str, frame.columns[:20])))
        frame = frame.loc[:, list(columns)]
    if not all(isinstance(c, str) for c in frame.columns):
        frame = frame.rename(columns=str)
    dup = frame.columns[frame.columns.duplicated()].unique().tolist()
    if dup:
        raise DataError(what, expected="unique column names", got=f"duplicated columns {dup}",
                        fix="rename or drop the duplicated columns")
    return frame


class Dataset:
    """A table with a :class:`Schema` and a content fingerprint."""

    def __init__(self, frame: pd.DataFrame, schema: Schema, *, name: str = "data") -> None:
        self.frame = frame
        self.schema = schema
        self.name = name

    @classmethod
    def from_any(
        cls,
        data: Any,
        *,
        target: str | None = None,
        schema: Schema | None = None,
        roles: Mapping[str, Role | str] | None = None,
        kinds: Mapping[str, Kind | str] | None = None,
        sensitive: Sequence[str] = (),
        columns: Sequence[str] | None = None,
        name: str = "data",
        allow_empty: bool = False,
    ) -> Dataset:
        """Build a Dataset from any supported table; infer the schema unless one is given."""
        if isinstance(data, Dataset):
            return data
        frame = to_pandas(data, columns=columns, what=name)
        if not allow_empty:
            if frame.shape[1] == 0:
                raise DataError(name, expected="at least one column", got="no columns",
                                fix="check the file's header and separator")
            if len(frame) == 0:
                raise DataError(name, expected="at least one row",
                                got=f"0 rows (columns: {', '.join(map(str, frame.columns[:8]))})",
                                fix="check the export or the filter that produced the data")
        if target is not None and target not in frame.columns:
            raise SchemaError("target column", expected="a column of the data",
                              got=f"{target!r}, which is not there",
                              fix="pass one of: " + ", ".join(map(str, frame.columns[:20])))
        if target is not None and frame[target].isna().all():
            raise DataError(f"target column {target!r}", expected="labels in at least one row",
                            got="a column that is missing in every row",
                            fix="check the join that adds labels, or pick another target")
        if schema is None:
            schema = Schema.infer(frame, target=target, roles=roles, kinds=kinds,
                                  sensitive=sensitive)
        else:
            missing = [c for c in schema.names if c not in frame.columns]
            if missing:
                raise SchemaError(f"schema for {name}", expected="every schema column in the data",
                                  got=f"missing columns {missing}",
                                  fix="add the columns or drop them from the schema")
            if target is not None and schema.target not in (None, target):
                raise SchemaError("target", expected="one target column",
                                  got=f"{schema.target!r} in the schema and {target!r} given",
                                  fix="edit the schema's roles, or leave out the target option")
            if target is not None and schema.target is None:
                schema = schema.override(target, role=Role.TARGET)
        return cls(frame, schema, name=name)

    # -- views --------------------------------------------------------------------------
    @property
    def n_rows(self) -> int:
        return len(self.frame)

    @property
    def n_columns(self) -> int:
        return self.frame.shape[1]

    @property
    def target(self) -> str | None:
        return self.schema.target

    @property
    def features(self) -> list[str]:
        return self.schema.features

    @property
    def X(self) -> pd.DataFrame:  # noqa: N802 - the field's own name
        return self.frame[self.features]

    @property
    def y(self) -> pd.Series:
        if self.target is None:
            raise SchemaError(f"target of {self.name}", expected="a column with role 'target'",
                              got="no target column", fix="pass target=<column name>")
        return self.frame[self.target]

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.frame)

    def summary(self) -> dict[str, Any]:
        """Name, shape, fingerprint and schema: what a result records about its data."""
        return {
            "name": self.name,
            "n_rows": self.n_rows,
            "n_columns": self.n_columns,
            "fingerprint": self.fingerprint,
            "target": self.target,
            "memory_bytes": int(self.frame.memory_usage(deep=False).sum()),
        }

    def __repr__(self) -> str:
        return f"Dataset(name={self.name!r}, rows={self.n_rows}, columns={self.n_columns})"
