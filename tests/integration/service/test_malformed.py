"""Hand-written hostile requests: every one is a 4xx with a ``detail`` message (or, for a
well-formed batch, a 200 that names the refused records), never a 5xx.

The first group needs no data and runs once on SQLite; the second reaches the store and runs
on SQLite and PostgreSQL, where PostgreSQL refuses NUL characters and lone surrogates in text
and JSON (once 500s: now 400 with the driver's reason), and where a time whose offset moves it
out of years 1-9999 was an OverflowError (now a refused event).
"""

from __future__ import annotations

import json

import pytest

from .conftest import ADMIN, INGEST, READ, TOKENS, event

JSON = "application/json"


def _events(*items: dict) -> bytes:
    return json.dumps({"events": list(items)}).encode()


def _post(client, path: str, body: bytes, *, ctype: str = JSON, headers=ADMIN):
    return client.post(path, content=body, headers={**headers, "content-type": ctype})


def _refused(r, *statuses: int) -> dict:
    """The response is one of ``statuses`` (default: any 4xx) with a non-empty detail."""
    assert r.status_code < 500, (r.status_code, r.text[:500])
    if statuses:
        assert r.status_code in statuses, (r.status_code, r.text[:500])
    else:
        assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    body = r.json()
    assert body["detail"], body
    return body


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """An app with a 4 KiB body limit; raises nothing, so a 500 shows as a status."""
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    url = f"sqlite:///{tmp_path_factory.mktemp('malformed') / 'stalwart.db'}"
    app = create_app(ServiceSettings(store_url=url, max_body_bytes=4096), tokens=TOKENS)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


WRITES = ["/api/v1/events", "/api/v1/labels", "/api/v1/models", "/api/v1/monitors/m1",
          "/api/v1/alerts/1/status", "/api/v1/review/1/resolve"]

BAD_BODIES = {
    "malformed JSON": (b'{"events": [', JSON),
    "truncated string": (b'{"name": "abc', JSON),
    "trailing garbage": (b'{"name": "a"} x', JSON),
    "not an object": (b'"just a string"', JSON),
    "null body": (b"null", JSON),
    "empty body": (b"", JSON),
    "invalid UTF-8": (b'{"name": "\xff\xfe\xfd"}', JSON),
    "form content type": (b"name=a&events=1", "application/x-www-form-urlencoded"),
    "XML": (b"<events><event/></events>", "application/xml"),
    "wrong types": (b'{"events": 1, "labels": {"a": 1}, "name": 5, "status": [1], '
                    b'"model": null, "spec": "x", "label": null}', JSON),
    "unknown fields only": (b'{"evil": 1, "__proto__": {"admin": true}}', JSON),
    "deeply nested arrays": (b"[" * 2000 + b"]" * 2000, JSON),  # fits the 4 KiB limit
    "deeply nested objects": (b'{"a":' * 800 + b"1" + b"}" * 800, JSON),
}


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_bodies_are_4xx_with_a_message(small, path, case):
    body, ctype = BAD_BODIES[case]
    _refused(_post(small, path, body, ctype=ctype))


@pytest.mark.parametrize("path", WRITES)
def test_oversized_bodies_are_413_before_parsing(small, path):
    body = b'{"events": [' + b'{"x": 1},' * 1000 + b"]}"
    r = _refused(_post(small, path, body), 413)
    assert "4096" in r["detail"]


def test_deep_nesting_inside_an_event_is_refused_not_a_crash(small):
    """Regression: 500 levels of features overflowed the store's encoder (RecursionError,
    a 500); now 400, and the batch stores nothing."""
    deep = b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"  # over the 4 KiB limit
    _refused(_post(small, "/api/v1/events", deep), 413)
    nested = b'{"a":' * 500 + b"1" + b"}" * 500  # fits the limit, 500 levels of features
    body = _events(event(1)).replace(b'{"x": 1.0, "c": "red"}', nested)
    r = _post(small, "/api/v1/events", body)
    if r.status_code == 200:  # refused as one record by the contract check
        assert r.json()["accepted"] == 0 and len(r.json()["rejected"]) == 1
    else:
        assert "nested too deeply" in _refused(r, 400)["detail"]
    assert "e1" not in set(small.app.state.store.events("churn")["event_id"])
    spec = b'{"model": "churn", "spec": ' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"}"
    assert "deeper than 32" in json.dumps(_refused(_post(small, "/api/v1/monitors/d", spec),
                                                   422))


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999",
                                     b"9" * 5000, b"-" + b"9" * 5000])
