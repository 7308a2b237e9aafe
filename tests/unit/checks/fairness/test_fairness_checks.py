"""The fairness suite: values equal to the audit (and fairlearn), conditions, skips, errors,
the Check contract, audit_model and its report."""

import json

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.compose import make_column_transformer

from stalwart import CHECKS, Status, SuiteResult
from stalwart.checks.fairness import (FAIRNESS_CHECKS, FairnessReport, audit_model,
                                      fairness_suite, fairness_suite_run)
from stalwart.checks.fairness.suite import _load
from stalwart.data import Dataset
from stalwart.exceptions import DataError, ParameterError

_load()


def _frame(seed=0, n=3000, bias=1.5):
    rng = np.random.default_rng(seed)
    sex = rng.choice(["f", "m"], n)
    region = rng.choice(["north", "south"], n, p=[0.7, 0.3])
    x = rng.normal(size=n)
    logit = 1.2 * x + bias * (sex == "m") - bias / 2
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"x": x, "sex": sex, "region": region, "y": y})


def _model(frame):
    enc = make_column_transformer((OneHotEncoder(), ["sex"]), ("passthrough", ["x"]))
    return make_pipeline(enc, LogisticRegression()).fit(frame[["x", "sex"]], frame["y"])


@pytest.fixture(scope="module")
def biased():
    train, test = _frame(0), _frame(1)
    return _model(train), test


def test_biased_model_fails_with_values_equal_to_fairlearn(biased):
    model, test = biased
    result = fairness_suite_run(test, model=model, target="y", sensitive=["sex", "region"],
                                random_state=0)
    by = {r.check: r for r in result.results}
    assert list(by) == list(FAIRNESS_CHECKS)
    pred = model.predict(test[["x", "sex"]])
    sf = test[["sex", "region"]]
    dp = by["demographic_parity"]
    assert dp.status is Status.FAIL
    assert dp.metrics["grouping"] == "sex & region"
    assert dp.metrics["ratio"] == pytest.approx(
        flm.demographic_parity_ratio(test["y"], pred, sensitive_features=sf), abs=1e-12)
    assert dp.metrics["ratio_low"] <= dp.metrics["ratio"] <= dp.metrics["ratio_high"]
    assert dp.metrics["four_fifths_passed"] is False
    assert "four-fifths" in dp.conditions[0].description
    eo = by["equalized_odds"]
    assert eo.status is Status.FAIL
    assert eo.metrics["difference"] == pytest.approx(
        flm.equalized_odds_difference(test["y"], pred, sensitive_features=sf), abs=1e-12)
    assert by["equal_opportunity"].metrics["difference"] == pytest.approx(
        flm.equal_opportunity_difference(test["y"], pred, sensitive_features=sf), abs=1e-12)
    assert by["group_calibration"].status in (Status.PASS, Status.WARN)
    table = dp.tables[0]
    assert table.columns == ("group", "rows", "selection_rate", "impact_ratio", "unstable")
    assert len(table.rows) == 4 and dp.charts[0].kind == "bar"
    assert "lowest" in dp.summary
    assert SuiteResult.from_json(result.to_json()).to_dict()["results"] == \
        result.to_dict()["results"]


def test_fair_model_passes_and_sensitive_role_comes_from_the_schema():
    train, test = _frame(2, bias=0.0), _frame(3, bias=0.0)
    model = make_pipeline(LogisticRegression()).fit(train[["x"]], train["y"])
    data = Dataset.from_any(test[["x", "sex", "y"]], target="y", sensitive=["sex"])
    result = fairness_suite(checks=["demographic_parity", "equalized_odds"]).run(
        data, model=model, target="y")
    assert [r.status for r in result.results] == [Status.PASS, Status.PASS]
    assert result.results[0].metrics["grouping"] == "sex"


