"""Turn numpy and pandas scalars, enums, dataclasses and paths into plain JSON values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FieldsJSON", "dumps", "jsonable"]


def jsonable(value: Any) -> Any:
    """Recursively convert ``value`` into JSON-safe types; NaN and inf become None.

    >>> jsonable({"a": np.float64(1.5), "b": [np.int64(2), float("nan")], "c": (1, 2)})
    {'a': 1.5, 'b': [2, None], 'c': [1, 2]}
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.ndim == 1 and value.dtype.kind in "biuf":  # a column: tolist in C
            if value.dtype.kind != "f" or np.isfinite(value).all():
                return value.tolist()
            return [v if math.isfinite(v) else None for v in value.tolist()]
        return [jsonable(v) for v in value.tolist()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            return jsonable(to_dict())
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # pandas/numpy scalars
        try:
            return jsonable(value.item())
        except (ValueError, TypeError):
            pass
    if value is getattr(__import__("pandas"), "NA", object()) or value is getattr(
            __import__("pandas"), "NaT", object()):
        return None
    return str(value)


class FieldsJSON:
    """Mixin for frozen dataclass records whose JSON form is their fields, made JSON-safe
    (the fields are converted, not the record, so ``jsonable`` never calls back here).

    >>> @dataclasses.dataclass(frozen=True)
    ... class R(FieldsJSON):
    ...     at: dt.date
    ...     x: float
    >>> R(dt.date(2026, 1, 2), float("nan")).to_dict()
    {'at': '2026-01-02', 'x': None}
    """

    def to_dict(self) -> dict[str, Any]:
        return jsonable({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})



def dumps(payload: Any) -> bytes:
    """JSON bytes of ``payload`` with numpy values, datetimes and NaN made JSON-safe.

    orjson (when installed) encodes plain values, numpy arrays (the columns of a block),
    and NaN or infinity as null, in C and hands the rest (numpy scalars, datetimes, ...) to
    :func:`jsonable`; without it, or for what it refuses (non-string keys, integers beyond
    64 bits), the standard library's C encoder does the same (numpy arrays through
    ``tolist``), sending the payload through ``jsonable`` when it holds a NaN.

    >>> dumps({"x": np.int64(2), "y": [1.5, float("nan")]})
    b'{"x":2,"y":[1.5,null]}'
    """
    if _orjson is not None:
        try:
            return _orjson.dumps(payload, default=jsonable, option=_ORJSON_OPTIONS)
        except TypeError:
            pass
    try:
        text = json.dumps(payload, separators=(",", ":"), allow_nan=False, default=jsonable)
    except ValueError:  # NaN or infinity: the slow path turns them into null
        text = json.dumps(jsonable(payload), separators=(",", ":"), allow_nan=False)
    return text.encode()


try:  # FastAPI's optional fast JSON codec; the standard library otherwise
    import orjson as _orjson
    _ORJSON_OPTIONS = (_orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_DATACLASS
                       | _orjson.OPT_PASSTHROUGH_SUBCLASS | _orjson.OPT_SERIALIZE_NUMPY)
except ImportError:  # pragma: no cover
    _orjson = None
    _ORJSON_OPTIONS = 0
