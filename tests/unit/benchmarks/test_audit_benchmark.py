"""The audit benchmark harness on a tiny table: data generator, worker, Markdown section.

No timing is asserted: only that the harness measures, renders and keeps the file's other
sections. Deepchecks is skipped (it lives in its own environment).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """benchmarks/audit.py loaded as a module (it puts benchmarks/ on sys.path)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("bench_audit", BENCH / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_process(worker):
    def runner(side, data, *, python, target, cat_features, checks, log, timeout):
        assert python == sys.executable
        return worker.measure(side, str(data), target=target, cat_features=cat_features,
                              checks=checks)
    return runner


def test_layout_and_generator_plant_the_issues(bench):
    data = sys.modules["_audit_data"]
    lay = data.layout(8)
    assert (len(lay.numeric), len(lay.categorical)) == (6, 2)
    frame = data.make_frame(2000, 8, seed=3)
    assert list(frame.columns) == lay.columns
    pd.testing.assert_frame_equal(frame, data.make_frame(2000, 8, seed=3))
    assert not frame.equals(data.make_frame(2000, 8, seed=4))
    # 0.5 % exact duplicates; 0.1 % more rows repeat features with the other label
    assert frame.duplicated().sum() == 2000 // 200
    features = frame.drop(columns="target")
    assert features.duplicated().sum() == 2000 // 200 + 2000 // 1000
    assert (frame["num_00"] == 0.0).mean() > 0.99  # near-constant
    assert np.corrcoef(frame["num_01"], frame["target"])[0, 1] > 0.7  # leaks the target
    assert frame["num_02"].isna().any() and frame["cat_01"].isna().any()
    assert set(frame["target"].unique()) == {0, 1}
    assert {"Paris", "paris", " Paris", "PARIS"} <= set(frame["cat_00"].dropna())
    with pytest.raises(ValueError, match="cols must be at least 4"):
        data.layout(3)


def test_data_file_is_written_once(bench, tmp_path):
    data = sys.modules["_audit_data"]
    path = data.ensure_data(tmp_path, 300, 6, seed=0)
    stamp = path.stat().st_mtime_ns
    assert data.ensure_data(tmp_path, 300, 6, seed=0) == path
    assert path.stat().st_mtime_ns == stamp
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, data.make_frame(300, 6, seed=0), check_dtype=False)


def test_summarise_takes_medians_and_ratios(bench):
    report = sys.modules["_audit_report"]
    mib = 2 ** 20
    runs = [{"suite_s": t, "suite_cpu_s": t / 2, "load_s": 1.0, "import_s": 0.5, "data_bytes": 100 * mib,
             "rss_before_suite_bytes": 200 * mib, "peak_rss_suite_bytes": (200 + extra) * mib,
             "findings": 4, "errors": 1, "peak_reset": True}
            for t, extra in [(3.0, 150), (1.0, 50), (2.0, 100)]]
    s = report.summarise(runs)
    assert (s["time"], s["min"], s["max"], s["cpu"], s["import"]) == (2.0, 1.0, 3.0, 1.0, 0.5)
    assert s["extra_ratio"] == pytest.approx(1.0)
    assert s["peak_ratio"] == pytest.approx(3.0)
    assert (s["findings"], s["errors"], s["runs"]) == (4, 1, 3)


def test_replace_section_keeps_other_benchmarks(bench):
    report = sys.modules["_audit_report"]
    section = f"{report.START}\nnew\n{report.END}\n"
    assert report.replace_section("", section).startswith("# Benchmarks")
    text = f"# Benchmarks\n\n{report.START}\nold\n{report.END}\n\n## Drift\n\nkept\n"
    out = report.replace_section(text, section)
    assert "old" not in out and "new" in out and out.endswith("## Drift\n\nkept\n")
    assert out.count(report.START) == 1


def test_harness_writes_the_audit_section(bench, tmp_path, capsys):
    out = tmp_path / "docs" / "benchmarks.md"
    out.parent.mkdir()
    out.write_text("# Benchmarks\n\n<!-- audit:start -->\nstale\n<!-- audit:end -->\n\n"
                   "## Drift\n\nother numbers\n")
    # a few quick checks: test_worker_reports_stalwart_checks runs them all
    argv = ["--rows", "500", "--cols", "8", "--repeats", "2", "--skip-peers",
            "--checks", "missing_values,duplicates,class_imbalance",
            "--cache-dir", str(tmp_path / "cache"), "--out", str(out)]
    assert bench.main(argv, runner=_in_process(bench.load_worker())) == 0
    text = out.read_text()
    assert "stale" not in text and text.endswith("## Drift\n\nother numbers\n")
    section = text[text.index("<!-- audit:start -->"):text.index("<!-- audit:end -->")]
    header = ("| side | runs | suite time, median (s) | min-max (s) | CPU time (s) | import (s) "
              "| load (s) | data (MiB) "
              "| RSS before suite (MiB) | peak RSS (MiB) | suite added / data "
              "| peak RSS / data | findings | errors |")
    assert header in section
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    baseline = next(r for r in rows if r.startswith("| pandas baseline"))
    stalwart = next(r for r in rows if r.startswith("| stalwart `audit()` |"))
    assert baseline.count("|") == stalwart.count("|") == header.count("|")
    assert stalwart.split("|")[2].strip() == "2"  # runs
    assert "Deepchecks not run (--skip-peers)" in section
    assert "python benchmarks/audit.py --rows 500 --cols 8" in section
    assert "500 rows x 8 feature columns (6 numeric, 2 string)" in section
    assert "| check | status | time (s) | share of suite |" in section
    assert "only these stalwart checks ran: missing_values, duplicates, class_imbalance" in section
    for check in ("missing_values", "duplicates", "class_imbalance"):
        assert sum(line.startswith(f"| {check} |") for line in rows) == 1
    assert "(outside the checks:" in section
    raw = list((tmp_path / "cache" / "results").glob("audit-*.json"))
    assert len(raw) == 1
    assert "<!-- audit:start -->" in capsys.readouterr().out
    # the saved raw result renders the same section again without measuring
    again = tmp_path / "again.md"
    assert bench.main(["--from-json", str(raw[0]), "--out", str(again)]) == 0
    assert section in again.read_text()


