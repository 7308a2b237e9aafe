"""The fairness checks judge only groups large enough for a stable measure: a gap between
groups of a handful of rows is reported (flagged unstable) but decides nothing."""

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm

from stalwart import Status
from stalwart.checks.fairness import fairness_suite_run
from stalwart.checks.fairness.suite import _load

_load()


class Threshold:
    """A fixed model: predicts 1 when x > 0 (fitted attributes for the adapter)."""

    classes_ = np.array([0, 1])
    n_features_in_ = 1
    feature_names_in_ = np.array(["x"])

    def fit(self, X, y):
        return self

    def predict(self, X):
        return (np.asarray(X, dtype=float)[:, 0] > 0).astype(int)

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-4 * np.asarray(X, dtype=float)[:, 0]))
        return np.column_stack([1 - p, p])


def _table(seed, n=1200, tiny_bias=True):
    """Two big regions with the same selection rate; a tiny third one (12 rows) where every
    decision is positive: the only disparity lives in a group too small to judge."""
    rng = np.random.default_rng(seed)
    region = np.where(np.arange(n) < 12, "islands", rng.choice(["north", "south"], n))
    x = rng.normal(size=n)
    if tiny_bias:
        x[:12] = np.abs(x[:12]) + 0.1
    y = (rng.random(n) < 1 / (1 + np.exp(-2 * x))).astype(int)
    return pd.DataFrame({"x": x, "region": region, "y": y})


def test_a_disparity_only_in_a_tiny_group_is_reported_not_judged():
    data = _table(0)
    result = fairness_suite_run(data, model=Threshold(), target="y", sensitive=["region"],
                                checks=["demographic_parity"], random_state=0)
    dp = result.results[0]
    pred = Threshold().predict(data[["x"]])
    # the reported ratio is fairlearn's, over every group, the tiny one included
    assert dp.metrics["ratio"] == pytest.approx(flm.demographic_parity_ratio(
        data["y"], pred, sensitive_features=data["region"]))
    assert dp.metrics["ratio"] < 0.8 and dp.metrics["unstable"]
    # the verdict rests on north and south only, equal to fairlearn on those rows
    big = data["region"] != "islands"
    assert dp.metrics["stable_ratio"] == pytest.approx(flm.demographic_parity_ratio(
        data["y"][big], pred[big], sensitive_features=data["region"][big]))
    assert dp.metrics["n_stable_groups"] == 2 and dp.status is Status.PASS
    assert "judged on the groups of at least 30 rows" in dp.summary


def test_a_disparity_between_big_groups_still_fails_beside_tiny_ones():
    data = _table(1)
    # north's decisions are all negative: a real gap between two big groups
    data.loc[data["region"] == "north", "x"] = -np.abs(data.loc[data["region"] == "north",
                                                                 "x"]) - 0.1
    result = fairness_suite_run(data, model=Threshold(), target="y", sensitive=["region"],
                                checks=["demographic_parity", "equalized_odds"],
                                random_state=0)
    dp, eo = result.results
    pred = Threshold().predict(data[["x"]])
    big = data["region"] != "islands"
    assert dp.metrics["stable_ratio"] == pytest.approx(0.0)
    assert eo.metrics["stable_difference"] == pytest.approx(flm.equalized_odds_difference(
        data["y"][big], pred[big], sensitive_features=data["region"][big]))
    assert dp.status is Status.FAIL and eo.status is Status.FAIL


def test_without_two_big_groups_the_check_is_skipped_saying_why():
    data = _table(2, n=50)  # 12 islands, about 19 north and 19 south
    result = fairness_suite_run(data, model=Threshold(), target="y", sensitive=["region"],
                                checks=["demographic_parity", "group_calibration"],
                                random_state=0)
    for r in result.results:
        assert r.metrics["stable_difference"] is None and r.metrics["n_stable_groups"] == 0
        assert r.status is Status.SKIP
        assert "too small for a stable measure" in r.summary
