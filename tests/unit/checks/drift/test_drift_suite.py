"""The drift suite on raw tables and on profiles: findings, gating, charts and JSON."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from stalwart import ParameterError, Status, SuiteResult
from stalwart.checks.drift import DRIFT_CHECKS, check_drift, drift_suite
from stalwart.reports import render_html
from stalwart.stats.profile import profile


def _table(n: int, seed: int, *, age_shift: float = 0.0, fahrenheit: bool = False,
           boundary: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.normal(40 + age_shift, 12, n).round(1)
    temp = rng.normal(20, 5, n)
    score = rng.normal(0, 1, n) * (0.3 if boundary else 1.0)
    city = rng.choice(["paris", "lyon", "nice", "lille"], n, p=[0.4, 0.3, 0.2, 0.1])
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.04 * (age - 40) + 2.0 * score)))).astype(int)
    return pd.DataFrame({"age": age, "temp": temp * 1.8 + 32 if fahrenheit else temp,
                         "city": city, "score": score, "y": y})


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return _table(3000, 0)


def _statuses(result: SuiteResult) -> dict[str, Status]:
    return {r.check: r.status for r in result.results}


def test_same_population_passes(reference):
    model = LogisticRegression().fit(reference[["age", "temp", "score"]], reference["y"])
    result = check_drift(reference, _table(2000, 1), target="y", model=model)
    assert set(_statuses(result).values()) == {Status.PASS}, [
        (r.check, r.summary) for r in result.results if r.status is not Status.PASS]
    assert result.by_check("feature_drift").metrics["n_drifted"] == 0


def test_unit_change_and_shift_are_named_with_their_evidence(reference):
    current = _table(2000, 2, age_shift=8.0, fahrenheit=True).assign(extra=1.0)
    result = check_drift(reference, current, target="y")
    status = _statuses(result)
    assert status["unit_changes"] is Status.FAIL
    assert "celsius -> fahrenheit" in result.by_check("unit_changes").summary
    schema = result.by_check("schema_changes")  # a new column is listed, not alarming
    assert schema.status is Status.PASS and schema.metrics["n_info_findings"] == 1
    assert "'extra' is new" in schema.summary
    fd = result.by_check("feature_drift")
    assert fd.status is Status.FAIL and fd.metrics["n_drifted"] == 2
    table = {row[0]: row for row in fd.tables[0].rows}
    assert table["temp"][9] == "yes" and table["age"][9] == "yes"
    assert table["score"][9] == "no" and table["city"][9] == "no"
    # one chart per compared feature, drifted first, reference beside current
    charts = fd.charts
    assert [c.title.split(":")[0] for c in charts[:2]] == ["temp", "age"]
    assert {c.kind for c in charts} == {"histogram", "bar"}
    assert all(abs(sum(c.data.get("counts", c.data.get("values"))) - 1) < 1e-9
               for c in charts)
    mv = result.by_check("multivariate_drift")
    assert mv.metrics["auc"] > 0.9 and mv.status is Status.FAIL
    assert mv.tables[0].rows[0][0] == "temp"  # the strongest driver comes first
    assert result.by_check("novelty_rate").status is Status.FAIL


def test_profiles_give_the_same_verdicts_and_skip_what_needs_rows(reference):
    current = _table(2000, 2, age_shift=8.0, fahrenheit=True)
    raw = check_drift(reference, current, target="y", checks=["feature_drift",
                                                              "unit_changes"])
    via = check_drift(profile(reference), profile(current), target="y")
    status = _statuses(via)
    for name in ("multivariate_drift", "novelty_rate", "label_drift"):
        assert status[name] is Status.SKIP
        assert "raw rows" in via.by_check(name).summary or "needs" in via.by_check(name).summary
    assert status["unit_changes"] is Status.FAIL
    assert via.by_check("feature_drift").metrics["n_drifted"] == \
        raw.by_check("feature_drift").metrics["n_drifted"] == 2
    assert "from profiles" in via.by_check("feature_drift").summary
    assert via.data["from_profile"] is True and via.data["n_rows"] == 2000
    # the target is not compared as a feature
    assert "y" not in {row[0] for row in via.by_check("feature_drift").tables[0].rows}
    # profiles=True profiles the tables first: the same verdicts (KLL compaction is
    # randomised, so statistics agree within the sketch error, not to the last digit)
    again = check_drift(reference, current, target="y", profiles=True,
                        checks=["feature_drift"]).by_check("feature_drift").metrics
    first = via.by_check("feature_drift").metrics
    assert again["n_drifted"] == first["n_drifted"]
    assert again["max_effect_size"] == pytest.approx(first["max_effect_size"], rel=0.02)


def test_model_checks_see_prediction_drift_and_estimate_performance(reference):
    features = ["age", "temp", "score"]
    model = LogisticRegression().fit(reference[features], reference["y"])
    current = _table(3000, 3, boundary=True)  # mass moves to the decision boundary
    result = check_drift(reference, current, target="y", model=model,
                         checks=["prediction_drift", "estimated_performance"])
    assert result.by_check("prediction_drift").status is Status.WARN
    est = result.by_check("estimated_performance")
    realised = float((model.predict(current[features]) == current["y"]).mean())
    assert est.metrics["estimated_drop"] > 0.05 and est.status is Status.FAIL
    assert est.metrics["lower"] - 0.02 <= realised <= est.metrics["upper"] + 0.02


def test_json_round_trip_and_html_with_distributions(reference):
    result = check_drift(reference, _table(1500, 4, age_shift=8.0), target="y",
                         checks=["feature_drift", "schema_changes"])
    assert SuiteResult.from_json(result.to_json()).to_dict()["results"] == \
        result.to_dict()["results"]
    html = render_html(result)
    assert html.count("<svg") >= 4 and "age: reference vs current (drifted)" in html


def test_suite_options_and_unknown_names():
    assert list(DRIFT_CHECKS)[:4] == ["schema_changes", "unit_changes", "value_changes",
                                      "feature_drift"]
    suite = drift_suite(checks=["feature_drift"], options={"feature_drift": {"alpha": 0.01}})
    assert suite.checks[0].alpha == 0.01 and suite.reference_schema == "own"
    with pytest.raises(ParameterError, match="unknown"):
        drift_suite(checks=["nope"])


def test_labels_may_arrive_later(reference):
    model = LogisticRegression().fit(reference[["age", "temp", "score"]], reference["y"])
    current = _table(2000, 5).drop(columns="y")
    result = check_drift(reference, current, target="y", model=model,
                         checks=["label_drift", "estimated_performance", "feature_drift"])
    assert result.by_check("label_drift").status is Status.SKIP
    assert result.by_check("estimated_performance").status is Status.PASS
    assert "y" not in {row[0] for row in result.by_check("feature_drift").tables[0].rows}
    with pytest.raises(Exception, match="in neither"):
        check_drift(reference.drop(columns="y"), current, target="y")
