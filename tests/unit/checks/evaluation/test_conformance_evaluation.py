"""Conformance of the evaluation checks: the Check contract, run with a fitted model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from stalwart import CHECKS, Check, Status, Suite, SuiteResult
from stalwart.checks.evaluation import EVALUATION_CHECKS, evaluation_suite

from .conftest import clean_model

evaluation_suite()  # registers every evaluation check
NAMES = list(EVALUATION_CHECKS)


def test_every_check_is_registered_as_a_model_check():
    for name in NAMES:
        cls = CHECKS.get(name)
        assert cls.category == "model"
        assert cls.needs == frozenset({"model", "target"})


@pytest.mark.parametrize("name", NAMES)
def test_contract(name):
    cls = CHECKS.get(name)
    assert issubclass(cls, Check)
    assert cls.name == name and cls.title and cls.__doc__
    check = cls()
    params = check.get_params()
    json.dumps(params)
    assert set(params) == set(cls._param_names())
    assert check.default_conditions()


@pytest.mark.parametrize("name", NAMES)
def test_clean_data_and_model_pass(name, clean_split):
    train, test, model = clean_split
    options = {"columns": ["city"]} if name == "slice_performance" else {}
    r = Suite("s", [CHECKS.get(name)(**options)]).run(test, target="y", reference=train,
                                                      model=model).results[0]
    assert r.status is Status.PASS, (r.summary, r.conditions)
    for cond in r.conditions:
        assert cond.status is not Status.ERROR, cond.message
    assert r.summary and r.tables


@pytest.mark.parametrize("name", NAMES)
def test_no_model_or_no_target_skips(name, clean_split):
    train, test, model = clean_split
    r = Suite("s", [CHECKS.get(name)()]).run(test, target="y").results[0]
    assert r.status is Status.SKIP and "model" in r.summary
    r = Suite("s", [CHECKS.get(name)()]).run(test.drop(columns="y"), model=model).results[0]
    assert r.status is Status.SKIP and "target" in r.summary


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_and_serialisable(name, clean_split):
    train, test, model = clean_split

    def run():
        res = Suite("s", [CHECKS.get(name)()]).run(test, target="y", reference=train,
                                                   model=model, random_state=5)
        d = res.to_dict()
        d["results"][0]["duration_s"] = 0
        d["duration_s"] = 0
        d["started_at"] = ""
        return res, d

    res, first = run()
    _, second = run()
    assert first == second
    assert SuiteResult.from_json(res.to_json()).to_dict()["results"] == res.to_dict()["results"]


def _odd_frame(n=80):
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "num": rng.normal(size=n),
        "inf": np.where(rng.random(n) < 0.1, np.inf, rng.normal(size=n)),
        "cat": pd.Categorical(rng.choice(["a", "b"], n)),
        "flag": rng.random(n) < 0.5,
        "y": rng.integers(0, 2, n),
    })


def _tree(frame):
    X = frame[["num"]]
    return DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, frame["y"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("rows", [80, 3, 1])
def test_odd_inputs_never_crash(name, rows):
    frame = _odd_frame()
    model = _tree(frame)
    r = Suite("s", [CHECKS.get(name)(columns=["cat", "flag"]) if name == "slice_performance"
                    else CHECKS.get(name)()]).run(frame.iloc[:rows], target="y",
                                                  reference=frame, model=model).results[0]
    # too few rows may be a clear input error, never a crash
    assert "crashed" not in r.summary, r.summary
    assert r.summary


@pytest.mark.parametrize("name", NAMES)
def test_labels_the_model_does_not_know_are_an_input_error(name):
    frame = _odd_frame()
    model = _tree(frame)
    odd = frame.assign(y=frame["y"].where(frame.index % 2 == 0, 7))
    r = Suite("s", [CHECKS.get(name)(columns=["cat"]) if name == "slice_performance"
                    else CHECKS.get(name)()]).run(odd, target="y", model=model).results[0]
    assert r.status is Status.ERROR and "crashed" not in r.summary
    assert "labels" in r.summary
