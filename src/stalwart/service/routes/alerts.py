"""Alerts: list (read) and change status (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path

from ...exceptions import DataError
from ...store import ALERT_STATUSES, Store
from ..deps import MAX_ROW_ID, get_store, require_scope
from ..schemas import AlertStatusIn
from ._frames import jsonable_list, record

router = APIRouter(prefix="/api/v1", tags=["alerts"])


@router.get("/alerts", summary="Alerts, filtered by status and monitor")
def list_alerts(status: str | None = None, monitor: str | None = None,
                store: Store = Depends(get_store),
                _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    if status is not None and status not in ALERT_STATUSES:
        raise HTTPException(400, detail=f"status must be one of {', '.join(ALERT_STATUSES)}, "
                                        f"got {status!r}")
    return {"alerts": jsonable_list(store.alerts(status=status, monitor=monitor))}


@router.post("/alerts/{alert_id}/status", summary="Acknowledge, resolve or reopen an alert")
def set_status(body: AlertStatusIn, alert_id: int = Path(ge=1, le=MAX_ROW_ID),
               store: Store = Depends(get_store),
               _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    if body.status not in ALERT_STATUSES:
        raise HTTPException(400, detail=f"status must be one of {', '.join(ALERT_STATUSES)}, "
                                        f"got {body.status!r}")
    try:
        return record(store.set_alert_status(alert_id, body.status))
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None
