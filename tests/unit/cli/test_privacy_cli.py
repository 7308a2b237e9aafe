"""CLI: stalwart privacy scan / kanon (invoked on the group until main registers it)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from stalwart.cli.privacy import privacy_command


@pytest.fixture
def people(tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    frame = pd.DataFrame({"age_band": rng.choice(["20-29", "30-39"], n),
                          "zip3": rng.choice(["750", "691"], n),
                          "diagnosis": rng.choice(["flu", "cold"], n),
                          "note": rng.choice(["ok", "called"], n)})
    frame.to_csv(tmp_path / "clean.csv", index=False)
    leaky = frame.copy()
    leaky.loc[::40, "note"] = "card 4111 1111 1111 1111 on file"
    leaky.to_csv(tmp_path / "leaky.csv", index=False)
    return tmp_path


def test_scan_passes_clean_and_fails_leaky_data(people):
    ok = CliRunner().invoke(privacy_command, ["scan", str(people / "clean.csv")])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(privacy_command, ["scan", str(people / "leaky.csv"),
                                               "--format", "json"])
    assert bad.exit_code == 1, bad.output
    doc = json.loads(bad.output)
    r = doc["results"][0]
    assert r["check"] == "pii_scan" and r["metrics"]["n_text_pii_columns"] == 1
    assert "4111 1111 1111 1111" not in bad.output and "**** **** **** 1111" in bad.output
    off = CliRunner().invoke(privacy_command, ["scan", str(people / "leaky.csv"), "--no-text"])
    assert off.exit_code == 0, off.output


def test_kanon_gate_and_l_diversity(people):
    res = CliRunner().invoke(privacy_command, ["kanon", str(people / "clean.csv"), "--qi",
                                               "age_band", "--qi", "zip3", "--sensitive",
                                               "diagnosis", "--format", "json"])
    assert res.exit_code == 0, res.output
    checks = {r["check"]: r for r in json.loads(res.output)["results"]}
    assert set(checks) == {"k_anonymity", "l_diversity"}
    assert checks["l_diversity"]["metrics"]["distinct_l"] == 2
    strict = CliRunner().invoke(privacy_command, ["kanon", str(people / "clean.csv"), "--qi",
                                                  "age_band", "--qi", "zip3", "--qi", "note",
                                                  "-k", "100"])
    assert strict.exit_code == 1, strict.output


def test_bad_input_exits_2_with_a_message(people):
    res = CliRunner().invoke(privacy_command, ["kanon", str(people / "clean.csv"), "--qi",
                                               "nope"])
    assert res.exit_code == 1 and "nope" in res.output  # the check errors: the gate fails
    missing = CliRunner().invoke(privacy_command, ["scan", str(people / "absent.csv")])
    assert missing.exit_code == 2 and "error:" in missing.output


@pytest.fixture
def attack_files(tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    from stalwart.models import save_model

    rng = np.random.default_rng(0)
    n = 600
    X = rng.normal(size=(n, 4))
    y = ((X[:, 0] + X[:, 1] > 0) ^ (rng.random(n) < 0.2)).astype(int)  # 20% label noise
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=y)
    train, test = frame.iloc[:300], frame.iloc[300:]
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    features = ["a", "b", "c", "d"]
    save_model(DecisionTreeClassifier(random_state=0).fit(train[features], train["label"]),
               tmp_path / "tree.skops")
    save_model(LogisticRegression(C=0.01).fit(train[features], train["label"]),
               tmp_path / "logit.skops")
    return tmp_path


def _attack(files, model, *extra):
    return CliRunner().invoke(privacy_command, ["attack", str(files / "test.csv"), "--model",
                                                str(files / model), "--target", "label",
                                                "--reference", str(files / "train.csv"),
                                                "--seed", "0", *extra])


def test_attack_fails_a_memorising_model_and_passes_a_regularised_one(attack_files):
    from sklearn.tree import DecisionTreeClassifier

    from stalwart.privacy import membership_inference

    bad = _attack(attack_files, "tree.skops", "--format", "json")
    assert bad.exit_code == 1, bad.output
    checks = {r["check"]: r for r in json.loads(bad.output)["results"]}
    assert set(checks) == {"membership_inference", "model_extraction"}
    mi = checks["membership_inference"]
    assert mi["status"] == "fail" and mi["metrics"]["worst_auc"] > 0.6
    # the CLI reports what the library computes on the same rows, model and seed
    train = pd.read_csv(attack_files / "train.csv")
    test = pd.read_csv(attack_files / "test.csv")
    features = ["a", "b", "c", "d"]
    tree = DecisionTreeClassifier(random_state=0).fit(train[features], train["label"])
    direct = membership_inference(tree, train[features], train["label"], test[features],
                                  test["label"], random_state=0)
    assert mi["metrics"]["worst_auc"] == pytest.approx(direct.worst_auc)
    # 300 training rows cannot try 1000 queries: the extraction check says so, it does not pass
    ext = checks["model_extraction"]
    assert ext["status"] == "skip" and ext["metrics"]["max_budget"] == 200
    good = _attack(attack_files, "logit.skops", "--check", "membership_inference",
                   "--format", "json")
    assert good.exit_code == 0, good.output
    [only] = json.loads(good.output)["results"]
    assert only["check"] == "membership_inference" and only["metrics"]["worst_auc"] < 0.6


def test_attack_extraction_gate_and_bad_input(attack_files):
    # a logistic regression is cheap to copy: 90% agreement within 200 queries warns, and
    # --fail-on warn turns the warning into exit code 1
    args = ("--check", "model_extraction", "--target-agreement", "0.9", "--min-queries", "200")
    assert _attack(attack_files, "logit.skops", *args).exit_code == 0
    warn = _attack(attack_files, "logit.skops", *args, "--fail-on", "warn", "--format", "json")
    assert warn.exit_code == 1, warn.output
    [ext] = json.loads(warn.output)["results"]
    assert ext["status"] == "warn" and ext["metrics"]["queries_to_target"] <= 200
    missing = _attack(attack_files, "absent.skops")
    assert missing.exit_code == 2 and "error:" in missing.output
    assert "Traceback" not in missing.output
    no_target = _attack(attack_files, "logit.skops", "--target", "nope")
    assert no_target.exit_code == 2 and "nope" in no_target.output
    bad_auc = _attack(attack_files, "logit.skops", "--max-auc", "1.5")
    assert bad_auc.exit_code == 2 and "--max-auc" in bad_auc.output
