"""ShadowModel (both versions score, the primary answers) and PinnedRouter (each customer
answered by its version), with seeded scikit-learn models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.lifecycle.registry import ModelRegistry
from stalwart.lifecycle.shadow import PinnedRouter, ShadowModel
from stalwart.monitoring.client import Monitor
from stalwart.monitoring.sinks import MemorySink
from stalwart.store import open_store


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=600, n_features=6, n_informative=4, n_classes=3,
                               n_clusters_per_class=1, random_state=7)
    old = LogisticRegression(max_iter=500).fit(X[:300], y[:300])
    new = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X[:300], y[:300])
    return X[300:], old, new


def test_the_primary_answers_and_agreement_is_the_churn_of_all_calls(data):
    X, old, new = data
    shadowed = ShadowModel(old, new)
    answers = [shadowed.predict(X[i:i + 70]) for i in range(0, 300, 70)]  # 5 calls
    np.testing.assert_array_equal(np.concatenate(answers), old.predict(X))
    p_old, p_new = old.predict(X), new.predict(X)
    agreement = shadowed.agreement()
    changed = int((p_old != p_new).sum())
    assert 0 < changed < 300  # the two models really differ, on some rows only
    assert (agreement.n_rows, agreement.n_changed) == (300, changed)
    assert agreement.churn == pytest.approx(changed / 300)
    expected = pd.crosstab(p_old, p_new)
    for a in expected.index:
        for b in expected.columns:
            # the flip matrix counts the rows whose prediction changed (zero diagonal)
            assert agreement.flips.count(a, b) == (0 if a == b else expected.loc[a, b])
    assert (shadowed.n_calls_, shadowed.n_rows_, shadowed.shadow_errors_) == (5, 300, 0)
    kept_old, kept_new = shadowed.predictions()
    np.testing.assert_array_equal(kept_new, p_new)
    assert shadowed.classes_.tolist() == [0, 1, 2]  # other attributes are the primary's


def test_keep_bounds_the_rows_agreement_covers(data):
    X, old, new = data
    shadowed = ShadowModel(old, new, keep=100)
    for i in range(0, 300, 70):
        shadowed.predict(X[i:i + 70])
    kept_old, kept_new = shadowed.predictions()
    np.testing.assert_array_equal(kept_old, old.predict(X[-100:]))
    np.testing.assert_array_equal(kept_new, new.predict(X[-100:]))
    expected = float((old.predict(X[-100:]) != new.predict(X[-100:])).mean())
    assert shadowed.agreement().churn == pytest.approx(expected)
    assert shadowed.n_rows_ == 300
    assert shadowed.reset().n_rows_ == 0


def test_a_failing_shadow_never_fails_the_request(data):
    X, old, _ = data

    class Broken:
        def predict(self, X):
            raise RuntimeError("feature store timeout")

    shadowed = ShadowModel(old, Broken())
    np.testing.assert_array_equal(shadowed.predict(X[:10]), old.predict(X[:10]))
    assert shadowed.shadow_errors_ == 1
    assert shadowed.last_shadow_error_ == "RuntimeError: feature store timeout"
    with pytest.raises(DataError, match="1 shadow error"):
        shadowed.agreement()


def test_predict_proba_compares_the_most_probable_classes(data):
    X, old, new = data
    shadowed = ShadowModel(old, new)
    np.testing.assert_allclose(shadowed.predict_proba(X), old.predict_proba(X))
    expected = float((old.predict(X) != new.predict(X)).mean())
    assert shadowed.agreement().churn == pytest.approx(expected)


def test_regression_agreement_uses_the_tolerance():
    X, y = make_regression(n_samples=200, n_features=4, noise=5.0, random_state=3)
    old = LinearRegression().fit(X, y)
    new = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, y)
    shadowed = ShadowModel(old, new, task="regression", tolerance=10.0)
    shadowed.predict(X)
    expected = int((np.abs(old.predict(X) - new.predict(X)) > 10.0).sum())
    assert 0 < expected < 200
    assert shadowed.agreement().n_changed == expected
    with pytest.raises(ParameterError, match="tolerance"):
        ShadowModel(old, new, task="regression").predict(X)


def test_the_shadow_is_logged_under_its_version_and_joins_the_primary(data):
    X, old, new = data
    sink = MemorySink()
    with Monitor(sink, model="churn", model_version="v1", spill_path=None) as monitor:
        primary = monitor.wrap(old)
        shadowed = ShadowModel(primary, new, monitor=monitor, shadow_version="v2")
        shadowed.predict(X[:20], segment="acme")
        primary_ids = primary.last_event_ids
        shadowed.predict(X[20:25], event_ids=[f"req-{i}" for i in range(5)])
    assert len(sink.events) == 50
    for i, pid in enumerate(primary_ids):
        mine, theirs = sink.events[pid], sink.events[f"{pid}@v2"]
        assert (mine["model_version"], theirs["model_version"]) == ("v1", "v2")
        assert theirs["segment"] == "acme"
        assert theirs["outputs"]["prediction"] == new.predict(X[i:i + 1])[0]
        assert theirs["features"] == mine["features"]
    assert sink.events["req-3@v2"]["outputs"]["prediction"] == new.predict(X[23:24])[0]
    assert sink.events["req-3"]["model_version"] == "v1"


@pytest.mark.parametrize("kwargs, match", [
    ({"monitor": object()}, "shadow_version"),
    ({"task": "ranking"}, "task"),
    ({"keep": 0}, "keep"),
])
def test_bad_options_are_refused_on_first_use(data, kwargs, match):
    X, old, new = data
    shadowed = ShadowModel(old, new, **kwargs)  # the constructor only stores
    with pytest.raises(ParameterError, match=match):
        shadowed.predict(X[:3])


def test_a_model_without_predict_is_refused(data):
    X, old, _ = data
    with pytest.raises(ModelError, match="shadow model"):
        ShadowModel(old, object()).predict(X[:3])


# -- routing -----------------------------------------------------------------------------
@pytest.fixture
def routed(data):
    X, old, new = data
    store = open_store("sqlite://")
    registry = ModelRegistry(store, "churn")
    for v in ("v1", "v2"):
        registry.register(v)
    registry.promote("v2")
    registry.pin("acme", "v1")
    yield X, old, new, registry, PinnedRouter({"v1": old, "v2": new}, registry)
    store.close()


def test_a_mixed_batch_is_split_by_version_and_reassembled_in_order(routed):
    X, old, new, registry, router = routed
    rng = np.random.default_rng(0)
    customers = rng.choice(["acme", "globex", "initech"], size=len(X)).tolist()
    got = router.predict(X, customer=customers)
    pinned = np.array(customers) == "acme"
    expected = np.where(pinned, old.predict(X), new.predict(X))
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype
    assert router.route(customers, len(X)).tolist() == \
        ["v1" if c == "acme" else "v2" for c in customers]
    # a customer that moves is answered by its new version on the next call
    registry.unpin("acme")
    np.testing.assert_array_equal(router.predict(X, customer=customers), new.predict(X))


def test_one_customer_or_none_gets_its_version_unchanged(routed):
    X, old, new, _, router = routed
    np.testing.assert_array_equal(router.predict(X, customer="acme"), old.predict(X))
    np.testing.assert_array_equal(router.predict(X, customer=None), new.predict(X))


def test_dataframes_keep_their_columns_per_part(routed):
    X, old, new, registry, _ = routed
    cols = [f"f{i}" for i in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=cols)
    old_df = LogisticRegression(max_iter=500).fit(frame, old.predict(X))
    new_df = DecisionTreeClassifier(max_depth=3, random_state=0).fit(frame, new.predict(X))
    router = PinnedRouter({"v1": old_df, "v2": new_df}, registry)
    customers = ["acme" if i % 3 == 0 else "other" for i in range(len(frame))]
    expected = np.where(np.arange(len(frame)) % 3 == 0, old_df.predict(frame),
                        new_df.predict(frame))
    np.testing.assert_array_equal(router.predict(frame, customer=customers), expected)


def test_numbers_and_text_from_two_versions_are_not_turned_into_text(routed):
    X, _, _, registry, _ = routed

    class Const:
        def __init__(self, value):
            self.value = value

        def predict(self, X):
            return np.full(len(X), self.value)

    router = PinnedRouter({"v1": Const(1), "v2": Const("yes")}, registry)
    got = router.predict(X[:4], customer=["acme", "x", "acme", "y"])
    assert got.dtype == object and got.tolist() == [1, "yes", 1, "yes"]


def test_routing_errors(routed):
    X, old, new, registry, router = routed
    calls = []

    class Spy:
        def predict(self, X):
            calls.append(len(X))
            return np.zeros(len(X))

    partial = PinnedRouter({"v2": Spy()}, registry)
    with pytest.raises(ModelError, match="model for version 'v1'"):
        partial.predict(X[:4], customer=["x", "acme", "x", "x"])
    assert calls == []  # refused before any model was called
    with pytest.raises(DataError, match="one customer per row"):
        router.predict(X[:4], customer=["acme", "x"])
    with pytest.raises(ParameterError, match="customer"):
        router.predict(X[:2], customer=["acme", 3])
    registry.remove_alias("champion")
    with pytest.raises(DataError, match="'champion' alias"):
        router.predict(X[:2], customer=["acme", "globex"])
    np.testing.assert_array_equal(router.predict(X[:2], customer="acme"), old.predict(X[:2]))
