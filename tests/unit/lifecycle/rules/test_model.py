"""RuledModel: the model with its rules in front; counters, rejection, monitor logging."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from stalwart.exceptions import ParameterError, StageError
from stalwart.lifecycle.rules import RuledModel, RuleRejection, RuleSet
from stalwart.monitoring.client import Monitor
from stalwart.monitoring.review import ReviewPolicy
from stalwart.monitoring.sinks import MemorySink


def fitted():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = (X["a"] > 0).astype(int)
    return LogisticRegression().fit(X, y), X


def rules(*extra):
    return RuleSet.from_dict({"rules": [
        {"id": "big-b", "condition": "b > 1.5", "action": "set prediction = 0",
         "owner": "o", "reason": "r"},
        {"id": "unsure", "condition": "proba < 0.6", "action": "review", "owner": "o",
         "reason": "r"}, *extra]})


def test_predict_matches_apply_on_the_model_outputs_and_counts_add_up():
    model, X = fitted()
    ruled = RuledModel(model, rules(), now="2026-01-01")
    out = ruled.predict(X)
    expected = rules().apply(X, model.predict(X), model.predict_proba(X),
                             classes=list(model.classes_), now="2026-01-01")
    assert out.tolist() == expected.predictions.tolist()
    assert ruled.counts_ == expected.counts
    np.testing.assert_allclose(ruled.predict_proba(X), expected.proba)
    doubled = {k: {c: 2 * v for c, v in counts.items()} for k, counts in
               expected.counts.items()}
    assert ruled.counts_ == doubled  # predict + predict_proba: two calls counted
    assert ruled.last_application_.n_rows == 200
    assert expected.counts["big-b"]["hits"] == int((X["b"] > 1.5).sum())
    assert list(ruled.classes_) == [0, 1] and "RuledModel" in repr(ruled)


def test_reject_and_raise_changes_nothing():
    model, X = fitted()
    ruled = RuledModel(model, rules({"id": "neg-a", "condition": "a < -1.5",
                                     "action": "reject and raise", "owner": "o",
                                     "reason": "r"}), now="2026-01-01")
    with pytest.raises(StageError):
        ruled.last_application_
    with pytest.raises(RuleRejection) as err:
        ruled.predict(X)
    assert err.value.rule_id == "neg-a" and err.value.rows == [
        int(i) for i in np.flatnonzero((X["a"] < -1.5) & ~(X["b"] > 1.5))]
    assert all(c["hits"] == 0 for c in ruled.counts_.values())  # nothing counted
    ok = X[X["a"] >= -1.5]
    assert len(ruled.predict(ok)) == len(ok)


def test_monitor_logs_every_row_with_the_rule_and_review_flag():
    model, X = fitted()
    sink = MemorySink()
    with Monitor(sink, model="m", model_version="1", spill_path=None) as monitor:
        ruled = RuledModel(model, rules(), monitor=monitor, now="2026-01-01")
        app = ruled.apply(X.iloc[:50], event_ids=[f"e{i}" for i in range(50)])
    assert len(sink.events) == 50
    events = [sink.events[f"e{i}"] for i in range(50)]
    assert [e["outputs"]["rule"] for e in events] == app.fired.tolist()
    assert [i for i, e in enumerate(events) if e["outputs"]["rule_review"]] == list(app.routed)
    assert [i for i, e in enumerate(events) if e["outputs"]["rule_changed"]] == list(
        app.changed)
    assert events[0]["features"] == {"a": float(X["a"][0]), "b": float(X["b"][0])}
    # the server-side review policy routes exactly the rows the rules routed
    frame = pd.DataFrame({"event_id": [e["event_id"] for e in events],
                          "outputs.rule_review": [e["outputs"]["rule_review"] for e in events]})
    routed = ReviewPolicy(flag="outputs.rule_review").select(frame)
    assert [eid for eid, _ in routed] == [f"e{i}" for i in app.routed]


class _Queue:
    def __init__(self):
        self.items = []

    def enqueue_reviews(self, items):
        self.items.extend(items)


def test_store_monitor_queues_routed_rows_and_bad_monitors_are_refused():
    model, X = fitted()
    queue = _Queue()
    ruled = RuledModel(model, rules(), monitor=queue, now="2026-01-01")
    ids = [f"e{i}" for i in range(len(X))]
    app = ruled.apply(X, event_ids=ids)
    assert queue.items == [{"event_id": f"e{i}", "reason": "rule unsure"} for i in app.routed]
    assert len(queue.items) > 0
    with pytest.raises(ParameterError, match="event ids"):
        RuledModel(model, rules(), monitor=queue).predict(X)
    counted = RuledModel(model, rules(), monitor=object(), now="2026-01-01")
    with pytest.raises(ParameterError, match="a Monitor"):
        counted.predict(X)
    assert all(c["hits"] == 0 for c in counted.counts_.values())
    with pytest.raises(ParameterError, match="one id per row"):
        ruled.predict(X, event_ids=["x"])
    with pytest.raises(ParameterError, match="a RuleSet"):
        RuledModel(model, {"rules": []}).predict(X)
