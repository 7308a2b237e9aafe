"""Migration 0002 (monitor_state) and the persisted monitor state, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from stalwart.exceptions import ParameterError
from stalwart.store import open_store
from stalwart.store.engine import MIGRATIONS, create_store_engine, head_revision, writing
from stalwart.store.schema import metadata

sys.path.insert(0, str(Path(__file__).parent))
from stalwart_store_worker import make_event  # noqa: E402

UTC = dt.timezone.utc


def _upgrade_to(url: str, revision: str) -> None:
    engine = create_store_engine(url)
    with writing(engine) as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_a_0001_database_upgrades_in_place(store_url):
    _upgrade_to(store_url, "0001")
    engine = create_store_engine(store_url)
    with engine.connect() as conn:
        assert "monitor_state" not in sa.inspect(conn).get_table_names()
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
    engine.dispose()
    # data written at 0001 survives the upgrade
    _engine = create_store_engine(store_url)
    with writing(_engine) as conn:
        conn.execute(sa.text("INSERT INTO monitors (name, model, spec, created, updated) "
                             "VALUES ('m1', 'churn', '{\"window\": \"1D\"}', "
                             "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    _engine.dispose()
    store = open_store(store_url)
    try:
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
            assert head_revision() == "0003"
            assert "monitor_state" in sa.inspect(conn).get_table_names()
            # the ORM model matches the migrated schema exactly
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert store.monitor("m1").spec == {"window": "1D"}
        store.save_monitor_state("m1", {"engine": {"alerts": {"m1/r/": {"streak": 1}}}},
                                 last_window_end="2026-01-02T00:00:00Z")
        assert store.monitor_state("m1").state["engine"]["alerts"]["m1/r/"]["streak"] == 1
    finally:
        store.close()


def test_downgrade_to_0001_drops_only_the_new_table(store_url):
    store = open_store(store_url)
    store.ingest_events([make_event(1)])
    store.save_monitor_state("m", {"x": 1})
    engine = store.engine
    with writing(engine) as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with engine.connect() as conn:
        assert "monitor_state" not in sa.inspect(conn).get_table_names()
    assert len(store.events("churn")) == 1
    store.close()


def test_state_round_trip_and_replace(store):
    empty = store.monitor_state("m")
    assert (empty.state, empty.last_window_end, empty.last_run, empty.updated) == \
        ({}, None, None, None)
    first = store.save_monitor_state("m", {"engine": {"a": [1, 2]}, "triggers": {}},
                                     last_window_end="2026-01-02T00:00:00+01:00",
                                     last_run=dt.datetime(2026, 1, 2, 3, tzinfo=UTC))
    assert first.last_window_end == dt.datetime(2026, 1, 1, 23, tzinfo=UTC)
    assert first.last_run == dt.datetime(2026, 1, 2, 3, tzinfo=UTC)
    # None bounds keep the saved ones; the state is replaced
    second = store.save_monitor_state("m", {"engine": {"a": [3]}})
    assert second.state == {"engine": {"a": [3]}}
    assert second.last_window_end == first.last_window_end
    assert second.last_run == first.last_run
    third = store.save_monitor_state("m", {}, last_window_end="2026-01-03T00:00:00Z")
    assert third.last_window_end == dt.datetime(2026, 1, 3, tzinfo=UTC)
    assert store.monitor_state("other").updated is None
    assert store.delete_monitor_state("m") is True
    assert store.delete_monitor_state("m") is False
    assert store.monitor_state("m").state == {}


def test_state_inputs_are_checked(store):
    with pytest.raises(ParameterError, match="a dict"):
        store.save_monitor_state("m", [1, 2])
    with pytest.raises(ParameterError):
        store.save_monitor_state("", {})


def test_enqueue_reviews_batch(store):
    store.ingest_events([make_event(i) for i in range(1, 4)])
    ids = [make_event(i)["event_id"] for i in range(1, 4)]
    out = store.enqueue_reviews([{"event_id": ids[0], "reason": "low proba"},
                                 {"event_id": "missing", "reason": "x"},
                                 {"event_id": ids[0], "reason": "dup in batch"},
                                 {"event_id": ids[1]},
                                 "not a dict",
                                 {"event_id": ids[2], "reason": "novel"}])
    assert [o.status for o in out] == ["queued", "refused", "already_open", "refused",
                                       "refused", "queued"]
    assert "stored event" in out[1].error and "reason" in out[3].error
    assert out[2].item.id == out[0].item.id
    assert [i.event_id for i in store.review_items()] == [ids[0], ids[2]]
    again = store.enqueue_reviews([{"event_id": ids[2], "reason": "again"}])
    assert again[0].status == "already_open" and again[0].item.reason == "novel"
    store.resolve_review(again[0].item.id, label=1, by="ana")
    reopened = store.enqueue_reviews([{"event_id": ids[2], "reason": "again"}])
    assert reopened[0].status == "queued" and reopened[0].item.id != again[0].item.id
    assert out[0].to_dict()["item"]["event_id"] == ids[0]


def test_run_lease_is_exclusive_across_connections(store_url):
    a, b = open_store(store_url), open_store(store_url)  # two engines: two "processes"
    try:
        assert a.acquire_lease("m", "host-a:1") is True
        assert a.acquire_lease("m", "host-a:1") is True  # the owner extends its lease
        assert b.acquire_lease("m", "host-b:2") is False
        assert b.release_lease("m", "host-b:2") is False  # only the owner releases
        assert a.release_lease("m", "host-a:1") is True
        assert b.acquire_lease("m", "host-b:2", seconds=60) is True
        # a lease left by a crashed runner expires
        with writing(b.engine) as conn:
            conn.execute(sa.text("UPDATE monitor_state SET lease_until = :t"),
                         {"t": dt.datetime(2000, 1, 1)})
        assert a.acquire_lease("m", "host-a:1") is True
        # the lease row leaves the saved state alone, and saving keeps the lease
        a.save_monitor_state("m", {"engine": {}}, last_window_end="2026-01-01T00:00Z")
        assert b.acquire_lease("m", "host-b:2") is False
        assert a.monitor_state("m").state == {"engine": {}}
        with pytest.raises(ParameterError, match="duration > 0"):
            a.acquire_lease("m", "host-a:1", seconds=0)
    finally:
        a.close()
        b.close()
