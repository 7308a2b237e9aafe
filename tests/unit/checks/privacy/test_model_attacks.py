"""The membership_inference and model_extraction checks: verdicts, metrics, skips."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from stalwart import CHECKS, Status, Suite, SuiteResult
from stalwart.checks.privacy.membership_inference import MembershipInference
from stalwart.checks.privacy.model_extraction import ModelExtraction
from stalwart.privacy.extraction import extraction_risk
from stalwart.privacy.membership import membership_inference
from stalwart.reports import render_html


@pytest.fixture(scope="module")
def frames():
    # 30% flipped labels: a 1-NN model is right on every training row and on about 60% of
    # new rows, so its attack AUC is about 0.5 + 0.4 / 2
    X, y = make_classification(n_samples=1200, n_features=6, n_informative=4, flip_y=0.3,
                               random_state=0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)]).assign(y=y)
    return frame.iloc[:600], frame.iloc[600:]


def _run(check, frames, model, **kw):
    train, test = frames
    return Suite("s", [check]).run(test, target="y", reference=train, model=model,
                                   random_state=0, **kw).results[0]


def _fit(model, frames):
    train, _ = frames
    return model.fit(train.drop(columns="y"), train["y"])


def test_memorising_model_fails_and_regularised_model_passes(frames):
    leaky = _run(MembershipInference(), frames, _fit(KNeighborsClassifier(1), frames))
    safe = _run(MembershipInference(), frames, _fit(LogisticRegression(C=0.01), frames))
    assert leaky.status is Status.FAIL and leaky.metrics["worst_auc"] > 0.6
    assert safe.status is Status.PASS and safe.metrics["worst_auc"] < 0.53
    assert leaky.conditions[0].description == "membership attack AUC at most 0.6"
    assert "worst attack" in leaky.summary and "600 training vs 600 held-out" in leaky.summary


def test_membership_metrics_are_the_library_numbers(frames):
    train, test = frames
    model = _fit(KNeighborsClassifier(5), frames)
    r = _run(MembershipInference(n_boot=50), frames, model)
    direct = membership_inference(model, train.drop(columns="y"), train["y"],
                                  test.drop(columns="y"), test["y"], n_boot=50, random_state=0)
    assert r.metrics["worst_auc"] == direct.worst_auc
    assert r.metrics["worst_auc_low"] == direct.worst.auc_low
    assert {k: v for k, v in r.metrics.items() if k.startswith("auc_")} == {
        f"auc_{a.attack}": a.auc for a in direct.attacks}
    assert [row[0] for row in r.tables[0].rows] == [a.attack for a in direct.attacks]
    assert r.tables[1].columns == ("by", "value", "members", "non-members", "AUC")
    assert set(r.charts[0].data["series"]) == {"guessing", *(a.attack for a in direct.attacks)}


def test_membership_threshold_is_an_option(frames):
    model = _fit(KNeighborsClassifier(5), frames)
    loose = _run(MembershipInference(max_auc=0.99), frames, model)
    assert loose.status is Status.PASS


def test_cheap_to_copy_model_warns_and_hard_one_passes():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(3000, 2))
    frame = pd.DataFrame(X, columns=["a", "b"])
    easy_y = (X[:, 0] > 0.2).astype(int)
    hard_y = ((np.floor(X[:, 0] * 4) + np.floor(X[:, 1] * 4)) % 2).astype(int)
    hard_y = np.where(rng.random(3000) < 0.1, 1 - hard_y, hard_y)
    train, test = frame.iloc[:2000], frame.iloc[2000:]
    easy = LogisticRegression().fit(train, easy_y[:2000])
    hard = KNeighborsClassifier(1).fit(train, hard_y[:2000])
    r_easy = Suite("s", [ModelExtraction()]).run(test, reference=train, model=easy).results[0]
    r_hard = Suite("s", [ModelExtraction()]).run(test, reference=train, model=hard).results[0]
    assert r_easy.status is Status.WARN and r_easy.metrics["queries_to_target"] <= 1000
    assert r_hard.status is Status.PASS and r_hard.metrics["queries_to_target"] is None
    assert "not reached within 2000 queries" in r_hard.summary
    direct = extraction_risk(hard, train, eval_X=test, target_agreement=(0.95,))
    assert r_hard.metrics["agreement_within_min_queries"] == max(direct.agreement[:5])
    assert r_hard.conditions[0].description == "more than 1000 queries needed for 95% agreement"


def test_extraction_skips_when_min_queries_cannot_be_tried(frames):
    model = _fit(KNeighborsClassifier(1), frames)
    r = _run(ModelExtraction(min_queries=1500, budgets=(50, 100)), frames, model)
    assert r.status is Status.SKIP  # 600 reference rows: 1500 queries not tried, not reached
    assert r.metrics["agreement_within_min_queries"] is None
    assert "too few rows to try 1500 queries" in r.summary


@pytest.mark.parametrize("cls", [MembershipInference, ModelExtraction])
def test_skipped_with_a_reason_without_model_or_reference(cls, frames):
    train, test = frames
    model = _fit(LogisticRegression(), frames)
    no_model = Suite("s", [cls()]).run(test, target="y", reference=train).results[0]
    no_ref = Suite("s", [cls()]).run(test, target="y", model=model).results[0]
    for r in (no_model, no_ref):
        assert r.status is Status.SKIP and "needs" in r.summary
    assert "reference data" in no_ref.summary and "a model" in no_model.summary


def test_reference_without_labels_is_an_error_not_a_crash(frames):
    train, test = frames
    model = _fit(LogisticRegression(), frames)
    unlabelled = train.assign(y=np.where(np.arange(600) < 590, np.nan, train["y"]))
    r = Suite("s", [MembershipInference()]).run(test, target="y", model=model,
                                                reference=unlabelled).results[0]
    assert r.status is Status.ERROR and r.error["type"] == "DataError"
    assert "at least 20 rows" in r.summary and "10 members" in r.summary


@pytest.mark.parametrize("name", ["membership_inference", "model_extraction"])
def test_registered_deterministic_and_json(name, frames):
    cls = CHECKS.get(name)
    params = cls().get_params()
    assert set(params) == set(cls._param_names())
    json.dumps(params)
    train, test = frames
    model = _fit(KNeighborsClassifier(3), frames)

    def run():
        res = Suite("s", [cls(**({"budgets": (50, 200)} if name == "model_extraction"
                                 else {"n_boot": 30}))]).run(
            test, target="y", reference=train, model=model, random_state=5)
        d = res.to_dict()
        d["results"][0]["duration_s"] = d["duration_s"] = 0
        d["started_at"] = ""
        return res, d

    res, first = run()
    assert first == run()[1]
    assert SuiteResult.from_json(res.to_json()).to_dict()["results"] == res.to_dict()["results"]
    page = render_html(res)
    assert "<svg" in page and "no data" not in page and "cannot draw" not in page
