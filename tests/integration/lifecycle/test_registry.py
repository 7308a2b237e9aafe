"""ModelRegistry over a real store (SQLite file and PostgreSQL): aliases, promotion, pins
and the version answering each customer, as another store on the same database sees them."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from stalwart.exceptions import DataError
from stalwart.lifecycle.registry import ModelRegistry
from stalwart.lifecycle.shadow import PinnedRouter
from stalwart.store import open_store


@pytest.fixture
def registry(store_url):
    store = open_store(store_url)
    reg = ModelRegistry(store, "churn")
    for v in ("v1", "v2", "v3"):
        reg.register(v, metadata={"trained": v})
    yield reg
    store.close()


def test_aliases_and_promotion(registry):
    assert registry.versions() == ("v1", "v2", "v3")
    registry.promote("v1", by="ana")
    registry.set_alias("challenger", "v2")
    registry.set_alias("shadow", "v3")
    assert registry.aliases() == {"champion": "v1", "challenger": "v2", "shadow": "v3"}
    assert registry.promote("v2", by="bo") == "v1"
    # the promoted challenger is no longer the challenger; the shadow stays
    assert registry.aliases() == {"champion": "v2", "shadow": "v3"}
    assert registry.alias("champion") == "v2"
    with pytest.raises(DataError, match="set: champion, shadow"):
        registry.alias("challenger")
    with pytest.raises(DataError, match="registered version"):
        registry.promote("v9")
    assert registry.aliases() == {"champion": "v2", "shadow": "v3"}


def test_version_for_pin_then_champion_then_error(registry, store_url):
    with pytest.raises(DataError, match="'champion' alias"):
        registry.version_for("acme")
    registry.pin("acme", "v1", by="ana", note="contract until June")
    assert registry.version_for("acme") == "v1"  # a pin needs no champion
    registry.promote("v2")
    registry.pin("globex", "v3")
    customers = [f"c{i}" for i in range(700)] + ["acme", "globex"]
    expected = {**{f"c{i}": "v2" for i in range(700)}, "acme": "v1", "globex": "v3"}
    assert registry.versions_for(customers) == expected
    assert registry.pins() == {"acme": "v1", "globex": "v3"}
    assert registry.pins(version="v3") == {"globex": "v3"}
    with open_store(store_url) as other:  # another worker on the same database agrees
        assert ModelRegistry(other, "churn").versions_for(customers) == expected
    with pytest.raises(DataError, match="registered version"):
        registry.pin("acme", "v9")
    assert registry.version_for("acme") == "v1"  # the refused pin changed nothing
    assert registry.unpin("acme") is True
    assert registry.version_for("acme") == "v2"
    assert registry.version_for() == "v2"


def test_router_follows_the_stored_pins(registry):
    X, y = make_classification(n_samples=200, n_features=5, random_state=11)
    old = LogisticRegression().fit(X[:100], y[:100])
    new = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X[:100], y[:100])
    registry.promote("v2")
    registry.pin("acme", "v1")
    router = PinnedRouter({"v1": old, "v2": new}, registry)
    customers = ["acme" if i % 4 == 0 else f"c{i % 7}" for i in range(100)]
    got = router.predict(X[100:], customer=customers)
    rows = np.arange(100) % 4 == 0
    np.testing.assert_array_equal(got, np.where(rows, old.predict(X[100:]),
                                                new.predict(X[100:])))
