"""Column blocks: many prediction events sent as one record of columns.

A *block* is what one wrapped ``predict`` call produced, as columns rather than one
dict per row::

    {"model": "churn", "model_version": "3", "segment": None,
     "id_prefix": "a1b2-7",                  # ids "a1b2-7-0", "a1b2-7-1", ... or
     "event_ids": [...],                     # one id per row
     "timestamp": "2026-01-02T03:04:05+00:00",   # one per block, or "timestamps": [...]
     "latency_ms": 1.9,                      # one per block, or one per row
     "features": {"age": [41, 52], "plan": ["pro", "basic"]},
     "outputs": {"prediction": [1, 0], "proba": {"0": [0.2, 0.7], "1": [0.8, 0.3]}},
     "metadata": {"batch_rows": 2}}

:func:`expand_blocks` turns blocks into the events of the shared event contract (the
same dicts the per-event path sends), refusing a malformed block as a whole with an
expected / got / fix reason; :func:`ingest_blocks` then stores them with the store's own
``ingest_events``, so every per-event check and the idempotency by ``event_id`` hold.
Columns may be lists or numpy arrays (made plain with ``tolist``; NaN stays a float and is
stored as null, as on the per-event path).

>>> events, rejected = expand_blocks([{"model": "m", "model_version": "1",
...     "id_prefix": "c0", "timestamp": "2026-01-02T00:00:00+00:00", "latency_ms": 2.0,
...     "features": {"x": [1.5, 2.5]}, "outputs": {"prediction": [0, 1], "proba": None}}])
>>> [(e["event_id"], e["features"], e["outputs"]) for e in events], rejected
([('c0-0', {'x': 1.5}, {'prediction': 0, 'proba': None}), \
('c0-1', {'x': 2.5}, {'prediction': 1, 'proba': None})], [])
>>> expand_blocks([{"model": "m"}])[1][0][3].split(" Fix:")[0]
'block: expected one of id_prefix or event_ids; got neither.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._json import jsonable
from ..exceptions import DataError
from .events import SCHEMA_VERSION

__all__ = ["BLOCK_FIELDS", "MAX_BLOCK_ROWS", "ColumnarResult", "block_rows", "expand_blocks",
           "ingest_blocks"]

#: the most rows one block may hold (one wrapped call; larger calls are split by the caller)
MAX_BLOCK_ROWS = 100_000

BLOCK_FIELDS = ("model", "model_version", "segment", "id_prefix", "event_ids", "timestamp",
                "timestamps", "latency_ms", "features", "outputs", "metadata")
_BLOCK_FIELD_SET = frozenset(BLOCK_FIELDS)

#: a refusal: (block index, row in the block or None for the whole block, event id, reason)
Refusal = tuple[int, "int | None", "str | None", str]


@dataclass(frozen=True)
class ColumnarResult:
    """What a batch of blocks did; ``rejected`` as ``(block, row or None, event_id, reason)``."""

    accepted: int
    duplicates: int
    rejected: tuple[Refusal, ...] = ()
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The answer of ``POST /events`` with ``index`` the block and ``row`` the row."""
        return jsonable({"schema_version": self.schema_version, "accepted": self.accepted,
                         "duplicates": self.duplicates, "replaced": [],
                         "rejected": [{"index": b, "row": r, "event_id": e, "reason": why}
                                      for b, r, e, why in self.rejected]})


def _plain(column: Any) -> Any:
    tolist = getattr(column, "tolist", None)
    return tolist() if callable(tolist) and not isinstance(column, (list, tuple)) else column


def _is_column(value: Any) -> bool:
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1)


def _refuse(what: str, expected: str, got: Any, fix: str) -> DataError:
    text = got if isinstance(got, str) else repr(got)
    return DataError(what, expected=expected, got=text[:80], fix=fix)


def block_rows(block: Mapping[str, Any]) -> int:
    """The number of rows of a well-formed block (its prediction column, or its ids)."""
    outputs = block.get("outputs") or {}
    for column in (outputs.get("prediction"), block.get("event_ids")):
        if column is not None:
            return len(column)
    for column in (block.get("features") or {}).values():
        return len(column)
    return 0


