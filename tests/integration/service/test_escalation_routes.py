"""Escalations over HTTP (SQLite and PostgreSQL): report (ingest scope), read, move the status
(admin), and the SLA report, which must equal the library's ``check_slas`` on the same rows.
A refused report stores nothing; a refused status move changes nothing."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from stalwart.rca import SLAPolicy, check_slas
from stalwart.service import ServiceSettings, create_app

from .conftest import ADMIN, INGEST, READ, TOKENS, event

T0 = "2026-03-01T08:00:00+00:00"


@pytest.fixture
def c(store_url):
    with TestClient(create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)) as client:
        client.app.state.store.ingest_events([event(i) for i in range(4)])
        yield client


def _report(c, headers=INGEST, **body):
    return c.post("/api/v1/escalations", json={"model": "churn", **body}, headers=headers)


def _count(c) -> int:
    return len(c.get("/api/v1/escalations", headers=READ).json()["escalations"])


def test_report_by_event_and_by_payload_with_the_sla_clock(c):
    r = _report(c, event_id="e1", severity="high", expected=0, note="customer call",
                reported_at=T0)
    assert r.status_code == 201, r.text
    esc = r.json()
    # high: 24 h; the customer defaults to the event's segment ("a" for odd i)
    assert (esc["status"], esc["customer"], esc["expected"]) == ("open", "a", 0)
    assert esc["reported_at"] == T0 and esc["due_at"] == "2026-03-02T08:00:00+00:00"
    assert c.get(f"/api/v1/escalations/{esc['id']}", headers=READ).json() == esc
    p = _report(c, payload={"x": 3.5, "c": "blue"}, severity="critical", customer="acme",
                reported_at=T0).json()
    assert p["payload"] == {"x": 3.5, "c": "blue"} and p["event_id"] is None
    assert p["due_at"] == "2026-03-01T12:00:00+00:00"  # critical: 4 h
    assert [e["id"] for e in c.get("/api/v1/escalations", params={"model": "churn"},
                                   headers=READ).json()["escalations"]] == [esc["id"], p["id"]]


@pytest.mark.parametrize("body,match", [
    ({"event_id": "nope", "severity": "high"}, "stored prediction event"),
    ({"event_id": "e1", "severity": "urgent"}, "severity"),
    ({"severity": "high"}, "event_id"),
    ({"event_id": "e1", "severity": "high", "reported_at": "yesterday"}, "ISO-8601"),
    ({"payload": {"x": 1}, "severity": "low", "expected": float("inf")}, "JSON-safe"),
])
def test_a_refused_report_is_a_400_and_stores_nothing(c, body, match):
    # sent as text: Python's encoder writes Infinity, which the server's parser reads
    r = c.post("/api/v1/escalations", content=json.dumps({"model": "churn", **body}),
               headers={**INGEST, "content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert match in r.json()["detail"]
    assert _count(c) == 0


def test_an_event_of_another_model_is_refused(c):
    r = c.post("/api/v1/escalations", json={"model": "fraud", "event_id": "e1",
                                            "severity": "high"}, headers=INGEST)
    assert r.status_code == 400 and "model 'churn'" in r.json()["detail"]
    assert _count(c) == 0


def test_scopes_and_unknown_ids(c):
    assert _report(c, headers=READ, event_id="e1", severity="low").status_code == 403
    esc = _report(c, event_id="e1", severity="low").json()
    assert c.get("/api/v1/escalations", headers=INGEST).status_code == 403
    assert c.post(f"/api/v1/escalations/{esc['id']}/status", json={"status": "fixed"},
                  headers=INGEST).status_code == 403
    assert c.get("/api/v1/escalations/999", headers=READ).status_code == 404
    assert c.post("/api/v1/escalations/999/status", json={"status": "fixed"},
                  headers=ADMIN).status_code == 404
    assert c.get("/api/v1/escalations", params={"status": "pending"},
                 headers=READ).status_code == 400


def test_status_moves_follow_the_transitions_and_a_refused_move_changes_nothing(c):
    esc = _report(c, event_id="e2", severity="medium", reported_at=T0).json()
    url = f"/api/v1/escalations/{esc['id']}/status"
    # analysed needs an analysis: refused, unchanged
    r = c.post(url, json={"status": "analysed"}, headers=ADMIN)
    assert r.status_code == 409 and "analysis" in r.json()["detail"]
    assert c.get(f"/api/v1/escalations/{esc['id']}", headers=READ).json() == esc
    assert c.post(url, json={"status": "done"}, headers=ADMIN).status_code == 400
    analysed = c.post(url, json={"status": "analysed", "analysis": {"cause": "unit_change"},
                                 "note": "inches vs cm"}, headers=ADMIN).json()
    assert analysed["status"] == "analysed" and analysed["analysis"] == {"cause": "unit_change"}
    assert analysed["note"] == "inches vs cm"
    fixed = c.post(url, json={"status": "fixed"}, headers=ADMIN).json()
    assert fixed["status"] == "fixed" and fixed["resolved_at"] is not None
    assert fixed["note"] == "inches vs cm"  # a move without a note keeps it
    # fixed -> analysed is not a move the desk allows: 409, nothing changed
    r = c.post(url, json={"status": "analysed", "analysis": {"x": 1}}, headers=ADMIN)
    assert r.status_code == 409
    assert c.get(f"/api/v1/escalations/{esc['id']}", headers=READ).json() == fixed
    reopened = c.post(url, json={"status": "open"}, headers=ADMIN).json()
    assert reopened["status"] == "open" and reopened["resolved_at"] is None
    listed = c.get("/api/v1/escalations", params={"status": "open"}, headers=READ).json()
    assert [e["id"] for e in listed["escalations"]] == [esc["id"]]


def test_the_sla_report_sorts_by_state_and_equals_the_library(c):
    # at now = T0 + 5 h: critical (due +4 h) is breached by 1 h; medium reported 60 h before
    # T0 is due at +12 h, 7 h left <= 25% of 72 h (18 h): at risk; high (due +24 h, 19 h left
    # > 6 h) on track; low fixed: resolved
    crit = _report(c, event_id="e0", severity="critical", reported_at=T0).json()
    med = _report(c, event_id="e1", severity="medium",
                  reported_at="2026-02-26T20:00:00+00:00").json()
    high = _report(c, event_id="e2", severity="high", reported_at=T0).json()
    low = _report(c, event_id="e3", severity="low", reported_at=T0).json()
    c.post(f"/api/v1/escalations/{low['id']}/status", json={"status": "fixed"}, headers=ADMIN)
    now = "2026-03-01T13:00:00+00:00"
    r = c.get("/api/v1/escalations/sla", params={"now": now}, headers=READ)
    assert r.status_code == 200, r.text
    sla = r.json()
    assert [e["id"] for e in sla["breached"]] == [crit["id"]]
    assert [e["id"] for e in sla["at_risk"]] == [med["id"]]
    assert [e["id"] for e in sla["on_track"]] == [high["id"]]
    assert (sla["n_breached"], sla["n_at_risk"], sla["n_on_track"], sla["n_resolved"]) == (
        1, 1, 1, 1)
    assert sla["at_risk"][0]["hours_left"] == pytest.approx(7.0)
    [alert] = sla["alerts"]
    assert alert["severity"] == "critical" and alert["value"] == pytest.approx(1.0)
    store = c.app.state.store
    assert sla == check_slas(store.escalations(), now, policy=SLAPolicy()).to_dict()
    other = c.get("/api/v1/escalations/sla", params={"now": now, "model": "fraud"},
                  headers=READ).json()
    assert other["n_breached"] + other["n_at_risk"] + other["n_on_track"] == 0
    assert c.get("/api/v1/escalations/sla", params={"now": "soon"},
                 headers=READ).status_code == 400
