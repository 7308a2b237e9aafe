"""The evaluate benchmark harness, in-process, peers skipped: worker, null model, section.

No timing is asserted: only that the harness measures, counts and renders, and keeps the
file's other sections.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """benchmarks/evaluate.py loaded as a module (it puts benchmarks/ on sys.path)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("bench_evaluate", BENCH / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_process(worker, calls):
    def runner(side, *, python, seeds, log, timeout):
        assert python == sys.executable
        calls.append(side)
        return worker.measure(side, seeds=seeds)
    return runner


def test_worker_splits_the_bundled_data_the_same_way(bench):
    worker = bench.load_worker()
    train, test = worker.load_split()
    assert (len(train), len(test)) == (426, 143)
    assert train.shape[1] == test.shape[1] == 31 and "target" in test
    # stratified: both halves keep the table's 357/212 class balance to within a row
    assert abs(train["target"].mean() - 357 / 569) < 0.01
    assert abs(test["target"].mean() - 357 / 569) < 0.01
    again, _ = worker.load_split()
    assert again.equals(train)


def test_skip_peers_run_measures_stalwart_and_the_null_and_renders(bench, tmp_path):
    worker = bench.load_worker()
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- audit:start -->\naudit body\n<!-- audit:end -->\n")
    calls: list[str] = []
    code = bench.main(["--skip-peers", "--repeats", "1", "--seeds", "3", "--out", str(out),
                       "--cache-dir", str(tmp_path / "cache")],
                      runner=_in_process(worker, calls))
    assert code == 0
    assert calls == ["stalwart", "null"]
    text = out.read_text()
    assert "<!-- audit:start -->\naudit body\n<!-- audit:end -->" in text
    assert text.count("<!-- evaluate:start -->") == text.count("<!-- evaluate:end -->") == 1
    assert "Deepchecks `model_evaluation()` was not run: --skip-peers" in text
    assert "Giskard `scan` was not run: --skip-peers" in text
    raw = json.loads(next((tmp_path / "cache" / "results").glob("evaluate-*.json")).read_text())
    (run,) = raw["sides"]["stalwart"]
    assert [c["check"] for c in run["checks"]] == [
        "model_performance", "calibration", "slice_performance", "weak_segments",
        "conformal_coverage"]
    assert run["findings"] == sum(c["status"] in ("fail", "warn") for c in run["checks"])
    assert run["test_rows"] == 143 and run["features"] == 30
    assert f"| {run['findings']} | {run['errors']} |" in text
    (null,) = raw["sides"]["null"]
    seeds = null["detail"]["seeds"]
    assert [s["seed"] for s in seeds] == [0, 1, 2]
    assert null["findings"] == sum(s["n_weak_segments"] for s in seeds)
    assert all(s["n_candidates"] > 100 for s in seeds)  # the whole table, not 143 rows
    assert f"{null['detail']['seeds_with_slices']} of 3 seeds reported a slice" in text
    # rendering again from the saved JSON replaces the section in place
    section_before = text
    bench.main(["--from-json", str(next((tmp_path / "cache" / "results").glob("*.json"))),
                "--out", str(out)])
    assert out.read_text() == section_before


def test_replace_section_appends_then_replaces(bench):
    report = sys.modules["_evaluate_report"]
    section = f"{report.START}\nnew\n{report.END}"
    assert report.replace_section("", section).endswith("\n\n" + section + "\n")
    first = report.replace_section("# T\n", f"{report.START}\nold\n{report.END}")
    assert first == f"# T\n\n{report.START}\nold\n{report.END}\n"
    assert report.replace_section(first, section) == f"# T\n\n{section}\n"