def test_nan_infinity_and_huge_numbers_never_5xx(small, literal):
    for path, body in [
            ("/api/v1/events", _events(event(7)).replace(b'"latency_ms": 1.5',
                                                          b'"latency_ms": ' + literal)),
            ("/api/v1/events", _events(event(8)).replace(b'"x": 8.0', b'"x": ' + literal)),
            ("/api/v1/labels", b'{"labels": [{"event_id": "e7", "label": ' + literal + b"}]}"),
            ("/api/v1/monitors/m1", b'{"model": "churn", "spec": {"t": ' + literal + b"}}"),
            ("/api/v1/review/1/resolve", b'{"label": ' + literal + b"}"),
            ("/api/v1/alerts/1/status", b'{"status": ' + literal + b"}")]:
        r = _post(small, path, body)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
        if r.status_code >= 400:
            _refused(r)
    # a latency that is not a finite number is refused inside the batch, by index
    r = _post(small, "/api/v1/events", _events(event(9)).replace(b'"latency_ms": 1.5',
                                                                  b'"latency_ms": NaN'))
    if r.status_code == 200:
        assert r.json()["accepted"] == 0 and r.json()["rejected"][0]["index"] == 0


def test_unknown_fields_are_refused_at_every_level(small):
    _refused(_post(small, "/api/v1/events", b'{"events": [], "extra": 1}'), 422)
    _refused(_post(small, "/api/v1/models", b'{"name": "m", "owner": "x"}'), 422)
    r = _post(small, "/api/v1/events", _events(event(10, colour="red"), event(11)))
    assert r.status_code == 200
    assert r.json()["accepted"] == 1 and r.json()["rejected"][0]["index"] == 0
    assert "metadata" in r.json()["rejected"][0]["reason"]


@pytest.mark.parametrize("path", ["/api/v1/alerts/99999999999999999999999/status",
                                  "/api/v1/review/99999999999999999999999/resolve",
                                  "/api/v1/alerts/9223372036854775808/status",
                                  "/api/v1/review/-1/resolve", "/api/v1/alerts/0/status"])
def test_ids_beyond_64_bits_are_422_not_an_overflow(small, path):
    """Regression: a huge id reached SQLite's driver and was a 500 OverflowError."""
    body = b'{"status": "resolved"}' if "alerts" in path else b'{"label": 1}'
    _refused(_post(small, path, body), 422)


def test_missing_token_is_401_and_wrong_scope_is_403(small):
    for path in WRITES:
        r = _refused(_post(small, path, b"{}", headers={}), 401)
        assert "bearer" in r["detail"].lower()
        _refused(_post(small, path, b"{}", headers=READ), 403)
    for path in WRITES[2:]:
        r = _refused(_post(small, path, b"{}", headers=INGEST), 403)
        assert "admin" in r["detail"]


# -- values the store must refuse cleanly: SQLite and PostgreSQL ---------------------------

@pytest.fixture
def api(store_url):
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)
    store = app.state.store
    store.ingest_events([event(i) for i in range(10)])
    store.save_monitor("m1", "churn", {})
    for i in range(5):
        store.enqueue_review(f"e{i}", "check")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


NUL = "a\u0000b"
SURROGATE = "\ud800"

STORED_TEXT = [  # (method, path, JSON body) where a text reaches a column
    ("POST", "/api/v1/events", {"events": [event(20, event_id=NUL)]}),
    ("POST", "/api/v1/events", {"events": [event(21, model=NUL)]}),
    ("POST", "/api/v1/events", {"events": [event(22, segment=NUL, model_version=NUL)]}),
    ("POST", "/api/v1/events", {"events": [event(23, features={"x": NUL, NUL: 1})]}),
    ("POST", "/api/v1/events", {"events": [event(24, metadata={"k": SURROGATE})]}),
    ("POST", "/api/v1/labels", {"labels": [{"event_id": NUL, "label": 1}]}),
    ("POST", "/api/v1/labels", {"labels": [{"event_id": "e1", "label": NUL}]}),
    ("POST", "/api/v1/models", {"name": NUL}),
    ("POST", "/api/v1/models", {"name": "ok", "description": NUL}),
    ("POST", "/api/v1/monitors/m2", {"model": NUL, "spec": {}}),
    ("POST", "/api/v1/monitors/m2", {"model": "churn", "spec": {"k": NUL}}),
    ("POST", "/api/v1/review/2/resolve", {"label": 1, "by": NUL}),
    ("POST", "/api/v1/review/3/resolve", {"label": SURROGATE}),
]


