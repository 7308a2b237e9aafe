"""The scheduler in the server (in-process app, SQLite and PostgreSQL): the run-now route,
saved-monitor validation over HTTP, and the lifespan scheduler started by settings."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from stalwart.monitoring import MonitorSpec
from stalwart.service import ServiceSettings, create_app

from .conftest import ADMIN, INGEST, READ, TOKENS


def _events(day: int, latency: float, n: int = 5) -> list:
    return [{"event_id": f"d{day}-{i}", "timestamp": f"2026-01-{day:02d}T1{i}:00:00Z",
             "model": "churn", "model_version": "1", "features": {"x": float(i)},
             "outputs": {"prediction": 1}, "latency_ms": latency} for i in range(n)]


SPEC = MonitorSpec(name="lat", model="churn", window="1D", metrics=["latency"],
                   schedule="1D", rules=["latency_p99 > 30 for 2 windows"]).to_dict()


@pytest.fixture
def app_client(store_url):
    with TestClient(create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)) as c:
        yield c


def test_run_now_persists_and_raises_each_alert_once(app_client):
    c = app_client
    assert c.post("/api/v1/monitors/lat", json={"model": "churn", "spec": SPEC},
                  headers=ADMIN).status_code == 200
    fired = []
    for day in (1, 2, 3):
        assert c.post("/api/v1/events", json={"events": _events(day, 50)},
                      headers=INGEST).json()["accepted"] == 5
        run = c.post("/api/v1/monitors/lat/run", params={"now": f"2026-01-0{day + 1}T00:00Z"},
                     headers=ADMIN)
        assert run.status_code == 200, run.text
        body = run.json()
        assert body["persisted"] is True and len(body["windows"]) == 1
        fired.append(sum(len(a["fired"]) for a in body["alerts"]))
    assert fired == [0, 1, 0]
    again = c.post("/api/v1/monitors/lat/run", params={"now": "2026-01-04T00:00Z"},
                   headers=ADMIN).json()
    assert again["windows"] == []
    alerts = c.get("/api/v1/alerts", headers=READ).json()["alerts"]
    assert len(alerts) == 1 and alerts[0]["count"] == 2
    wins = c.get("/api/v1/monitors/lat/windows", headers=READ).json()["windows"]
    assert [w["metrics"]["latency_p99"] for w in wins] == [50.0, 50.0, 50.0]


def test_run_now_refusals(app_client):
    c = app_client
    assert c.post("/api/v1/monitors/nope/run", headers=ADMIN).status_code == 404
    c.post("/api/v1/monitors/lat", json={"model": "churn", "spec": SPEC}, headers=ADMIN)
    assert c.post("/api/v1/monitors/lat/run", headers=INGEST).status_code == 403
    assert c.post("/api/v1/monitors/lat/run", headers=READ).status_code == 403
    bad = c.post("/api/v1/monitors/lat/run", params={"now": "yesterday"}, headers=ADMIN)
    assert bad.status_code == 400 and "ISO-8601" in bad.json()["detail"]
    store = c.app.state.store
    assert store.acquire_lease("lat", "cron-on-another-host:7")
    busy = c.post("/api/v1/monitors/lat/run", headers=ADMIN)
    assert busy.status_code == 409 and "another scheduler" in busy.json()["detail"]
    store.release_lease("lat", "cron-on-another-host:7")
    assert c.post("/api/v1/monitors/lat/run", headers=ADMIN).status_code == 200


def test_invalid_scheduled_spec_is_refused_with_a_fix(app_client):
    bad = app_client.post("/api/v1/monitors/m", headers=ADMIN, json={
        "model": "churn", "spec": {**SPEC, "name": "m", "channels": ["pager"]}})
    assert bad.status_code == 400
    assert "channels saved in the store" in bad.json()["detail"]
    assert app_client.get("/api/v1/monitors/m", headers=READ).status_code == 404


def test_settings_start_the_scheduler_in_the_lifespan(store_url):
    from stalwart.store import open_store
    store = open_store(store_url)
    store.ingest_events(_events(1, 10))
    store.save_monitor("lat", "churn", SPEC)
    app = create_app(ServiceSettings(store_url=store_url, schedule_interval=0.05),
                     tokens=TOKENS)
    with TestClient(app):
        deadline = time.monotonic() + 30
        while app.state.scheduler.last is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert app.state.scheduler.last is not None
    assert app.state.scheduler._thread is None  # stopped and joined at shutdown
    windows = store.window_results("lat")
    assert windows[0].n_events == 5 and windows[0].metrics["latency_p99"] == 10.0
    store.close()


def test_no_scheduler_unless_asked(app_client):
    assert app_client.app.state.scheduler._thread is None


def test_schedule_interval_from_env():
    env = {"STALWART_SCHEDULE_INTERVAL": "30"}
    assert ServiceSettings.from_env(env).schedule_interval == 30.0
    assert ServiceSettings.from_env({}).schedule_interval is None
    with pytest.raises(Exception, match="STALWART_SCHEDULE_INTERVAL"):
        ServiceSettings.from_env({"STALWART_SCHEDULE_INTERVAL": "soon"})
