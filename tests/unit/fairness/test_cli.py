"""``stalwart fairness`` (the command object, until it is registered in cli/main.py)."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.linear_model import LogisticRegression

from stalwart.cli.fairness import fairness_command
from stalwart.models import save_model


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fair")
    rng = np.random.default_rng(0)
    n = 2000
    sex = rng.choice([0, 1], n)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.2 * x + 1.5 * sex - 0.75)))).astype(int)
    frame = pd.DataFrame({"x": x, "sex": sex, "band": rng.choice(["a", "b"], n), "y": y})
    model = LogisticRegression().fit(frame[["x", "sex"]], frame["y"])
    data = tmp / "test.csv"
    frame.to_csv(data, index=False)
    return str(data), str(save_model(model, tmp / "model.skops")), tmp


def test_text_json_and_mitigation(files):
    data, model, tmp = files
    run = CliRunner().invoke(fairness_command, [data, "--model", model, "--target", "y",
                                                "--sensitive", "sex", "--n-boot", "50"])
    assert run.exit_code == 1, run.output  # the biased model fails the gate
    assert "demographic parity ratio" in run.output and "fails the four-fifths" in run.output
    assert "demographic_parity   fail" in run.output and "checks: fail" in run.output
    run = CliRunner().invoke(fairness_command, [data, "--model", model, "--target", "y",
                                                "--sensitive", "sex", "--sensitive", "band",
                                                "--n-boot", "0", "--format", "json",
                                                "--mitigate", "equalized_odds",
                                                "--pos-label", "1"])
    assert run.exit_code == 1, run.output
    doc = json.loads(run.output)
    assert doc["audit"]["columns"] == ["sex", "band"]
    assert doc["status"] == "fail"
    assert {c["check"]: c["status"] for c in doc["checks"]}["equalized_odds"] == "fail"
    eo = doc["mitigation"]["disparities"]["equalized_odds_difference"]
    assert eo["after"] < eo["before"]
    out = tmp / "report.html"
    run = CliRunner().invoke(fairness_command, [data, "--model", model, "--target", "y",
                                                "--sensitive", "sex", "--n-boot", "0",
                                                "--format", "html", "--out", str(out)])
    assert run.exit_code == 1 and out.read_text().startswith("<!DOCTYPE html>")
    assert "report written to" in run.output and "checks: fail" in run.output


def test_bad_input_exits_2_with_a_message(files):
    data, model, _ = files
    run = CliRunner().invoke(fairness_command, [data, "--model", model, "--target", "y"])
    assert run.exit_code == 2 and "pass --sensitive" in run.output
    run = CliRunner().invoke(fairness_command, [data, "--model", model, "--target", "y",
                                                "--sensitive", "nope"])
    assert run.exit_code == 2 and "nope" in run.output
    run = CliRunner().invoke(fairness_command, [data, "--model", model, "--target", "y",
                                                "--sensitive", "sex", "--pos-label", "7"])
    assert run.exit_code == 2 and "pos_label" in run.output


def test_the_gate_passes_a_fair_model_and_fail_on_warn_counts_warnings(tmp_path):
    # equal error rates in both groups, different base rates: every failing condition holds,
    # predictive parity (PPV 0.17-0.22 apart) only warns (Chouldechova 2017)
    rng = np.random.default_rng(0)
    n = 4000
    g = rng.choice(["a", "b"], n)
    y = (rng.random(n) < np.where(g == "a", 0.4, 0.6)).astype(int)
    frame = pd.DataFrame({"x": y + rng.normal(0, 1.2, n), "g": g, "y": y})
    data = tmp_path / "fair.csv"
    frame.to_csv(data, index=False)
    model = str(save_model(LogisticRegression().fit(frame[["x"]], frame["y"]),
                           tmp_path / "fair.skops"))
    args = [str(data), "--model", model, "--target", "y", "--sensitive", "g", "--n-boot", "0"]
    run = CliRunner().invoke(fairness_command, args)
    assert run.exit_code == 0, run.output
    assert "checks: warn" in run.output and "predictive_parity    warn" in run.output
    assert "demographic_parity   pass" in run.output
    run = CliRunner().invoke(fairness_command, [*args, "--fail-on", "warn"])
    assert run.exit_code == 1, run.output