@pytest.mark.parametrize("method,path,body", STORED_TEXT,
                         ids=[f"{p}-{i}" for i, (_, p, _) in enumerate(STORED_TEXT)])
def test_nul_and_lone_surrogates_are_stored_or_refused_never_5xx(api, method, path, body):
    """Regression: on PostgreSQL these were 500 DataError (text cannot hold NUL)."""
    raw = json.dumps(body).encode()  # ensure_ascii: \\u0000 and \\ud800 escapes
    r = api.request(method, path, content=raw, headers={**ADMIN, "content-type": JSON})
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code < 400:  # kept as sent (SQLite keeps NUL), and it can be answered
        assert r.json() is not None
        return
    _refused(r)
    if path.endswith(("events", "labels")):  # the store refused the batch, atomically
        assert "cannot be stored" in r.json()["detail"]
        assert api.app.state.store.dialect == "postgresql"
        assert len(api.app.state.store.events("churn")) == 10
    else:  # admin bodies are checked before the store, the same on both stores
        assert r.status_code == 422, r.text


STORED_QUERIES = ["/api/v1/events?model=a%00b", "/api/v1/events?model=churn&segment=a%00b",
                  "/api/v1/monitors/m%00", "/api/v1/monitors/m%00/windows",
                  "/api/v1/alerts?monitor=m%00", "/api/v1/models/a%00b/versions",
                  "/api/v1/models/a%00b/references", "/api/v1/models/a%00b/references/r",
                  "/api/v1/events?model=churn&start=0001-01-01T00:00:00%2B14:00",
                  "/api/v1/events?model=churn&end=9999-12-31T23:59:59-14:00",
                  "/api/v1/events?model=churn&start=99999-01-01"]


def test_hostile_query_and_path_values_are_4xx_or_empty_never_5xx(api):
    for path in STORED_QUERIES:
        r = api.get(path, headers=READ)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
        if r.status_code >= 400:
            _refused(r)
    r = api.delete("/api/v1/monitors/m%00", headers=ADMIN)
    assert r.status_code in (400, 404), r.text


def test_times_pushed_out_of_range_by_their_offset_are_refused_per_event(api):
    """Regression: 0001-01-01T00:00+14:00 is before year 1 in UTC: an OverflowError (500)."""
    batch = {"events": [event(30, timestamp="0001-01-01T00:00:00+14:00"),
                        event(31, timestamp="9999-12-31T23:59:59-14:00"), event(32)]}
    r = api.post("/api/v1/events", json=batch, headers=INGEST)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 1 and [x["index"] for x in body["rejected"]] == [0, 1]
    assert "years 1 and 9999" in body["rejected"][0]["reason"]
    r = api.post("/api/v1/labels", headers=INGEST, json={"labels": [
        {"event_id": "e1", "label": 1, "timestamp": "0001-01-01T00:00:00+01:00"}]})
    assert r.status_code == 200 and r.json()["rejected"][0]["index"] == 0


def test_a_server_bug_is_a_json_500_with_a_ref_and_no_exception_text(sqlite_url, caplog):
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=sqlite_url), tokens=TOKENS)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM tokens")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert r.status_code == 500
    body = r.json()
    assert body["error"] == "RuntimeError" and len(body["ref"]) == 12
    assert body["ref"] in body["detail"] and "secret" not in r.text
    assert any(body["ref"] in rec.getMessage() for rec in caplog.records)


GOOD_BODIES = {"/api/v1/events": {"events": [event(40)]},
               "/api/v1/labels": {"labels": [{"event_id": "e40", "label": 1}]},
               "/api/v1/models": {"name": "m"}, "/api/v1/monitors/m1": {"model": "churn"},
               "/api/v1/alerts/1/status": {"status": "resolved"},
               "/api/v1/review/1/resolve": {"label": 1}}


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", None])
def test_a_valid_json_body_with_a_non_json_content_type_is_422(small, ctype):
    for path, body in GOOD_BODIES.items():
        headers = dict(ADMIN) if ctype is None else {**ADMIN, "content-type": ctype}
        r = small.post(path, content=json.dumps(body).encode(), headers=headers)
        assert r.status_code == 422, (path, ctype, r.status_code, r.text[:200])
        assert r.json()["detail"]
    assert "e40" not in set(small.app.state.store.events("churn")["event_id"])
