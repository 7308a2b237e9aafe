"""Migration 0003 (aliases, pins, rule sets, rule counters, escalations) and the store API
over those tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from stalwart.exceptions import DataError, ParameterError
from stalwart.store import open_store
from stalwart.store.engine import MIGRATIONS, create_store_engine, head_revision, writing
from stalwart.store.schema import metadata

sys.path.insert(0, str(Path(__file__).parent))
from stalwart_store_worker import make_event  # noqa: E402

UTC = dt.timezone.utc
NEW_TABLES = {"model_aliases", "customer_pins", "rule_sets", "rule_counters", "escalations"}


def _alembic(url_or_engine, action: str, revision: str) -> None:
    engine = (create_store_engine(url_or_engine) if isinstance(url_or_engine, str)
              else url_or_engine)
    with writing(engine) as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)
    if isinstance(url_or_engine, str):
        engine.dispose()


def _count(store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


# -- migration ---------------------------------------------------------------------------
def test_a_0002_database_upgrades_in_place(store_url):
    _alembic(store_url, "upgrade", "0002")
    engine = create_store_engine(store_url)
    with writing(engine) as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0002"
        assert not NEW_TABLES & set(sa.inspect(conn).get_table_names())
        # data written at 0002 must survive the upgrade
        conn.execute(sa.text("INSERT INTO models (name, created) VALUES ('churn', "
                             "'2026-01-01 00:00:00')"))
        conn.execute(sa.text("INSERT INTO model_versions (model, version, metadata, created) "
                             "VALUES ('churn', 'v1', '{}', '2026-01-01 00:00:00')"))
        conn.execute(sa.text("INSERT INTO monitor_state (monitor, state, updated) VALUES "
                             "('m1', '{\"k\": 1}', '2026-01-01 00:00:00')"))
    engine.dispose()
    store = open_store(store_url)
    try:
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
            assert NEW_TABLES <= set(sa.inspect(conn).get_table_names())
            # the ORM model equals the migrated schema (tables, columns, types, indexes, keys)
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            indexes = {i["name"]: i["column_names"]
                       for i in sa.inspect(conn).get_indexes("escalations")}
        assert indexes == {"ix_escalations_model_status": ["model", "status"],
                           "ix_escalations_status_due_at": ["status", "due_at"]}
        assert store.monitor_state("m1").state == {"k": 1}
        assert store.set_alias("churn", "champion", "v1").version == "v1"
    finally:
        store.close()


def test_downgrade_to_0002_drops_only_the_new_tables(store_url):
    store = open_store(store_url)
    store.ingest_events([make_event(1)])
    store.register_version("churn", "v1")
    store.set_alias("churn", "champion", "v1")
    store.save_rule_set("churn", {"rules": []})
    _alembic(store.engine, "downgrade", "0002")
    with store.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert not NEW_TABLES & tables
    assert {"monitor_state", "model_versions", "prediction_events"} <= tables
    assert len(store.events("churn")) == 1
    assert [v.version for v in store.versions("churn")] == ["v1"]
    store.close()


# -- aliases and pins --------------------------------------------------------------------
def test_aliases_set_move_promote_delete(store):
    for v in ("v1", "v2", "v3"):
        store.register_version("churn", v)
    first = store.set_alias("churn", "champion", "v1", by="ana")
    assert (first.version, first.updated_by) == ("v1", "ana")
    assert first.updated_at.tzinfo is not None
    store.set_alias("churn", "challenger", "v2")
    store.set_alias("churn", "shadow", "v2")
    store.set_alias("churn", "canary-eu", "v3")  # free text
    assert store.set_alias("churn", "champion", "v3").version == "v3"  # moved
    assert store.promote_version("churn", "v2", by="bo") == "v3"
    got = {a.alias: (a.version, a.updated_by) for a in store.aliases("churn")}
    # the promoted version leaves challenger and shadow; other aliases stay
    assert got == {"canary-eu": ("v3", None), "champion": ("v2", "bo")}
    assert store.promote_version("churn", "v1", alias="challenger") is None
    assert store.alias("churn", "challenger").version == "v1"
    assert store.delete_alias("churn", "canary-eu") is True
    assert store.delete_alias("churn", "canary-eu") is False
    assert store.aliases("other") == ()
    assert store.alias("churn", "champion").to_dict()["version"] == "v2"


def test_alias_or_pin_to_an_unknown_version_is_refused_and_nothing_changes(store):
    store.register_version("churn", "v1")
    store.set_alias("churn", "champion", "v1")
    store.pin_customer("churn", "acme", "v1")
    with pytest.raises(DataError, match=r"registered version of model 'churn' \('v1'\)"):
        store.set_alias("churn", "champion", "v9")
    with pytest.raises(DataError, match="register it first"):
        store.pin_customer("churn", "acme", "v9")
    with pytest.raises(DataError):
        store.promote_version("churn", "v9")
    with pytest.raises(DataError, match="registered version of model 'other'"):
        store.set_alias("other", "champion", "v1")  # versions are per model
    assert store.alias("churn", "champion").version == "v1"
    assert store.customer_pin("churn", "acme").version == "v1"
    with pytest.raises(DataError, match=r"set: champion"):
        store.alias("churn", "challenger")
    with pytest.raises(ParameterError):
        store.set_alias("churn", "", "v1")
    with pytest.raises(ParameterError):
        store.pin_customer("churn", "acme", "v1", note=3)


def test_the_database_itself_refuses_an_alias_to_an_unregistered_version(store):
    store.register_version("churn", "v1")
    with pytest.raises(sa.exc.IntegrityError):
        with writing(store.engine) as conn:
            conn.execute(sa.text("INSERT INTO model_aliases (model, alias, version, updated_at)"
                                 " VALUES ('churn', 'champion', 'nope', '2026-01-01 00:00:00')"))
    assert store.aliases("churn") == ()


def test_pins_move_filter_unpin(store):
    for v in ("v1", "v2"):
        store.register_version("churn", v)
    store.pin_customer("churn", "acme", "v1", by="ana", note="validated")
    store.pin_customer("churn", "globex", "v1")
    moved = store.pin_customer("churn", "acme", "v2", note="moved on request")
    assert (moved.version, moved.pinned_by, moved.note) == ("v2", None, "moved on request")
    assert [p.customer for p in store.customer_pins("churn")] == ["acme", "globex"]
    assert [p.customer for p in store.customer_pins("churn", version="v1")] == ["globex"]
    assert [p.customer for p in store.customer_pins(
        "churn", customers=["globex", "nobody", "globex"])] == ["globex"]
    many = [f"c{i}" for i in range(1200)]  # more keys than one IN chunk
    assert [p.customer for p in store.customer_pins("churn", customers=many + ["acme"])] == \
        ["acme"]
    assert store.unpin_customer("churn", "acme") is True
    assert store.unpin_customer("churn", "acme") is False
    assert store.customer_pin("churn", "acme") is None


# -- rule sets and counters --------------------------------------------------------------
def test_rule_sets_are_versioned(store):
    one = store.save_rule_set("churn", {"rules": [{"id": "r1", "limit": np.float64(0.5)}]})
    two = store.save_rule_set("churn", {"rules": []}, by="ana", note="retire r1")
    store.save_rule_set("fraud", {"rules": []})
    assert (one.version, two.version) == (1, 2)
    assert store.rule_set("churn").version == 2
    assert store.rule_set("churn", version=1).document == {"rules": [{"id": "r1", "limit": 0.5}]}
    assert [(s.version, s.created_by, s.note) for s in store.rule_sets("churn")] == \
        [(1, None, None), (2, "ana", "retire r1")]
    assert store.rule_set("fraud").version == 1
    with pytest.raises(DataError, match=r"one of the saved versions \[1, 2\]"):
        store.rule_set("churn", version=7)
    with pytest.raises(DataError, match="no rule set saved"):
        store.rule_set("nothing")


@pytest.mark.parametrize("document", [["a", "list"], "text", {"x": float("nan")},
                                      {"x": object()}])
def test_a_rule_set_must_be_a_json_object_and_nothing_is_stored(store, document):
    with pytest.raises(ParameterError):
        store.save_rule_set("churn", document)
    assert store.rule_sets("churn") == ()


def test_rule_hits_accumulate_exactly(store):
    t0 = dt.datetime(2026, 1, 1, 12, tzinfo=UTC)
    store.add_rule_hits("churn", {"r1": {"hits": 5, "changed": 3, "routed": 1},
                                  "r2": {"hits": 2, "rejected": 2}}, at=t0)
    store.add_rule_hits("churn", {"r1": {"hits": 4, "changed": 4}},
                        at=t0 - dt.timedelta(hours=1))  # an older batch arriving late
    store.add_rule_hits("churn", {"r2": {"hits": 0}, "r3": {"hits": 0}},
                        at=t0 + dt.timedelta(hours=5))  # no hits: last_hit_at unchanged
    store.add_rule_hits("fraud", {"r1": {"hits": 1}}, at=t0)
    got = {c.rule_id: (c.hits, c.changed, c.rejected, c.routed, c.last_hit_at)
           for c in store.rule_counters("churn")}
    assert got == {"r1": (9, 7, 0, 1, t0), "r2": (2, 0, 2, 0, t0),
                   "r3": (0, 0, 0, 0, None)}
    assert [c.rule_id for c in store.rule_counters("churn", rule_ids=["r3", "zz"])] == ["r3"]
    assert store.add_rule_hits("churn", {}) == ()


@pytest.mark.parametrize("bad", [{"r1": {"hits": -1}}, {"r1": {"hits": 1, "changed": 2}},
                                 {"r1": {"hits": 1.5}}, {"r1": {"hitz": 1}}, {"": {"hits": 1}},
                                 {"r1": {"hits": True}}, ["r1"]])
def test_a_bad_hits_batch_is_refused_whole(store, bad):
    store.add_rule_hits("churn", {"r0": {"hits": 1}})
    batch = {"r0": {"hits": 1}, **bad} if isinstance(bad, dict) else bad
    with pytest.raises(ParameterError):
        store.add_rule_hits("churn", batch)
    assert [(c.rule_id, c.hits) for c in store.rule_counters("churn")] == [("r0", 1)]


def test_concurrent_writers_lose_no_hit_and_no_rule_set_version(store_url):
    # each thread has its own store (own connections), as separate server workers would
    n_threads, rounds = 4, 25
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            with open_store(store_url) as s:
                for i in range(rounds):
                    s.add_rule_hits("churn", {"a": {"hits": 1, "changed": 1},
                                              "b": {"hits": 2}, f"t{k}": {"hits": 1}})
                    if i % 5 == 0:
                        s.save_rule_set("churn", {"by": k, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    open_store(store_url).close()  # migrate once, before the race
    threads = [threading.Thread(target=work, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    with open_store(store_url) as s:
        got = {c.rule_id: (c.hits, c.changed) for c in s.rule_counters("churn")}
        versions = [r.version for r in s.rule_sets("churn")]
    assert got["a"] == (n_threads * rounds, n_threads * rounds)
    assert got["b"] == (2 * n_threads * rounds, 0)
    assert all(got[f"t{k}"] == (rounds, 0) for k in range(n_threads))
    assert versions == list(range(1, n_threads * rounds // 5 + 1))


# -- escalations -------------------------------------------------------------------------
def test_escalation_lifecycle(store):
    store.ingest_events([make_event(4)])  # model churn, segment c1
    reported = dt.datetime(2026, 2, 1, 9, tzinfo=UTC)
    esc = store.add_escalation("churn", event_id="ev-000004", severity="critical",
                               expected={"prediction": 1}, reported_at=reported,
                               due_at=dt.timedelta(hours=4), note="customer call")
    assert (esc.customer, esc.status, esc.expected, esc.payload) == \
        ("c1", "open", {"prediction": 1}, None)
    assert esc.due_at == reported + dt.timedelta(hours=4)
    assert esc.is_overdue("2026-02-01T13:30Z") and not esc.is_overdue("2026-02-01T12:00Z")
    other = store.add_escalation("churn", payload={"x": 3.5, "cat": "b"}, severity="low",
                                 customer="acme", reported_at=reported,
                                 due_at="2026-02-08T09:00:00+00:00")
    assert (other.event_id, other.payload, other.customer) == (None, {"x": 3.5, "cat": "b"},
                                                               "acme")
    assert [e.id for e in store.overdue_escalations(now="2026-02-02T00:00Z")] == [esc.id]
    assert store.overdue_escalations(now="2026-02-01T10:00Z") == ()
    assert [e.id for e in store.overdue_escalations(now="2026-03-01T00:00Z")] == \
        [esc.id, other.id]  # most overdue first

    with pytest.raises(DataError, match="an analysis to mark it 'analysed'"):
        store.update_escalation(esc.id, status="analysed")
    analysed = store.update_escalation(esc.id, status="analysed",
                                       analysis={"cause": "unit_change", "score": 0.9})
    assert (analysed.status, analysed.analysis["cause"]) == ("analysed", "unit_change")
    assert store.update_escalation(esc.id, analysis={"cause": "covariate_shift"}).status == \
        "analysed"  # re-analysis keeps the status
    with pytest.raises(DataError, match=r"from 'analysed' to one of: fixed, closed"):
        store.update_escalation(esc.id, status="open")
    fixed = store.update_escalation(esc.id, status="fixed", at="2026-02-01T12:00Z",
                                    note="rule r1")
    assert (fixed.resolved_at, fixed.note) == (dt.datetime(2026, 2, 1, 12, tzinfo=UTC),
                                               "rule r1")
    assert not fixed.is_overdue("2027-01-01T00:00Z")
    closed = store.update_escalation(esc.id, status="closed", at="2026-02-03T00:00Z")
    assert closed.resolved_at == fixed.resolved_at  # the fix time stays
    with pytest.raises(DataError, match="re-open it"):
        store.update_escalation(esc.id, analysis={"cause": "x"})
    reopened = store.update_escalation(esc.id, status="open")
    assert (reopened.status, reopened.resolved_at) == ("open", None)

    assert [e.id for e in store.escalations(model="churn", status="open")] == \
        [esc.id, other.id]
    assert [e.id for e in store.escalations(customer="acme")] == [other.id]
    assert [e.id for e in store.escalations(severity="critical")] == [esc.id]
    assert store.escalations(model="fraud") == ()
    assert store.escalation(other.id).to_dict()["due_at"] == "2026-02-08T09:00:00+00:00"
    with store.engine.connect() as conn:  # absent JSON values are SQL NULL, not JSON null
        assert conn.execute(sa.text("SELECT count(*) FROM escalations WHERE payload IS NULL "
                                    "AND analysis IS NULL")).scalar_one() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM escalations WHERE expected IS NULL")
                            ).scalar_one() == 1


@pytest.mark.parametrize("kwargs, error, match", [
    ({"event_id": "ev-unknown"}, DataError, "stored prediction event"),
    ({"event_id": "ev-000001", "model": "fraud"}, DataError, "event of model 'churn'"),
    ({}, ParameterError, "event_id= .* or payload="),
    ({"payload": [1, 2]}, ParameterError, "JSON object"),
    ({"payload": {"x": float("inf")}}, ParameterError, "JSON-safe"),
    ({"event_id": "ev-000001", "severity": "urgent"}, ParameterError,
     "low, medium, high, critical"),
    ({"event_id": "ev-000001", "due_at": "2026-01-01T00:00Z"}, ParameterError,
     "not before reported_at"),
    ({"event_id": "ev-000001", "due_at": dt.timedelta(0)}, ParameterError, "positive"),
    ({"event_id": "ev-000001", "due_at": None}, ParameterError, "timedelta"),
    ({"event_id": "ev-000001", "due_at": "soon"}, DataError, "ISO-8601"),
])
def test_a_bad_escalation_is_refused_and_nothing_is_stored(store, kwargs, error, match):
    store.ingest_events([make_event(1)])
    args = {"model": "churn", "severity": "high", "reported_at": "2026-02-01T00:00Z",
            "due_at": dt.timedelta(hours=1), **kwargs}
    with pytest.raises(error, match=match):
        store.add_escalation(args.pop("model"), **args)
    assert _count(store, "escalations") == 0
    assert len(store.events("churn")) == 1


def test_bad_updates_change_nothing(store):
    esc = store.add_escalation("churn", payload={"x": 1}, severity="medium",
                               due_at=dt.timedelta(days=1))
    with pytest.raises(DataError, match="stored escalation"):
        store.update_escalation(esc.id + 100, status="closed")
    with pytest.raises(ParameterError, match="integer id"):
        store.escalation("1")
    with pytest.raises(ParameterError, match="open, analysed, fixed, closed"):
        store.update_escalation(esc.id, status="done")
    with pytest.raises(ParameterError, match="status=, analysis= or note="):
        store.update_escalation(esc.id)
    with pytest.raises(ParameterError, match="JSON object"):
        store.update_escalation(esc.id, status="analysed", analysis="it broke")
    with pytest.raises(ParameterError):
        store.escalations(status="nope")
    assert store.escalation(esc.id) == esc
