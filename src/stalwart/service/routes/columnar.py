"""``POST /api/v1/events/columnar``: prediction events sent as column blocks (ingest).

One block per wrapped ``predict`` call (see :mod:`stalwart.store.columnar` for the
format); the server expands the blocks into events and stores them as ``POST /events``
does, so the answer has the same shape, with ``index`` the block and ``row`` the row in it
(``row`` null when the whole block is refused).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import Field

from ...store import Store
from ...store.columnar import ingest_blocks
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
    start = time.perf_counter()
    result = ingest_blocks(store, batch.blocks)
    metrics.observe_ingest(time.perf_counter() - start, accepted=result.accepted,
                           duplicates=result.duplicates, rejected=len(result.rejected))
    return result.to_dict()
