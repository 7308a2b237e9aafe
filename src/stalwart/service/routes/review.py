"""The human review queue: flag events (ingest), list (read) and resolve into a label
(admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from ...exceptions import DataError
from ...store import REVIEW_STATUSES, Store
from ..deps import MAX_ROW_ID, get_store, require_scope
from ..schemas import ResolveIn, ReviewBatch
from ._frames import jsonable_list, record

router = APIRouter(prefix="/api/v1", tags=["review"])


def status_filter(status: str = Query("open", description="open, resolved or all")
                  ) -> str | None:
    """The review status to list (None: all), or a 400 naming the choices."""
    if status != "all" and status not in REVIEW_STATUSES:
        raise HTTPException(400, detail=f"status must be open, resolved or all, got {status!r}")
    return None if status == "all" else status


@router.get("/review", summary="Review queue items, oldest first")
def list_items(status: str | None = Depends(status_filter),
               limit: int = Query(100, ge=1, le=10_000), store: Store = Depends(get_store),
               _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    items = store.review_items(status, limit=limit)
    return {"items": jsonable_list(items)}


@router.post("/review", summary="Queue logged events for human review (batch)")
def enqueue(body: ReviewBatch, store: Store = Depends(get_store),
            _: str = Depends(require_scope("ingest"))) -> dict[str, Any]:
    outcomes = store.enqueue_reviews(body.items)
    counts = {s: sum(o.status == s for o in outcomes)
              for s in ("queued", "already_open", "refused")}
    return {**counts, "items": [o.to_dict() for o in outcomes]}


@router.post("/review/{item_id}/resolve", summary="Resolve an item; its label is stored")
def resolve(body: ResolveIn, item_id: int = Path(ge=1, le=MAX_ROW_ID),
            store: Store = Depends(get_store),
            principal: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    if body.label is None:
        raise HTTPException(400, detail="label is null. Fix: send the true label")
    try:
        return record(store.resolve_review(item_id, label=body.label,
                                           by=body.by or principal))
    except DataError as exc:
        text = str(exc)
        status = 404 if "id of a queued item" in text else 409 if "open item" in text else 400
        raise HTTPException(status, detail=str(exc)) from None
