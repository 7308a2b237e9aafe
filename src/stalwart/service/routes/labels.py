"""``POST /api/v1/labels`` (ingest): labels joined to their events by event_id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from ...store import Store
from ..deps import get_metrics, get_store, require_scope
from ..schemas import LabelBatch
from ..telemetry import Metrics
from .events import FastJSONRoute

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["events"], route_class=FastJSONRoute)


@router.post("/labels", summary="Add labels (a changed label replaces the old one)")
def add_labels(batch: LabelBatch, store: Store = Depends(get_store),
               metrics: Metrics = Depends(get_metrics),
               _: str = Depends(require_scope("ingest"))) -> dict[str, Any]:
    result = store.add_labels(batch.labels)
    metrics.count_labels(accepted=result.accepted, duplicates=result.duplicates,
                         rejected=len(result.rejected))
    return result.to_dict()
