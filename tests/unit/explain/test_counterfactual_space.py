"""The feasible-set projection and the distance of the counterfactual search."""

from __future__ import annotations

import numpy as np
import pandas as pd

from stalwart.explain.counterfactual_space import FeatureSpace


def _space(**kw):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"n": rng.integers(0, 10, 200), "f": rng.normal(5, 2, 200),
                      "g": rng.normal(size=200), "c": rng.choice(["x", "y", "z"], 200)})
    opts = {"immutable": [], "integer": None, "ranges": {}, "increase_only": [],
            "decrease_only": [], "categorical": None, **kw}
    return X, FeatureSpace.learn(X, **opts)


def test_projection_satisfies_every_constraint_on_random_candidates():
    X, space = _space(immutable=["g"], ranges={"f": (3.0, 6.0)}, increase_only=["n"])
    rng = np.random.default_rng(1)
    x = space.encode(X.iloc[[0]])[0]
    Z = x + rng.normal(scale=4.0, size=(2000, 4)) * np.array([3.0, 2.0, 1.0, 0.0])
    Z[:, 3] = rng.integers(0, 3, 2000)
    P = space.project(x, Z)
    moved = np.abs(P - x) > 0
    assert (P[:, 2] == x[2]).all()                      # immutable
    assert (P[:, 0] >= x[0]).all()                      # increase only
    assert (P[:, 0] == np.round(P[:, 0])).all()         # integer (learned: whole values)
    f = P[moved[:, 1], 1]
    assert ((f >= 3.0) & (f <= 6.0)).all() and f.size > 100   # range, when changed
    assert set(np.unique(P[:, 3])) <= {0.0, 1.0, 2.0}   # seen categories
    frame = space.decode(P)
    assert frame["n"].dtype == X["n"].dtype and set(frame["c"]) <= {"x", "y", "z"}


def test_integer_rounding_goes_away_from_the_query_and_distance_is_scaled_l1():
    X, space = _space()
    x = np.array([4.0, 5.0, 0.0, 0.0])
    P = space.project(x, np.array([[4.2, 5.0, 0.0, 0.0], [3.9, 5.0, 0.0, 2.0]]))
    assert P[:, 0].tolist() == [5.0, 3.0]
    mad = np.median(np.abs(X["n"] - X["n"].median()))
    assert np.allclose(space.distance(x, P), [1 / mad, 1 / mad + 1])
    assert space.changed(x, P).sum(axis=1).tolist() == [1, 2]
