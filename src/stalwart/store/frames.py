"""Column blocks in a binary frame: numeric columns travel as raw little-endian arrays.

``monitor.wrap`` sends one column block per ``predict`` call (:mod:`.columnar`). As JSON,
every number of a block is written out as text by the client's background thread and
parsed back by the server: for 1,000 rows of 15 columns that is most of a millisecond
with the interpreter lock held, more than a fast model's ``predict``. A frame instead
carries each numeric column as its bytes (a copy, no formatting) and everything else
(names, ids, strings, scalars) as a small JSON header.

Written here rather than with Arrow IPC or ``numpy.savez`` because the client must stay
light (pyarrow is a 40 MB wheel the client does not otherwise need) and ``savez`` zips and
names every array (slower than the JSON it replaces for small blocks). The decoder never
builds objects from the bytes: it allows only plain numeric dtypes (no pickle, no object
arrays) and checks every offset against the body before reading.

Layout (version 1)::

    b"STWF" | version (1 byte) | header length (4 bytes, little-endian) | header JSON
            | the arrays' bytes, each starting where the header says

The header is ``{"blocks": [...], "arrays": [{"dtype": "<f8", "shape": [n] or [n, k],
"offset": o}, ...]}``; inside the blocks, a column held in the arrays is the object
``{"$array": i}``, and a whole mapping of columns held as one 2-D array (a
:class:`ColumnMatrix`: a call's input rows, its class probabilities) is
``{"$matrix": i, "columns": [names]}``. These objects are replaced only where columns are
expected (the features, the outputs and their nested mappings such as ``proba``,
``latency_ms``), so a user's metadata is never touched.

>>> import numpy as np
>>> block = {"model": "m", "model_version": "1", "id_prefix": "c0",
...          "timestamp": "2026-01-02T00:00:00+00:00", "latency_ms": 2.0,
...          "features": {"x": np.array([1.5, np.nan]), "plan": np.array(["a", "b"])},
...          "outputs": {"prediction": np.array([0, 1]), "proba": None}}
>>> decoded = decode_frame(encode_frame([block]))
>>> decoded[0]["features"]["x"], decoded[0]["features"]["plan"]
([1.5, None], ['a', 'b'])
>>> decoded[0]["outputs"]["prediction"].tolist()
[0, 1]
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._json import dumps
from ..exceptions import DataError

__all__ = ["FRAME_MEDIA_TYPE", "ColumnMatrix", "decode_frame", "encode_frame", "is_frame"]

#: the media type of a frame (the ``Content-Type`` of ``POST /api/v1/events/frames``)
FRAME_MEDIA_TYPE = "application/vnd.stalwart.frame"

_MAGIC = b"STWF"
_VERSION = 1
_PREFIX = struct.Struct("<4sBI")  # magic, version, header length
_ALIGN = 8
#: the dtypes a frame may carry: plain numbers and booleans, never objects
_DTYPES = frozenset({"|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8",
                     "<f2", "<f4", "<f8"})
_REF = "$array"
_MATRIX = "$matrix"


class ColumnMatrix(dict):
    """Columns that are the columns of one 2-D array (a wrapped call's input rows, or its
    class probabilities): a plain ``{name: column}`` mapping everywhere else, written to a
    frame as the one array, row by row, with no copy per column.

    >>> m = ColumnMatrix(["a", "b"], np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> {k: v.tolist() for k, v in m.items()}
    {'a': [1.0, 3.0], 'b': [2.0, 4.0]}
    """

    def __init__(self, names: Sequence[str], matrix: np.ndarray) -> None:
        if matrix.ndim != 2 or matrix.shape[1] != len(names):
            raise ValueError(f"ColumnMatrix: {len(names)} names for shape {matrix.shape}")
        super().__init__(zip(names, matrix.T))
        self.names = list(names)
        self.matrix = matrix


def is_frame(body: bytes) -> bool:
    """Whether ``body`` starts like a frame."""
    return body[:4] == _MAGIC


def _wire_dtype(array: np.ndarray) -> np.dtype | None:
    """The little-endian dtype the array travels as, or None (it goes in the header)."""
    if array.ndim not in (1, 2) or array.dtype.kind not in "biuf":
        return None
    wire = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
    return wire if wire.str in _DTYPES else None


class _Writer:
    def __init__(self) -> None:
        self.arrays: list[dict[str, Any]] = []
        self.chunks: list[bytes] = []
        self.size = 0

    def _add(self, array: np.ndarray, wire: np.dtype) -> int:
        data = array.astype(wire, copy=False).tobytes()  # C order: row by row for a matrix
        pad = -self.size % _ALIGN
        if pad:
            self.chunks.append(b"\0" * pad)
            self.size += pad
        self.arrays.append({"dtype": wire.str, "shape": list(array.shape),
                            "offset": self.size})
        self.chunks.append(data)
        self.size += len(data)
        return len(self.arrays) - 1

    def column(self, value: Any) -> Any:
        if not isinstance(value, np.ndarray) or value.ndim != 1:
            return value
        wire = _wire_dtype(value)
        if wire is None:
            return value  # strings, objects, datetimes: JSON in the header
        return {_REF: self._add(value, wire)}

    def columns(self, value: Mapping[str, Any]) -> dict[str, Any]:
        """A mapping of columns; a numeric ColumnMatrix as its one 2-D array."""
        if isinstance(value, ColumnMatrix):
            wire = _wire_dtype(value.matrix)
            if wire is not None:
                return {_MATRIX: self._add(value.matrix, wire), "columns": value.names}
        return {k: self.column(v) for k, v in value.items()}

    def block(self, block: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(block)
        if isinstance(block.get("features"), Mapping):
            out["features"] = self.columns(block["features"])
        if isinstance(block.get("outputs"), Mapping):
            out["outputs"] = {k: (self.columns(v) if isinstance(v, Mapping)
                                  else self.column(v))
                              for k, v in block["outputs"].items()}
        if isinstance(block.get("latency_ms"), np.ndarray):
            out["latency_ms"] = self.column(block["latency_ms"])
        return out


def encode_frame(blocks: Sequence[Mapping[str, Any]]) -> bytes:
    """The frame of ``blocks`` (columns may be numpy arrays, lists or scalars)."""
    writer = _Writer()
    header = dumps({"blocks": [writer.block(b) for b in blocks], "arrays": writer.arrays})
    start = _PREFIX.size + len(header)
    pad = -start % _ALIGN
    return b"".join([_PREFIX.pack(_MAGIC, _VERSION, len(header) + pad), header,
                     b" " * pad, *writer.chunks])


def _refuse(what: str, expected: str, got: Any) -> DataError:
    text = got if isinstance(got, str) else repr(got)
    return DataError(what, expected=expected, got=text[:80],
                     fix="send the frame HttpSink writes (stalwart.store.frames.encode_frame), "
                         "or JSON blocks to /api/v1/events/columnar")


def _finite(column: np.ndarray) -> Any:
    """The column, or as a list with None for NaN and infinity (as the JSON path sends)."""
    if column.dtype.kind == "f" and not np.isfinite(column).all():
        return [v if math.isfinite(v) else None for v in column.tolist()]
    return column


def _is_ref(value: Any, key: str) -> bool:
    return isinstance(value, Mapping) and key in value


class _Reader:
    def __init__(self, arrays: Any, data: memoryview) -> None:
        if not isinstance(arrays, list):
            raise _refuse("frame arrays", "a list of {dtype, shape, offset}",
                          type(arrays).__name__)
        self.arrays = [self._array(i, spec, data) for i, spec in enumerate(arrays)]

    @staticmethod
    def _array(i: int, spec: Any, data: memoryview) -> np.ndarray:
        if not isinstance(spec, Mapping) or set(spec) != {"dtype", "shape", "offset"}:
            raise _refuse(f"frame array {i}", "an object {dtype, shape, offset}", spec)
        dtype, shape, offset = spec["dtype"], spec["shape"], spec["offset"]
        if dtype not in _DTYPES:
            raise _refuse(f"frame array {i} dtype", "one of " + ", ".join(sorted(_DTYPES)),
                          dtype)
        if (not isinstance(shape, list) or len(shape) not in (1, 2)
                or any(type(n) is not int or n < 0 for n in shape)):
            raise _refuse(f"frame array {i} shape", "[rows] or [rows, columns], integers "
                          ">= 0", shape)
        if type(offset) is not int or offset < 0:
            raise _refuse(f"frame array {i} offset", "an integer >= 0", offset)
        count = math.prod(shape)
        size = np.dtype(dtype).itemsize * count
        if offset + size > len(data):
            raise _refuse(f"frame array {i}", f"bytes {offset}..{offset + size} inside the "
                          f"body's {len(data)} bytes of arrays", "an array past the end")
        return np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shape)

    def _get(self, i: Any, ndim: int) -> np.ndarray:
        if type(i) is not int or not 0 <= i < len(self.arrays):
            raise _refuse("frame array reference", f"an array index below {len(self.arrays)}",
                          i)
        array = self.arrays[i]
        if array.ndim != ndim:
            raise _refuse(f"frame array {i}", f"{ndim} dimension(s) where it is used",
                          f"shape {list(array.shape)}")
        return array

    def column(self, value: Any) -> Any:
        if _is_ref(value, _REF) and len(value) == 1:
            return _finite(self._get(value[_REF], 1))
        return value

    def columns(self, value: Mapping[str, Any]) -> Any:
        if _is_ref(value, _MATRIX) and set(value) == {_MATRIX, "columns"}:
            matrix, names = self._get(value[_MATRIX], 2), value["columns"]
            if not isinstance(names, list) or len(names) != matrix.shape[1]:
                raise _refuse("frame matrix columns", f"{matrix.shape[1]} column names",
                              names)
            return {str(k): _finite(matrix[:, j]) for j, k in enumerate(names)}
        return {k: self.column(v) for k, v in value.items()}

    def output(self, value: Any) -> Any:
        """An output column, or a mapping of columns such as ``proba``."""
        if isinstance(value, Mapping) and not (_is_ref(value, _REF) and len(value) == 1):
            return self.columns(value)
        return self.column(value)

    def block(self, block: Any) -> Any:
        if not isinstance(block, Mapping):
            return block  # refused whole, with its reason, by expand_blocks
        out = dict(block)
        if isinstance(block.get("features"), Mapping):
            out["features"] = self.columns(block["features"])
        if isinstance(block.get("outputs"), Mapping):
            out["outputs"] = {k: self.output(v) for k, v in block["outputs"].items()}
        if "latency_ms" in block:
            out["latency_ms"] = self.column(block["latency_ms"])
        return out


def decode_frame(body: bytes) -> list[Any]:
    """The blocks of a frame, numeric columns as read-only numpy arrays (or lists with None
    where a float was NaN or infinite); :class:`DataError` for anything malformed."""
    if len(body) < _PREFIX.size or not is_frame(body):
        raise _refuse("frame", f"a body starting with {_MAGIC!r}, version {_VERSION}",
                      bytes(body[:8]))
    _, version, header_len = _PREFIX.unpack_from(body)
    if version != _VERSION:
        raise _refuse("frame version", f"version {_VERSION}", version)
    start = _PREFIX.size + header_len
    if start > len(body):
        raise _refuse("frame header", f"{header_len} bytes of header",
                      f"{len(body)} bytes in all")
    try:
        header = json.loads(bytes(body[_PREFIX.size:start]))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse("frame header", "JSON", str(exc)) from None
    if not isinstance(header, dict) or not isinstance(header.get("blocks"), list):
        raise _refuse("frame header", "an object {blocks: [...], arrays: [...]}",
                      type(header).__name__)
    reader = _Reader(header.get("arrays", []), memoryview(body)[start:])
    return [reader.block(b) for b in header["blocks"]]
