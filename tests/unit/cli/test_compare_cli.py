"""CLI: stalwart compare (the comparison of two versions' predictions, and --gate)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from stalwart.cli.compare import compare_command
from stalwart.lifecycle import compare_frame


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    n = 600
    customer = rng.choice(["acme", "globex"], n, p=[0.15, 0.85])
    y = rng.integers(0, 2, n)
    old = np.where(rng.random(n) < 0.8, y, 1 - y)
    new = np.where((old != y) & (rng.random(n) < 0.5), y, old)  # fixes half the errors
    new = np.where((customer == "acme") & (old == y) & (rng.random(n) < 0.2), 1 - y, new)
    frame = pd.DataFrame({"y_true": y, "old": old, "new": new, "customer": customer})
    frame.to_parquet(tmp_path / "preds.parquet", index=False)
    return tmp_path / "preds.parquet", frame


def _run(*args):
    return CliRunner().invoke(compare_command, [str(a) for a in args])


def test_json_equals_the_library_result(table):
    path, frame = table
    res = _run(path, "--segment", "customer", "--format", "json", "--seed", "3")
    assert res.exit_code == 0, res.output
    expected = compare_frame(frame, segment="customer", random_state=3).to_dict()
    assert json.loads(res.output) == json.loads(json.dumps(expected))


def test_text_names_segments_and_html_goes_to_a_file(table, tmp_path):
    path, _ = table
    res = _run(path, "--segment", "customer")
    assert res.exit_code == 0 and "customer=acme" in res.output
    res = _run(path, "--format", "html", "--out", tmp_path / "c.html")
    assert res.exit_code == 0 and "report written to" in res.output
    assert (tmp_path / "c.html").read_text().startswith("<!DOCTYPE html>")


def test_gate_fails_for_the_weak_pinned_customer(table):
    path, _ = table
    res = _run(path, "--segment", "customer", "--gate", "--pinned", "acme", "--format", "json")
    assert res.exit_code == 1
    doc = json.loads(res.output)
    failed = [c["description"] for r in doc["results"] for c in r["conditions"]
              if c["status"] == "fail"]
    assert any("'acme'" in d for d in failed) and not any("globex" in d for d in failed)
    res = _run(path, "--segment", "customer", "--gate", "--pinned", "globex")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(("args", "text"), [
    (["--old", "nope"], "'nope'"),
    (["--pinned", "acme", "--gate"], "--segment"),
    (["--format", "junit"], "--gate"),
    (["--task", "regression"], "tolerance"),
])
def test_bad_input_exits_2_with_one_line(table, args, text):
    path, _ = table
    res = _run(path, *args)
    assert res.exit_code == 2 and text in res.output and "Traceback" not in res.output


def test_unknown_class_in_the_new_version_exits_2(table, tmp_path):
    _, frame = table
    frame.loc[0, "new"] = 7
    frame.to_csv(tmp_path / "bad.csv", index=False)
    res = _run(tmp_path / "bad.csv")
    assert res.exit_code == 2 and "[7]" in res.output
