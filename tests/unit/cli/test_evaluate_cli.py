"""CLI: evaluate, calibrate and card on a saved model."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.datasets import load_breast_cancer
from sklearn.naive_bayes import GaussianNB

from stalwart.cli.main import cli
from stalwart.models import save_model


@pytest.fixture
def setup(tmp_path):
    frame = load_breast_cancer(as_frame=True).frame
    train, test = frame.iloc[:300], frame.iloc[300:]
    features = [c for c in frame.columns if c != "target"]
    model = GaussianNB().fit(train[features], train["target"])
    save_model(model, tmp_path / "m.skops")
    train.to_parquet(tmp_path / "train.parquet", index=False)
    test.to_parquet(tmp_path / "test.parquet", index=False)
    return tmp_path


def test_evaluate_json_and_exit_code(setup):
    res = CliRunner().invoke(cli, ["evaluate", str(setup / "test.parquet"), "--model",
                                   str(setup / "m.skops"), "--target", "target", "--reference",
                                   str(setup / "train.parquet"), "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(res.output)
    checks = {r["check"]: r for r in doc["results"]}
    assert set(checks) == {"model_performance", "calibration", "slice_performance",
                           "weak_segments", "conformal_coverage"}
    assert checks["model_performance"]["metrics"]["beats_baseline"] == 1
    # the reported ECE is the one computed directly from the saved model
    from stalwart.models import load_model
    from stalwart.uncertainty import expected_calibration_error
    test = pd.read_parquet(setup / "test.parquet")
    model = load_model(setup / "m.skops")
    ece = expected_calibration_error(test["target"].to_numpy(),
                                     model.predict_proba(test.drop(columns="target")))
    assert checks["calibration"]["metrics"]["ece"] == pytest.approx(ece)
    assert res.exit_code == (1 if any(r["status"] in ("fail", "error") for r in doc["results"])
                             else 0)


def test_evaluate_bad_input_exits_2(setup):
    res = CliRunner().invoke(cli, ["evaluate", str(setup / "test.parquet"), "--model",
                                   str(setup / "missing.skops"), "--target", "target"])
    assert res.exit_code == 2 and "no such file" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["evaluate", str(setup / "test.parquet"), "--model",
                                   str(setup / "m.skops"), "--target", "nope"])
    assert res.exit_code == 2 and "'nope', which is not there" in res.output


def test_calibrate_reports_before_and_after(setup):
    res = CliRunner().invoke(cli, ["calibrate", str(setup / "test.parquet"), "--model",
                                   str(setup / "m.skops"), "--target", "target",
                                   "--method", "isotonic", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["method"] == "isotonic" and doc["n_calibration"] + doc["n_test"] == 269
    assert doc["ece_after"] < doc["ece_before"]


def test_card_from_results_and_model(setup):
    runner = CliRunner()
    runner.invoke(cli, ["evaluate", str(setup / "test.parquet"), "--model", str(setup / "m.skops"),
                        "--target", "target", "--format", "json", "--out",
                        str(setup / "eval.json")])
    (setup / "fields.json").write_text(json.dumps({"name": "cancer-nb", "version": "3",
                                                   "caveats": ["<b>small</b> data"]}))
    out = setup / "card.html"
    res = runner.invoke(cli, ["card", "--fields", str(setup / "fields.json"), "--result",
                              str(setup / "eval.json"), "--model", str(setup / "m.skops"),
                              "--format", "html", "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "cancer-nb" in html and "&lt;b&gt;small&lt;/b&gt;" in html and "https://" not in html
    (setup / "bad.json").write_text("{}")
    res = runner.invoke(cli, ["card", "--fields", str(setup / "fields.json"), "--result",
                              str(setup / "bad.json")])
    assert res.exit_code == 2 and "stalwart evaluate --format json" in res.output
    (setup / "badfields.json").write_text(json.dumps({"license": "MIT"}))
    res = runner.invoke(cli, ["card", "--fields", str(setup / "badfields.json")])
    assert res.exit_code == 2 and "licence" in res.output


def test_evaluate_predeployment_suite_runs_fairness_and_privacy(setup):
    frame = pd.read_parquet(setup / "test.parquet")
    # a planted sensitive column: the group is the model's decision on half the rows, so
    # selection rates differ as much as they can and demographic parity must fail
    from stalwart.models import load_model
    model = load_model(setup / "m.skops")
    pred = model.predict(frame.drop(columns="target"))
    frame["group"] = ["a" if p == 1 else "b" for p in pred]
    frame.to_parquet(setup / "test_group.parquet", index=False)
    train = pd.read_parquet(setup / "train.parquet")
    train["group"] = "a"
    train.to_parquet(setup / "train_group.parquet", index=False)
    res = CliRunner().invoke(cli, ["evaluate", str(setup / "test_group.parquet"), "--model",
                                   str(setup / "m.skops"), "--target", "target",
                                   "--reference", str(setup / "train_group.parquet"),
                                   "--suite", "predeployment", "--sensitive", "group",
                                   "--check", "demographic_parity", "--check",
                                   "membership_inference", "--check", "pii_scan",
                                   "--format", "json"])
    doc = json.loads(res.output)
    checks = {r["check"]: r for r in doc["results"]}
    assert list(checks) == ["demographic_parity", "membership_inference", "pii_scan"]
    assert checks["demographic_parity"]["status"] == "fail"
    assert checks["demographic_parity"]["metrics"]["ratio"] == 0.0
    # the check's AUC is the attack run directly on the same rows; its verdict follows 0.6
    from stalwart.privacy import membership_inference
    risk = membership_inference(model, train.drop(columns=["target", "group"]), train["target"],
                                frame.drop(columns=["target", "group"]), frame["target"],
                                random_state=0)
    mia = checks["membership_inference"]
    assert mia["metrics"]["worst_auc"] == pytest.approx(risk.to_dict()["worst_auc"])
    assert mia["status"] == ("fail" if mia["metrics"]["worst_auc"] > 0.6 else "pass")
    assert checks["pii_scan"]["status"] == "pass"
    assert res.exit_code == 1


def test_evaluate_check_of_another_suite_says_which_suite(setup):
    res = CliRunner().invoke(cli, ["evaluate", str(setup / "test.parquet"), "--model",
                                   str(setup / "m.skops"), "--target", "target",
                                   "--check", "demographic_parity"])
    assert res.exit_code == 2 and "--suite predeployment" in res.output
