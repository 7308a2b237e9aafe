"""Compact, pickle-free bytes for profiles: a small JSON header plus the sketches' own bytes.

Layout: ``b"STWPROF"`` + format byte, a 4-byte little-endian header length, the UTF-8 JSON
header (exact fields, and the offset and length of each sketch), then the sketches'
``serialize()`` outputs back to back. Reading never executes code from the bytes.

>>> import pandas as pd
>>> from stalwart.stats.profile import DatasetProfile, profile
>>> p = profile(pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]}))
>>> q = DatasetProfile.from_bytes(p.to_bytes())
>>> q.n_rows, q["x"].mean, q["c"].counts()
(3, 2.0, {'a': 2, 'b': 1})
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import datasketches as ds

from ...exceptions import DataError
from ._distinct import Distinct
from ._moments import Moments
from .column import ColumnProfile

__all__ = ["FORMAT_VERSION", "MAGIC", "dumps", "loads"]

MAGIC = b"STWPROF"
FORMAT_VERSION = 1
_SKETCHES = {  # attribute -> (serialise, deserialise)
    "kll": (lambda s: s.serialize(), ds.kll_doubles_sketch.deserialize),
    "len_kll": (lambda s: s.serialize(), ds.kll_doubles_sketch.deserialize),
    "words_kll": (lambda s: s.serialize(), ds.kll_doubles_sketch.deserialize),
    "freq": (lambda s: s.serialize(), ds.frequent_strings_sketch.deserialize),
}
_INTS = ("kll_k", "max_exact_categories", "hll_lg_k", "frequent_lg_k", "n_rows", "n_missing",
         "n_invalid", "n_infinite", "n_zero_", "n_negative_", "n_integer_valued_",
         "freq_extra_error")
_FLOATS = ("sum_", "min_", "max_")


def _f(x: float) -> float | None:
    return None if math.isnan(x) else x


def _column_state(col: ColumnProfile, blobs: list[bytes], offset: int) -> tuple[dict, int]:
    state: dict[str, Any] = {"name": col.name, "kind": col.kind_, "kind_reason": col.kind_reason,
                             "note": col.note, "type_counts": col.type_counts,
                             "exact": col.exact,
                             "moments": [col.moments.n, col.moments.mean, col.moments.m2]}
    state.update({k: int(getattr(col, k)) for k in _INTS})
    state.update({k: _f(getattr(col, k)) for k in _FLOATS})
    sketches = {}
    for attr, (dump, _load) in _SKETCHES.items():
        sk = getattr(col, attr)
        if sk is not None:
            blob = bytes(dump(sk))
            sketches[attr] = [offset, len(blob)]
            blobs.append(blob)
            offset += len(blob)
    if col.distinct_ is not None:
        blob = col.distinct_.to_bytes()
        sketches["distinct"] = [offset, len(blob)]
        blobs.append(blob)
        offset += len(blob)
    state["sketches"] = sketches
    return state, offset


def dumps(n_rows: int, columns: dict[str, ColumnProfile], meta: dict[str, Any]) -> bytes:
    """Bytes of a dataset profile (see the module docstring for the layout)."""
    blobs: list[bytes] = []
    offset = 0
    states = []
    for col in columns.values():
        state, offset = _column_state(col, blobs, offset)
        states.append(state)
    header = json.dumps({"format": FORMAT_VERSION, "n_rows": int(n_rows), "meta": meta,
                         "columns": states}, allow_nan=False,
                        separators=(",", ":")).encode("utf-8")
    return b"".join([MAGIC, bytes([FORMAT_VERSION]), struct.pack("<I", len(header)), header,
                     *blobs])


def _bad(got: str) -> DataError:
    return DataError("profile bytes", expected="bytes written by DatasetProfile.to_bytes",
                     got=got, fix="pass the exact output of to_bytes() (files opened 'rb')")


def loads(raw: bytes) -> tuple[int, dict[str, ColumnProfile], dict[str, Any]]:
    """Inverse of :func:`dumps`: ``(n_rows, columns, meta)``."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise _bad(f"an object of type {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 5:
        raise _bad(f"{len(raw)} bytes starting {raw[:8]!r}")
    if raw[len(MAGIC)] != FORMAT_VERSION:
        raise _bad(f"format version {raw[len(MAGIC)]} (this version reads {FORMAT_VERSION})")
    start = len(MAGIC) + 5
    (size,) = struct.unpack("<I", raw[len(MAGIC) + 1:start])
    try:
        header = json.loads(raw[start:start + size].decode("utf-8"))
        body = memoryview(raw)[start + size:]
        columns = {}
        for state in header["columns"]:
            col = _column_from_state(state, body)
            columns[col.name] = col
    except (ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise _bad(f"a corrupt or truncated profile ({exc})") from None
    return int(header["n_rows"]), columns, header.get("meta", {})


def _column_from_state(state: dict[str, Any], body: memoryview) -> ColumnProfile:
    col = ColumnProfile(state["name"])
    col.kind_, col.kind_reason, col.note = state["kind"], state["kind_reason"], state["note"]
    col.type_counts = {str(k): int(v) for k, v in state["type_counts"].items()}
    col.exact = (None if state["exact"] is None
                 else {str(k): int(v) for k, v in state["exact"].items()})
    n, mean, m2 = state["moments"]
    col.moments = Moments(int(n), float(mean), float(m2))
    for key in _INTS:
        setattr(col, key, int(state[key]))
    for key in _FLOATS:
        setattr(col, key, float("nan") if state[key] is None else float(state[key]))
    for attr, (off, length) in state["sketches"].items():
        if off < 0 or off + length > len(body):
            raise ValueError(f"sketch {attr!r} outside the data")
        blob = bytes(body[off:off + length])
        if attr == "distinct":
            col.distinct_ = Distinct.from_bytes(blob, col.hll_lg_k)
        else:
            setattr(col, attr, _SKETCHES[attr][1](blob))
    return col
