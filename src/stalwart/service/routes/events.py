"""``POST /api/v1/events`` (ingest) and ``GET /api/v1/events`` (read).

The ingest routes parse their JSON body with orjson when it is installed (about three
times faster than the standard library on a batch of events); a body orjson refuses but
Python's parser takes (``NaN``, integers beyond 64 bits, lone surrogates) is parsed by the
standard library, so what is accepted does not change.

>>> loads(b'{"events": [{"x": NaN}]}')["events"][0]["x"]
nan
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute

from ...store import Store
from ..deps import get_metrics, get_store, require_scope
from ..schemas import EventBatch
from ..telemetry import Metrics
from ._frames import records

__all__ = ["FastJSONRoute", "loads", "router"]

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - the standard library parses everything
    _orjson = None


def loads(body: bytes) -> Any:
    """The JSON value of ``body`` (orjson first, the standard library for what it refuses);
    an invalid body raises :class:`json.JSONDecodeError` as FastAPI expects."""
    if _orjson is not None:
        try:
            return _orjson.loads(body)
        except _orjson.JSONDecodeError:
            pass
    return json.loads(body)


class _FastJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class FastJSONRoute(APIRoute):
    """A route whose JSON body is parsed by :func:`loads` (validation is unchanged)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(_FastJSONRequest(request.scope, request.receive))

        return route


router = APIRouter(prefix="/api/v1", tags=["events"], route_class=FastJSONRoute)


@router.post("/events", summary="Ingest prediction events (idempotent by event_id)")
def ingest(batch: EventBatch, store: Store = Depends(get_store),
           metrics: Metrics = Depends(get_metrics),
           _: str = Depends(require_scope("ingest"))) -> dict[str, Any]:
    """Stores the valid events; invalid ones are listed in ``rejected`` with the reason and
    the rest of the batch is kept. Repeated event_ids count as ``duplicates``."""
    start = time.perf_counter()
    result = store.ingest_events(batch.events)
    metrics.observe_ingest(time.perf_counter() - start, accepted=result.accepted,
                           duplicates=result.duplicates, rejected=len(result.rejected))
    return result.to_dict()


@router.get("/events", summary="Stored events of a model as JSON records")
def list_events(model: str = Query(min_length=1), start: str | None = None,
                end: str | None = None, segment: str | None = None,
                model_version: str | None = None,
                limit: int = Query(1000, ge=1, le=100_000),
                store: Store = Depends(get_store),
                _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    """Events in ``[start, end)`` (ISO-8601), oldest first, with their labels joined;
    feature and output columns are flattened (``features.x``, ``outputs.prediction``)."""
    rows = records(_first_events(store, model, start=start, end=end, segment=segment,
                                 model_version=model_version, limit=limit))
    return {"model": model, "count": len(rows), "limit": limit, "events": rows}


def _first_events(store: Store, model: str, *, limit: int, **filters: Any) -> Any:
    """The first ``limit`` events as the store's frame (a SQL LIMIT)."""
    return store.events(model, limit=limit, **filters)
