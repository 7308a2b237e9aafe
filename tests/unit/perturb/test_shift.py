"""Shift simulation: achieved priors, monotone covariate shift, exact concept flips,
temporal splits, and shift_impact against a direct computation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, r2_score
from sklearn.tree import DecisionTreeRegressor

from stalwart.exceptions import DataError, ParameterError
from stalwart.perturb.robustness import shift_impact
from stalwart.perturb.shift import (concept_shift, covariate_shift, label_shift,
                                    temporal_split)


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(50, 10, 1000), "bmi": rng.normal(25, 4, 1000),
                      "city": rng.choice(["a", "b"], 1000)})
    y = np.where(rng.random(1000) < 0.2, 2, rng.integers(0, 2, 1000))
    return X, y


def test_covariate_shift_is_monotone_in_strength_and_direction(table):
    X, y = table
    sd = X["age"].std(ddof=0)
    up = [covariate_shift(X, y, feature="age", strength=s, random_state=3)
          for s in (0.0, 0.25, 0.5, 1.0, 2.0)]
    means = [s.X["age"].mean() for s in up]
    assert means == sorted(means) and means[-1] - means[0] > 1.5 * sd
    reported = [s.size["mean_shift_sd"]["age"] for s in up]
    assert reported == pytest.approx([(m - X["age"].mean()) / sd for m in means])
    assert abs(reported[0]) < 0.1  # strength 0: a plain bootstrap
    # the per-draw order holds too: every draw moves to a row at least as old
    assert np.all(np.diff(np.stack([s.X["age"].to_numpy() for s in up]), axis=0) >= 0)
    down = covariate_shift(X, y, feature="age", strength=1.0, direction="decrease")
    assert down.size["mean_shift_sd"]["age"] < -0.7
    # weights exp(z) on a normal feature move its mean by about one sd (tilting a normal)
    assert reported[3] == pytest.approx(1.0, abs=0.15)
    assert np.array_equal(up[2].y, y[up[2].rows]) and len(up[2].X) == 1000
    ess = up[3].size["effective_sample_size"]
    w = np.exp((X["age"] - X["age"].mean()) / sd)
    assert ess == pytest.approx(w.sum() ** 2 / (w ** 2).sum())


def test_covariate_shift_on_two_features_and_tiny_support(table):
    X, y = table
    both = covariate_shift(X, y, feature=["age", "bmi"], strength=0.5)
    assert all(v > 0.3 for v in both.size["mean_shift_sd"].values())
    harsh = covariate_shift(X, y, feature="age", strength=8.0)
    assert harsh.warnings and "effective rows" in harsh.warnings[0]


def test_label_shift_reaches_the_requested_priors(table):
    X, y = table
    for priors in ({0: 0.1, 1: 0.3, 2: 0.6}, {0: 0.5, 1: 0.5, 2: 0.0}):
        s = label_shift(X, y, priors=priors, n=997, random_state=1)
        achieved = {c: float(np.mean(s.y == c)) for c in (0, 1, 2)}
        for c, p in priors.items():
            assert abs(achieved[c] - p) <= 1 / 997
            assert s.size["priors_after"][c] == pytest.approx(achieved[c])
        # P(x | y) untouched: each drawn row keeps its own label
        assert np.array_equal(s.y, y[s.rows])
    out = label_shift(X, y, knock_out=[2])
    assert 2 not in set(out.y) and out.size["priors_after"][2] == 0.0
    before = out.size["priors_before"]
    assert out.size["priors_after"][0] == pytest.approx(before[0] / (before[0] + before[1]),
                                                        abs=1e-3)


def test_concept_shift_flips_exactly_the_region(table):
    X, y = table
    binary = (y == 1).astype(int)
    s = concept_shift(X, binary, region="age > 60")
    region = (X["age"] > 60).to_numpy()
    assert np.array_equal(s.y != binary, region)
    assert np.array_equal(s.y[region], 1 - binary[region])
    assert s.size["changed_rows"] == region.sum() == s.size["region_rows"]
    multi = concept_shift(X, y, region=lambda d: d["city"] == "a")
    inside = (X["city"] == "a").to_numpy()
    assert np.array_equal(multi.y[inside], (y[inside] + 1) % 3)
    assert np.array_equal(multi.y[~inside], y[~inside])
    half = concept_shift(X, binary, region=region, share=0.5, random_state=2)
    assert half.size["changed_rows"] == round(0.5 * region.sum())
    assert set(half.changed) <= set(np.flatnonzero(region))
    mapped = concept_shift(X, y, region=region, flip={2: 0})
    assert np.array_equal(mapped.y != y, region & (y == 2))

def test_concept_shift_new_labels_are_not_cut_to_the_old_dtype(table):
    # "<U1" labels once cut "other" to "o"; integer labels cut 0.5 off a float flip
    X, _ = table
    region = (X["age"] > 60).to_numpy()
    letters = np.where(X["city"] == "a", "a", "b")
    named = concept_shift(X, letters, region=region, flip={"a": "other"})
    assert set(named.y[region]) == {"other", "b"}
    assert np.array_equal(named.y[~region], letters[~region])
    ints = np.arange(len(X)) % 2
    moved = concept_shift(X, ints, region=region, flip=lambda v: v + 0.5)
    assert np.array_equal(moved.y[region], ints[region] + 0.5)
    assert moved.size["changed_rows"] == region.sum()


def test_temporal_split():
    frame = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=10, freq="D"),
                          "x": range(10), "y": [0, 1] * 5})
    frame.loc[3, "t"] = pd.NaT
    split = temporal_split(frame, time_column="t", cutoff="2024-01-06")
    assert split.size["n_before"] == 4 and split.size["n_after"] == 5
    assert split.size["n_missing_time"] == 1
    sample = split.sample("y")
    assert list(sample.X.columns) == ["x"] and sample.y.tolist() == [1, 0, 1, 0, 1]
    json.dumps(split.to_dict())
    with pytest.raises(DataError, match="unknown"):
        split.sample("y", features=["nope"])
    with pytest.raises(DataError, match="both sides"):
        temporal_split(frame, time_column="t", cutoff="2030-01-01")


def test_shift_impact_equals_direct_scores(table):
    X, y = table
    binary = (X["age"] + np.random.default_rng(5).normal(0, 5, 1000) > 50).astype(int)
    model = LogisticRegression().fit(X[["age", "bmi"]], binary)
    Xn = X[["age", "bmi"]]
    shifts = {"older": covariate_shift(Xn, binary, feature="age", strength=1.0),
              "flipped": concept_shift(Xn, binary, region="age > 55"),
              "balanced": lambda X_, y_: label_shift(X_, y_, priors={0: 0.5, 1: 0.5})}
    r = shift_impact(model, Xn, binary, shifts)
    clean = accuracy_score(binary, model.predict(Xn))
    assert r.clean_score == pytest.approx(clean)
    for row, name in zip(r.rows, ["older", "flipped", "balanced"], strict=True):
        assert row.name == name
    older = shifts["older"]
    assert r.rows[0].score == pytest.approx(accuracy_score(older.y, model.predict(older.X)))
    assert r.rows[1].drop == pytest.approx(clean - accuracy_score(shifts["flipped"].y,
                                                                   model.predict(Xn)))
    assert r.worst().name == "flipped" and r.rows[1].drop > 0.2
    assert json.loads(json.dumps(r.to_dict(), allow_nan=False))["worst"] == "flipped"


def test_shift_impact_regression_and_model_errors():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300)})
    y = X["a"].to_numpy() * 2
    model = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, y)
    s = covariate_shift(X, y, feature="a", strength=2.0)
    r = shift_impact(model, X, y, [s])
    assert r.metric == "r2" and r.rows[0].score == pytest.approx(r2_score(s.y, model.predict(s.X)))
    bad = covariate_shift(X.assign(b=1.0), y, feature="a")
    assert "b" in bad.X.columns
    strange = type(s)("covariate", "text", pd.DataFrame({"a": ["x"] * 3}), y[:3], {})
    r2 = shift_impact(model, X, y, [strange])
    assert r2.rows[0].error and r2.rows[0].score is None and r2.worst() is None


@pytest.mark.parametrize("call, error, words", [
    (lambda X, y: covariate_shift(X, y, feature="city"), DataError, "numeric"),
    (lambda X, y: covariate_shift(X, y, feature="nope"), DataError, "a column of X"),
    (lambda X, y: covariate_shift(X, y, feature="age", strength=-1), ParameterError, "strength"),
    (lambda X, y: covariate_shift(X, y, feature="age", direction="up"), ParameterError,
     "direction"),
    (lambda X, y: covariate_shift(X.assign(k=1.0), y, feature="k"), DataError, "varies"),
    (lambda X, y: covariate_shift(X.assign(k=np.nan), y, feature="k"), DataError, "varies"),
    (lambda X, y: label_shift(X, y, priors={0: 0.5, 1: 0.5}), ParameterError, "every class"),
    (lambda X, y: label_shift(X, y, priors={0: 0.5, 1: 0.6, 2: 0.1}), ParameterError,
     "summing to 1"),
    (lambda X, y: label_shift(X, y, knock_out=[7]), DataError, "classes of y"),
    (lambda X, y: label_shift(X, y, knock_out=[0, 1, 2]), ParameterError, "one class left"),
    (lambda X, y: label_shift(X, y), ParameterError, "exactly one"),
    (lambda X, y: concept_shift(X, y, region="age > 1000"), DataError, "at least one row"),
    (lambda X, y: concept_shift(X, y, region="nope > 1"), ParameterError, "pandas query"),
    (lambda X, y: concept_shift(X, y, region=[True]), ParameterError, "True/False per row"),
    (lambda X, y: concept_shift(X, y * 0.5 + 0.1, region="age > 50"), ParameterError,
     "a function for a numeric target"),
    (lambda X, y: concept_shift(X, y, region="age > 50", share=0), ParameterError, "share"),
    (lambda X, y: temporal_split(X, time_column="when", cutoff=1), DataError, "time column"),
    (lambda X, y: covariate_shift(X, y[:-1], feature="age"), DataError, "one label per row"),
    (lambda X, y: covariate_shift(X, np.r_[y, y], feature="age"), DataError,
     "one label per row"),
])
def test_bad_input(table, call, error, words):
    X, y = table
    with pytest.raises(error, match=words):
        call(X, y)
