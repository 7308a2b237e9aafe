"""CLI: ``stalwart profile`` and ``stalwart drift`` on files and on profile files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from stalwart.cli.main import cli
from stalwart.stats.profile import DatasetProfile


def _frame(n: int, seed: int, *, fahrenheit: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    temp = rng.normal(20, 5, n)
    return pd.DataFrame({"temp": temp * 1.8 + 32 if fahrenheit else temp,
                         "load": rng.gamma(2.0, 3.0, n),
                         "site": rng.choice(["north", "south", "east"], n)})


@pytest.fixture
def files(tmp_path):
    _frame(3000, 0).to_parquet(tmp_path / "ref.parquet", index=False)
    _frame(2000, 1).to_csv(tmp_path / "same.csv", index=False)
    _frame(2000, 2, fahrenheit=True).to_parquet(tmp_path / "cur.parquet", index=False)
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_profile_writes_a_mergeable_file_and_a_summary(files):
    out = files / "ref.profile"
    res = _run("profile", str(files / "ref.parquet"), "--out", str(out), "--chunk-size", "700")
    assert res.exit_code == 0, res.output
    assert "3,000 rows x 3 columns" in res.output and "temp" in res.output
    prof = DatasetProfile.from_bytes(out.read_bytes())
    assert prof.n_rows == 3000 and prof["site"].counts_exact
    ref = pd.read_parquet(files / "ref.parquet")
    assert prof["temp"].mean == pytest.approx(ref["temp"].mean(), rel=1e-12)
    # merging a second profile adds its rows
    _run("profile", str(files / "same.csv"), "--out", str(files / "same.profile"))
    res = _run("profile", str(out), "--merge", str(files / "same.profile"), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["n_rows"] == 5000


def test_drift_exit_codes_and_json(files):
    same = _run("drift", str(files / "ref.parquet"), str(files / "same.csv"),
                "--format", "json")
    assert same.exit_code == 0, same.output
    changed = _run("drift", str(files / "ref.parquet"), str(files / "cur.parquet"),
                   "--format", "json")
    assert changed.exit_code == 1
    doc = json.loads(changed.output)
    checks = {r["check"]: r for r in doc["results"]}
    assert checks["unit_changes"]["status"] == "fail"
    assert "celsius -> fahrenheit" in checks["unit_changes"]["summary"]
    assert checks["feature_drift"]["metrics"]["n_drifted"] == 1


def test_drift_from_profile_files_and_html(files):
    for name in ("ref.parquet", "cur.parquet"):
        assert _run("profile", str(files / name), "--out",
                    str(files / (name + ".profile"))).exit_code == 0
    report = files / "drift.html"
    res = _run("drift", str(files / "ref.parquet.profile"), str(files / "cur.parquet.profile"),
               "--format", "html", "--out", str(report))
    assert res.exit_code == 1, res.output
    html = report.read_text()
    assert "temp: reference vs current (drifted)" in html and "<svg" in html
    assert "needs raw rows" in html or "raw rows" in html


def test_drift_bad_input_is_a_clean_error(files):
    res = _run("drift", str(files / "ref.parquet"), str(files / "nope.csv"))
    assert res.exit_code == 2 and "error:" in res.output and "nope.csv" in res.output
    res = _run("profile", str(files / "ref.parquet"), "--chunk-size", "0")
    assert res.exit_code == 2 and "chunk_size" in res.output
