"""The CLI: exit codes, formats, clean errors, nothing written half-way."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from click.testing import CliRunner

from stalwart.cli.main import cli


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path, clean_frame):
    clean_frame.iloc[:1000].to_parquet(tmp_path / "train.parquet", index=False)
    clean_frame.iloc[1000:].to_csv(tmp_path / "test.csv", index=False)
    bad = clean_frame.copy()
    bad["income"] = np.nan  # an all-missing column fails the audit
    bad.to_csv(tmp_path / "bad.csv", index=False)
    return tmp_path


def test_clean_data_passes_with_exit_0(runner, files):
    res = runner.invoke(cli, ["audit", str(files / "test.csv"), "--target", "y",
                              "--reference", str(files / "train.parquet")])
    assert res.exit_code == 0, res.output
    assert "missing_values" in res.output or "Missing" in res.output


def test_failed_check_exits_1_and_names_it(runner, files):
    res = runner.invoke(cli, ["audit", str(files / "bad.csv"), "--target", "y"])
    assert res.exit_code == 1, res.output
    assert "income" in res.output


def test_json_format_is_the_result(runner, files):
    res = runner.invoke(cli, ["audit", str(files / "test.csv"), "--target", "y",
                              "--format", "json", "--check", "missing_values",
                              "--check", "duplicates"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema_version"] == "1.0" and [r["check"] for r in doc["results"]] == [
        "missing_values", "duplicates"]
    assert doc["data"]["name"] == "test.csv"


@pytest.mark.parametrize("fmt, probe", [("html", "<!doctype html"), ("junit", "<testsuite"),
                                        ("json", '"schema_version"'), ("text", "")])
def test_out_writes_each_format(runner, files, fmt, probe):
    out = files / f"report.{fmt}"
    res = runner.invoke(cli, ["audit", str(files / "bad.csv"), "--target", "y", "--format", fmt,
                              "--out", str(out)])
    assert res.exit_code == 1, res.output
    text = out.read_text()
    assert probe.lower() in text.lower()
    assert f"report written to {out}" in res.output
    if fmt == "junit":
        root = ET.fromstring(text)
        assert int(root.find(".//testsuite").get("failures", root.get("failures"))) >= 1 \
            if root.tag == "testsuites" else int(root.get("failures")) >= 1


def test_fail_on_warn_turns_warnings_into_exit_1(runner, files, clean_frame):
    warn = clean_frame.copy()
    warn.loc[: int(len(warn) * 0.3), "income"] = np.nan  # 30% missing: a warning, not a failure
    warn.to_csv(files / "warn.csv", index=False)
    args = ["audit", str(files / "warn.csv"), "--target", "y", "--check", "missing_values"]
    assert runner.invoke(cli, args).exit_code == 0
    assert runner.invoke(cli, args + ["--fail-on", "warn"]).exit_code == 1


@pytest.mark.parametrize("make, args, needle", [
    (lambda p: None, ["--target", "y"], "no such file"),
    (lambda p: p.write_text(""), ["--target", "y"], "empty file"),
    (lambda p: p.write_text("a,b\n"), [], "0 rows"),
    (lambda p: p.write_text("a,b\n1,2\n"), ["--target", "label"], "'label', which is not there"),
    (lambda p: p.write_text("a,y\n1,\n2,\n"), ["--target", "y"], "missing in every row"),
])
def test_bad_input_exits_2_with_one_clear_line(runner, tmp_path, make, args, needle):
    path = tmp_path / "in.csv"
    make(path)
    out = tmp_path / "never.html"
    res = runner.invoke(cli, ["audit", str(path), *args, "--format", "html", "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert needle in res.output and "Fix:" in res.output
    assert "Traceback" not in res.output
    assert not out.exists() and list(tmp_path.iterdir()) in ([path], [])  # nothing half-written


def test_unreadable_parquet_and_bad_schema_file(runner, tmp_path, files):
    (tmp_path / "x.parquet").write_bytes(b"garbage")
    res = runner.invoke(cli, ["audit", str(tmp_path / "x.parquet")])
    assert res.exit_code == 2 and "readable parquet" in res.output
    (tmp_path / "s.json").write_text("{not json")
    res = runner.invoke(cli, ["audit", str(files / "test.csv"), "--schema", str(tmp_path / "s.json")])
    assert res.exit_code == 2 and "stalwart schema" in res.output


def test_usage_errors_exit_2(runner, files):
    res = runner.invoke(cli, ["audit", str(files / "test.csv"), "--check", "nope"])
    assert res.exit_code == 2
    res = runner.invoke(cli, ["audit", str(files / "test.csv"), "--format", "pdf"])
    assert res.exit_code == 2


def test_schema_round_trip_with_declared_range(runner, files):
    out = files / "schema.json"
    res = runner.invoke(cli, ["schema", str(files / "test.csv"), "--target", "y", "--out", str(out)])
    assert res.exit_code == 0, res.output
    schema = json.loads(out.read_text())
    for col in schema["columns"]:
        if col["name"] == "age":
            col["min"], col["max"] = 0, 50  # many rows are above 50: invalid
    out.write_text(json.dumps(schema))
    res = runner.invoke(cli, ["audit", str(files / "test.csv"), "--schema", str(out),
                              "--check", "invalid_values", "--format", "json"])
    doc = json.loads(res.output)
    assert doc["results"][0]["status"] in ("warn", "fail")
    assert "age" in json.dumps(doc["results"][0])


def test_checks_lists_registry(runner):
    res = runner.invoke(cli, ["checks"])
    assert res.exit_code == 0 and "label_errors" in res.output and "needs: target" in res.output


def test_model_info_refuses_pickle_without_trust(runner, tmp_path):
    import pickle

    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
    path = tmp_path / "m.pkl"
    path.write_bytes(pickle.dumps(model))
    res = runner.invoke(cli, ["model-info", str(path)])
    assert res.exit_code == 2 and "--trust" in res.output and "Traceback" not in res.output
    res = runner.invoke(cli, ["model-info", str(path), "--trust"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["task"] == "classification"


def test_version(runner):
    res = runner.invoke(cli, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("stalwart, version ")


def test_cli_reference_matches_help():
    from pathlib import Path

    from stalwart.cli.reference import render_reference
    doc = Path(__file__).parents[3] / "docs" / "cli.md"
    assert doc.read_text() == render_reference(), (
        "docs/cli.md is stale: run python -m stalwart.cli.reference > docs/cli.md")