def test_skips_without_sensitive_columns_or_a_classifier(biased):
    model, test = biased
    result = fairness_suite().run(test, model=model, target="y")
    assert all(r.status is Status.SKIP and "sensitive columns" in r.summary
               for r in result.results)
    reg = LinearRegression().fit(test[["x"]], test["x"] * 2)
    r = fairness_suite(checks=["equalized_odds"], sensitive=["sex"]).run(
        test[["x", "sex", "y"]], model=reg, target="y").results[0]
    assert r.status is Status.SKIP and "classifier" in r.summary


def test_small_groups_are_reported_and_a_single_group_is_a_clear_error(biased):
    model, test = biased
    small = pd.concat([test, test.iloc[:5].assign(region="east")], ignore_index=True)
    r = fairness_suite(checks=["demographic_parity"], sensitive=["region"]).run(
        small, model=model, target="y").results[0]
    assert "under 30 rows (unstable)" in r.summary
    assert [row[-1] for row in r.tables[0].rows].count("yes") == 1
    one = test.assign(region="north")
    r = fairness_suite(checks=["demographic_parity"], sensitive=["region"]).run(
        one, model=model, target="y").results[0]
    assert r.status is Status.ERROR and "one group only" in r.summary


def test_multiclass_needs_pos_label():
    rng = np.random.default_rng(4)
    n = 900
    frame = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b"], n)})
    frame["y"] = np.digitize(frame["x"] + rng.normal(0, 0.5, n), [-0.5, 0.5])
    model = LogisticRegression().fit(frame[["x"]], frame["y"])
    r = fairness_suite(checks=["equal_opportunity"], sensitive=["g"]).run(
        frame, model=model, target="y").results[0]
    assert r.status is Status.ERROR and "pos_label" in r.summary
    r = fairness_suite(checks=["equal_opportunity"], sensitive=["g"],
                       options={"equal_opportunity": {"pos_label": 2}}).run(
        frame, model=model, target="y").results[0]
    pred = model.predict(frame[["x"]])
    assert r.metrics["difference"] == pytest.approx(flm.equal_opportunity_difference(
        (frame["y"] == 2).astype(int), (pred == 2).astype(int),
        sensitive_features=frame["g"]), abs=1e-12)


@pytest.mark.parametrize("name", list(FAIRNESS_CHECKS))
def test_check_contract(name, biased):
    cls = CHECKS.get(name)
    check = cls()
    params = check.get_params()
    json.dumps(params)
    assert set(params) == set(cls._param_names())
    assert cls.__doc__ and cls.title
    model, test = biased
    runs = [fairness_suite(checks=[name], sensitive=["sex"]).run(
        test, model=model, target="y", random_state=3).to_dict()["results"][0]
        for _ in range(2)]
    for r in runs:
        r["duration_s"] = 0
    assert runs[0] == runs[1]
    one = fairness_suite(checks=[name], sensitive=["sex"]).run(
        test.iloc[:1], model=model, target="y").results[0]
    assert one.status is Status.ERROR and "one group only" in one.summary  # clean, no crash
    assert "traceback" not in (one.error or {})


def test_audit_model_with_mitigation_reports_the_cost(biased):
    model, test = biased
    report = audit_model(test, model=model, target="y", sensitive=["sex"],
                         mitigate="demographic_parity", n_boot=100)
    assert isinstance(report, FairnessReport)
    m = report.mitigation
    assert m.n_rows == len(test) // 2 + len(test) % 2
    before = m.disparities["demographic_parity_difference"]["before"]
    after = m.disparities["demographic_parity_difference"]["after"]
    assert before > 0.3 and after < 0.05
    assert 0 < m.accuracy_cost < 0.15
    payload = json.loads(json.dumps(report.to_dict()))
    assert payload["mitigation"]["accuracy_cost"] == pytest.approx(m.accuracy_cost)
    html = report.to_html()
    assert "Mitigation: before and after" in html and html.count("<svg") == 2
    text = report.to_text()
    assert "four-fifths" in text and "cost +" in text
    with pytest.raises(ParameterError, match="mitigate"):
        audit_model(test, model=model, target="y", sensitive=["sex"], mitigate="fair")
    with pytest.raises(DataError, match="sensitive"):
        audit_model(test, model=model, target="y")


