"""The stress suite's checks: numbers equal the library's, conditions decide as declared."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from stalwart.checks import CHECKS, Status, SuiteResult
from stalwart.checks.stress import STRESS_CHECKS, stress_suite, stress_suite_run
from stalwart.checks.stress.suite import _load
from stalwart.exceptions import ParameterError
from stalwart.perturb.robustness import shift_impact, stress_test
from stalwart.perturb.shift import covariate_shift, label_shift
from stalwart.perturb.tabular import GaussianNoise

@pytest.fixture(scope="module")
def cancer():
    frame = load_breast_cancer(as_frame=True).frame
    train, test = train_test_split(frame, test_size=0.3, random_state=0,
                                   stratify=frame["target"])
    features = [c for c in frame.columns if c != "target"]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(train[features], train["target"])
    return model, train, test, features


def test_registered_in_order():
    _load()
    assert list(STRESS_CHECKS) == ["perturbation_robustness", "flip_rate", "shift_robustness"]
    assert all(name in CHECKS for name in STRESS_CHECKS)


def test_perturbation_robustness_equals_stress_test(cancer):
    model, train, test, features = cancer
    result = stress_suite_run(test, model=model, target="target", reference=train,
                              checks=["perturbation_robustness"], random_state=0,
                              options={"perturbation_robustness": {
                                  "perturbations": ["gaussian_noise", "scaling"],
                                  "limits": {"scaling@3": 0.05}}})
    r = result.by_check("perturbation_robustness")
    direct = stress_test(model, test[features], test["target"].to_numpy(),
                         perturbations=[GaussianNoise(), "scaling"], reference=train[features],
                         random_state=0)
    noise = direct.cell("gaussian_noise", 2)
    assert r.metrics["drop"] == pytest.approx(noise.drop)
    assert r.metrics["flip_rate"] == pytest.approx(noise.flip_rate)
    assert r.metrics["drop.scaling.s3"] == pytest.approx(direct.cell("scaling", 3).drop)
    statuses = {c.description: c.status for c in r.conditions}
    assert statuses["drop under gaussian_noise (severity 2) at most 0.02"] is Status.PASS
    assert direct.cell("scaling", 3).drop > 0.05  # the scaling limit is broken...
    assert statuses["drop under scaling (severity 3) at most 0.05"] is Status.FAIL
    assert r.status is Status.FAIL and result.exit_code() == 1  # ...and fails the gate
    assert [c.kind for c in r.charts] == ["line", "line"]
    assert set(r.charts[0].data["series"]) == {"gaussian_noise", "scaling"}
    assert r.charts[0].data["x"] == [1, 2, 3, 4, 5]
    worst = {row[0]: row[1] for row in r.tables[1].rows}
    assert worst["scaling"] == direct.worst_features()["scaling"].feature


def test_model_raising_on_the_gate_perturbation_is_an_error(cancer):
    model, train, test, _ = cancer
    r = stress_suite_run(test, model=model, target="target", checks=["perturbation_robustness"],
                         options={"perturbation_robustness": {
                             "perturbation": "missing_values", "severity": 1,
                             "perturbations": ["missing_values"], "per_feature": False}}
                         ).results[0]
    assert r.status is Status.ERROR and "an imputer" in r.summary and "NaN" in r.summary


def test_model_errors_elsewhere_warn(cancer):
    model, train, test, _ = cancer
    r = stress_suite_run(test, model=model, target="target", reference=train,
                         checks=["perturbation_robustness"], options={
                             "perturbation_robustness": {
                                 "perturbations": ["gaussian_noise", "missing_values"],
                                 "severities": [2], "per_feature": False}}).results[0]
    assert r.metrics["model_errors"] == 1 and r.status is Status.WARN


def test_flip_rate_harmless_and_declared_unit_change(cancer):
    model, train, test, features = cancer
    run = stress_suite_run(test, model=model, target="target", reference=train,
                           checks=["flip_rate"])
    r = run.results[0]
    direct = stress_test(model, test[features], test["target"].to_numpy(),
                         perturbations=["rounding"], reference=train[features], random_state=0)
    assert r.metrics["flip_rate"] == pytest.approx(direct.cell("rounding", 1).flip_rate)
    assert r.metrics["flip_rate"] <= 0.01 and r.status is Status.PASS
    unit = stress_suite_run(test, model=model, target="target", reference=train,
                            checks=["flip_rate"], options={"flip_rate": {
                                "perturbation": "unit_change", "severity": 5,
                                "options": {"units": {"mean radius": "m->cm"}}}}).results[0]
    assert unit.metrics["worst_column"] == "mean radius"
    assert unit.metrics["flip_rate"] > 0.1 and unit.status is Status.FAIL
    assert "flip under unit_change (severity 5)" in unit.summary


def test_flip_rate_skips_a_regressor():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    frame["y"] = 2 * frame["a"]
    model = LinearRegression().fit(frame[["a", "b"]], frame["y"])
    r = stress_suite_run(frame, model=model, target="y", checks=["flip_rate"]).results[0]
    assert r.status is Status.SKIP and "a classifier" in r.summary
    r2 = stress_suite_run(frame, model=model, target="y", checks=["perturbation_robustness"],
                          options={"perturbation_robustness": {"perturbations": [
                              "gaussian_noise"], "max_drop": 0.5}}).results[0]
    assert r2.metrics["metric"] == "r2" and r2.status is Status.PASS


def test_shift_robustness_equals_shift_impact(cancer):
    model, train, test, features = cancer
    r = stress_suite_run(test, model=model, target="target", checks=["shift_robustness"],
                         options={"shift_robustness": {"features": ["worst radius"]}},
                         random_state=3).results[0]
    X, y = test[features].reset_index(drop=True), test["target"].to_numpy()
    direct = shift_impact(model, X, y, {
        "worst radius increase": covariate_shift(X, y, feature="worst radius", random_state=3),
        "worst radius decrease": covariate_shift(X, y, feature="worst radius",
                                                 direction="decrease", random_state=3),
        "equal class priors": label_shift(X, y, priors={0: 0.5, 1: 0.5}, random_state=3)})
    assert r.metrics["worst_drop"] == pytest.approx(direct.worst().drop)
    assert r.metrics["worst_shift"] == direct.worst().name
    assert [row[0] for row in r.tables[0].rows] == [s.name for s in direct.rows]
    assert r.status is (Status.PASS if direct.worst().drop <= 0.05 else Status.WARN)


def test_suite_round_trips_and_is_deterministic(cancer):
    model, train, test, _ = cancer

    def run():
        d = stress_suite_run(test, model=model, target="target", reference=train,
                             random_state=1).to_dict()
        d["duration_s"], d["started_at"] = 0.0, ""
        for res in d["results"]:
            res["duration_s"] = 0
        return d

    first = run()
    assert first == run() and first["suite"] == "stress"
    assert SuiteResult.from_dict(first).to_dict()["results"] == first["results"]


def test_bad_options():
    with pytest.raises(Exception, match="stress checks"):
        stress_suite(checks=["nope"])
    frame = pd.DataFrame({"a": np.arange(40.0), "y": np.arange(40) % 2})
    model = LogisticRegression().fit(frame[["a"]], frame["y"])
    with pytest.raises(ParameterError, match="perturbation@severity"):
        stress_suite_run(frame, model=model, target="y", checks=["perturbation_robustness"],
                         options={"perturbation_robustness": {"limits": {"scaling": 0.1}}})
    r = stress_suite_run(frame, model=model, target="y", checks=["perturbation_robustness"],
                         options={"perturbation_robustness": {
                             "perturbation_options": {"outliers": {"share": 0.1}},
                             "perturbations": ["gaussian_noise"]}}).results[0]
    assert r.status is Status.ERROR and "perturbation options" in r.summary



def test_default_shift_features_rank_columns_with_missing_values():
    # a column with one missing value got a NaN correlation and dropped out of the ranking
    from scipy import stats

    from stalwart.checks.stress.shift_robustness import _strongest

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"key": rng.normal(size=500), "weak": rng.normal(size=500),
                      "other": rng.normal(size=500)})
    y = (X["key"] + 0.2 * X["weak"] > 0).astype(int).to_numpy()
    X.loc[::50, "key"] = np.nan
    assert _strongest(X, y, 2) == ["key", "weak"]
    rho = {c: abs(stats.spearmanr(X[c], y, nan_policy="omit")[0]) for c in X.columns}
    assert _strongest(X, y, 3) == sorted(rho, key=lambda c: -rho[c])


def test_a_models_error_is_one_sentence_in_the_tables_and_whole_in_the_result():
    from stalwart.checks.stress._common import short_error
    full = "ValueError: Input X contains NaN. LogisticRegression does not accept them.\nmore"
    assert short_error(full) == "ValueError: Input X contains NaN."
    assert short_error(None) == "" and short_error("one line") == "one line"
