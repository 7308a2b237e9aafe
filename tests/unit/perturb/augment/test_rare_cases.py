"""Synthetic rare-class rows (interpolation, constraints) and counterfactual rare cases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from stalwart.exceptions import DataError, ParameterError
from stalwart.perturb.augment import rare_counterfactuals, synthesize_rare


def table(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 300
    X = pd.DataFrame({"income": rng.normal(50, 10, n), "age": rng.integers(20, 70, n),
                      "city": rng.choice(["x", "y", "z"], n)})
    y = np.where(X["income"] > 65, "rare", "common")
    return X, y


def test_new_rows_lie_on_segments_between_same_class_neighbours() -> None:
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [10.0, 10.0], [11.0, 10.0]])
    y = np.array([1, 1, 1, 0, 0])
    new, labels = synthesize_rare(X, y, target_class=1, n=200, k_neighbors=2,
                                  integer=[], random_state=0)
    assert labels.tolist() == [1] * 200 and new.shape == (200, 2)
    # every row of class 1 has the two others as neighbours: new rows are on the edges
    # of the triangle (0,0), (1,0), (0,1)
    on_edge = (np.isclose(new[:, 0], 0) | np.isclose(new[:, 1], 0)
               | np.isclose(new.sum(axis=1), 1))
    assert on_edge.all() and new.min() >= 0 and new.max() <= 1
    # u ~ U(0, 1): on the edge from (0,0) to (1,0) the mean position is 1/2
    edge = new[np.isclose(new[:, 1], 0) & (new[:, 0] > 0)]
    assert edge[:, 0].mean() == pytest.approx(0.5, abs=0.1)
    again, _ = synthesize_rare(X, y, target_class=1, n=200, k_neighbors=2, integer=[],
                               random_state=0)
    assert np.array_equal(again, new)
    # by default whole-valued columns are integer features: the corners only
    whole, _ = synthesize_rare(X, y, target_class=1, n=50, k_neighbors=2, random_state=0)
    assert set(map(tuple, whole.tolist())) <= {(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)}


def test_integer_ranges_and_categories_are_respected() -> None:
    X, y = table()
    new, labels = synthesize_rare(X, y, target_class="rare", n=100,
                                  ranges={"income": (0, 70)}, random_state=1)
    assert list(new.columns) == ["income", "age", "city"] and len(new) == 100
    assert new["age"].dtype == X["age"].dtype
    assert (new["age"] == new["age"].round()).all()
    rare = X[y == "rare"]
    assert new["age"].between(rare["age"].min(), rare["age"].max()).all()
    assert new["income"].max() <= 70 and new["income"].min() >= rare["income"].min()
    assert (new["income"] == 70).any()  # the declared range clipped some
    assert set(new["city"]) <= set(rare["city"])
    assert (labels == "rare").all()


def test_synthesis_bad_input() -> None:
    X, y = table()
    with pytest.raises(ParameterError, match="target_class"):
        synthesize_rare(X, y, target_class="missing", n=3)
    one = np.array(["rare"] + ["common"] * 299)
    with pytest.raises(DataError, match="at least 2 rows"):
        synthesize_rare(X, one, target_class="rare", n=3)
    two = np.array(["rare"] * 3 + ["common"] * 297)
    with pytest.raises(ParameterError, match="at most 2"):
        synthesize_rare(X, two, target_class="rare", n=3, k_neighbors=5)
    assert len(synthesize_rare(X, two, target_class="rare", n=3)[0]) == 3  # k = 2
    with pytest.raises(ParameterError, match="n"):
        synthesize_rare(X, y, target_class="rare", n=0)
    holes = X.copy()
    holes.loc[np.flatnonzero(y == "rare")[0], "income"] = np.nan  # in the rare class
    with pytest.raises(DataError, match="missing"):
        synthesize_rare(holes, y, target_class="rare", n=3)


def test_counterfactual_rare_cases_cross_the_boundary_under_constraints() -> None:
    X, y = table()
    num = X[["income", "age"]]
    model = LogisticRegression(max_iter=1000).fit(num, y)
    res = rare_counterfactuals(model, num, y, target_class="rare", n=8,
                               immutable=["age"], random_state=0)
    assert res.n_found == 8 and res.y is None and "unlabelled" in res.label_policy
    assert (model.predict(res.X) == "rare").all()
    src = num.loc[list(res.source_index)]
    assert (res.X["age"].to_numpy() == src["age"].to_numpy()).all()  # immutable
    assert (src["income"].to_numpy() < res.X["income"].to_numpy()).all()
    assert (y[list(res.source_index)] == "common").all()
    labelled = rare_counterfactuals(model, num, y, target_class="rare", n=8,
                                    relabel=True, immutable=["age"], random_state=0)
    assert labelled.y.tolist() == ["rare"] * 8 and "own boundary" in labelled.label_policy
    pd.testing.assert_frame_equal(labelled.X, res.X)
    d = json.loads(json.dumps(res.to_dict()))
    assert d["n_found"] == 8 and d["relabelled"] is False and len(d["rows"]) == 8


def test_counterfactual_rows_blocked_by_constraints_are_counted() -> None:
    X, y = table()
    num = X[["income", "age"]]
    model = LogisticRegression(max_iter=1000).fit(num, y)
    res = rare_counterfactuals(model, num, y, target_class="rare", n=4,
                               immutable=["income"], ranges={"age": (20, 21)},
                               random_state=0)
    assert res.n_found == 0 and len(res.X) == 0
    assert "no feasible counterfactual" in res.warnings[0]
    with pytest.raises(ParameterError, match="target_class"):
        rare_counterfactuals(model, num, y, target_class="other", n=2)
