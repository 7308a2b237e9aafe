"""FastAPI dependencies shared by the routes: the store, the metrics and scope checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..store import Store
from .auth import TokenSet
from .telemetry import Metrics

__all__ = ["MAX_ROW_ID", "get_metrics", "get_store", "require_scope"]

#: the largest row id a path may name: ids are 64-bit integers in both stores, and a larger
#: number must be a 422, not an overflow in the database driver
MAX_ROW_ID = 2**63 - 1

_bearer = HTTPBearer(auto_error=False, scheme_name="bearer",
                     description="A token from the server's token file; scopes ingest, read, "
                                 "admin (admin implies the others).")


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


def require_scope(scope: str) -> Callable[..., Any]:
    """A dependency answering 401 without a valid bearer token, 403 without ``scope``;
    it returns a principal name (a hash prefix of the token, never the token)."""

    def check(request: Request,
              credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
        tokens: TokenSet = request.app.state.tokens
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(401, detail="missing bearer token. Fix: send the header "
                                "'Authorization: Bearer <token>'",
                                headers={"WWW-Authenticate": "Bearer"})
        scopes = tokens.scopes(credentials.credentials)
        if scopes is None:
            raise HTTPException(401, detail="invalid bearer token. Fix: use a token from the "
                                "server's token file", headers={"WWW-Authenticate": "Bearer"})
        if scope not in scopes and "admin" not in scopes:
            raise HTTPException(403, detail=f"this token lacks the {scope!r} scope (it has "
                                f"{sorted(scopes)}). Fix: use a token with {scope!r} or admin")
        return TokenSet.principal(credentials.credentials)

    check.__name__ = f"require_{scope}"
    return check
