"""Error tree: node counts against the fitted sklearn tree, readable paths, coverage."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from stalwart.exceptions import DataError, ParameterError
from stalwart.slicing import error_tree


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 3000
    X = pd.DataFrame({"city": rng.choice(["a", "b", "c"], n),
                      "x": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n))})
    weak = ((X["city"] == "b") & (X["x"] > 0)).to_numpy()
    err = (rng.random(n) < np.where(weak, 0.6, 0.05)).astype(float)
    return X, err, weak


def test_worst_leaf_is_the_planted_region_with_its_coverage(data):
    X, err, weak = data
    tree = error_tree(X, err, max_depth=2)
    worst = tree.leaves()[0]
    assert worst.conditions == ("city == b", worst.conditions[1])
    assert worst.conditions[1].startswith("x > ")
    thr = float(worst.conditions[1].split()[2])
    mask = ((X["city"] == "b") & (X["x"] > thr)).to_numpy()
    assert worst.size == mask.sum()
    assert worst.error_rate == pytest.approx(err[mask].mean())
    assert worst.error_coverage == pytest.approx(err[mask].sum() / err.sum())
    assert abs(thr) < 0.2 and worst.error_coverage > 0.6  # about 270 of 400 errors


def test_nodes_agree_with_sklearn_tree(data):
    X, err, _ = data
    tree = error_tree(X, err, max_depth=3, min_samples_leaf=50)
    enc = np.column_stack([pd.get_dummies(X["city"], dtype=float).to_numpy(), X["x"]])
    ref = DecisionTreeClassifier(max_depth=3, min_samples_leaf=50, random_state=0).fit(enc, err)
    assert len(tree.nodes) == ref.tree_.node_count
    sizes = {n.node_id: n.size for n in tree.nodes}
    assert [sizes[i] for i in range(ref.tree_.node_count)] == \
        ref.tree_.n_node_samples.tolist()
    leaves = [n for n in tree.nodes if n.is_leaf]
    assert sum(n.size for n in leaves) == len(X)
    assert sum(n.error_coverage for n in leaves) == pytest.approx(1.0)
    root = tree.nodes[0]
    assert root.conditions == () and root.error_coverage == 1.0
    assert root.error_rate == pytest.approx(err.mean()) == tree.overall_error_rate
    assert all(len(n.conditions) == n.depth for n in tree.nodes)
    payload = json.loads(json.dumps(tree.to_dict()))
    assert payload["chart"]["nodes"][0]["label"] == "all rows"


def test_missing_values_are_named_and_continuous_loss_uses_a_regressor():
    x = np.r_[np.full(100, np.nan), np.linspace(0, 1, 300)]
    loss = np.r_[np.full(100, 2.0), np.linspace(0, 1, 300) * 0.1]
    tree = error_tree(pd.DataFrame({"x": x}), loss, max_depth=1)
    assert tree.kind == "regressor"
    worst = tree.leaves()[0]
    assert worst.conditions[0].endswith("or missing") and worst.size == 100
    assert worst.error_coverage == pytest.approx(200.0 / loss.sum())


def test_bad_inputs(data):
    X, err, _ = data
    with pytest.raises(DataError, match="loss"):
        error_tree(X, err[:5])
    with pytest.raises(DataError, match="loss"):
        error_tree(X, -err)
    with pytest.raises(DataError, match="features"):
        error_tree(X.iloc[:0], err[:0])
    with pytest.raises(ParameterError, match="max_depth"):
        error_tree(X, err, max_depth=0)


def test_categorical_missing_value_reads_as_a_condition():
    rng = np.random.default_rng(2)
    city = rng.choice(["a", "b", None], 900)
    err = (rng.random(900) < np.where(pd.isna(city), 0.7, 0.05)).astype(float)
    tree = error_tree(pd.DataFrame({"city": city}), err, max_depth=1)
    assert [leaf.conditions for leaf in tree.leaves()] == [("city is missing",),
                                                          ("city is not missing",)]
