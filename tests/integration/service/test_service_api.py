"""The REST API in process (TestClient) against a real SQLite store, and the ingest round
trip against PostgreSQL too."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest


def test_ingest_is_idempotent_and_round_trips(store_url, h):
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=store_url), tokens=h.TOKENS)
    with TestClient(app) as c:
        batch = {"events": [h.event(i) for i in range(50)]}
        first = c.post("/api/v1/events", json=batch, headers=h.INGEST)
        assert first.status_code == 200
        assert first.json()["accepted"] == 50 and first.json()["duplicates"] == 0
        again = c.post("/api/v1/events", json=batch, headers=h.INGEST).json()
        assert (again["accepted"], again["duplicates"], again["rejected"]) == (0, 50, [])
        got = c.get("/api/v1/events", params={"model": "churn"}, headers=h.READ).json()
        assert got["count"] == 50
        assert [e["event_id"] for e in got["events"]] == [f"e{i}" for i in range(50)]
        assert got["events"][7]["features.x"] == 7.0
        assert got["events"][7]["outputs.proba.1"] == 0.75
        assert got["events"][0]["timestamp"].startswith("2026-01-01T00:00:00")
        seg = c.get("/api/v1/events", params={"model": "churn", "segment": "a", "limit": 5,
                                              "start": "2026-01-01T00:00:10Z"},
                    headers=h.READ).json()
        assert [e["event_id"] for e in seg["events"]] == ["e11", "e13", "e15", "e17", "e19"]
        labels = {"labels": [{"event_id": "e3", "label": 1, "timestamp": "2026-01-02T00:00Z"},
                             {"event_id": "e4", "label": 0, "timestamp": "2026-01-02T00:00Z"}]}
        lab = c.post("/api/v1/labels", json=labels, headers=h.INGEST).json()
        assert lab["accepted"] == 2
        got = c.get("/api/v1/events", params={"model": "churn", "limit": 6},
                    headers=h.READ).json()["events"]
        assert [e["label"] for e in got] == [None, None, None, 1, 0, None]


def test_a_batch_with_bad_events_keeps_the_good_ones(client, h):
    bad_time = h.event(2, timestamp="yesterday")
    missing = {"event_id": "e3", "model": "churn"}
    batch = {"events": [h.event(0), 7, bad_time, missing, h.event(4), h.event(0),
                        h.event(5, features=[1, 2]), h.event(6, latency_ms=-1)]}
    r = client.post("/api/v1/events", json=batch, headers=h.INGEST)
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == 2 and body["duplicates"] == 1
    assert [(x["index"], x["event_id"]) for x in body["rejected"]] == [
        (1, None), (2, "e2"), (3, "e3"), (6, "e5"), (7, "e6")]
    assert "ISO-8601" in body["rejected"][1]["reason"]
    assert "missing" in body["rejected"][2]["reason"]
    got = client.get("/api/v1/events", params={"model": "churn"}, headers=h.READ).json()
    assert [e["event_id"] for e in got["events"]] == ["e0", "e4"]


MALFORMED = [
    (b"{not json", "application/json"),
    (b"", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'{"events": {"a": 1}}', "application/json"),
    (b'{"events": "e1"}', "application/json"),
    (b'{"events": [], "extra": 1}', "application/json"),
    (b'{"evnts": []}', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b'{"events": [' + b"[" * 5000 + b"]" * 5000 + b"]}", "application/json"),
    (b'{"events": []}', "text/plain"),
    (b"events=1", "application/x-www-form-urlencoded"),
    (b'{"events": [{"event_id": "x", "timestamp": 1e999}]}', "application/json"),
]


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/labels"])
@pytest.mark.parametrize("body,ctype", MALFORMED)
def test_malformed_bodies_are_4xx_with_a_message(shared_client, h, path, body, ctype):
    r = shared_client.post(path, content=body, headers={**h.ADMIN, "content-type": ctype})
    if r.status_code == 200:  # a well-formed batch whose items are each rejected
        assert r.json()["accepted"] == 0
        return
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert r.json()["detail"]


@pytest.mark.parametrize("method,path,params,body", [
    ("GET", "/api/v1/events", {"model": "churn", "start": "not a time"}, None),
    ("GET", "/api/v1/events", {"model": "churn", "limit": "ten"}, None),
    ("GET", "/api/v1/events", {"model": "churn", "limit": 0}, None),
    ("GET", "/api/v1/events", {}, None),
    ("GET", "/api/v1/alerts", {"status": "closed"}, None),
    ("GET", "/api/v1/review", {"status": "pending"}, None),
    ("POST", "/api/v1/alerts/abc/status", None, {"status": "resolved"}),
    ("POST", "/api/v1/alerts/1/status", None, {"status": "gone"}),
    ("POST", "/api/v1/alerts/99/status", None, {"status": "resolved"}),
    ("POST", "/api/v1/monitors/m1", None, {"model": "churn", "spec": [1]}),
    ("POST", "/api/v1/monitors/m1", None, {"spec": {}}),
    ("POST", "/api/v1/models", None, {"name": ""}),
    ("POST", "/api/v1/review/99/resolve", None, {"label": 1}),
    ("POST", "/api/v1/review/1/resolve", None, {"label": None}),
    ("GET", "/api/v1/monitors/nope", None, None),
    ("DELETE", "/api/v1/monitors/nope", None, None),
    ("GET", "/api/v1/models/churn/references/nope", None, None),
])
def test_bad_requests_are_4xx_not_5xx(shared_client, h, method, path, params, body):
    r = shared_client.request(method, path, params=params, json=body, headers=h.ADMIN)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert r.json()["detail"]


def test_profile_upload_and_download_round_trip(client, h):
    from stalwart.stats.profile import DatasetProfile, profile
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], size=500)})
    prof = profile(frame)
    raw = prof.to_bytes()
    octet = {**h.ADMIN, "content-type": "application/octet-stream"}
    r = client.post("/api/v1/models/churn/references/train", content=raw, headers=octet)
    assert r.status_code == 201, r.text
    assert r.json() == {"model": "churn", "name": "train", "n_rows": 500,
                        "columns": ["c", "x"], "bytes": len(raw)}
    names = client.get("/api/v1/models/churn/references", headers=h.READ).json()
    assert names["references"] == ["train"]
    down = client.get("/api/v1/models/churn/references/train", headers=h.READ)
    assert down.status_code == 200
    assert down.headers["content-type"] == "application/octet-stream"
    back = DatasetProfile.from_bytes(down.content)
    assert back.n_rows == 500 and math.isclose(back["x"].mean, prof["x"].mean)
    bad = client.post("/api/v1/models/churn/references/x", content=b"not a profile",
                      headers=octet)
    assert bad.status_code == 400 and "DatasetProfile" in bad.json()["detail"]
    empty = client.post("/api/v1/models/churn/references/x", content=b"", headers=octet)
    assert empty.status_code == 400
    models = client.get("/api/v1/models", headers=h.READ).json()["models"]
    assert [m["name"] for m in models] == ["churn"]


def test_models_monitors_windows_and_alerts(client, h):
    store = client.app.state.store
    assert client.post("/api/v1/models", json={"name": "churn", "description": "d"},
                       headers=h.ADMIN).status_code == 201
    spec = {"window": "1h", "metrics": ["psi"]}
    saved = client.post("/api/v1/monitors/m1", json={"model": "churn", "spec": spec},
                        headers=h.ADMIN)
    assert saved.status_code == 200 and saved.json()["spec"] == spec
    assert client.get("/api/v1/monitors/m1", headers=h.READ).json()["model"] == "churn"
    listed = client.get("/api/v1/monitors", params={"model": "churn"}, headers=h.READ).json()
    assert [m["name"] for m in listed["monitors"]] == ["m1"]
    store.save_window_result("m1", "2026-01-01T00:00Z", "2026-01-01T01:00Z", 40,
                             {"psi": 0.12}, {"status": "ok"})
    wins = client.get("/api/v1/monitors/m1/windows", headers=h.READ).json()["windows"]
    assert len(wins) == 1 and wins[0]["n_events"] == 40 and wins[0]["metrics"] == {"psi": 0.12}
    alert = store.upsert_alert("m1", "psi_high", severity="critical", context={"psi": 0.4})
    listed = client.get("/api/v1/alerts", params={"status": "open"}, headers=h.READ).json()
    assert [a["id"] for a in listed["alerts"]] == [alert.id]
    acked = client.post(f"/api/v1/alerts/{alert.id}/status", json={"status": "acknowledged"},
                        headers=h.ADMIN)
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    assert client.get("/api/v1/alerts", params={"status": "open"},
                      headers=h.READ).json()["alerts"] == []
    assert client.delete("/api/v1/monitors/m1", headers=h.ADMIN).json() == {"deleted": "m1"}
    assert client.get("/api/v1/monitors/m1", headers=h.READ).status_code == 404


def test_review_resolve_becomes_a_label(client, h):
    client.post("/api/v1/events", json={"events": [h.event(0), h.event(1)]}, headers=h.INGEST)
    store = client.app.state.store
    item = store.enqueue_review("e1", "low confidence")
    queue = client.get("/api/v1/review", headers=h.READ).json()["items"]
    assert [(i["id"], i["event_id"], i["status"]) for i in queue] == [(item.id, "e1", "open")]
    r = client.post(f"/api/v1/review/{item.id}/resolve", json={"label": 1}, headers=h.ADMIN)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "resolved" and r.json()["resolution"] == 1
    assert re.fullmatch(r"token:[0-9a-f]{12}", r.json()["resolved_by"])
    events = client.get("/api/v1/events", params={"model": "churn"}, headers=h.READ).json()
    assert [e["label"] for e in events["events"]] == [None, 1]
    assert client.get("/api/v1/review", headers=h.READ).json()["items"] == []
    done = client.get("/api/v1/review", params={"status": "resolved"}, headers=h.READ).json()
    assert len(done["items"]) == 1
    again = client.post(f"/api/v1/review/{item.id}/resolve", json={"label": 0},
                        headers=h.ADMIN)
    assert again.status_code == 409


def test_healthz_reports_the_store(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["store"] == {"dialect": "sqlite",
                                                                "reachable": True}


def test_healthz_is_503_when_the_store_is_unreachable(h):
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from stalwart.service import create_app
    from stalwart.store import Store
    dead = Store(sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none",
                                  connect_args={"connect_timeout": 2}))
    with TestClient(create_app(store=dead, tokens=h.TOKENS)) as c:
        r = c.get("/healthz")
    assert r.status_code == 503
    assert r.json()["status"] == "degraded" and r.json()["store"]["reachable"] is False
    dead.close()


LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_]+="[^"]*",?)*\})? (\S+)$')


def test_metrics_text_parses(client, h):
    client.post("/api/v1/events", json={"events": [h.event(i) for i in range(3)]},
                headers=h.INGEST)
    client.post("/api/v1/events", json={"events": [h.event(0), 5]}, headers=h.INGEST)
    client.post("/api/v1/events", json={"events": []}, headers=h.READ)
    client.get("/api/v1/monitors/zz", headers=h.READ)
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    values = {}
    for line in r.text.splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (HELP|TYPE) \w+ ", line)
            continue
        m = LINE.match(line)
        assert m, line
        values[line.rsplit(" ", 1)[0]] = float(m.group(4))
    assert values['stalwart_events_ingested_total{outcome="accepted"}'] == 3
    assert values['stalwart_events_ingested_total{outcome="duplicates"}'] == 1
    assert values['stalwart_events_ingested_total{outcome="rejected"}'] == 1
    key = 'stalwart_http_requests_total{method="POST",route="/api/v1/events",status="%s"}'
    assert values[key % 200] == 2 and values[key % 403] == 1
    assert values['stalwart_http_requests_total{method="GET",route="/api/v1/monitors/{name}",'
                  'status="404"}'] == 1
    assert values["stalwart_ingest_latency_seconds_count"] == 2
    assert values['stalwart_ingest_latency_seconds_bucket{le="+Inf"}'] == 2
    buckets = [v for k, v in values.items() if k.startswith("stalwart_ingest_latency_seconds_b")]
    assert buckets == sorted(buckets)


def test_openapi_declares_the_bearer_scheme(client):
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"][
            "securitySchemes"]["bearer"]["description"]}
    assert {"bearer": []} in spec["paths"]["/api/v1/events"]["post"]["security"]
    assert "security" not in spec["paths"]["/healthz"]["get"]
    upload = spec["paths"]["/api/v1/models/{model}/references/{name}"]["post"]
    assert "application/octet-stream" in upload["requestBody"]["content"]
