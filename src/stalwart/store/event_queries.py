"""Reading events back: a model's events (labels joined) as a frame, whole or in chunks, with
feature and output mappings flattened into dotted columns.

>>> flatten({"prediction": 1, "proba": {"0": 0.2, "1": 0.8}}, "outputs")
{'outputs.prediction': 1, 'outputs.proba.0': 0.2, 'outputs.proba.1': 0.8}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .events import BASE_COLUMNS, to_utc
from .schema import Event, Label

__all__ = ["events_frame", "flatten", "iter_events"]


def flatten(mapping: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """Nested objects as dotted columns (``outputs.proba.<class>``)."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


def _query(model: str, start: Any, end: Any, segment: str | None, model_version: str | None,
           with_labels: bool, *, newest_first: bool = False) -> sa.Select:
    e = Event.__table__
    cols = [e.c.event_id, e.c.timestamp, e.c.model, e.c.model_version, e.c.segment,
            e.c.latency_ms, e.c.features, e.c.outputs]
    if with_labels:
        lab = Label.__table__
        query = sa.select(*cols, lab.c.label).select_from(
            e.outerjoin(lab, lab.c.event_id == e.c.event_id))
    else:
        query = sa.select(*cols)
    query = query.where(e.c.model == model)
    if start is not None:
        query = query.where(e.c.timestamp >= to_utc(start, "start"))
    if end is not None:
        query = query.where(e.c.timestamp < to_utc(end, "end"))
    if segment is not None:
        query = query.where(e.c.segment == segment)
    if model_version is not None:
        query = query.where(e.c.model_version == model_version)
    if newest_first:
        return query.order_by(e.c.timestamp.desc(), e.c.id.desc())
    return query.order_by(e.c.timestamp, e.c.id)


def _frame(rows: list[Any], with_labels: bool) -> pd.DataFrame:
    records = []
    for row in rows:
        m = row._mapping
        rec = {k: m[k] for k in BASE_COLUMNS[:-1]}
        rec["label"] = m["label"] if with_labels else None
        rec.update(flatten(m["features"] or {}, "features"))
        rec.update(flatten(m["outputs"] or {}, "outputs"))
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=None if records else BASE_COLUMNS)
    extra = [c for c in frame.columns if c not in BASE_COLUMNS]
    ordered = (sorted(c for c in extra if c.startswith("features."))
               + sorted(c for c in extra if c.startswith("outputs.")))
    frame = frame[BASE_COLUMNS + ordered]
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.tz_localize("UTC")
    frame["latency_ms"] = frame["latency_ms"].astype(float)
    return frame.reset_index(drop=True)


def events_frame(engine: Engine, model: str, *, start: Any = None, end: Any = None,
                 segment: str | None = None, model_version: str | None = None,
                 with_labels: bool = True, limit: int | None = None,
                 newest_first: bool = False) -> pd.DataFrame:
    """Events of ``model`` in ``[start, end)`` ordered by time, flattened, labels joined;
    at most the first ``limit`` of them (a SQL LIMIT) when given, or the last ``limit`` with
    ``newest_first=True`` (still returned in time order)."""
    query = _query(model, start, end, segment, model_version, with_labels,
                   newest_first=newest_first)
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            from ..exceptions import ParameterError
            raise ParameterError("limit", expected="an integer >= 1 or None", got=repr(limit),
                                 fix="pass limit=1000")
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows[::-1] if newest_first else rows, with_labels)


def iter_events(engine: Engine, model: str, *, start: Any = None, end: Any = None,
                segment: str | None = None, model_version: str | None = None,
                with_labels: bool = True, chunk_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """The same frames as :func:`events_frame`, ``chunk_size`` rows at a time (streamed)."""
    if not isinstance(chunk_size, int) or chunk_size < 1:
        from ..exceptions import ParameterError
        raise ParameterError("chunk_size", expected="an integer >= 1", got=repr(chunk_size),
                             fix="pass chunk_size=10000")
    query = _query(model, start, end, segment, model_version, with_labels)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=chunk_size).execute(query)
        for part in result.partitions(chunk_size):
            yield _frame(list(part), with_labels)
