"""``GET /healthz``: no auth; the status and whether the store answers a query."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..._version import __version__

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness and store reachability (no auth)")
def healthz(request: Request) -> JSONResponse:
    store = request.app.state.store
    body: dict[str, Any] = {"status": "ok", "version": __version__,
                            "store": {"dialect": store.dialect, "reachable": True}}
    try:
        with store.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure to reach the store is what we report
        body["status"] = "degraded"
        body["store"].update(reachable=False, error=type(exc).__name__)
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
