"""The fast ingest path (orjson encoding, COPY on PostgreSQL, batch caches) stores exactly
what the plain path stores, on SQLite and PostgreSQL, and keeps per-event rejection."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
import sqlalchemy as sa

from stalwart.store import event_rows
from stalwart.store import events as events_module
from stalwart.store import open_store
from stalwart.store.schema import Event


def _event(i: int, **changes):
    event = {"event_id": f"enc-{i}", "timestamp": "2026-03-01T10:00:00+02:00",
             "model": "enc", "model_version": "1", "segment": "s",
             "features": {"x": float(i), "name": "plain"},
             "outputs": {"prediction": 1, "proba": {"0": 0.25, "1": 0.75}},
             "latency_ms": 1.5, "metadata": {}}
    event.update(changes)
    return event


AWKWARD = [
    # strings COPY and JSON must escape: backslash, tab, newline, quote, unicode
    _event(0, event_id="enc-0\\tab\there", segment="a\\b\nc",
           features={"path": "C:\\dir\\file", "tab": "a\tb", "quote": 'say "hi"', "u": "é€😀",
                     "nl": "x\ny"}),
    # values only the plain path can encode: numpy scalars and arrays, non-str keys,
    # integers beyond 64 bits, NaN and infinity, datetimes
    _event(1, features={"np": np.float64(2.5), "i": np.int64(7), "arr": np.array([1, 2]),
                        "big": 2 ** 70, "nan": float("nan"), "inf": float("-inf"),
                        "when": dt.datetime(2026, 1, 2, 3, 4, 5)},
           metadata={1: "one", "nested": {"k": np.bool_(True)}}),
    _event(2, latency_ms=None, segment=None, metadata=None),
    _event(3, timestamp=dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc), latency_ms=0),
]
EXPECTED_FEATURES = [
    {"path": "C:\\dir\\file", "tab": "a\tb", "quote": 'say "hi"', "u": "é€😀", "nl": "x\ny"},
    {"np": 2.5, "i": 7, "arr": [1, 2], "big": 2 ** 70, "nan": None, "inf": None,
     "when": "2026-01-02T03:04:05"},
    {"x": 2.0, "name": "plain"},
    {"x": 3.0, "name": "plain"},
]


def _stored(store) -> list[dict]:
    table = Event.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.event_id)).mappings().all()
    return [dict(r) for r in rows]


@pytest.mark.parametrize("fast", [True, False], ids=["orjson", "stdlib"])
def test_stored_values_are_the_plain_values(store_url, monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(event_rows, "_orjson", None)
    with open_store(store_url) as store:
        result = store.ingest_events(AWKWARD)
        assert (result.accepted, result.duplicates, result.rejected) == (4, 0, ())
        again = store.ingest_events(AWKWARD)
        assert (again.accepted, again.duplicates) == (0, 4)
        rows = _stored(store)
    assert [r["event_id"] for r in rows] == sorted(e["event_id"] for e in AWKWARD)
    by_id = {r["event_id"]: r for r in rows}
    for event, features in zip(AWKWARD, EXPECTED_FEATURES):
        row = by_id[event["event_id"]]
        assert row["features"] == features
        assert row["outputs"] == {"prediction": 1, "proba": {"0": 0.25, "1": 0.75}}
        # what is stored is what normalize_event (the plain path) makes of the event
        plain = events_module.normalize_event(event)
        assert json.loads(json.dumps(plain["features"])) == row["features"]
        assert row["metadata"] == json.loads(json.dumps(plain["metadata"]))
        assert row["segment"] == plain["segment"] and row["latency_ms"] == plain["latency_ms"]
        assert row["timestamp"] == plain["timestamp"]
    assert by_id["enc-0\\tab\there"]["segment"] == "a\\b\nc"
    assert by_id["enc-1"]["metadata"] == {"1": "one", "nested": {"k": True}}
    assert by_id["enc-3"]["timestamp"] == dt.datetime(2026, 3, 1, 8, 0)
    assert by_id["enc-2"]["timestamp"] == dt.datetime(2026, 3, 1, 8, 0)


def test_batch_caches_do_not_let_a_bad_event_through(store_url):
    good = [_event(10 + i) for i in range(3)]
    bad = [
        _event(20, model=""),  # after valid "enc" names were cached
        _event(21, segment=["not", "hashable"]),
        _event(22, model_version={"v": 1}),
        _event(23, timestamp="2026-13-45T00:00:00Z"),
        _event(24, event_id="nul\x00id"),
        _event(25, latency_ms=float("nan")),
        _event(26, outputs={"prediction": 1, "proba": {"0": float("nan")}}),
        _event(27, features=[1, 2]),
        _event(28, event_id="sur\ud800rogate"),
        _event(29, segment="\udfff"),
    ]
    with open_store(store_url) as store:
        result = store.ingest_events(good + bad + [_event(10)])
        assert result.accepted == 3 and result.duplicates == 1
        assert [i for i, _, _ in result.rejected] == list(range(3, 3 + len(bad)))
        reasons = [r for _, _, r in result.rejected]
        assert "model" in reasons[0] and "segment" in reasons[1]
        assert "model_version" in reasons[2] and "timestamp" in reasons[3]
        assert "event_id" in reasons[4] and "latency_ms" in reasons[5]
        assert "outputs.proba" in reasons[6] and "features" in reasons[7]
        assert "event_id" in reasons[8] and "segment" in reasons[9]
        assert sorted(r["event_id"] for r in _stored(store)) == ["enc-10", "enc-11", "enc-12"]


def test_many_batches_on_one_connection_keep_counts_exact(store_url):
    with open_store(store_url) as store:
        for b in range(4):  # the PostgreSQL staging table is emptied at each commit
            batch = [_event(100 * b + i) for i in range(50)] + [_event(100 * b)]
            result = store.ingest_events(batch)
            assert (result.accepted, result.duplicates) == (50, 1)
        overlap = store.ingest_events([_event(i) for i in range(40, 60)])
        assert (overlap.accepted, overlap.duplicates) == (10, 10)
        assert len(_stored(store)) == 210
