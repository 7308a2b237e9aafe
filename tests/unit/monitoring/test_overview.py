"""models_overview and review_queue: aggregates counted from what was stored, on SQLite and
PostgreSQL."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from stalwart.monitoring import models_overview, review_queue

_spec = importlib.util.spec_from_file_location("_monitoring_stores",
                                               Path(__file__).with_name("_stores.py"))
_stores = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_stores)
store = _stores.store


def _event(i, model, version, day):
    return {"event_id": f"{model}-{i}", "model": model, "model_version": version,
            "timestamp": f"2026-02-{day:02d}T{i % 24:02d}:30:00Z",
            "features": {"x": float(i), "<b>c</b>": "v"}, "outputs": {"prediction": i % 2}}


def test_overview_counts_events_versions_monitors_and_alerts(store):
    events = ([_event(i, "churn", "1", 1) for i in range(7)]
              + [_event(i, "churn", "2", 3) for i in range(7, 12)]
              + [_event(i, "fraud", "a", 2) for i in range(4)])
    assert store.ingest_events(events).accepted == 16
    store.register_model("idle", description="no traffic yet")
    store.save_monitor("churn-daily", "churn", {"window": "1D"})
    store.save_monitor("churn-hourly", "churn", {"window": "1h"})
    store.save_monitor("fraud-daily", "fraud", {"window": "1D"})
    store.upsert_alert("churn-daily", "drift", severity="critical", fingerprint="a")
    store.upsert_alert("churn-daily", "latency", severity="warning", fingerprint="b")
    store.upsert_alert("churn-hourly", "drift", severity="critical", fingerprint="c")
    acked = store.upsert_alert("churn-hourly", "kpi", severity="info", fingerprint="d")
    store.set_alert_status(acked.id, "acknowledged")
    done = store.upsert_alert("fraud-daily", "drift", severity="critical", fingerprint="e")
    store.set_alert_status(done.id, "resolved")
    store.upsert_alert("deleted-monitor", "drift", severity="warning", fingerprint="f")

    out = models_overview(store)
    rows = {m.name: m for m in out.models}
    assert list(rows) == ["churn", "fraud", "idle"]
    churn, fraud, idle = rows["churn"], rows["fraud"], rows["idle"]
    assert (churn.n_events, churn.versions, churn.first_event, churn.last_event) == (
        12, ("1", "2"), "2026-02-01T00:30:00Z", "2026-02-03T11:30:00Z")
    assert churn.monitors == ("churn-daily", "churn-hourly")
    assert churn.open_alerts == {"critical": 2, "warning": 1}
    assert churn.acknowledged_alerts == {"info": 1}
    assert (fraud.n_events, fraud.last_event, fraud.open_alerts) == (
        4, "2026-02-02T03:30:00Z", {})
    assert (idle.n_events, idle.last_event, idle.description, idle.monitors) == (
        0, None, "no traffic yet", ())
    assert out.unassigned_alerts == {"warning": 1}
    as_json = json.loads(json.dumps(out.to_dict()))
    assert as_json["models"][0]["versions"] == ["1", "2"]
    assert as_json["models"][0]["open_alerts"] == {"critical": 2, "warning": 1}


def test_review_queue_joins_the_events(store):
    store.ingest_events([_event(i, "churn", "1", 1) for i in range(3)])
    first = store.enqueue_review("churn-2", "low confidence")
    store.enqueue_review("churn-0", "customer complaint")
    items = review_queue(store)
    assert [(i.event_id, i.reason) for i in items] == [("churn-2", "low confidence"),
                                                      ("churn-0", "customer complaint")]
    assert items[0].features == {"x": 2.0, "<b>c</b>": "v"}
    assert items[0].outputs == {"prediction": 0}
    assert (items[0].model, items[0].model_version, items[0].timestamp) == (
        "churn", "1", "2026-02-01T02:30:00Z")
    store.resolve_review(first.id, label=1, by="alice")
    assert [i.event_id for i in review_queue(store)] == ["churn-0"]
    resolved = review_queue(store, status="resolved")
    assert [(i.event_id, i.resolution, i.resolved_by) for i in resolved] == [
        ("churn-2", 1, "alice")]
    assert len(review_queue(store, status=None)) == 2
    assert review_queue(store, limit=1)[0].to_dict()["features"]["<b>c</b>"] == "v"
