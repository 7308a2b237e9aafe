"""The dashboard's static files: ``/dashboard/`` and ``/dashboard/static/<file>``, public
(they hold no data; every number comes from ``/api/v1`` with a bearer token).

The HTML carries a strict ``Content-Security-Policy`` (no inline script, nothing from another
origin), so a feature name that smuggles markup cannot run even if it were ever rendered as
HTML. The routes stay out of the OpenAPI schema: they are not part of the API.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import RedirectResponse, Response

from ..dashboard import ASSETS, CONTENT_SECURITY_POLICY, asset

__all__ = ["router"]

router = APIRouter(tags=["dashboard"], include_in_schema=False)

_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY", "Cache-Control": "no-cache"}


def _serve(name: str) -> Response:
    return Response(asset(name), media_type=ASSETS[name], headers=dict(_HEADERS))


@router.get("/dashboard")
def dashboard_redirect() -> RedirectResponse:
    return RedirectResponse("/dashboard/", status_code=307)


@router.get("/dashboard/")
def dashboard() -> Response:
    """The page (the token travels in the URL fragment, never to the server)."""
    return _serve("index.html")


@router.get("/dashboard/static/{name}")
def static(name: str) -> Response:
    """``app.js`` and ``style.css``; any other name is 404."""
    if name not in ASSETS or name == "index.html":
        raise HTTPException(404, detail=f"no dashboard file {name!r}")
    return _serve(name)
