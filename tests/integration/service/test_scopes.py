"""Scopes, found by walking ``app.routes`` (not a hand-kept list), so a route added later
cannot forget its scope: every ``/api/v1`` route declares exactly one ``require_<scope>``
dependency, writes need ``ingest`` or ``admin``, reads need ``read``; over HTTP every write
is refused without a token (401) and to a read token (403), admin writes to an ingest token,
and no ``/api/v1`` route answers an anonymous request.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from .conftest import ADMIN, INGEST, READ, TOKENS

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# outside /api/v1, read-only and without a token: probes, the spec and the dashboard's
# static pages (which call /api/v1 with the user's token)
PUBLIC = ("/healthz", "/metrics", "/openapi.json", "/docs", "/redoc", "/dashboard")
BOTH = {"Authorization": "Bearer tok-both-012345"}


def _app(url: str):
    from stalwart.service import ServiceSettings, create_app
    return create_app(ServiceSettings(store_url=url), tokens=TOKENS)


def _flat_routes(app) -> list[tuple[str, set[str], object]]:
    """(full path, methods, route) of every route, through included routers (FastAPI >= 0.16x
    keeps them as ``_IncludedRouter`` entries of ``app.routes``)."""
    import fastapi.routing
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    if iterate is None:
        return [(r.path, set(getattr(r, "methods", None) or ()), r) for r in app.routes]
    return [(ctx.path, set(ctx.methods or ()), ctx.original_route)
            for ctx in iterate(app.routes)]


def _scopes(route: APIRoute) -> list[str]:
    """The scopes a route's dependencies demand (``require_scope`` names its checks)."""
    found = []
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        name = getattr(dep.call, "__name__", "")
        if name.startswith("require_"):
            found.append(name.removeprefix("require_"))
        stack.extend(dep.dependencies)
    return found


def _api_routes(app) -> list[tuple[str, str, str]]:
    """(method, concrete path, scope) of every /api/v1 operation."""
    out = []
    for full, methods, route in _flat_routes(app):
        if not full.startswith("/api/"):
            continue
        assert isinstance(route, APIRoute), full
        scopes = _scopes(route)
        assert len(scopes) == 1, (full, methods, scopes)
        path = re.sub(r"\{[^}]+\}", "1", full)
        out += [(m, path, scopes[0]) for m in sorted(methods) if m != "HEAD"]
    return out


def test_every_route_is_public_by_name_or_declares_one_scope(sqlite_url):
    app = _app(sqlite_url)
    flat = _flat_routes(app)
    assert len(flat) >= 20
    for path, methods, _ in flat:
        if not path.startswith("/api/"):
            assert path.startswith(PUBLIC), f"{path} is outside /api/v1 and not public by name"
            assert methods <= {"GET", "HEAD"}, (path, methods)  # no public writes
    routes = _api_routes(app)
    writes = [(m, p, s) for m, p, s in routes if m in WRITE_METHODS]
    reads = [(m, p, s) for m, p, s in routes if m not in WRITE_METHODS]
    assert len(writes) >= 8 and len(reads) >= 10
    assert {s for _, _, s in writes} <= {"ingest", "admin"}
    assert {s for _, _, s in reads} == {"read"}
    ingest = sorted(p for _, p, s in writes if s == "ingest")
    assert ingest == ["/api/v1/escalations", "/api/v1/events", "/api/v1/events/columnar",
                      "/api/v1/events/frames", "/api/v1/labels", "/api/v1/models/1/rules/apply",
                      "/api/v1/review"]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from fastapi.testclient import TestClient
    url = f"sqlite:///{tmp_path_factory.mktemp('scopes') / 'stalwart.db'}"
    with TestClient(_app(url)) as client:
        yield client


def _send(client, method, path, headers, body=b'{"events": [], "labels": []}'):
    return client.request(method, path, content=body if method != "GET" else None,
                          headers={**headers, "content-type": "application/json"})


def test_every_write_route_refuses_anonymous_read_and_underscoped_tokens(api):
    store = api.app.state.store
    checked = 0
    for method, path, scope in _api_routes(api.app):
        if method not in WRITE_METHODS:
            continue
        refusals = [({}, 401), ({"Authorization": "Bearer not-a-token"}, 401), (READ, 403)]
        if scope == "admin":
            refusals += [(INGEST, 403), (BOTH, 403)]
        for headers, status in refusals:
            r = _send(api, method, path, headers)
            assert r.status_code == status, (method, path, headers, r.status_code, r.text)
            assert r.json()["detail"]
            checked += 1
        allowed = [ADMIN] + ([INGEST, BOTH] if scope == "ingest" else [])
        for headers in allowed:  # the scope is enough to get past the check
            r = _send(api, method, path, headers)
            assert r.status_code not in (401, 403), (method, path, r.status_code, r.text)
    assert checked >= 8 * 3
    assert len(store.events("churn")) == 0 and store.monitors() == ()


def test_no_api_route_answers_anonymously(api):
    for method, path, _ in _api_routes(api.app):
        r = _send(api, method, path, {})
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["www-authenticate"] == "Bearer"
    assert api.get("/healthz").status_code == 200


def test_an_ingest_token_cannot_read_and_a_read_token_can(api):
    for method, path, _ in _api_routes(api.app):
        if method != "GET":
            continue
        assert _send(api, method, path, INGEST).status_code == 403, path
        assert _send(api, method, path, READ).status_code not in (401, 403), path
