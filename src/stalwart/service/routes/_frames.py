"""DataFrames as JSON records (times in ISO-8601 UTC, NaN as null)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pandas as pd

from ..._json import jsonable

__all__ = ["jsonable_list", "record", "records"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """
    >>> records(pd.DataFrame({"t": pd.to_datetime(["2026-01-01"]), "x": [float("nan")]}))
    [{'t': '2026-01-01T00:00:00.000000Z', 'x': None}]
    """
    frame = frame.copy()
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]) and frame[col].dt.tz is None:
            frame[col] = frame[col].dt.tz_localize("UTC")
    return json.loads(frame.to_json(orient="records", date_format="iso", date_unit="us"))


def record(item: Any) -> dict[str, Any]:
    """A store record (frozen dataclass) as a JSON-safe dict, field by field.

    (The store records' own ``to_dict`` calls ``jsonable(self)``, which calls ``to_dict``
    again; converting the fields here avoids that loop.)
    """
    return {f.name: jsonable(getattr(item, f.name)) for f in dataclasses.fields(item)}


def jsonable_list(items: Any) -> list[dict[str, Any]]:
    """Store records as a list of JSON-safe dicts."""
    return [record(item) for item in items]
