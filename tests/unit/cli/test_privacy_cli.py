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
