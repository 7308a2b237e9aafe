"""CLI: ``stalwart rules validate | apply | thickness | recheck``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.tree import DecisionTreeClassifier

from stalwart.cli.main import cli as stalwart_cli
from stalwart.models import save_model

DOC = {"version": 3, "rules": [
    {"id": "big", "condition": "amount > 100", "action": "set prediction = 0",
     "owner": "risk", "reason": "fraud ring", "ticket": "R-1"},
    {"id": "unsure", "condition": "proba < 0.6", "action": "review", "owner": "o",
     "reason": "r"},
    {"id": "gone", "condition": "amount > 0", "action": "reject", "owner": "o", "reason": "r",
     "expires": "2026-01-01"}]}


def _run(*args: str):
    return CliRunner().invoke(stalwart_cli, ["rules", *args])


@pytest.fixture
def files(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(DOC))
    data = tmp_path / "data.csv"
    pd.DataFrame({"amount": [5, 500, 50, 900, 7], "prediction": [0, 1, 1, 0, 1],
                  "proba_0": [0.9, 0.2, 0.45, 0.8, 0.3],
                  "proba_1": [0.1, 0.8, 0.55, 0.2, 0.7]}).to_csv(data, index=False)
    return rules, data, tmp_path


def test_validate(files):
    rules, data, tmp = files
    r = _run("validate", str(rules), "--schema", str(data))
    assert r.exit_code == 0, r.output
    assert "rule set version 3: 3 rule(s) valid; expired: gone" in r.output
    bad = tmp / "bad.json"
    bad.write_text(json.dumps({"rules": [{**DOC["rules"][0], "condition": "amont > 1"}]}))
    r = _run("validate", str(bad), "--schema", str(data))
    assert r.exit_code == 2 and "unknown name(s) ['amont']" in r.output
    evil = tmp / "evil.json"
    evil.write_text(json.dumps({"rules": [{**DOC["rules"][0],
                                           "condition": "__import__('os').getcwd() == 1"}]}))
    r = _run("validate", str(evil), "--schema", str(data))
    assert r.exit_code == 2 and "function call" in r.output
    (tmp / "broken.json").write_text("{")
    assert _run("validate", str(tmp / "broken.json"), "--schema", str(data)).exit_code == 2


def test_validate_against_a_model(files):
    rules, data, tmp = files
    X = pd.DataFrame({"amount": np.arange(20.0)})
    model = DecisionTreeClassifier(random_state=0).fit(X, (X["amount"] > 9).astype(int))
    path = tmp / "model.skops"
    save_model(model, path)
    schema = tmp / "schema.csv"
    X.to_csv(schema, index=False)
    assert _run("validate", str(rules), "--schema", str(schema), "--model",
                str(path)).exit_code == 0
    wrong = tmp / "wrong.json"
    wrong.write_text(json.dumps({"rules": [{**DOC["rules"][0],
                                            "action": "set prediction = 7"}]}))
    r = _run("validate", str(wrong), "--schema", str(schema), "--model", str(path))
    assert r.exit_code == 2 and "one of the model's classes [0, 1]" in r.output


def test_apply_counts_and_outputs(files):
    rules, data, tmp = files
    outputs = tmp / "out.csv"
    r = _run("apply", str(rules), str(data), "--now", "2026-02-01", "--format", "json",
             "--outputs", str(outputs))
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["counts"] == {"big": {"hits": 2, "changed": 1, "rejected": 0, "routed": 0},
                           "unsure": {"hits": 1, "changed": 0, "rejected": 0, "routed": 1},
                           "gone": {"hits": 0, "changed": 0, "rejected": 0, "routed": 0}}
    written = pd.read_csv(outputs)
    assert written["final_prediction"].tolist() == [0, 0, 1, 0, 1]
    assert written["rule"].fillna("").tolist() == ["", "big", "unsure", "big", ""]
    text = _run("apply", str(rules), str(data), "--now", "2026-02-01")
    assert "5 rows, rule set version 3" in text.output and "(expired)" in text.output
    r = _run("apply", str(rules), str(data), "--predictions", "pred")
    assert r.exit_code == 2 and "predictions column 'pred'" in r.output
    page = tmp / "apply.html"
    r = _run("apply", str(rules), str(data), "--now", "2026-02-01", "--format", "html",
             "--out", str(page))
    assert r.exit_code == 0 and page.read_text().startswith("<!DOCTYPE html>")


def test_thickness_budget_sets_the_exit_code(files):
    rules, data, _ = files
    r = _run("thickness", str(rules), str(data), "--now", "2026-02-01", "--budget-rules", "5",
             "--budget-traffic", "0.7", "--budget-changed", "0.2")
    assert r.exit_code == 0, r.output
    assert "traffic matched 0.6" in r.output and "within budget" in r.output
    r = _run("thickness", str(rules), str(data), "--now", "2026-02-01", "--budget-traffic",
             "0.05", "--budget-changed", "0.02", "--format", "json")
    assert r.exit_code == 1
    d = json.loads(r.output)
    assert d["crossed"] == ["max_traffic", "max_changed"]
    assert d["message"].startswith("retrain: the rule layer is thicker than its budget")
    assert _run("thickness", str(rules), str(data), "--budget-traffic", "2").exit_code == 2


def test_recheck(files):
    rules, data, tmp = files
    X = pd.DataFrame({"amount": np.arange(0.0, 1000.0, 10.0)})
    model = DecisionTreeClassifier(random_state=0).fit(X, (X["amount"] <= 100).astype(int))
    path = tmp / "cand.skops"
    save_model(model, path)
    examples = tmp / "examples.csv"
    r = _run("recheck", str(rules), "--model", str(path), "--data", str(data), "--now",
             "2026-02-01", "--examples", str(examples), "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["proposed_retirements"] == ["big", "unsure"]
    assert pd.read_csv(examples)[["amount", "rule_id", "label"]].values.tolist() == [
        [500, "big", 0], [900, "big", 0]]
    pkl = tmp / "cand.pkl"
    import pickle
    pkl.write_bytes(pickle.dumps(model))
    r = _run("recheck", str(rules), "--model", str(pkl), "--data", str(data))
    assert r.exit_code == 2 and "unpickling" in r.output
