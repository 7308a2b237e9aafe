"""Model aliases and per-customer pins (:class:`stalwart.lifecycle.ModelRegistry`): which
registered version answers whom. Reads need ``read``; setting an alias, pinning and unpinning
need ``admin``. A version must be registered first (``store.register_version``, or any event
logged under it): naming another one is a 400 listing the registered versions, and nothing
changes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query

from ...exceptions import DataError
from ...lifecycle.registry import ModelRegistry
from ...store import Store
from ..deps import get_store, require_scope
from ..schemas import AliasIn, PinIn

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["versions"])


@router.get("/models/{model}/aliases", summary="Aliases of a model (champion, challenger, ...)")
def list_aliases(model: str, store: Store = Depends(get_store),
                 _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"model": model, "aliases": [a.to_dict() for a in store.aliases(model)]}


@router.put("/models/{model}/aliases/{alias}", summary="Point an alias at a registered version")
def set_alias(model: str, alias: str, body: AliasIn, store: Store = Depends(get_store),
              principal: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    return ModelRegistry(store, model).set_alias(alias, body.version, by=principal).to_dict()


@router.get("/models/{model}/pins", summary="Customers pinned to a version")
def list_pins(model: str, version: str | None = Query(None, description="Only the customers "
                                                      "on this version."),
              store: Store = Depends(get_store),
              _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"model": model,
            "pins": [p.to_dict() for p in store.customer_pins(model, version=version)]}


@router.get("/models/{model}/pins/{customer}", summary="The pin of one customer")
def get_pin(model: str, customer: str, store: Store = Depends(get_store),
            _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    pin = store.customer_pin(model, customer)
    if pin is None:
        raise HTTPException(404, detail=f"customer {customer!r} is not pinned on model "
                            f"{model!r} (it follows the champion). Fix: pin it with PUT "
                            f"/api/v1/models/{model}/pins/{customer}")
    return pin.to_dict()


@router.put("/models/{model}/pins/{customer}", summary="Keep a customer on a version")
def pin(model: str, customer: str, body: PinIn, store: Store = Depends(get_store),
        principal: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    return ModelRegistry(store, model).pin(customer, body.version, by=principal,
                                           note=body.note).to_dict()


@router.delete("/models/{model}/pins/{customer}",
               summary="Release a customer (it follows the champion again)")
def unpin(model: str, customer: str, store: Store = Depends(get_store),
          _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    if not ModelRegistry(store, model).unpin(customer):
        raise HTTPException(404, detail=f"customer {customer!r} is not pinned on model "
                            f"{model!r}")
    return {"model": model, "unpinned": customer}


@router.get("/models/{model}/version-for/{customer}",
            summary="The version that serves a customer: its pin, else the champion")
def version_for(model: str, customer: str, store: Store = Depends(get_store),
                _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    """404 when the customer has no pin and the model no champion."""
    pinned = store.customer_pin(model, customer)
    try:
        version = ModelRegistry(store, model).version_for(customer)
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    source = "pin" if pinned is not None and pinned.version == version else "champion"
    return {"model": model, "customer": customer, "version": version, "source": source}
