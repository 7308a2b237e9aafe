"""Bearer tokens and scopes: 401 without a valid token, 403 without the scope, for every
write route (the list is checked against the OpenAPI spec, so a new route must join it)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stalwart.exceptions import ParameterError
from stalwart.service import TokenSet, load_tokens
from stalwart.store.frames import FRAME_MEDIA_TYPE, encode_frame

EVENT = {"event_id": "w1", "timestamp": "2026-01-01T00:00:00Z", "model": "churn",
         "model_version": "1", "features": {"x": 1.0}, "outputs": {"prediction": 1}}

# (method, path template, concrete path, json body or raw bytes, scope needed)
WRITES = [
    ("POST", "/api/v1/events", "/api/v1/events", {"events": [EVENT]}, "ingest"),
    ("POST", "/api/v1/events/columnar", "/api/v1/events/columnar",
     {"blocks": [{"model": "churn", "model_version": "1", "id_prefix": "cw",
                  "timestamp": "2026-01-01T00:00:00Z", "features": {"x": [1.0]},
                  "outputs": {"prediction": [1]}}]}, "ingest"),
    ("POST", "/api/v1/events/frames", "/api/v1/events/frames",
     encode_frame([{"model": "churn", "model_version": "1", "id_prefix": "fw",
                    "timestamp": "2026-01-01T00:00:00Z", "features": {"x": np.array([1.0])},
                    "outputs": {"prediction": np.array([1])}}]), "ingest"),
    ("POST", "/api/v1/labels", "/api/v1/labels",
     {"labels": [{"event_id": "w1", "label": 1}]}, "ingest"),
    ("POST", "/api/v1/models", "/api/v1/models", {"name": "churn"}, "admin"),
    ("POST", "/api/v1/models/{model}/references/{name}", "/api/v1/models/churn/references/r",
     b"profile-bytes", "admin"),
    ("POST", "/api/v1/monitors/{name}", "/api/v1/monitors/m1",
     {"model": "churn", "spec": {}}, "admin"),
    ("DELETE", "/api/v1/monitors/{name}", "/api/v1/monitors/m1", None, "admin"),
    ("POST", "/api/v1/alerts/{alert_id}/status", "/api/v1/alerts/1/status",
     {"status": "resolved"}, "admin"),
    ("POST", "/api/v1/review/{item_id}/resolve", "/api/v1/review/1/resolve",
     {"label": 1}, "admin"),
    ("POST", "/api/v1/monitors/{name}/run", "/api/v1/monitors/m1/run", None, "admin"),
    ("POST", "/api/v1/review", "/api/v1/review",
     {"items": [{"event_id": "w1", "reason": "r"}]}, "ingest"),
    ("POST", "/api/v1/escalations", "/api/v1/escalations",
     {"model": "churn", "event_id": "w1", "severity": "high"}, "ingest"),
    ("POST", "/api/v1/escalations/{escalation_id}/status", "/api/v1/escalations/1/status",
     {"status": "fixed"}, "admin"),
    ("PUT", "/api/v1/models/{model}/rules", "/api/v1/models/churn/rules", {"rules": []},
     "admin"),
    ("POST", "/api/v1/models/{model}/rules/apply", "/api/v1/models/churn/rules/apply",
     {"rows": [{"x": 1.0}], "predictions": [1]}, "ingest"),
    ("PUT", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/churn/aliases/champion",
     {"version": "1"}, "admin"),
    ("PUT", "/api/v1/models/{model}/pins/{customer}", "/api/v1/models/churn/pins/acme",
     {"version": "1"}, "admin"),
    ("DELETE", "/api/v1/models/{model}/pins/{customer}", "/api/v1/models/churn/pins/acme", None,
     "admin"),
]
READS = ["/api/v1/events?model=churn", "/api/v1/models", "/api/v1/models/churn/versions",
         "/api/v1/models/churn/references", "/api/v1/models/churn/references/r",
         "/api/v1/monitors", "/api/v1/monitors/m1", "/api/v1/monitors/m1/windows",
         "/api/v1/alerts", "/api/v1/review", "/api/v1/overview", "/api/v1/models/churn/features",
         "/api/v1/models/churn/distribution?feature=x", "/api/v1/review/queue",
         "/api/v1/escalations", "/api/v1/escalations/sla", "/api/v1/escalations/1",
         "/api/v1/models/churn/rules", "/api/v1/models/churn/rules/versions",
         "/api/v1/models/churn/rules/counters", "/api/v1/models/churn/aliases",
         "/api/v1/models/churn/pins", "/api/v1/models/churn/pins/acme",
         "/api/v1/models/churn/version-for/acme"]


def _send(client, method, path, body, headers):
    if isinstance(body, bytes):
        media = FRAME_MEDIA_TYPE if path.endswith("/frames") else "application/octet-stream"
        return client.request(method, path, content=body,
                              headers={**headers, "content-type": media})
    return client.request(method, path, json=body, headers=headers)


def test_the_matrix_covers_every_route(client):
    spec = client.get("/openapi.json").json()["paths"]
    writes = {(m.upper(), p) for p, ops in spec.items() for m in ops if m != "get"}
    assert writes == {(m, p) for m, p, _, _, _ in WRITES}
    reads = {p for p, ops in spec.items() if "get" in ops and p.startswith("/api/")}
    assert len(reads) == len(READS)
    for path in reads:  # every read route is secured, every non-API route is not
        assert spec[path]["get"]["security"] == [{"bearer": []}]
    assert "security" not in spec["/metrics"]["get"]


@pytest.mark.parametrize("method,_t,path,body,scope", WRITES, ids=[w[2] + w[0] for w in WRITES])
def test_write_routes_refuse_missing_invalid_and_underscoped_tokens(client, h, method, _t, path,
                                                                    body, scope):
    cases = [({}, 401), ({"Authorization": "Bearer"}, 401),
             ({"Authorization": "Basic dG9rLWFkbWluLTAxMjM6"}, 401),
             ({"Authorization": "Bearer tok-admin-0124"}, 401),
             ({"Authorization": "bearer tok-admin-0123x"}, 401),
             (h.READ, 403)]
    if scope == "admin":
        cases += [(h.INGEST, 403), ({"Authorization": "Bearer tok-both-012345"}, 403)]
    for headers, status in cases:
        r = _send(client, method, path, body, headers)
        assert r.status_code == status, (headers, r.status_code, r.text)
        assert r.json()["detail"]
        if status == 401:
            assert r.headers["www-authenticate"] == "Bearer"
    store = client.app.state.store
    assert len(store.events("churn")) == 0 and store.models() == ()
    allowed = [h.ADMIN] + ([h.INGEST] if scope == "ingest" else [])
    for headers in allowed:
        r = _send(client, method, path, body, headers)
        assert r.status_code not in (401, 403), (headers, r.status_code, r.text)
        if path.endswith("/frames"):  # the frame is well formed: it is stored
            assert r.status_code == 200 and r.json()["accepted"] + r.json()["duplicates"] == 1


@pytest.mark.parametrize("path", READS)
def test_read_routes_need_the_read_scope(shared_client, h, path):
    c = shared_client
    assert c.get(path).status_code == 401
    assert c.get(path, headers={"Authorization": "Bearer nope-nope"}).status_code == 401
    assert c.get(path, headers=h.INGEST).status_code == 403
    for headers in (h.READ, h.ADMIN):
        assert c.get(path, headers=headers).status_code not in (401, 403)


def test_no_tokens_means_no_api_access(sqlite_url):
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    with TestClient(create_app(ServiceSettings(store_url=sqlite_url), tokens={})) as c:
        assert c.post("/api/v1/events", json={"events": [EVENT]}).status_code == 401
        assert c.post("/api/v1/events", json={"events": [EVENT]},
                      headers={"Authorization": "Bearer "}).status_code == 401
        assert c.get("/healthz").status_code == 200


def test_tokens_from_file_and_environment(tmp_path, sqlite_url, h):
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"file-token-1": ["ingest"], "file-token-2": "read"}))
    tokens = load_tokens(path)
    assert len(tokens) == 2 and tokens.scopes("file-token-2") == frozenset({"read"})
    env = {"STALWART_TOKENS": json.dumps({"env-token-1": ["admin"]})}
    assert load_tokens(environ=env).allows("env-token-1", "ingest")
    assert len(load_tokens(environ={})) == 0
    app = create_app(ServiceSettings(store_url=sqlite_url, token_file=str(path)))
    with TestClient(app) as c:
        ok = c.post("/api/v1/events", json={"events": [EVENT]},
                    headers={"Authorization": "Bearer file-token-1"})
        assert ok.status_code == 200 and ok.json()["accepted"] == 1
        assert c.post("/api/v1/events", json={"events": [EVENT]},
                      headers=h.ADMIN).status_code == 401


@pytest.mark.parametrize("content,match", [
    ("{not json", "invalid JSON"), ("[1]", "JSON object"),
    ('{"short": ["read"]}', None), ('{"long-enough": ["write"]}', "scopes"),
    ('{"long-enough": []}', "scopes"), ('{"long-enough": {"read": 1}}', "scopes"),
])
def test_bad_token_files_are_refused(tmp_path, content, match):
    path = tmp_path / "tokens.json"
    path.write_text(content)
    if content.startswith('{"short"'):
        assert len(load_tokens(path)) == 1  # 5 characters is allowed
        return
    with pytest.raises(ParameterError, match=match):
        load_tokens(path)


def test_token_errors_never_echo_the_token():
    with pytest.raises(ParameterError) as info:
        TokenSet({"abc": ["read"]})
    assert "at least 4" in str(info.value) and "abc" not in str(info.value)
    with pytest.raises(ParameterError, match="readable"):
        load_tokens("/no/such/tokens.json")
