"""Read-only routes the dashboard draws from: the models overview, a model's features, one
feature's reference-vs-current distribution and the review queue with its events.

Each is one library call (:mod:`stalwart.monitoring.overview`,
:mod:`stalwart.monitoring.distributions`); a missing reference, feature or period is a
400 that says how to fix it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ...monitoring.distributions import feature_distribution, model_features
from ...monitoring.overview import models_overview, review_queue
from ...store import Store
from ..deps import get_store, require_scope
from .review import status_filter

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["overview"])


@router.get("/overview", summary="Every model with versions, events, monitors and alerts")
def overview(store: Store = Depends(get_store),
             _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return models_overview(store).to_dict()


@router.get("/models/{model}/features", summary="Feature names seen in a model's events")
def features(model: str, start: str | None = None, end: str | None = None,
             store: Store = Depends(get_store),
             _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"model": model, "features": model_features(store, model, start=start, end=end)}


@router.get("/models/{model}/distribution",
            summary="One feature: reference vs current histogram and drift statistic")
def distribution(model: str, feature: str = Query(min_length=1), start: str | None = None,
                 end: str | None = None, reference_start: str | None = None,
                 reference_end: str | None = None, reference: str = "default",
                 store: Store = Depends(get_store),
                 _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    """Current = events in ``[start, end)``; reference = events in
    ``[reference_start, reference_end)`` when given, else the stored profile ``reference``."""
    return feature_distribution(store, model, feature, start=start, end=end,
                                reference_start=reference_start, reference_end=reference_end,
                                reference=reference).to_dict()


@router.get("/review/queue", summary="Review items with their events' features and outputs")
def queue(status: str | None = Depends(status_filter),
          limit: int = Query(100, ge=1, le=10_000), store: Store = Depends(get_store),
          _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    items = review_queue(store, status=status, limit=limit)
    return {"items": [item.to_dict() for item in items]}
