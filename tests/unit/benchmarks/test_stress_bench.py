"""The stress benchmark harness, in-process, peers skipped: worker, targets, section.

No timing is asserted: only that the harness measures, counts and renders, and keeps the
file's other sections.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """benchmarks/stress.py loaded as a module (it puts benchmarks/ on sys.path)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("bench_stress", BENCH / "stress.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_worker_attacks_the_same_rows_and_counts_them(bench):
    worker = bench.load_worker()
    out = worker.measure("stalwart", rows=3, budget=200)
    assert out["attacked_rows"] == [0, 1, 2] and out["test_accuracy"] > 0.9
    decision, score = out["attacks"]
    assert (decision["method"], score["method"]) == ("decision", "score")
    assert decision["rows"] == 3 and decision["success_rate"] == 1.0
    assert decision["rows_scored_per_row"] <= 200
    assert out["tree_bound"]["bound_le_attack_all_rows"] is True
    again = worker.setup(3)
    assert again["fingerprint"] == out["model_fingerprint"]


def test_skip_peers_run_renders_the_section_and_keeps_others(bench, tmp_path):
    worker = bench.load_worker()
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- audit:start -->\naudit body\n<!-- audit:end -->\n")
    calls = []

    def runner(side, *, python, rows, budget, boundary_iter, log, timeout):
        calls.append(side)
        return worker.measure(side, rows=rows, budget=budget)

    code = bench.main(["--skip-peers", "--repeats", "1", "--rows", "2", "--budget", "100",
                       "--out", str(out), "--cache-dir", str(tmp_path / "cache")],
                      runner=runner)
    assert code == 0 and calls == ["stalwart"]
    text = out.read_text()
    assert "<!-- audit:start -->\naudit body\n<!-- audit:end -->" in text
    assert "<!-- stress:start -->" in text and "| stalwart | decision |" in text
    assert "at most 2,000 rows scored per attacked row: met" in text
    assert "ART HopSkipJump's success with fewer rows scored: not measured" in text
    assert "art skipped: --skip-peers" in text


def test_targets_compare_with_art(bench):
    report = sys.modules["_stress_report"]
    attack = {"tool": "stalwart", "method": "decision", "settings": "", "rows": 2,
              "success_rate": 1.0, "rows_scored_per_row": 1990.0, "median_l2_scaled": 1.0,
              "seconds": 1.0, "seconds_per_row": 0.5}
    art = {**attack, "tool": "ART", "method": "HopSkipJump", "success_rate": 0.9,
           "rows_scored_per_row": 5800.0}
    run = {"sides": {"stalwart": [{"attacks": [attack], "battery": {"seconds": 3.0}}],
                     "art": [{"attacks": [art]}]}}
    assert report.targets(run) == {"success": True, "rows": True, "vs_art": True,
                                   "battery": True}
    art["rows_scored_per_row"] = 1000.0
    assert report.targets(run)["vs_art"] is False
