"""Prediction events sent as column blocks (ingest scope).

- ``POST /api/v1/events/columnar``: the blocks as JSON;
- ``POST /api/v1/events/frames``: the blocks as one binary frame
  (``application/vnd.stalwart.frame``, see :mod:`stalwart.store.frames`: numeric columns
  as raw arrays), what :class:`~stalwart.monitoring.sinks.HttpSink` sends.

One block per wrapped ``predict`` call (see :mod:`stalwart.store.columnar` for the
format); the server expands the blocks into events and stores them as ``POST /events``
does, so the answer has the same shape, with ``index`` the block and ``row`` the row in it
(``row`` null when the whole block is refused).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from ...store import Store
from ...store.columnar import ingest_blocks
from ...store.frames import FRAME_MEDIA_TYPE, decode_frame
from ..deps import get_metrics, get_store, require_scope
from ..schemas import _Body
from ..telemetry import Metrics
from .events import FastJSONRoute

__all__ = ["BlockBatch", "router"]


class BlockBatch(_Body):
    blocks: list[Any] = Field(description="Column blocks {model, model_version, id_prefix or "
                              "event_ids, timestamp or timestamps, latency_ms, features: "
                              "{name: [...]}, outputs: {prediction: [...], proba: "
                              "{class: [...]}}, segment?, metadata?}.")


router = APIRouter(prefix="/api/v1", tags=["events"], route_class=FastJSONRoute)


@router.post("/events/columnar",
             summary="Ingest prediction events as column blocks (idempotent by event_id)")
def ingest_columnar(batch: BlockBatch, store: Store = Depends(get_store),
                    metrics: Metrics = Depends(get_metrics),
                    _: str = Depends(require_scope("ingest"))) -> dict[str, Any]:
    """Expands every block into one event per row and stores the valid ones; a malformed
    block, or an invalid row, is listed in ``rejected`` with the reason and the rest kept."""
    return _store_blocks(store, metrics, batch.blocks)


def _store_blocks(store: Store, metrics: Metrics, blocks: Any) -> dict[str, Any]:
    start = time.perf_counter()
    result = ingest_blocks(store, blocks)
    metrics.observe_ingest(time.perf_counter() - start, accepted=result.accepted,
                           duplicates=result.duplicates, rejected=len(result.rejected))
    return result.to_dict()


@router.post("/events/frames",
             summary="Ingest prediction events as column blocks in a binary frame",
             openapi_extra={"requestBody": {"required": True, "content": {
                 FRAME_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}})
async def ingest_frames(request: Request, store: Store = Depends(get_store),
                        metrics: Metrics = Depends(get_metrics),
                        _: str = Depends(require_scope("ingest"))) -> Any:
    """The blocks of ``POST /events/columnar`` in one frame (``stalwart.store.frames``:
    a JSON header and numeric columns as raw little-endian arrays); the answer is the same.
    A body of another media type gets 415, a malformed frame 400 with the reason."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != FRAME_MEDIA_TYPE:
        return JSONResponse({"detail": f"POST /events/frames: expected Content-Type "
                             f"{FRAME_MEDIA_TYPE}; got {media or 'none'}. Fix: send the "
                             "frame HttpSink writes, or JSON blocks to /events/columnar.",
                             "error": "UnsupportedMediaType"}, status_code=415)
    body = await request.body()
    # decoded off the event loop too; a malformed frame's DataError is answered 400
    return await run_in_threadpool(lambda: _store_blocks(store, metrics, decode_frame(body)))
