"""CLI: stalwart stress gates like stalwart evaluate (stress_command invoked directly until
the lead registers it)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from stalwart.cli.stress import stress_command
from stalwart.models import save_model


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stress")
    frame = load_breast_cancer(as_frame=True).frame
    train, test = frame.iloc[:350], frame.iloc[350:]
    features = [c for c in frame.columns if c != "target"]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    save_model(model.fit(train[features], train["target"]), tmp / "m.skops")
    train.to_parquet(tmp / "train.parquet", index=False)
    test.to_parquet(tmp / "test.parquet", index=False)
    return tmp


def _run(files, *extra):
    return CliRunner().invoke(stress_command, [str(files / "test.parquet"), "--model",
                                               str(files / "m.skops"), "--target", "target",
                                               "--reference", str(files / "train.parquet"),
                                               *extra])


def test_json_with_chosen_perturbations_and_severities(files):
    res = _run(files, "--perturbation", "scaling", "--severity", "1", "--severity", "3",
               "--check", "perturbation_robustness", "--format", "json")
    doc = json.loads(res.output)
    check = doc["results"][0]
    assert [r["check"] for r in doc["results"]] == ["perturbation_robustness"]
    grid = {(row[0], row[1]) for row in check["tables"][0]["rows"]}
    # the gate's own noise at severity 2 always runs beside the chosen ones
    assert grid == {(p, s) for p in ("scaling", "gaussian_noise") for s in (1, 2, 3)}
    assert res.exit_code == (1 if check["status"] in ("fail", "error") else 0)


def test_flip_gate_with_severities_and_html(files, tmp_path):
    res = _run(files, "--check", "flip_rate", "--severity", "5", "--fail-on", "warn",
               "--format", "json")
    check = json.loads(res.output)["results"][0]
    # the gate stays at severity 1 (no flip); --severity adds the level to the curve
    rows = {row[0]: row[1] for row in check["tables"][0]["rows"]}
    assert sorted(rows) == [1, 5] and rows[1] == 0.0 < rows[5]
    assert check["status"] == "pass" and res.exit_code == 0
    out = tmp_path / "stress.html"
    res = _run(files, "--format", "html", "--out", str(out), "--check", "shift_robustness")
    assert out.exists() and "<svg" in out.read_text() and "report written to" in res.output


def test_bad_input_exits_2(files):
    res = _run(files, "--perturbation", "no_such_thing")
    assert res.exit_code == 2 and "'no_such_thing' is not a tabular perturbation" in res.output
    assert "gaussian_noise" in res.output
    res = CliRunner().invoke(stress_command, [str(files / "test.parquet"), "--model",
                                              str(files / "m.skops"), "--target", "nope"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    res = _run(files, "--severity", "7")
    assert res.exit_code == 2
    # --perturbation feeds perturbation_robustness only: with --check leaving that out it
    # was silently ignored
    res = _run(files, "--check", "flip_rate", "--perturbation", "scaling")
    assert res.exit_code == 2 and "leaves out" in res.output
