"""The explain benchmark's judging and section, on canned numbers (fast, no dice-ml, no
timing asserted): the 5x target needs the speed-up AND both change sizes."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture
def report(monkeypatch):
    monkeypatch.setattr(sys, "path", [str(BENCH), *sys.path])
    import importlib

    return importlib.import_module("_explain_report")


def _side(seconds, changed, distance, distinct=1.0):
    return {"seconds": seconds, "judged": {
        "queries": 10, "requested": 30, "returned": 30, "validity": 1.0,
        "queries_with_valid": 10, "changed_features": changed, "distance": distance,
        "nearest_distance": distance, "distinct_sets": distinct}}


def _run(report, peers):
    name = next(iter(report.MODELS))
    cf = {"stalwart": {name: _side([0.1, 0.3, 0.2], 3.0, 5.0)}}
    for side, r in peers.items():
        cf[side] = {name: r}
    return {"config": {"queries": 10, "n": 3, "command": "python benchmarks/explain.py",
                       "date": "2026-01-01", "load_before": "1.00", "load_after": "1.10"},
            "machine": {"cpu": "cpu", "usable_cores": 2}, "versions": {},
            "counterfactuals": cf, "attributions": {}, "notes": []}


def test_verdict_needs_speed_and_both_change_sizes(report):
    run = _run(report, {
        "dice-fast": _side([0.9, 0.99, 2.0], 9.0, 50.0),      # median 0.99: 4.95x
        "dice-ok": _side([1.0, 1.0], 3.0, 5.0),               # 5.0x, equal sizes
        "dice-sparse": _side([5.0], 2.9, 50.0),               # fewer features than ours
        "dice-near": _side([5.0], 9.0, 4.99),                 # smaller L1 than ours
        "dice-none": _side([5.0], None, None)})               # no valid rows
    got = {v["side"]: v for v in report.verdicts(run)}
    assert got["dice-fast"]["speedup"] == pytest.approx(4.95)
    assert not got["dice-fast"]["met"] and got["dice-fast"]["fewer_features"]
    assert got["dice-ok"]["met"] and got["dice-ok"]["speedup"] == pytest.approx(5.0)
    assert not got["dice-sparse"]["met"] and not got["dice-sparse"]["fewer_features"]
    assert got["dice-sparse"]["smaller_l1"]
    assert not got["dice-near"]["met"] and not got["dice-near"]["smaller_l1"]
    assert not got["dice-none"]["met"] and not got["dice-none"]["smaller_l1"]


def test_section_states_the_verdict_per_pair_and_keeps_other_sections(report):
    text = report.render(_run(report, {"dice-random": _side([1.0, 3.0], 4.0, 9.0),
                                       "dice-genetic": _side([0.5], 30.0, 50.0)}))
    assert "**not met** on 1 of 2 model/method pairs" in text
    assert "| dice-random | 10.0x | yes | yes | yes |" in text
    assert "| dice-genetic | 2.5x | yes | yes | NO |" in text
    assert "| 20 ms |" in text and "| 200 ms | 10.0x |" in text  # median per query
    doc = "# B\n\n" + report.START + "\nold\n" + report.END + "\n\n<!-- x:start -->\nkeep\n"
    new = report.replace_section(doc, text)
    assert "old" not in new and "keep" in new and "dice-genetic" in new


def test_judge_counts_changes_distance_and_distinct_sets(report):
    from sklearn.tree import DecisionTreeClassifier

    train = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "b": [0.0, 1, 0, 1, 0, 1],
                          "target": [0, 0, 0, 1, 1, 1]})
    model = DecisionTreeClassifier(random_state=0).fit(train[["a", "b"]], train["target"])
    test = pd.DataFrame({"a": [0.0], "b": [0.0], "target": [0]})
    cases = {"m": {"train": train, "test": test, "model": model}}
    rows = [[{"a": 5.0, "b": 0.0}, {"a": 5.0, "b": 1.0}, {"a": 0.0, "b": 0.0}]]
    j = report.judge(cases, rows, "m", 3)
    # MAD of a is 1.5, of b 0.5: (5/1.5) and (5/1.5 + 1/0.5); the third row does not flip
    assert j["validity"] == pytest.approx(2 / 3) and j["returned"] == 3
    assert j["changed_features"] == 1.5
    assert j["distance"] == pytest.approx((5 / 1.5 + 5 / 1.5 + 2) / 2)
    assert j["distinct_sets"] == 1.0
    j = report.judge(cases, [[{"a": 5.0, "b": 0.0}, {"a": 4.0, "b": 0.0}]], "m", 2)
    assert j["distinct_sets"] == 0.0