def test_worker_reports_stalwart_checks(bench, tmp_path):
    worker = bench.load_worker()
    data = sys.modules["_audit_data"]
    path = data.ensure_data(tmp_path, 500, 8, seed=0)
    lay = data.layout(8)
    out = worker.measure("stalwart", str(path), target="target",
                         cat_features=list(lay.categorical))
    ran = [c["check"] for c in out["checks"]]
    from stalwart.checks.audit import AUDIT_CHECKS
    assert sorted(ran + out["missing_checks"]) == sorted(AUDIT_CHECKS)
    assert out["findings"] == sum(c["status"] in ("fail", "warn") for c in out["checks"])
    assert (out["rows"], out["columns"]) == (500, 9)
    assert out["data_bytes"] == int(pd.read_parquet(path).memory_usage(deep=True).sum())
    assert out["peak_rss_suite_bytes"] > 0 and out["suite_s"] >= 0


def _fake(side, suite_s, extra_mib, checks):
    mib = 2 ** 20
    return {"side": side, "suite_s": suite_s, "suite_cpu_s": suite_s, "load_s": 0.5,
            "import_s": 0.1, "data_bytes": 100 * mib, "rss_before_suite_bytes": 300 * mib,
            "peak_rss_suite_bytes": (300 + extra_mib) * mib, "peak_reset": True,
            "findings": sum(c["status"] in ("fail", "warn") for c in checks),
            "errors": sum(c["status"] == "error" for c in checks), "checks": checks,
            "missing_checks": [], "python": "3.11.7", "versions": {"pandas": "x"},
            "blas": []}


def test_section_with_a_peer_gives_ratios_and_verdicts(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "ensure_peer", lambda name, cache: Path(sys.executable))
    results = {
        "baseline": _fake("baseline", 0.5, 20, []),
        "stalwart": _fake("stalwart", 2.0, 150, [
            {"check": "duplicates", "status": "warn", "duration_s": 1.5, "summary": ""},
            {"check": "missing_values", "status": "pass", "duration_s": 0.25, "summary": ""}]),
        "deepchecks": _fake("deepchecks", 30.0, 400, [
            {"check": "Data Duplicates", "status": "fail", "duration_s": 20.0, "summary": ""},
            {"check": "Identifier Label Correlation", "status": "error", "duration_s": 1.0,
             "summary": "no index"}]),
    }
    out = tmp_path / "b.md"
    assert bench.main(["--rows", "300", "--cols", "6", "--repeats", "1",
                       "--cache-dir", str(tmp_path), "--out", str(out)],
                      runner=lambda side, *a, **k: results[side]) == 0
    text = out.read_text()
    assert "Deepchecks / stalwart = **15.0x** in wall time (target at least 10x: met)" in text
    assert "added **1.50x** the data's size at its peak (target below 3x: met)" in text
    assert "- stalwart / pandas baseline: 4.0x" in text
    assert "- Deepchecks / pandas baseline: 60.0x" in text
    assert "| duplicates | warn | 1.500 | 75.0 % |" in text
    assert "| (outside the checks:" in text and "| - | 0.250 | 12.5 % |" in text
    assert "| Data Duplicates | fail | 20.000 | 66.7 % |" in text
    assert ("| 0.5 % exact duplicate rows | `duplicates`: warn | `Data Duplicates`: fail |"
            in text)
    assert ("| case/whitespace variants in `cat_00` | no check in the suite | "
            "`String Mismatch`: not run |") in text
    row = next(line for line in text.splitlines() if line.startswith("| Deepchecks `"))
    assert row.split("|")[-3:-1] == [" 1 ", " 1 "]  # one finding, one error
    # slower than the target: the verdict says so
    results["deepchecks"] = _fake("deepchecks", 10.0, 400, results["deepchecks"]["checks"])
    bench.main(["--rows", "300", "--cols", "6", "--repeats", "1", "--cache-dir",
                str(tmp_path), "--out", str(out)], runner=lambda side, *a, **k: results[side])
    assert "= **5.0x** in wall time (target at least 10x: **not met**)" in out.read_text()


def test_a_failing_peer_is_reported_not_fatal(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "ensure_peer", lambda name, cache: Path(sys.executable))
    stalwart = _fake("stalwart", 2.0, 50, [])

    def runner(side, *args, **kwargs):
        if side == "deepchecks":
            raise RuntimeError("the deepchecks worker exited 1 without a result:\nboom")
        return stalwart

    out = tmp_path / "b.md"
    assert bench.main(["--rows", "300", "--cols", "6", "--repeats", "1", "--cache-dir",
                       str(tmp_path), "--out", str(out)], runner=runner) == 0
    text = out.read_text()
    assert "Deepchecks not run (run 1 failed: the deepchecks worker exited 1" in text
    assert "| Deepchecks `" not in text
