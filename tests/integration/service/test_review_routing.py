"""Review routing end to end over the in-process app (SQLite and PostgreSQL): events logged
-> uncertain ones routed to the queue (the saved monitor's review policy, or flagged by the
client through POST /review) -> resolved through the API -> the label is stored -> it counts
in the realised performance of the window when it is evaluated."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from stalwart.monitoring import MonitorSpec, ReviewPolicy
from stalwart.service import ServiceSettings, create_app

from .conftest import ADMIN, INGEST, READ, TOKENS

PROBA_1 = [0.9, 0.55, 0.95, 0.45, 0.8, 0.52, 0.1, 0.97]  # three below 0.6 on the top class


def _events(day: int) -> list:
    return [{"event_id": f"d{day}-{i}", "timestamp": f"2026-01-{day:02d}T1{i}:00:00Z",
             "model": "churn", "model_version": "1", "features": {"x": float(i)},
             "outputs": {"prediction": int(p >= 0.5), "proba": {"0": 1 - p, "1": p}},
             "latency_ms": 1.0} for i, p in enumerate(PROBA_1)]


@pytest.fixture
def c(store_url):
    with TestClient(create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)) as client:
        yield client


def test_policy_routes_resolved_labels_count_in_the_next_window(c):
    spec = MonitorSpec(name="perf", model="churn", window="1D", metrics=["performance"],
                       schedule="1D", review=ReviewPolicy(max_proba_below=0.6))
    assert c.post("/api/v1/monitors/perf", json={"model": "churn", "spec": spec.to_dict()},
                  headers=ADMIN).status_code == 200
    assert c.post("/api/v1/events", json={"events": _events(1)},
                  headers=INGEST).json()["accepted"] == 8
    # mid-day: no complete window yet, but the open window's uncertain events are routed
    run = c.post("/api/v1/monitors/perf/run", params={"now": "2026-01-01T20:00Z"},
                 headers=ADMIN).json()
    assert run["windows"] == [] and run["review"] == {"queued": 3, "already_open": 0,
                                                      "refused": 0}
    items = c.get("/api/v1/review", headers=READ).json()["items"]
    assert sorted(i["event_id"] for i in items) == ["d1-1", "d1-3", "d1-5"]
    assert all(i["reason"].startswith("review policy: top probability") for i in items)
    # a late event (ingested after the first pass, timestamped before it) is routed by the
    # next pass; the three open items are not queued twice
    late = _events(1)[1]
    late.update(event_id="d1-late", timestamp="2026-01-01T19:30:00Z")
    c.post("/api/v1/events", json={"events": [late]}, headers=INGEST)
    again = c.post("/api/v1/monitors/perf/run", params={"now": "2026-01-01T21:00Z"},
                   headers=ADMIN).json()
    assert again["review"] == {"queued": 1, "already_open": 3, "refused": 0}
    items = c.get("/api/v1/review", headers=READ).json()["items"]
    assert [i["event_id"] for i in items][-1] == "d1-late"
    truth = {"d1-1": 0, "d1-3": 0, "d1-5": 1, "d1-late": 1}  # the model got d1-1 wrong
    for item in items:
        done = c.post(f"/api/v1/review/{item['id']}/resolve",
                      json={"label": truth[item["event_id"]]}, headers=ADMIN)
        assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert c.get("/api/v1/review", headers=READ).json()["items"] == []
    window = c.post("/api/v1/monitors/perf/run", params={"now": "2026-01-02T00:00Z"},
                    headers=ADMIN).json()["windows"]
    [w] = window
    assert w["metrics"]["n_labelled"] == 4.0 and w["metrics"]["label_coverage"] == 4 / 9
    assert w["metrics"]["accuracy"] == pytest.approx(3 / 4)
    # labelled events are never routed again
    after = c.post("/api/v1/monitors/perf/run", params={"now": "2026-01-02T01:00Z"},
                   headers=ADMIN).json()
    assert after["review"] == {"queued": 0, "already_open": 0, "refused": 0}


def test_client_flags_events_in_a_batch(c):
    c.post("/api/v1/events", json={"events": _events(1)}, headers=INGEST)
    body = {"items": [{"event_id": "d1-0", "reason": "customer complaint"},
                      {"event_id": "d1-0", "reason": "again"},
                      {"event_id": "unknown", "reason": "typo"},
                      {"event_id": "d1-2"}]}
    out = c.post("/api/v1/review", json=body, headers=INGEST)
    assert out.status_code == 200
    got = out.json()
    assert (got["queued"], got["already_open"], got["refused"]) == (1, 1, 2)
    assert [i["status"] for i in got["items"]] == ["queued", "already_open", "refused",
                                                   "refused"]
    assert "stored event" in got["items"][2]["error"] and "reason" in got["items"][3]["error"]
    # re-sending is idempotent while the item is open
    assert c.post("/api/v1/review", json=body, headers=INGEST).json()["queued"] == 0
    queue = c.get("/api/v1/review", headers=READ).json()["items"]
    assert [(i["event_id"], i["reason"]) for i in queue] == [("d1-0", "customer complaint")]


def test_review_post_needs_ingest_and_a_list(c):
    assert c.post("/api/v1/review", json={"items": []}, headers=READ).status_code == 403
    assert c.post("/api/v1/review", json={"items": []}).status_code == 401
    assert c.post("/api/v1/review", json={"items": {"a": 1}}, headers=INGEST).status_code == 422
    assert c.post("/api/v1/review", json={"items": []}, headers=INGEST).json()["queued"] == 0
