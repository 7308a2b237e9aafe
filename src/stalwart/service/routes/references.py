"""Models, versions and reference profiles.

Profiles travel as the bytes of ``DatasetProfile.to_bytes()`` (``application/octet-stream``);
an upload is parsed before it is stored, so a corrupt profile is refused with 400.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from ...exceptions import DataError
from ...store import Store
from ..deps import get_store, require_scope
from ..schemas import ModelIn
from ._frames import jsonable_list

router = APIRouter(prefix="/api/v1", tags=["models"])

OCTET = "application/octet-stream"


@router.post("/models", status_code=201, summary="Register a model (idempotent)")
def register_model(body: ModelIn, store: Store = Depends(get_store),
                   _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    store.register_model(body.name, description=body.description)
    return {"name": body.name}


@router.get("/models", summary="Registered models")
def list_models(store: Store = Depends(get_store),
                _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"models": jsonable_list(store.models())}


@router.get("/models/{model}/versions", summary="Versions seen for a model")
def list_versions(model: str, store: Store = Depends(get_store),
                  _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"model": model, "versions": jsonable_list(store.versions(model))}


@router.get("/models/{model}/references", summary="Names of a model's reference profiles")
def list_references(model: str, store: Store = Depends(get_store),
                    _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"model": model, "references": list(store.references(model))}


@router.post("/models/{model}/references/{name}", status_code=201,
             summary="Upload (or replace) a reference profile",
             openapi_extra={"requestBody": {"required": True, "content": {
                 OCTET: {"schema": {"type": "string", "format": "binary"}}}}})
async def upload_reference(model: str, name: str, request: Request,
                           store: Store = Depends(get_store),
                           _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    from ...stats.profile import DatasetProfile

    raw = await request.body()
    if not raw:
        raise HTTPException(400, detail="empty body. Fix: send DatasetProfile.to_bytes() as "
                                        "application/octet-stream")
    try:
        profile = DatasetProfile.from_bytes(raw)
    except Exception as exc:  # any decoding failure means the bytes are not a profile
        raise HTTPException(400, detail=f"the body is not a stalwart DatasetProfile "
                            f"({type(exc).__name__}). Fix: send DatasetProfile.to_bytes()"
                            ) from None
    await run_in_threadpool(store.save_reference, model, profile, name=name)
    return {"model": model, "name": name, "n_rows": profile.n_rows,
            "columns": sorted(profile.columns), "bytes": len(raw)}


@router.get("/models/{model}/references/{name}", response_class=Response,
            summary="Download a reference profile (DatasetProfile bytes)",
            responses={200: {"content": {OCTET: {}}}})
def download_reference(model: str, name: str, store: Store = Depends(get_store),
                       _: str = Depends(require_scope("read"))) -> Response:
    try:
        profile = store.load_reference(model, name=name)
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    return Response(profile.to_bytes(), media_type=OCTET)
