"""Monitors (admin writes, read lists), their window results, and running one now (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...exceptions import DataError, StageError
from ...store import Store
from ..deps import get_store, require_scope
from ..schemas import MonitorIn
from ._frames import jsonable_list, record

router = APIRouter(prefix="/api/v1", tags=["monitors"])


@router.get("/monitors", summary="Saved monitors")
def list_monitors(model: str | None = None, store: Store = Depends(get_store),
                  _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"monitors": jsonable_list(store.monitors(model=model))}


@router.post("/monitors/{name}", summary="Create or replace a monitor")
def save_monitor(name: str, body: MonitorIn, store: Store = Depends(get_store),
                 _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    return record(store.save_monitor(name, body.model, body.spec))


@router.get("/monitors/{name}", summary="One monitor")
def get_monitor(name: str, store: Store = Depends(get_store),
                _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    try:
        return record(store.monitor(name))
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None


@router.delete("/monitors/{name}", summary="Delete a monitor")
def delete_monitor(name: str, store: Store = Depends(get_store),
                   _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    if not store.delete_monitor(name):
        raise HTTPException(404, detail=f"no monitor named {name!r}")
    return {"deleted": name}


@router.get("/monitors/{name}/windows", summary="Window results of a monitor, oldest first")
def windows(name: str, start: str | None = None, end: str | None = None,
            store: Store = Depends(get_store),
            _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"monitor": name,
            "windows": jsonable_list(store.window_results(name, start=start, end=end))}


@router.post("/monitors/{name}/run", summary="Run a saved monitor now (persisting its state)")
def run_now(name: str, request: Request,
            now: str | None = Query(None, description="ISO time to run as of (default: now); "
                                    "only windows complete by then are evaluated"),
            store: Store = Depends(get_store),
            _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    try:
        store.monitor(name)
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    try:
        return request.app.state.scheduler.run_monitor(name, now=now).to_dict()
    except StageError as exc:  # another scheduler holds the monitor's lease
        raise HTTPException(409, detail=str(exc)) from None
