"""Column blocks: expansion equals the per-event path, malformed blocks are refused whole."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from stalwart.monitoring.sinks import MemorySink, encode
from stalwart.monitoring.wrap import _CallRecord
from stalwart.store import open_store
from stalwart.store.columnar import MAX_BLOCK_ROWS, expand_blocks, ingest_blocks

WHEN = dt.datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=dt.timezone.utc).timestamp()


def per_event(record):
    """The per-event expansion the wrapper did before blocks (the reference)."""
    n = len(record.preds)
    ids = record.ids if record.ids is not None else [f"{record.prefix}-{i}" for i in range(n)]
    stamp = dt.datetime.fromtimestamp(record.when, dt.timezone.utc).isoformat()
    names = [str(c) for c in record.names]
    features = [dict(zip(names, row)) for row in record.values.tolist()]
    if record.proba is not None:
        keys = [str(c) for c in record.classes]
        outputs = [{"prediction": p, "proba": dict(zip(keys, q))}
                   for p, q in zip(record.preds.tolist(), record.proba.tolist())]
    else:
        outputs = [{"prediction": p, "proba": None} for p in record.preds.tolist()]
    return [{"event_id": i, "timestamp": stamp, "model": record.model,
             "model_version": record.version, "segment": record.segment, "features": f,
             "outputs": o, "latency_ms": record.latency, "metadata": {"batch_rows": n}}
            for i, f, o in zip(ids, features, outputs)]


def records():
    rng = np.random.default_rng(3)
    floats = rng.normal(size=(7, 3))
    floats[2, 1] = np.nan
    frame = pd.DataFrame({"age": rng.integers(18, 90, 5), "plan": ["a", "b", "a", "c", "b"],
                          "ok": [True, False, True, True, False]})
    proba = rng.dirichlet([1, 1, 1], size=7)
    return [
        _CallRecord(["x0", "x1", "x2"], floats, np.array(["no", "yes"] * 3 + ["no"]), proba,
                    [np.int64(0), np.int64(1), np.int64(2)], 1.25, WHEN, None, "p-0", "acme",
                    "churn", "7"),
        _CallRecord(frame.columns, frame.to_numpy(copy=True), np.arange(5, dtype=np.int64),
                    None, None, 0.5, WHEN, [f"id{i}" for i in range(5)], "p-1", None,
                    "churn", "7"),
        _CallRecord(["only"], np.array([[np.float32(0.5)]]), np.array([np.float32(1.5)]),
                    None, None, 0.0, WHEN, None, "p-2", None, "churn", "7"),
    ]


def test_local_expansion_equals_the_per_event_path_exactly():
    for record in records():
        got, rejected = expand_blocks([record.block()])
        want = per_event(record)
        assert rejected == []
        # byte-equal once encoded (NaN is a float NaN in both, null on the wire)
        assert encode(got) == encode(want)
        assert [e["event_id"] for e in got] == [e["event_id"] for e in want]
        assert all(type(g["features"][k]) is type(w["features"][k])
                   for g, w in zip(got, want) for k in w["features"])
    first = expand_blocks([records()[0].block()])[0]
    assert first[2]["features"]["x1"] != first[2]["features"]["x1"]  # NaN kept locally
    assert first[0]["outputs"]["proba"].keys() == {"0", "1", "2"}


def test_wire_round_trip_equals_the_per_event_wire_format():
    blocks = [r.block() for r in records()]
    sent = json.loads(encode({"blocks": blocks}))["blocks"]
    got, rejected = expand_blocks(sent)
    want = json.loads(encode({"events": [e for r in records() for e in per_event(r)]}))
    assert rejected == [] and got == want["events"]
    assert got[2]["features"]["x1"] is None  # NaN -> null, as the per-event path sends it
    assert isinstance(sent[0]["features"]["x0"], list)  # numpy columns encoded as arrays


def test_optional_columns_per_row_and_metadata():
    events, rejected = expand_blocks([{
        "model": "m", "model_version": "1", "event_ids": ["a", "b"],
        "timestamps": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"],
        "latency_ms": [1.0, 2.0], "features": {}, "outputs": {"prediction": [1, 0]},
        "metadata": {"src": "api"}}])
    assert rejected == []
    assert [(e["event_id"], e["timestamp"], e["latency_ms"], e["features"], e["metadata"])
            for e in events] == [("a", "2026-01-01T00:00:00Z", 1.0, {}, {"src": "api"}),
                                 ("b", "2026-01-02T00:00:00Z", 2.0, {}, {"src": "api"})]
    assert events[0]["metadata"] is not events[1]["metadata"]
    assert events[0]["segment"] is None


GOOD = {"model": "m", "model_version": "1", "id_prefix": "c", "timestamp": "2026-01-01T00:00:00Z",
        "features": {"x": [1, 2]}, "outputs": {"prediction": [0, 1]}}


@pytest.mark.parametrize("change, reason", [
    ({"features": {"x": [1, 2, 3]}}, "ragged columns (features['x']: 3, outputs['prediction']"),
    ({"outputs": {"prediction": [0, 1], "proba": {"a": [0.5]}}}, "ragged columns"),
    ({"latency_ms": [1.0]}, "ragged columns"),
    ({"id_prefix": None}, "expected one of id_prefix or event_ids; got neither"),
    ({"event_ids": ["a", "b"]}, "expected one of id_prefix or event_ids; got both"),
    ({"timestamp": None}, "expected one of timestamp or timestamps; got neither"),
    ({"id_prefix": ""}, "block id_prefix: expected a non-empty string"),
    ({"id_prefix": 7}, "block id_prefix: expected a non-empty string"),
    ({"features": {"x": 5}}, "expected a list of values (one per row); got int"),
    ({"features": [1, 2]}, "block features: expected a mapping"),
    ({"outputs": None}, "block outputs: expected a mapping"),
    ({"rows": 2}, "block fields: expected only model"),
    ({"metadata": [1]}, "block metadata: expected a mapping"),
    ({"features": {}, "outputs": {}}, "expected at least one column"),
    ({"features": {"x": [0] * (MAX_BLOCK_ROWS + 1)},
      "outputs": {"prediction": [0] * (MAX_BLOCK_ROWS + 1)}},
     f"expected at most {MAX_BLOCK_ROWS} rows; got {MAX_BLOCK_ROWS + 1} rows"),
])
def test_malformed_blocks_are_refused_whole_with_the_reason(change, reason):
    bad = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    events, rejected = expand_blocks([GOOD, bad, {**GOOD, "id_prefix": "d"}])
    assert [e["event_id"] for e in events] == ["c-0", "c-1", "d-0", "d-1"]
    assert len(rejected) == 1 and rejected[0][:3] == (1, None, None)
    assert reason in rejected[0][3] and "Fix:" in rejected[0][3]


def test_a_block_that_is_not_an_object_is_refused():
    events, rejected = expand_blocks([[1, 2], "x", None])
    assert events == [] and [r[0] for r in rejected] == [0, 1, 2]
    assert all("send each block as a JSON object" in r[3] for r in rejected)


def test_ingest_blocks_stores_each_row_once_and_maps_refused_rows(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    blocks = [{**GOOD, "features": {"x": [1.5, 2.5, 3.5]},
               "outputs": {"prediction": [0, 1, 1], "proba": {"1": [0.2, 1.7, 0.9]}}},
              {"model": "m"},
              {**GOOD, "id_prefix": "e", "timestamps": ["2026-01-01T00:00:00Z", "soon"],
               "timestamp": None}]
    blocks[2] = {k: v for k, v in blocks[2].items() if v is not None}
    result = ingest_blocks(store, blocks)
    assert (result.accepted, result.duplicates) == (3, 0)
    assert [(b, r, e) for b, r, e, _ in result.rejected] == [(0, 1, "c-1"), (1, None, None),
                                                             (2, 1, "e-1")]
    assert "proba" in result.rejected[0][3] and "ISO-8601" in result.rejected[2][3]
    body = result.to_dict()
    assert [(r["index"], r["row"]) for r in body["rejected"]] == [(0, 1), (1, None), (2, 1)]
    frame = store.events("m")
    assert sorted(frame["event_id"]) == ["c-0", "c-2", "e-0"]
    again = ingest_blocks(store, blocks)
    assert (again.accepted, again.duplicates, len(again.rejected)) == (0, 3, 3)


def test_memory_sink_maps_block_refusals_to_rows():
    sink = MemorySink()
    refused = sink.send_blocks([GOOD, {**GOOD, "features": {"x": [1]}},
                                {**GOOD, "id_prefix": "d"}])
    assert sorted(sink.events) == ["c-0", "c-1", "d-0", "d-1"]
    # the refused block's rows are 2 and 3 (its prediction column), then d's are 4, 5
    assert [i for i, _ in refused] == [2, 3] and "ragged" in refused[0][1]
