"""monitor.wrap(model): same answers as the model, one logged event per row with the latency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from stalwart.exceptions import DataError, ModelError
from stalwart.monitoring.client import Monitor
from stalwart.monitoring.sinks import MemorySink


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(40, 10, 300), "income": rng.normal(5, 2, 300),
                      "tenure": rng.integers(0, 20, 300).astype(float)})
    y = np.where(X["age"] / 10 + X["income"] + rng.normal(0, 1, 300) > 9, "churn", "stay")
    return X, y


@pytest.fixture
def monitor(tmp_path):
    sink = MemorySink()
    m = Monitor(sink, model="churn", model_version="7", flush_interval=0.05,
                spill_path=tmp_path / "spill.jsonl")
    yield m
    m.close()


def test_predict_returns_the_models_answer_and_logs_each_row(data, monitor):
    X, y = data
    model = LogisticRegression().fit(X, y)
    wrapped = monitor.wrap(model, segment="acme")
    batch = X.iloc[:25]
    got = wrapped.predict(batch)
    assert np.array_equal(got, model.predict(batch)) and got.dtype == model.predict(batch).dtype
    ids = wrapped.last_event_ids
    single = wrapped.predict(X.iloc[[30]])
    single_id = wrapped.last_event_ids
    monitor.flush(timeout=10)
    events = monitor.sink.events
    assert len(events) == 26 and len(set(ids)) == 25 and set(ids) < set(events)
    for i, event_id in enumerate(ids):
        e = events[event_id]
        assert e["features"] == pytest.approx(batch.iloc[i].to_dict())
        assert e["outputs"] == {"prediction": got[i], "proba": None}
        assert e["metadata"] == {"batch_rows": 25}
        assert e["segment"] == "acme" and e["model"] == "churn" and e["model_version"] == "7"
    latencies = {events[i]["latency_ms"] for i in ids}
    assert len(latencies) == 1 and latencies.pop() > 0  # one latency per call, on every row
    assert events[single_id[0]]["outputs"]["prediction"] == single[0]
    assert events[single_id[0]]["metadata"] == {"batch_rows": 1}


def test_predict_proba_logs_probabilities_per_class(data, monitor):
    X, y = data
    model = LogisticRegression().fit(X, y)
    wrapped = monitor.wrap(model)
    proba = wrapped.predict_proba(X.iloc[:10], event_ids=[f"r{i}" for i in range(10)])
    assert np.array_equal(proba, model.predict_proba(X.iloc[:10]))
    monitor.flush(timeout=10)
    e = monitor.sink.events["r3"]
    assert e["outputs"]["proba"] == pytest.approx({"churn": proba[3, 0], "stay": proba[3, 1]})
    assert e["outputs"]["prediction"] == model.classes_[proba[3].argmax()]
    assert wrapped.classes_.tolist() == ["churn", "stay"]  # other attributes pass through


def test_with_proba_and_arrays_named_by_the_model_or_by_option(data, monitor):
    X, y = data
    model = LogisticRegression().fit(X.to_numpy(), y)
    wrapped = monitor.wrap(model, with_proba=True)
    A = X.to_numpy()[:3].copy()
    pred = wrapped.predict(A)
    ids = wrapped.last_event_ids
    A[:] = 0  # the caller reuses its buffer: the log keeps what was predicted
    named = monitor.wrap(model, feature_names=["a", "b", "c"])
    named.predict(X.to_numpy()[:1])
    named_id = named.last_event_ids[0]
    monitor.flush(timeout=10)
    e = monitor.sink.events[ids[0]]
    assert list(e["features"]) == ["x0", "x1", "x2"]
    assert e["features"]["x0"] == pytest.approx(X.iloc[0, 0])
    assert e["outputs"]["prediction"] == pred[0] and set(e["outputs"]["proba"]) == {"churn",
                                                                                   "stay"}
    assert list(monitor.sink.events[named_id]["features"]) == ["a", "b", "c"]


def test_regressor_has_no_predict_proba_and_bad_wraps_are_clear(data, monitor):
    X, _ = data
    reg = LinearRegression().fit(X, X["age"] * 2)
    wrapped = monitor.wrap(reg)
    assert not hasattr(wrapped, "predict_proba")
    assert np.allclose(wrapped.predict(X.iloc[:4]), reg.predict(X.iloc[:4]))
    with pytest.raises(ModelError):
        monitor.wrap(object())
    with pytest.raises(DataError):
        wrapped.predict(X.iloc[:4], event_ids=["only-one"])
    with pytest.raises(DataError):
        monitor.wrap(LinearRegression().fit(X.to_numpy(), X["age"]),
                     feature_names=["a"]).predict(X.to_numpy()[:2])
    monitor.flush(timeout=10)
    assert monitor.stats()["logged"] == 4