def test_demographic_parity_judges_the_grouping_with_the_smallest_ratio():
    # without intersections, grouping "a" has the smaller ratio (0.557) but grouping "b" the
    # larger difference (0.252 > 0.234): the four-fifths-style condition must see 0.557
    rng = np.random.default_rng(59)
    n = 600
    a = rng.choice(["p", "q"], n, p=[0.8, 0.2])
    b = rng.choice(["x", "y"], n)
    d = (rng.random(n) < 0.3 + 0.1 * (a == "p") + 0.25 * (b == "y")).astype(int)
    frame = pd.DataFrame({"d": d, "a": a, "b": b, "y": d})
    model = LogisticRegression().fit(frame[["d"]], frame["y"])  # predicts d itself
    assert (model.predict(frame[["d"]]) == d).all()
    ref = {c: flm.demographic_parity_ratio(d, d, sensitive_features=frame[c]) for c in "ab"}
    assert ref["a"] < 0.57 < ref["b"]
    r = fairness_suite(checks=["demographic_parity"], sensitive=["a", "b"], options={
        "demographic_parity": {"intersections": False, "min_ratio": 0.57, "n_boot": 0}}).run(
        frame[["d", "a", "b", "y"]], model=model, target="y").results[0]
    assert r.metrics["grouping"] == "a"
    assert r.metrics["ratio"] == pytest.approx(ref["a"], abs=1e-12)
    assert r.status is Status.FAIL


def test_audit_model_judges_its_own_audit_with_the_fairness_checks(biased):
    model, test = biased
    report = audit_model(test, model=model, target="y", sensitive=["sex"], n_boot=100,
                         confidence=0.8, random_state=5)
    by = {r.check: r for r in report.checks.results}
    assert list(by) == list(FAIRNESS_CHECKS)
    dp = report.audit.disparity("demographic_parity", worst="ratio")
    # the very audit of the report (an 80% interval), not one the checks recomputed
    assert by["demographic_parity"].metrics["ratio_low"] == dp.ratio_interval.low
    assert dp.ratio_interval.confidence == 0.8
    assert by["demographic_parity"].status is Status.FAIL
    assert report.status == "fail" and report.exit_code() == 1
    assert report.to_dict()["checks"][0]["conditions"][0]["status"] == "fail"
    assert "Checks" in report.to_html()
    with pytest.raises(ParameterError, match="fail_on"):
        report.exit_code(fail_on="error")
    plain = FairnessReport(audit=report.audit, mitigation=None, model={}, data={}, target="y")
    assert plain.exit_code() == 0 and plain.status is None
    assert plain.to_dict()["checks"] is None


def test_mitigation_fits_one_threshold_per_audited_group_of_a_numeric_column():
    rng = np.random.default_rng(14)
    n = 2000
    age = rng.integers(18, 90, n)
    age[:3] = [97, 98, 99]  # values too rare to be in both halves
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(x + 0.03 * (age - 50))))).astype(int)
    frame = pd.DataFrame({"x": x, "age": age, "y": y})
    model = LogisticRegression().fit(frame[["x", "age"]], frame["y"])
    report = audit_model(frame, model=model, target="y", sensitive=["age"], n_boot=0,
                         mitigate="demographic_parity")
    audited = [" & ".join(g.key) for g in report.audit.groups]
    assert sorted(report.mitigation.details["rules"]) == sorted(audited)
    assert len(audited) == 5 and not report.mitigation.details["fit_warnings"]
    dp = report.mitigation.disparities["demographic_parity_difference"]
    assert dp["before"] > 0.5 and dp["after"] < 0.2  # 5 groups of ~200 held-out rows
