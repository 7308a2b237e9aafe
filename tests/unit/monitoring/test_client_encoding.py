"""What the client sends: orjson and the standard library encode the same JSON, and a
wrapped call's events carry exactly the caller's rows, answers and stable ids."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

import stalwart._json
from stalwart.monitoring.client import Monitor
from stalwart.monitoring.sinks import MemorySink, encode

PAYLOADS = [
    {"events": [{"x": 1.5, "s": "é\t\"q\"\n", "n": None, "b": True, "i": -3}]},
    {"np": [np.float64(0.1), np.float32(0.5), np.int64(2 ** 40), np.bool_(False)],
     "arr": np.arange(3), "when": dt.datetime(2026, 5, 1, 12, 30, 1, 5),
     "day": dt.date(2026, 5, 1)},
    {"nan": float("nan"), "inf": [float("inf"), -math.inf], "npnan": np.float64("nan")},
    {"big": 2 ** 80, "keys": {1: "a", 2.5: "b"}},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_orjson_and_stdlib_encode_the_same_json(payload, monkeypatch):
    fast = json.loads(encode(payload))
    monkeypatch.setattr(stalwart._json, "_orjson", None)
    plain = json.loads(encode(payload))
    assert fast == plain
    text = json.dumps(fast)
    assert "NaN" not in text and "Infinity" not in text


def test_encode_values():
    got = json.loads(encode(PAYLOADS[1]))
    assert got == {"np": [0.1, 0.5, 2 ** 40, False], "arr": [0, 1, 2],
                   "when": "2026-05-01T12:30:01.000005", "day": "2026-05-01"}
    assert json.loads(encode(PAYLOADS[2])) == {"nan": None, "inf": [None, None],
                                               "npnan": None}


class _Model:
    classes_ = np.array(["no", "yes"])

    def predict(self, X):
        return np.where(np.asarray(X)[:, 0] > 0, "yes", "no")

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-np.asarray(X, dtype=float)[:, 0]))
        return np.column_stack([1 - p, p])


def test_wrapped_calls_send_the_callers_rows_with_stable_unique_ids(tmp_path):
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(size=40), "b": rng.integers(0, 9, 40),
                      "c": rng.normal(size=40)})
    X.loc[5, "c"] = np.nan
    sink = MemorySink()
    with Monitor(sink, model="m", model_version="2", spill_path=tmp_path / "s.jsonl",
                 batch_size=16, flush_interval=0.05) as monitor:
        wrapped = monitor.wrap(_Model(), with_proba=True, segment="eu")
        first = wrapped.predict(X.iloc[:25])
        ids_first = wrapped.last_event_ids
        proba = wrapped.predict_proba(X.iloc[25:])
        ids_second = wrapped.last_event_ids
        original = X.copy()
        X.loc[0, "a"] = 1e9  # the caller reuses its frame: what was logged does not change
        monitor.flush()
    assert len(set(ids_first + ids_second)) == 40 and len(sink.events) == 40
    prefix = ids_first[0].rsplit("-", 2)[0]
    assert ids_first == [f"{prefix}-0-{i}" for i in range(25)]
    assert ids_second == [f"{prefix}-1-{i}" for i in range(15)]
    sent = json.loads(encode({"events": [sink.events[i] for i in ids_first + ids_second]}))
    for i, event in enumerate(sent["events"]):
        row = original.iloc[i]
        assert event["features"]["a"] == row["a"]
        assert event["features"]["b"] == row["b"] and isinstance(event["features"]["b"], float)
        if i == 5:
            assert event["features"]["c"] is None
        else:
            assert event["features"]["c"] == row["c"]
        assert event["segment"] == "eu" and event["model_version"] == "2"
        p_yes = event["outputs"]["proba"]["yes"]
        assert event["outputs"]["proba"]["no"] == pytest.approx(1 - p_yes)
        expected = "yes" if p_yes > 0.5 else "no"
        assert event["outputs"]["prediction"] == expected
        assert event["metadata"] == {"batch_rows": 25 if i < 25 else 15}
    assert list(first) == [e["outputs"]["prediction"] for e in sent["events"][:25]]
    assert proba.shape == (15, 2)
