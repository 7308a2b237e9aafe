"""Conformance: every registered check honours the Check contract.

Runs over every member of the registry (as scikit-learn's estimator checks do), so a new
check is tested the moment it registers.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart import CHECKS, Check, Status, Suite, SuiteResult
from stalwart.checks.audit.suite import _load as load_audit
from stalwart.checks.drift.suite import _load as load_drift
from stalwart.checks.evaluation.suite import _load as load_evaluation
from stalwart.checks.explain.suite import _load as load_explain
from stalwart.checks.fairness.suite import _load as load_fairness
from stalwart.checks.privacy.suite import _load as load_privacy
from stalwart.checks.stress.suite import _load as load_stress

load_audit()
load_evaluation()
load_drift()
load_explain()
load_fairness()
load_privacy()
load_stress()
NAMES = CHECKS.names()


def _hostile_frame() -> pd.DataFrame:
    n = 60
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "num": rng.normal(size=n),
        "all_missing": [np.nan] * n,
        "constant": [1] * n,
        "lists": [[i, i + 1] if i % 5 else i for i in range(n)],
        "mixed": [1, "a", 2.5, None, True, {"k": 1}] * (n // 6),
        "when": pd.date_range("2024-01-01", periods=n, freq="h"),
        "flag": rng.random(n) < 0.5,
        "cat": pd.Categorical(rng.choice(["a", "b"], n)),
        "text": ["some words here that go on and on %d" % i for i in range(n)],
        "inf": np.where(rng.random(n) < 0.1, np.inf, rng.normal(size=n)),
        "y": rng.integers(0, 2, n),
    })


def test_registry_is_not_empty():
    assert len(NAMES) >= 18


@pytest.mark.parametrize("name", NAMES)
def test_contract(name):
    cls = CHECKS.get(name)
    assert issubclass(cls, Check)
    assert cls.name == name and cls.title and cls.__doc__
    check = cls()  # every option has a default
    params = check.get_params()
    json.dumps(params)  # resolved options are plain data
    assert set(params) == set(cls._param_names())  # constructor only stores its options


@pytest.mark.parametrize("name", NAMES)
def test_clean_data_passes_without_findings(name, clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    result = Suite("s", [CHECKS.get(name)()]).run(test, target="y", reference=train)
    r = result.results[0]
    assert r.status in (Status.PASS, Status.SKIP), (r.summary, r.conditions)
    for cond in r.conditions:
        assert cond.status is not Status.ERROR, cond.message  # default conditions name real metrics


@pytest.mark.parametrize("name", NAMES)
def test_odd_columns_never_crash(name):
    frame = _hostile_frame()
    r = Suite("s", [CHECKS.get(name)()]).run(frame, target="y", reference=frame.sample(
        frac=1.0, random_state=1)).results[0]
    assert r.status is not Status.ERROR, r.summary
    assert r.summary


@pytest.mark.parametrize("name", NAMES)
def test_single_row_never_crashes(name):
    frame = _hostile_frame().iloc[:1]
    r = Suite("s", [CHECKS.get(name)()]).run(frame, target="y").results[0]
    assert r.status is not Status.ERROR, r.summary


@pytest.mark.parametrize("name", NAMES)
def test_missing_needs_skip(name, clean_frame):
    cls = CHECKS.get(name)
    r = Suite("s", [cls()]).run(clean_frame.drop(columns="y")).results[0]
    if cls.needs & {"target", "reference"} or cls.required_options:
        assert r.status is Status.SKIP and "needs" in r.summary
    else:
        assert r.status is not Status.SKIP


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_and_serialisable(name, clean_frame):
    frame = clean_frame.copy()
    frame.loc[::7, "income"] = np.nan
    frame = pd.concat([frame, frame.iloc[:30]], ignore_index=True)

    def run():
        res = Suite("s", [CHECKS.get(name)()]).run(frame, target="y",
                                                   reference=clean_frame, random_state=5)
        d = res.to_dict()
        d["results"][0]["duration_s"] = 0
        d["duration_s"] = 0
        d["started_at"] = ""
        return res, d

    res, first = run()
    _, second = run()
    assert first == second
    assert SuiteResult.from_json(res.to_json()).to_dict()["results"] == res.to_dict()["results"]
