"""Store records serialise to plain JSON (the server and the reports read them that way)."""

import json

import pytest

pytest.importorskip("sqlalchemy")


def test_every_record_kind_serialises(tmp_path):
    from stalwart.store import open_store
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    store.ingest_events([{"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z", "model": "m",
                          "model_version": "1", "features": {"x": 1},
                          "outputs": {"prediction": 0}}])
    store.save_monitor("mon", "m", {"window": "1D"})
    store.save_window_result("mon", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 1,
                             {"latency_p99": 3.0}, {"ok": True})
    store.upsert_alert("mon", "latency_p99 > 1", context={"value": 3.0})
    store.save_channel("ops", "log", {})
    item = store.enqueue_review("e1", "low confidence")
    records = [*store.models(), *store.versions("m"), store.monitor("mon"),
               *store.window_results("mon"), *store.alerts(), *store.channels(), item]
    for record in records:
        d = record.to_dict()
        assert json.loads(json.dumps(d)) == d and d  # plain JSON, no recursion
    assert store.alerts()[0].to_dict()["context"] == {"value": 3.0}


def test_events_limit_takes_the_first_rows_in_time_order(tmp_path):
    from stalwart.exceptions import ParameterError
    from stalwart.store import open_store
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    store.ingest_events([{"event_id": f"e{i}", "timestamp": f"2026-01-01T00:00:{59 - i:02d}Z",
                          "model": "m", "model_version": "1", "features": {"x": i},
                          "outputs": {"prediction": 0}} for i in range(10)])
    assert store.events("m", limit=3)["event_id"].tolist() == ["e9", "e8", "e7"]
    with pytest.raises(ParameterError, match="limit"):
        store.events("m", limit=0)
