"""A wrapped model logs through ``POST /api/v1/events/frames`` (a binary frame) over a real
socket into a real store (SQLite and PostgreSQL): every row stored once with its features,
outputs and latency; a re-send, as a frame or as JSON to ``/events/columnar``, is all
duplicates; a refused row is dead-lettered alone; a malformed frame gets a 4xx."""

from __future__ import annotations

import json

import httpx
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from stalwart.monitoring import HttpSink, Monitor
from stalwart.monitoring.sinks import encode
from stalwart.store import open_store
from stalwart.store.frames import FRAME_MEDIA_TYPE, encode_frame


class RecordingSink(HttpSink):
    """The real HttpSink, keeping each batch of blocks it posted as a frame and as JSON."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bodies: list[tuple[bytes, bytes]] = []
        self.event_posts = 0

    def send_blocks(self, blocks):
        self.bodies.append((encode_frame(blocks), encode({"blocks": blocks})))
        return super().send_blocks(blocks)

    def send_events(self, events):
        self.event_posts += 1
        return super().send_events(events)


@pytest.fixture
def server(store_url, h):
    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=store_url), tokens=h.TOKENS)
    with h.LiveServer(app) as live:
        yield live


def _data():
    rng = np.random.default_rng(7)
    X = pd.DataFrame({"age": rng.normal(40, 10, 400), "income": rng.normal(5, 2, 400),
                      "tenure": rng.integers(0, 20, 400).astype(float)})
    y = np.where(X["age"] / 10 + X["income"] + rng.normal(0, 1, 400) > 9, "churn", "stay")
    return X, y


def test_wrapped_rows_are_stored_once_through_the_frames_route(server, store_url, h,
                                                               tmp_path):
    X, y = _data()
    model = LogisticRegression().fit(X, y)
    sink = RecordingSink(server.url, token="tok-ingest-0123")
    monitor = Monitor(sink, model="churn", model_version="2", batch_size=150,
                      flush_interval=0.05, spill_path=tmp_path / "spill.jsonl")
    wrapped = monitor.wrap(model, with_proba=True, segment="eu")
    calls = [X.iloc[0:40], X.iloc[40:41], X.iloc[41:241], X.iloc[241:300]]
    ids = []
    for part in calls:
        wrapped.predict(part)
        ids.append(wrapped.last_event_ids)
    assert monitor.close(timeout=60)
    stats = monitor.stats()
    assert stats["sent"] == 300 and stats["dead_lettered"] == stats["spilled"] == 0
    assert sink.event_posts == 0 and len(sink.bodies) >= 3  # blocks only, ~150 rows a POST
    assert sink.frames is True
    assert not (tmp_path / "spill.jsonl").exists()

    with open_store(store_url) as store:
        stored = store.events("churn").set_index("event_id")
    assert len(stored) == 300 and stored.index.is_unique
    for part, part_ids in zip(calls, ids):
        rows = stored.loc[part_ids]
        assert np.allclose(rows[["features.age", "features.income", "features.tenure"]],
                           part.to_numpy())
        assert (rows["outputs.prediction"].to_numpy() == model.predict(part)).all()
        proba = model.predict_proba(part)
        assert np.allclose(rows[["outputs.proba.churn", "outputs.proba.stay"]], proba)
        assert rows["latency_ms"].nunique() == 1 and rows["latency_ms"].iloc[0] > 0
        assert (rows["segment"] == "eu").all() and (rows["model_version"] == "2").all()
    assert ids[1][0].endswith("-1-0") and ids[2][199].endswith("-2-199")

    # the same batches again, as frames and as JSON: every row is a duplicate
    duplicates = 0
    for frame, body in sink.bodies:
        for path, content, media in (("frames", frame, FRAME_MEDIA_TYPE),
                                     ("columnar", body, "application/json")):
            answer = httpx.post(f"{server.url}/api/v1/events/{path}", content=content,
                                headers={**h.INGEST, "content-type": media})
            assert answer.status_code == 200 and answer.json()["accepted"] == 0
            assert answer.json()["rejected"] == []
            duplicates += answer.json()["duplicates"]
    assert duplicates == 600
    with open_store(store_url) as store:
        assert len(store.events("churn")) == 300


class BadProba:
    """A model whose predict_proba is wrong on row 1 of every call (the server refuses it)."""

    classes_ = np.array([0, 1])

    def predict(self, X):
        return np.zeros(len(X), dtype=int)

    def predict_proba(self, X):
        out = np.tile([0.25, 0.75], (len(X), 1))
        out[1] = [1.5, -0.5]
        return out


def test_a_refused_row_is_dead_lettered_alone_and_its_neighbours_stored(server, store_url,
                                                                         tmp_path):
    sink = HttpSink(server.url, token="tok-ingest-0123")
    spill = tmp_path / "spill.jsonl"
    monitor = Monitor(sink, model="bad", model_version="1", flush_interval=0.05,
                      spill_path=spill)
    wrapped = monitor.wrap(BadProba(), feature_names=["a", "b"], with_proba=True)
    wrapped.predict(np.arange(8.0).reshape(4, 2))
    ids = wrapped.last_event_ids
    assert monitor.close(timeout=60)
    assert monitor.stats()["sent"] == 3 and monitor.stats()["dead_lettered"] == 1
    dead = [json.loads(line) for line in spill.with_name("spill.dead.jsonl").read_text()
            .splitlines()]
    assert [d["record"]["event_id"] for d in dead] == [ids[1]]
    assert dead[0]["record"]["features"] == {"a": 2.0, "b": 3.0} and "proba" in dead[0]["error"]
    with open_store(store_url) as store:
        stored = store.events("bad")
    assert sorted(stored["event_id"]) == sorted([ids[0], ids[2], ids[3]])


def test_the_route_answers_like_events_with_block_and_row(server, h):
    good = {"model": "m", "model_version": "1", "id_prefix": "k",
            "timestamp": "2026-01-01T00:00:00Z", "latency_ms": [1.0, 2.0],
            "features": {"x": [1.5, float("nan")]},
            "outputs": {"prediction": [0, 1], "proba": {"1": [0.5, 2.0]}}}
    ragged = {**good, "id_prefix": "r", "features": {"x": [1.0]}}
    body = {"blocks": [good, ragged]}
    post = httpx.post(f"{server.url}/api/v1/events/columnar", content=json.dumps(body),
                      headers={**h.INGEST, "content-type": "application/json"})
    assert post.status_code == 200
    answer = post.json()
    assert answer["accepted"] == 1 and answer["duplicates"] == 0
    assert [(r["index"], r["row"], r["event_id"]) for r in answer["rejected"]] == [
        (0, 1, "k-1"), (1, None, None)]
    assert "ragged" in answer["rejected"][1]["reason"]
    read = httpx.get(f"{server.url}/api/v1/events", params={"model": "m"}, headers=h.READ)
    assert [(e["event_id"], e["features.x"], e["latency_ms"]) for e in read.json()["events"]] \
        == [("k-0", 1.5, 1.0)]
    for bad in (b'{"events": []}', b'{"blocks": 3}', b'[1]', b'{"blocks": [1'):
        answer = httpx.post(f"{server.url}/api/v1/events/columnar", content=bad,
                            headers={**h.INGEST, "content-type": "application/json"})
        assert answer.status_code == 422, (bad, answer.status_code)
    assert httpx.post(f"{server.url}/api/v1/events/columnar", content=encode(body),
                      headers=h.READ).status_code == 403


def test_a_frame_and_json_store_the_same_events(server, store_url, h):
    block = {"model": "f", "model_version": "1", "segment": "eu",
             "timestamp": "2026-01-01T00:00:00+00:00", "metadata": {"batch_rows": 3},
             "latency_ms": np.array([1.0, 2.0, 3.5]),
             "features": {"x": np.array([1.5, np.nan, np.inf]), "n": np.array([1, 2, 3]),
                          "flag": np.array([True, False, True]),
                          "f32": np.array([0.5, 0.25, 2.0], dtype=np.float32),
                          "plan": np.array(["pro", "basic", "pro"])},
             "outputs": {"prediction": np.array([0, 1, 1]),
                         "proba": {"1": np.array([0.1, 0.9, 0.8])}}}
    for prefix, path, content, media in (
            ("j", "columnar", encode({"blocks": [{**block, "id_prefix": "j"}]}),
             "application/json"),
            ("b", "frames", encode_frame([{**block, "id_prefix": "b"}]), FRAME_MEDIA_TYPE)):
        answer = httpx.post(f"{server.url}/api/v1/events/{path}", content=content,
                            headers={**h.INGEST, "content-type": media})
        assert answer.status_code == 200 and answer.json()["accepted"] == 3, answer.text
    with open_store(store_url) as store:
        events = store.events("f").set_index("event_id")
    j = events.loc[["j-0", "j-1", "j-2"]].reset_index(drop=True)
    b = events.loc[["b-0", "b-1", "b-2"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(j, b)
    assert j["features.x"].isna().tolist() == [False, True, True]
    assert j["features.n"].tolist() == [1, 2, 3] and j["features.plan"].iloc[0] == "pro"


def test_the_frames_route_refuses_what_is_not_a_frame(server, h):
    good = encode_frame([{"model": "m", "model_version": "1", "id_prefix": "z",
                          "timestamp": "2026-01-01T00:00:00Z",
                          "features": {"x": np.array([1.0, 2.0])},
                          "outputs": {"prediction": np.array([0, 1])}}])
    url = f"{server.url}/api/v1/events/frames"
    frame = {**h.INGEST, "content-type": FRAME_MEDIA_TYPE}
    answer = httpx.post(url, content=good, headers={**h.INGEST,
                                                     "content-type": "application/json"})
    assert answer.status_code == 415 and FRAME_MEDIA_TYPE in answer.json()["detail"]
    assert httpx.post(url, content=good, headers={**h.READ, "content-type":
                                                  FRAME_MEDIA_TYPE}).status_code == 403
    header_len = int.from_bytes(good[5:9], "little")
    header = good[9:9 + header_len]
    body = good[9 + header_len:]

    def forged(new_header: bytes, data: bytes = body) -> bytes:
        return good[:5] + len(new_header).to_bytes(4, "little") + new_header + data

    bad = {
        "magic": b"XXXX" + good[4:],
        "version": good[:4] + b"\x07" + good[5:],
        "truncated header": good[:20],
        "header not JSON": forged(b"{not json"),
        "object dtype": forged(header.replace(b'"<f8"', b'"|O"')),
        "array past the end": forged(header, body[:4]),
        "bad reference": forged(header.replace(b'{"$array":1}', b'{"$array":9}')),
        "empty": b"",
    }
    for name, content in bad.items():
        answer = httpx.post(url, content=content, headers=frame)
        assert answer.status_code == 400, (name, answer.status_code, answer.text)
        assert "expected" in answer.json()["detail"], name
    answer = httpx.post(url, content=good, headers=frame)
    assert answer.status_code == 200 and answer.json()["accepted"] == 2
