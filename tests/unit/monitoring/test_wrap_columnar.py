"""monitor.wrap sends one column block per call; every guarantee of the per-event path holds
(spill and re-send, whole-request refusal split per event, older servers, no orjson)."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import numpy as np
import pytest

import stalwart._json
from stalwart.exceptions import ModelError
from stalwart.monitoring.client import Monitor
from stalwart.monitoring.sinks import HttpSink, MemorySink, RejectedBatchError, encode

_spec = importlib.util.spec_from_file_location("_monitoring_sinks_tests_columnar",
                                               Path(__file__).with_name("test_sinks.py"))
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
Receiver = _mod.Receiver


class Doubler:
    def predict(self, X):
        return np.asarray(X)[:, 0] * 2


class CountingSink(MemorySink):
    """A MemorySink recording the rows of each block request."""

    def __init__(self, fail_blocks: int = 0, reject_blocks: bool = False) -> None:
        super().__init__()
        self.block_requests: list[int] = []
        self.event_requests = 0
        self.fail_blocks = fail_blocks
        self.reject_blocks = reject_blocks

    def send_blocks(self, blocks):
        self.block_requests.append(sum(len(b["outputs"]["prediction"]) for b in blocks))
        if self.fail_blocks:
            self.fail_blocks -= 1
            raise ConnectionError("down")
        if self.reject_blocks:
            raise RejectedBatchError("HTTP 413: too large")
        return super().send_blocks(blocks)

    def send_events(self, events):
        self.event_requests += 1
        return super().send_events(events)


class EventsOnly:
    """A custom sink from before blocks: send_events and send_labels only."""

    def __init__(self) -> None:
        self.events: dict[str, dict] = {}

    def send_events(self, events):
        self.events.update({e["event_id"]: e for e in events})

    def send_labels(self, labels):
        return None


def _calls(monitor, sizes=(3, 1, 120, 7)):
    wrapped = monitor.wrap(Doubler(), feature_names=["a", "b"])
    rng = np.random.default_rng(5)
    expected = {}
    for n in sizes:
        X = rng.normal(size=(n, 2))
        wrapped.predict(X)
        for event_id, row in zip(wrapped.last_event_ids, X.tolist()):
            expected[event_id] = (row, row[0] * 2)
    return expected


def _check(events, expected):
    assert set(events) == set(expected)
    for event_id, (row, prediction) in expected.items():
        event = events[event_id]
        assert event["features"] == {"a": row[0], "b": row[1]}
        assert event["outputs"] == {"prediction": prediction, "proba": None}


def test_each_call_is_one_block_and_requests_hold_whole_calls(tmp_path):
    sink = CountingSink()
    monitor = Monitor(sink, model="m", model_version="1", batch_size=100,
                      spill_path=tmp_path / "s.jsonl")
    expected = _calls(monitor)
    assert monitor.close(timeout=30)
    _check(sink.events, expected)
    assert sink.event_requests == len(sink.block_requests) >= 2  # MemorySink expands locally
    assert sum(sink.block_requests) == 131 and 120 in sink.block_requests
    assert all(n <= 100 or n == 120 for n in sink.block_requests)
    assert monitor.stats()["sent"] == 131


def test_a_sink_without_send_blocks_gets_the_same_events(tmp_path):
    sink, reference = EventsOnly(), CountingSink()
    for target in (sink, reference):
        monitor = Monitor(target, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
        expected = _calls(monitor)
        assert monitor.close(timeout=30)
        _check(target.events, expected)
    strip = [{k: v for k, v in e.items() if k not in ("event_id", "timestamp", "latency_ms")}
             for e in sink.events.values()]
    assert strip[0] == {"model": "m", "model_version": "1", "segment": None,
                        "features": strip[0]["features"],
                        "outputs": strip[0]["outputs"], "metadata": {"batch_rows": 3}}


def test_a_down_sink_spills_events_and_they_are_resent(tmp_path):
    sink = CountingSink(fail_blocks=10**6)
    spill = tmp_path / "s.jsonl"
    monitor = Monitor(sink, model="m", model_version="1", retries=1, backoff=0.01,
                      flush_interval=0.05, spill_path=spill)
    expected = _calls(monitor)
    assert monitor.flush(timeout=30)
    assert monitor.stats()["spilled"] == 131 and not sink.events
    lines = [json.loads(x) for x in spill.read_text().splitlines()]
    assert {x["kind"] for x in lines} == {"event"} and len(lines) == 131
    sink.fail_blocks = 0
    deadline = time.monotonic() + 30
    while monitor.stats()["resent"] < 131 and time.monotonic() < deadline:
        time.sleep(0.02)  # the thread probes the sink again after its backoff
    assert monitor.close(timeout=30)
    _check(sink.events, expected)  # re-sent as events from the spill file
    assert monitor.stats()["resent"] == 131 and not spill.exists()


def test_a_refused_request_is_split_per_event_as_before(tmp_path):
    sink = CountingSink(reject_blocks=True)
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
    expected = _calls(monitor)
    assert monitor.close(timeout=30)
    _check(sink.events, expected)
    assert monitor.stats()["dead_lettered"] == 0 and sink.event_requests >= 1


def test_an_older_server_without_the_routes_gets_events(tmp_path):
    with Receiver() as rx:
        rx.script = [(404, '{"detail": "Not Found"}'), (405, '{"detail": "Not Allowed"}')]
        sink = HttpSink(rx.url, token="t")
        monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
        expected = _calls(monitor)
        assert monitor.close(timeout=30)
    assert sink.frames is False and sink.columnar is False
    paths = [p for p, _ in rx.requests]
    assert paths[:2] == ["/api/v1/events/frames", "/api/v1/events/columnar"]
    assert set(paths[2:]) == {"/api/v1/events"}
    _check(rx.events, expected)
    assert monitor.stats()["dead_lettered"] == 0


def test_a_server_without_frames_gets_json_blocks(tmp_path):
    with Receiver() as rx:
        rx.script = [(415, '{"detail": "Unsupported Media Type"}')]
        sink = HttpSink(rx.url, token="t")
        monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
        _calls(monitor)
        assert monitor.close(timeout=30)
    assert sink.frames is False and sink.columnar is True
    paths = [p for p, _ in rx.requests]
    assert paths[0] == "/api/v1/events/frames"
    assert set(paths[1:]) == {"/api/v1/events/columnar"}
    assert monitor.stats()["dead_lettered"] == 0 and monitor.stats()["sent"] == 131


def test_blocks_encode_the_same_without_orjson(monkeypatch):
    block = {"x": np.array([1.5, np.nan, 3.0]), "n": np.arange(3), "s": np.array(["a", "b"]),
             "o": np.array([1, None], dtype=object), "t": np.zeros((3, 2))[:, 0]}
    fast = encode({"blocks": [block]})
    monkeypatch.setattr(stalwart._json, "_orjson", None)
    slow = encode({"blocks": [block]})
    assert json.loads(fast) == json.loads(slow) == {"blocks": [
        {"x": [1.5, None, 3.0], "n": [0, 1, 2], "s": ["a", "b"], "o": [1, None],
         "t": [0.0, 0.0, 0.0]}]}


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.bool_])
def test_numpy_column_types_arrive_as_plain_values(dtype, tmp_path):
    sink = MemorySink()
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
    wrapped = monitor.wrap(Doubler(), feature_names=["a", "b"])
    wrapped.predict(np.array([[1, 0], [0, 1]], dtype=dtype))
    assert monitor.close(timeout=30)
    event = sink.events[wrapped.last_event_ids[1]]
    want = np.array([0, 1], dtype=dtype).tolist()
    assert event["features"] == {"a": want[0], "b": want[1]}
    assert type(event["features"]["a"]) is type(want[0])


def test_a_big_endian_input_is_logged_as_its_values(tmp_path):
    sink = MemorySink()
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
    wrapped = monitor.wrap(Doubler(), feature_names=["a", "b"])
    X = np.array([[1.5, 2.0], [3.0, 4.5]], dtype=">f8")
    wrapped.predict(X)
    assert monitor.close(timeout=30)
    blocks = [sink.events[i] for i in wrapped.last_event_ids]
    assert [e["features"] for e in blocks] == [{"a": 1.5, "b": 2.0}, {"a": 3.0, "b": 4.5}]
    assert [e["outputs"]["prediction"] for e in blocks] == [3.0, 6.0]
    assert sink.events and json.loads(encode(blocks))[1]["features"]["b"] == 4.5


def test_wrap_can_log_under_another_version_of_the_model(tmp_path):
    sink = MemorySink()
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
    live = monitor.wrap(Doubler(), feature_names=["a", "b"])
    shadow = monitor.wrap(Doubler(), feature_names=["a", "b"], model_version="2-shadow")
    live.predict(np.array([[1.0, 0.0]]))
    shadow.predict(np.array([[1.0, 0.0]]))
    assert monitor.close(timeout=30)
    assert sink.events[live.last_event_ids[0]]["model_version"] == "1"
    assert sink.events[shadow.last_event_ids[0]]["model_version"] == "2-shadow"
    with pytest.raises(ModelError, match="model_version"):
        monitor.wrap(Doubler(), model_version="")


_FRAME_DTYPES = ["int8", "int64", "uint8", "uint64", "float16", "float32", "float64"]


@pytest.mark.parametrize("first", _FRAME_DTYPES)
@pytest.mark.parametrize("second", _FRAME_DTYPES)
def test_a_frame_of_several_blocks_is_logged_as_to_numpy_gives_it(first, second):
    # the caller copies each block and the background thread assembles them: the array
    # must be to_numpy's, dtype included (pandas' common type of the blocks)
    import pandas as pd

    from stalwart.monitoring.wrap import _FrameBlocks
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"x": rng.integers(0, 100, 6).astype(first)})
    X["y"] = rng.integers(0, 100, 6).astype(second)  # a second block
    X["z"] = rng.integers(0, 100, 6).astype(first)   # a third
    X = X.iloc[1:5]  # a view: every block sliced
    blocks = _FrameBlocks.copy_of(X, 3)
    assert blocks is not None and len(blocks.parts) == 3
    got, want = blocks.array(), X.to_numpy()
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_frames_other_than_plain_numbers_take_to_numpy(tmp_path):
    import pandas as pd

    from stalwart.monitoring.wrap import _FrameBlocks
    for X in (pd.DataFrame({"a": [1.0, 2.0], "b": [True, False]}),
              pd.DataFrame({"a": [1.0, 2.0], "b": pd.array([1, None], dtype="Int64")}),
              pd.DataFrame({"a": [1.0, 2.0], "b": ["u", "v"]}),
              pd.DataFrame({"a": [1.0, 2.0], "t": pd.to_datetime(["2026-01-01"] * 2)})):
        assert _FrameBlocks.copy_of(X, 2) is None
    sink = MemorySink()
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl")
    wrapped = monitor.wrap(Doubler())
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [True, False]})
    wrapped.predict(X)
    assert monitor.close(timeout=30)
    assert [sink.events[i]["features"] for i in wrapped.last_event_ids] == [
        {"a": 1.0, "b": True}, {"a": 2.0, "b": False}]


def test_a_frame_changed_after_the_call_is_logged_as_it_was(tmp_path):
    import pandas as pd
    sink = MemorySink()
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl",
                      flush_interval=3600)
    wrapped = monitor.wrap(Doubler())
    X = pd.DataFrame({"a": [1.0, 2.0]})
    X["b"] = np.array([10, 20], dtype="int64")  # two blocks
    wrapped.predict(X)
    ids = wrapped.last_event_ids
    X.loc[0, "a"] = -1.0  # the caller reuses its frame before the record is sent
    X.loc[1, "b"] = -1
    assert monitor.close(timeout=30)
    assert [sink.events[i]["features"] for i in ids] == [{"a": 1.0, "b": 10.0},
                                                          {"a": 2.0, "b": 20.0}]
    assert [sink.events[i]["outputs"]["prediction"] for i in ids] == [2.0, 4.0]