def _columns(block: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Every per-row column of the block as (where, column); scalars are left out."""
    out: list[tuple[str, Any]] = []
    for name in ("event_ids", "timestamps"):
        if block.get(name) is not None:
            out.append((name, block[name]))
    if _is_column(block.get("latency_ms")):
        out.append(("latency_ms", block["latency_ms"]))
    features = block.get("features")
    if not isinstance(features, Mapping):
        raise _refuse("block features", "a mapping of feature name to a column of values",
                      type(features).__name__, "send features as {name: [values...]}")
    out += [(f"features[{k!r}]", v) for k, v in features.items()]
    outputs = block.get("outputs")
    if not isinstance(outputs, Mapping):
        raise _refuse("block outputs", "a mapping such as {'prediction': [...]}",
                      type(outputs).__name__, "send outputs as {name: [values...]}")
    for key, value in outputs.items():
        if isinstance(value, Mapping):  # e.g. proba: {class: column}
            out += [(f"outputs[{key!r}][{k!r}]", v) for k, v in value.items()]
        elif value is not None:
            out.append((f"outputs[{key!r}]", value))
    return out


def _rows(block: Any) -> int:
    """Check the block's shape; its number of rows."""
    if not isinstance(block, Mapping):
        raise _refuse("block", "an object with the fields " + ", ".join(BLOCK_FIELDS),
                      type(block).__name__, "send each block as a JSON object")
    if unknown := sorted(str(k) for k in block if k not in _BLOCK_FIELD_SET):
        raise _refuse("block fields", "only " + ", ".join(BLOCK_FIELDS), str(unknown),
                      "put extra information under 'metadata'")
    for one, many in (("id_prefix", "event_ids"), ("timestamp", "timestamps")):
        if (block.get(one) is None) == (block.get(many) is None):
            raise _refuse("block", f"one of {one} or {many}",
                          "both" if block.get(one) is not None else "neither",
                          f"send {one} (one for the block) or {many} (one per row)")
    prefix = block.get("id_prefix")
    if prefix is not None and (not isinstance(prefix, str) or not prefix):
        raise _refuse("block id_prefix", "a non-empty string", prefix,
                      "send id_prefix='<call id>' (ids become <id_prefix>-<row>)")
    columns = _columns(block)
    for where, column in columns:
        if not _is_column(column):
            raise _refuse(f"block {where}", "a list of values (one per row)",
                          type(column).__name__, "send every column as a JSON array")
    lengths = {len(column) for _, column in columns}
    if not lengths:
        raise _refuse("block", "at least one column (features or outputs)", "no columns",
                      "send features and outputs as {name: [values...]}")
    if len(lengths) > 1:
        sizes = ", ".join(f"{where}: {len(column)}" for where, column in columns[:6])
        raise _refuse("block columns", "columns of one length (one value per row)",
                      f"ragged columns ({sizes})", "send one value per row in every column")
    n = lengths.pop()
    if n > MAX_BLOCK_ROWS:
        raise _refuse("block", f"at most {MAX_BLOCK_ROWS} rows", f"{n} rows",
                      "split the call into several blocks")
    metadata = block.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise _refuse("block metadata", "a mapping (copied into every row's metadata)",
                      type(metadata).__name__, "send metadata as an object or leave it out")
    return n


def _expand_one(block: Mapping[str, Any], n: int) -> list[dict[str, Any]]:
    ids = (_plain(block["event_ids"]) if block.get("event_ids") is not None
           else [f"{block['id_prefix']}-{i}" for i in range(n)])
    stamps = (_plain(block["timestamps"]) if block.get("timestamps") is not None
              else [block["timestamp"]] * n)
    latency = block.get("latency_ms")
    latencies = _plain(latency) if _is_column(latency) else [latency] * n
    features = block["features"]
    names = list(features)
    if names:
        rows = zip(*[_plain(features[k]) for k in names])
        feature_rows = [dict(zip(names, row)) for row in rows]
    else:
        feature_rows = [{} for _ in range(n)]
    outputs = block["outputs"]
    output_columns: list[tuple[str, Any]] = []
    for key, value in outputs.items():
        if value is None:
            output_columns.append((key, [None] * n))
        elif isinstance(value, Mapping):
            keys = list(value)
            nested = (zip(*[_plain(value[k]) for k in keys]) if keys else [()] * n)
            output_columns.append((key, [dict(zip(keys, row)) for row in nested]))
        else:
            output_columns.append((key, _plain(value)))
    okeys = [k for k, _ in output_columns]
    output_rows = ([dict(zip(okeys, row)) for row in zip(*[c for _, c in output_columns])]
                   if okeys else [{} for _ in range(n)])
    metadata = block.get("metadata")
    model, version, segment = block.get("model"), block.get("model_version"), block.get("segment")
    return [{"event_id": i, "timestamp": t, "model": model, "model_version": version,
             "segment": segment, "features": f, "outputs": o, "latency_ms": lat,
             "metadata": {} if metadata is None else dict(metadata)}
            for i, t, f, o, lat in zip(ids, stamps, feature_rows, output_rows, latencies)]


def _expand(blocks: Sequence[Any]) -> tuple[list[dict[str, Any]], list[tuple[int, int]],
                                           list[Refusal]]:
    events: list[dict[str, Any]] = []
    origins: list[tuple[int, int]] = []
    rejected: list[Refusal] = []
    for b, block in enumerate(blocks):
        try:
            n = _rows(block)
        except DataError as exc:
            rejected.append((b, None, None, str(exc)))
            continue
        expanded = _expand_one(block, n)
        events += expanded
        origins += [(b, r) for r in range(len(expanded))]
    return events, origins, rejected


def expand_blocks(blocks: Sequence[Any]) -> tuple[list[dict[str, Any]], list[Refusal]]:
    """The events of ``blocks`` (in order) and the blocks refused whole, as
    ``(block, None, None, reason)``; the events themselves are checked by the store."""
    events, _, rejected = _expand(blocks)
    return events, rejected


def ingest_blocks(store: Any, blocks: Sequence[Any]) -> ColumnarResult:
    """Expand ``blocks`` and store their events with ``store.ingest_events`` (idempotent by
    event id); an event the store refuses is reported as ``(block, row, event_id, reason)``."""
    events, origins, rejected = _expand(blocks)
    result = store.ingest_events(events)
    rows = [(*origins[i], event_id, reason) for i, event_id, reason in result.rejected]
    return ColumnarResult(result.accepted, result.duplicates,
                          tuple(sorted(rejected + rows, key=lambda r: (r[0], r[1] or -1))))
