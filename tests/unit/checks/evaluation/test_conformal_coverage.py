import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from stalwart.checks.evaluation import evaluate_suite_run
from stalwart.checks.result import Status
from stalwart.uncertainty import conformal_intervals, conformal_sets


def _run(frame, model, target, **options):
    return evaluate_suite_run(frame, model=model, target=target, random_state=3,
                              checks=["conformal_coverage"],
                              options={"conformal_coverage": options}).results[0]


def test_classifier_sets_match_the_library(cancer):
    train, test, model = cancer
    r = _run(test, model, "target")
    assert r.status is Status.PASS, r.summary
    n = len(test)
    order = np.random.default_rng(3).permutation(n)
    cal, tst = order[: n // 2], order[n // 2:]
    p = model.predict_proba(test.drop(columns="target"))
    y = test["target"].to_numpy()
    sets = conformal_sets(p[cal], y[cal], p[tst], alpha=0.1)
    assert r.metrics["coverage"] == pytest.approx(sets[np.arange(tst.size), y[tst]].mean())
    assert r.metrics["mean_set_size"] == pytest.approx(sets.sum(axis=1).mean())
    margin = 2.326 * math.sqrt(0.09 * (1 / cal.size + 1 / tst.size))
    assert r.metrics["margin"] == pytest.approx(margin)
    assert r.metrics["coverage_gap"] == pytest.approx(r.metrics["coverage"] - 0.9 + margin)


def _drifting(n=1000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    noise = np.where(np.arange(n) < n // 2, 0.5, 2.0)  # later rows are four times noisier
    return pd.DataFrame({"x": x, "y": 2 * x + rng.normal(size=n) * noise})


def test_regressor_random_split_covers():
    frame = _drifting()
    model = LinearRegression().fit(frame[["x"]], frame["y"])
    r = _run(frame, model, "y")
    assert r.status is Status.PASS, r.summary
    order = np.random.default_rng(3).permutation(len(frame))
    cal, tst = order[:500], order[500:]
    pred = model.predict(frame[["x"]])
    y = frame["y"].to_numpy()
    iv = conformal_intervals(y[cal], pred[cal], pred[tst], alpha=0.1)
    assert r.metrics["mean_width"] == pytest.approx(np.mean(iv[:, 1] - iv[:, 0]))
    assert r.metrics["coverage"] == pytest.approx(
        np.mean((y[tst] >= iv[:, 0]) & (y[tst] <= iv[:, 1])))


def test_ordered_split_fails_when_later_rows_drift():
    frame = _drifting()
    model = LinearRegression().fit(frame[["x"]], frame["y"])
    r = _run(frame, model, "y", split="ordered")
    assert r.status is Status.FAIL
    assert r.metrics["coverage"] < 0.9 - r.metrics["margin"]
    assert r.metrics["coverage_gap"] < 0


def test_bad_split_option_is_an_error(cancer):
    _, test, model = cancer
    r = _run(test, model, "target", split="sideways")
    assert r.status is Status.ERROR and "split" in r.summary
