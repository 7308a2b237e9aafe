"""The store on real SQLite and real PostgreSQL: the same tests on both backends."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from stalwart.exceptions import DataError, ParameterError
from stalwart.stats.profile import profile
from stalwart.store import open_store
from stalwart.store.engine import head_revision

sys.path.insert(0, str(Path(__file__).parent))
from stalwart_store_worker import ingest_range, make_event  # noqa: E402

UTC = dt.timezone.utc


def test_migrations_fresh_then_reopen(store_url):
    first = open_store(store_url)
    with first.engine.connect() as conn:
        rev = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        tables = set(sa.inspect(conn).get_table_names())
    assert rev == head_revision() == "0003"
    assert {"prediction_events", "labels", "alerts", "review_items", "window_results",
            "monitors", "channels", "models", "model_versions",
            "reference_profiles", "monitor_state"} <= tables
    first.ingest_events([make_event(1)])
    first.close()
    again = open_store(store_url)  # existing database: migrations are a no-op, data stays
    assert again.events("churn")["event_id"].tolist() == ["ev-000001"]
    again.close()


def test_ingest_idempotent_and_frame(store):
    batch = [make_event(i) for i in range(50)]
    first = store.ingest_events(batch)
    assert (first.accepted, first.duplicates, first.rejected) == (50, 0, ())
    second = store.ingest_events(batch)
    assert (second.accepted, second.duplicates) == (0, 50)
    frame = store.events("churn")
    assert len(frame) == 50 and frame["event_id"].is_unique
    assert list(frame.columns) == ["event_id", "timestamp", "model", "model_version", "segment",
                                   "latency_ms", "label", "features.cat", "features.x",
                                   "outputs.prediction", "outputs.proba.0", "outputs.proba.1"]
    assert str(frame["timestamp"].dt.tz) == "UTC"
    assert frame["timestamp"].is_monotonic_increasing
    row = frame.set_index("event_id").loc["ev-000007"]
    assert row["features.x"] == 3.5 and row["outputs.proba.1"] == 0.75
    assert row["segment"] == "c1" and row["latency_ms"] == 1.5 and pd.isna(row["label"])
    assert [m.name for m in store.models()] == ["churn"]
    assert [v.version for v in store.versions("churn")] == ["v1"]


def test_bad_events_rejected_good_ones_stored(store):
    batch = [make_event(i) for i in range(6)]
    batch[1] = dict(batch[1], timestamp="yesterday")
    batch[3] = {k: v for k, v in batch[3].items() if k != "model"}
    batch[4] = dict(batch[4], latency_ms=-3)
    batch.append("not an event")
    batch.append(dict(make_event(0)))  # repeated within the batch
    res = store.ingest_events(batch)
    assert res.accepted == 3 and res.duplicates == 1
    assert [(i, e) for i, e, _ in res.rejected] == [(1, "ev-000001"), (3, "ev-000003"),
                                                   (4, "ev-000004"), (6, None)]
    reasons = [r for _, _, r in res.rejected]
    assert "ISO-8601" in reasons[0] and "model" in reasons[1] and ">= 0" in reasons[2]
    assert sorted(store.events("churn")["event_id"]) == ["ev-000000", "ev-000002", "ev-000005"]
    assert res.to_dict()["rejected"][0]["index"] == 1


def test_labels_join_duplicate_replace_unknown(store):
    store.ingest_events([make_event(i) for i in range(4)])
    res = store.add_labels([{"event_id": "ev-000000", "label": 1},
                            {"event_id": "ev-000001", "label": 0,
                             "timestamp": "2026-02-01T00:00:00Z"},
                            {"event_id": "nope", "label": 1}])
    assert (res.accepted, res.duplicates) == (2, 0)
    assert [(i, e) for i, e, _ in res.rejected] == [(2, "nope")]
    again = store.add_labels([{"event_id": "ev-000000", "label": 1},
                              {"event_id": "ev-000001", "label": 1}])
    assert (again.accepted, again.duplicates, again.replaced) == (1, 1, ("ev-000001",))
    frame = store.events("churn").set_index("event_id")
    assert frame.loc["ev-000000", "label"] == 1 and frame.loc["ev-000001", "label"] == 1
    assert frame["label"].isna().sum() == 2
    assert store.events("churn", with_labels=False)["label"].isna().all()


def test_window_queries_by_time_segment_version(store):
    store.ingest_events([make_event(i) for i in range(100)])
    extra = dict(make_event(1000), model_version="v2",
                 timestamp=dt.datetime(2026, 1, 3, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    store.ingest_events([extra])
    start, end = "2026-01-03T00:00:00Z", dt.datetime(2026, 1, 5, tzinfo=UTC)
    frame = store.events("churn", start=start, end=end)
    expected = {f"ev-{i:06d}" for i in range(100) if 3 <= 1 + i % 28 < 5} | {"ev-001000"}
    assert set(frame["event_id"]) == expected
    assert frame["timestamp"].min() >= pd.Timestamp(start)
    assert frame["timestamp"].max() < pd.Timestamp(end)
    got = frame.set_index("event_id").loc["ev-001000", "timestamp"]
    assert got == pd.Timestamp("2026-01-03T10:00:00Z")  # the +02:00 offset became UTC
    assert set(store.events("churn", model_version="v2")["event_id"]) == {"ev-001000"}
    seg = store.events("churn", segment="c0")
    assert len(seg) == 34 + 0 and set(seg["segment"]) == {"c0"}
    chunks = list(store.iter_events("churn", chunk_size=30))
    assert [len(c) for c in chunks] == [30, 30, 30, 11]
    assert pd.concat(chunks)["event_id"].tolist() == store.events("churn")["event_id"].tolist()
    assert store.events("other").empty


def test_review_resolve_writes_label(store):
    store.ingest_events([make_event(i) for i in range(3)])
    item = store.enqueue_review("ev-000002", "low confidence")
    assert store.enqueue_review("ev-000002", "again").id == item.id  # one open item per event
    assert [i.event_id for i in store.review_items()] == ["ev-000002"]
    done = store.resolve_review(item.id, label=0, by="ana")
    assert (done.status, done.resolved_by, done.resolution) == ("resolved", "ana", 0)
    assert done.resolved_at is not None and done.resolved_at.tzinfo is not None
    assert store.review_items() == ()
    assert len(store.review_items(status="resolved")) == 1
    assert store.events("churn").set_index("event_id").loc["ev-000002", "label"] == 0
    with pytest.raises(DataError, match="resolved by ana"):
        store.resolve_review(item.id, label=1, by="bob")
    with pytest.raises(DataError, match="stored event"):
        store.enqueue_review("missing", "x")


def test_alert_dedup_and_status(store):
    t0 = dt.datetime(2026, 1, 1, tzinfo=UTC)
    a = store.upsert_alert("drift", "psi>0.2", severity="warning", context={"psi": 0.3}, at=t0)
    for k in range(1, 4):
        b = store.upsert_alert("drift", "psi>0.2", severity="critical",
                               context={"psi": 0.3 + k}, at=t0 + dt.timedelta(hours=k))
    assert b.id == a.id and b.count == 4 and b.severity == "critical"
    assert b.first_seen == t0 and b.last_seen == t0 + dt.timedelta(hours=3)
    assert b.context == {"psi": 3.3}
    other = store.upsert_alert("drift", "psi>0.2", fingerprint="drift/psi/x")
    assert other.id != a.id
    assert store.set_alert_status(a.id, "acknowledged").status == "acknowledged"
    assert store.upsert_alert("drift", "psi>0.2", at=t0).count == 5  # acknowledged still dedups
    store.set_alert_status(a.id, "resolved")
    fresh = store.upsert_alert("drift", "psi>0.2")
    assert fresh.id not in (a.id, other.id) and fresh.count == 1
    assert {x.id for x in store.alerts(status="open")} == {other.id, fresh.id}
    assert [x.id for x in store.alerts(status="resolved")] == [a.id]
    with pytest.raises(ParameterError, match="open, acknowledged, resolved"):
        store.set_alert_status(a.id, "closed")


def test_reference_round_trip(store):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(list("abc"), size=500)})
    prof = profile(frame)
    store.save_reference("churn", prof)
    store.save_reference("churn", profile(frame.head(10)), name="small")
    back = store.load_reference("churn")
    assert back.n_rows == 500 and back["x"].mean == pytest.approx(prof["x"].mean)
    assert back.to_dict() == prof.to_dict()
    assert store.references("churn") == ("default", "small")
    store.save_reference("churn", profile(frame.head(20)))  # replace
    assert store.load_reference("churn").n_rows == 20
    with pytest.raises(DataError, match="default, small|'default', 'small'"):
        store.load_reference("churn", name="missing")


def test_monitors_windows_channels(store):
    m = store.save_monitor("churn-drift", "churn", {"window": "1d", "metrics": ["psi"]})
    assert m.spec["window"] == "1d"
    store.save_monitor("churn-drift", "churn", {"window": "1h"})
    assert store.monitor("churn-drift").spec == {"window": "1h"}
    assert [x.name for x in store.monitors(model="churn")] == ["churn-drift"]
    days = [dt.datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 6)]
    for d in days:
        store.save_window_result("churn-drift", d, d + dt.timedelta(days=1), 10,
                                 {"psi": d.day / 10}, {"passed": True})
    store.save_window_result("churn-drift", days[0], days[1], 12, {"psi": 0.9}, {})  # replace
    wins = store.window_results("churn-drift", start=days[0], end=days[3])
    assert [w.window_start for w in wins] == days[:3]
    assert wins[0].n_events == 12 and wins[0].metrics == {"psi": 0.9}
    assert len(store.window_results("churn-drift")) == 5
    store.save_channel("ops", "webhook", {"url": "http://127.0.0.1:9/x"})
    store.save_channel("ops", "email", {"to": ["a@b.c"]})
    assert store.channel("ops").kind == "email" and len(store.channels()) == 1
    assert store.delete_channel("ops") and store.channels() == ()
    assert store.delete_monitor("churn-drift")
    with pytest.raises(DataError, match="saved monitor"):
        store.monitor("churn-drift")


@pytest.mark.slow  # 4 spawned interpreters importing stalwart: ~30 s on 2 busy cores
def test_concurrent_processes_store_each_event_once(both_urls):
    # one pool serves both backends: spawning and importing is most of this test's time;
    # the databases are fresh, so the 4 processes also race to migrate them (under a lock)
    ranges = [(k * 300, k * 300 + 600) for k in range(4)]  # overlapping; 1500 distinct
    ctx = mp.get_context("spawn")
    with ctx.Pool(4) as pool:
        # a bounded wait: a result lost by the pool fails the test instead of hanging CI
        out = pool.starmap_async(ingest_range, [(both_urls, lo, hi, 100)
                                                for lo, hi in ranges]).get(timeout=300)
    for b, url in enumerate(both_urls):
        assert sum(per[b][0] for per in out) == 1500, url
        assert sum(per[b][1] for per in out) == 4 * 600 - 1500, url
        store = open_store(url)
        frame = store.events("churn")
        store.close()
        assert len(frame) == 1500 and frame["event_id"].is_unique, url


def test_nulls_and_odd_values_round_trip(store):
    events = [dict(make_event(i), segment=None, latency_ms=None, metadata=None,
                   features={"x": np.float32(0.5), "s": "ü\"'", "none": None},
                   outputs={"prediction": "yes", "proba": None}) for i in range(3)]
    assert store.ingest_events(events).accepted == 3
    frame = store.events("churn")
    assert frame["segment"].isna().all() and frame["latency_ms"].isna().all()
    assert frame["features.s"].tolist() == ["ü\"'"] * 3
    assert frame["features.x"].tolist() == [0.5] * 3 and frame["outputs.proba"].isna().all()
