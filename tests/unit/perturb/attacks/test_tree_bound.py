"""The tree lower bound: exact on one tree (a witness at that distance flips it), sound on
forests and boosting (never above what an L-inf attack finds), clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import (ExtraTreesClassifier, GradientBoostingClassifier,
                              RandomForestClassifier)
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from stalwart.exceptions import ModelError
from stalwart.perturb.attacks import AttackSpace, attack, tree_lower_bound


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :8]
    return X, y


def test_single_tree_bound_is_exact_with_a_witness(data):
    X, y = data
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    result = tree_lower_bound(tree, X.iloc[:40], reference=X)
    assert result.exact and result.n_trees == 1
    scale = AttackSpace.learn(X).scale
    witness = pd.DataFrame(result.witness, columns=X.columns)
    assert (tree.predict(witness) != tree.predict(X.iloc[:40])).all()
    dist = (np.abs(result.witness - X.iloc[:40].to_numpy()) / scale).max(axis=1)
    np.testing.assert_allclose(dist, result.bound, rtol=0, atol=1e-5)
    # brute force: no point of any other-class leaf box is closer (random points in boxes)
    att = attack(tree, X.iloc[:40], tree.predict(X.iloc[:40]), norm="linf", budget=100,
                 reference=X, random_state=0)
    sizes = np.array([s if s is not None else np.inf for s in att.size])
    assert (result.bound <= sizes + 1e-9).all()


@pytest.mark.parametrize("make", [
    lambda: GradientBoostingClassifier(n_estimators=30, max_depth=2, random_state=0),
    lambda: RandomForestClassifier(n_estimators=8, max_depth=4, random_state=0),
    lambda: ExtraTreesClassifier(n_estimators=8, max_depth=4, random_state=0)])
def test_ensemble_bound_is_below_every_attack(data, make):
    X, y = data
    model = make().fit(X, y)
    rows = X.iloc[::40]
    labels = model.predict(rows)
    bound = tree_lower_bound(model, rows, reference=X)
    assert not bound.exact and np.isfinite(bound.bound).all()
    assert (bound.bound > 0).mean() > 0.5  # it says something on most rows
    for method in ("decision", "score"):
        att = attack(model, rows, labels, method=method, norm="linf", budget=150,
                     reference=X, random_state=0)
        sizes = np.array([s if s is not None else np.inf for s in att.size])
        assert att.success_rate == 1.0
        assert (bound.bound <= sizes + 1e-9).all()
        # and the bound is not vacuous: within a factor of the attacks' sizes overall
        assert np.median(bound.bound / sizes) > 0.2


def test_immutable_features_only_raise_the_bound(data):
    X, y = data
    model = GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0).fit(X, y)
    free = tree_lower_bound(model, X.iloc[:30], reference=X)
    held = tree_lower_bound(model, X.iloc[:30], reference=X,
                            constraints={"immutable": list(X.columns[:4])})
    assert (held.bound >= free.bound - 1e-12).all() and (held.bound > free.bound).any()


def test_bound_refuses_models_it_cannot_read(data):
    X, y = data
    with pytest.raises(ModelError, match="DecisionTreeClassifier"):
        tree_lower_bound(LogisticRegression(max_iter=3000).fit(X, y), X)
    three = np.arange(len(y)) % 3
    with pytest.raises(ModelError, match="binary"):
        tree_lower_bound(RandomForestClassifier(n_estimators=3, random_state=0)
                         .fit(X, three), X)
    d = tree_lower_bound(DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y),
                         X.iloc[:3]).to_dict()
    assert d["kind"] == "tree_lower_bound" and d["norm"] == "linf" and len(d["bound"]) == 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_tree_bound_matches_a_brute_force_grid(seed):
    """On 2 features, the exact distance is checked against a dense grid of points: the
    nearest grid point the tree classifies differently is at most one grid step further."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(200, 2))
    y = (np.sin(6 * X[:, 0]) + X[:, 1] > 0.8).astype(int)
    tree = DecisionTreeClassifier(max_depth=5, random_state=seed).fit(X, y)
    rows = X[:15]
    bound = tree_lower_bound(tree, rows, scale=np.ones(2)).bound
    step = 1 / 400
    axis = np.arange(-0.5, 1.5 + step, step)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    grid_class = tree.predict(grid)
    for x, b, c in zip(rows, bound, tree.predict(rows)):
        other = grid[grid_class != c]
        brute = np.abs(other - x).max(axis=1).min()
        assert b <= brute + 1e-6
        assert brute - b <= step + 1e-6


@pytest.mark.parametrize("make", [
    lambda: DecisionTreeClassifier(max_depth=5, random_state=0),
    lambda: GradientBoostingClassifier(n_estimators=15, max_depth=2, random_state=0)])
def test_rows_in_chunks_give_the_same_bound(data, make, monkeypatch):
    # the (rows, leaves, features) arrays are bounded in row chunks (100k rows would need
    # gigabytes at once); a tiny cell budget forces one-row chunks: same numbers
    import stalwart.perturb.attacks.tree_bound as tb
    X, y = data
    model = make().fit(X, y)
    whole = tree_lower_bound(model, X.iloc[:30], reference=X)
    monkeypatch.setattr(tb, "_CELLS", 1)
    chunked = tree_lower_bound(model, X.iloc[:30], reference=X)
    np.testing.assert_array_equal(chunked.bound, whole.bound)
    if whole.witness is not None:
        np.testing.assert_array_equal(chunked.witness, whole.witness)


def test_a_bad_scale_is_a_clear_error(data):
    from stalwart.exceptions import DataError
    X, y = data
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    with pytest.raises(DataError, match="8 positive finite numbers"):
        tree_lower_bound(tree, X.iloc[:5], scale=np.ones(3))
    with pytest.raises(DataError, match="zero, negative"):
        tree_lower_bound(tree, X.iloc[:5], scale=np.zeros(8))
