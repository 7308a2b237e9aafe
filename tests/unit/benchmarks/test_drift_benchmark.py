"""The drift benchmark harness, in-process, peers skipped: data, worker, flags, section.

No timing is asserted: only that the harness generates what it says, measures, compares
the flags with the planted columns and renders, keeping the file's other sections.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from scipy import stats

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """benchmarks/drift.py loaded as a module (it puts benchmarks/ on sys.path)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("bench_drift", BENCH / "drift.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def data(bench):
    return sys.modules["_drift_data"]


def _in_process(worker, calls):
    def runner(side, *, python, reference, current, rows, seed, log, timeout):
        assert python == sys.executable
        calls.append((side, rows))
        if side == "stream":
            return worker.measure_stream(rows, seed)
        return worker.measure(side, str(reference), str(current))
    return runner


def test_chunks_are_seeded_and_the_stream_matches_the_frame(data):
    first = data.make_chunk("reference", 0, 500, seed=3)
    assert list(first.columns) == list(data.COLUMNS)
    assert first.equals(data.make_chunk("reference", 0, 500, seed=3))
    assert not first.equals(data.make_chunk("current", 0, 500, seed=3))
    assert not first.equals(data.make_chunk("reference", 1, 500, seed=3))
    assert first.notna().all().all()
    streamed = list(data.iter_chunks("current", 250_000, seed=1))
    assert [len(c) for c in streamed] == [100_000, 100_000, 50_000]
    assert streamed[2].equals(data.make_chunk("current", 2, 50_000, seed=1))
    with pytest.raises(ValueError, match="which"):
        data.make_chunk("train", 0, 10)


def test_drift_is_planted_in_exactly_five_columns(data):
    ref = data.make_chunk("reference", 0, 50_000)
    cur = data.make_chunk("current", 0, 50_000)
    assert sorted(data.PLANTED) == ["cat_01", "cat_03", "num_03", "num_09", "num_15"]
    sd = ref["num_03"].std()
    assert (cur["num_03"].mean() - ref["num_03"].mean()) / sd == pytest.approx(0.4, abs=0.03)
    assert cur["num_09"].std() / ref["num_09"].std() == pytest.approx(1.4, abs=0.03)
    # the shape change keeps mean and variance but not the distribution
    assert cur["num_15"].mean() == pytest.approx(ref["num_15"].mean(), abs=0.03 * sd)
    assert cur["num_15"].std() == pytest.approx(ref["num_15"].std(), rel=0.03)
    assert stats.kurtosis(cur["num_15"]) == pytest.approx(-1.31, abs=0.05)  # two humps
    assert stats.kurtosis(ref["num_15"]) == pytest.approx(0.0, abs=0.1)  # normal
    assert cur["cat_01"].value_counts(normalize=True).to_numpy() == pytest.approx(
        [0.25] * 4, abs=0.01)
    assert ref["cat_03"].value_counts(normalize=True)["3v05"] == pytest.approx(0.052, abs=0.01)
    assert cur["cat_03"].value_counts(normalize=True)["3v05"] == pytest.approx(0.2, abs=0.01)
    # every other column: same distribution, so no test should see a difference here
    others = [c for c in data.COLUMNS if c not in data.PLANTED]
    assert len(others) == 20
    p_min = min(stats.ks_2samp(ref[c], cur[c]).pvalue for c in others if c.startswith("num"))
    assert p_min > 0.001
    assert max(abs(ref[c].value_counts(normalize=True) - cur[c].value_counts(normalize=True))
               .max() for c in others if c.startswith("cat")) < 0.01


def test_skip_peers_run_measures_flags_streams_and_renders(bench, tmp_path):
    worker = bench.load_worker()
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- audit:start -->\naudit body\n<!-- audit:end -->\n")
    calls: list[tuple[str, int]] = []
    code = bench.main(["--skip-peers", "--sides", "scipy", "--repeats", "2",
                       "--sizes", "3000", "--stream-rows", "2000,4000", "--out", str(out),
                       "--cache-dir", str(tmp_path / "cache")],
                      runner=_in_process(worker, calls))
    assert code == 0
    assert calls == [("scipy", 3000), ("scipy", 3000), ("stream", 2000), ("stream", 4000)]
    text = out.read_text()
    assert "<!-- audit:start -->\naudit body\n<!-- audit:end -->" in text
    assert text.count("<!-- drift:start -->") == text.count("<!-- drift:end -->") == 1
    raw = json.loads(next((tmp_path / "cache" / "results").glob("drift-*.json")).read_text())
    size = raw["sizes"]["3000"]
    assert size["failed"] == {}
    runs = size["sides"]["scipy"]
    assert len(runs) == 2 and runs[0]["rows"] == 3000 and runs[0]["columns"] == 25
    # 3,000 rows are plenty for these changes: the tests find all five
    assert set(bench.PLANTED) <= set(runs[-1]["flagged"])
    assert runs[-1]["data_bytes"] > 3000 * 20 * 8 * 2
    assert [r["rows"] for r in raw["stream"]] == [2000, 4000]
    assert raw["stream"][1]["columns"] == 25 and raw["stream"][1]["profile_bytes"] > 0
    assert "Evidently `DataDriftPreset` (--skip-peers)" in text
    assert "stalwart `detect_drift(ref, cur)`: not measured (not in --sides): **not met**" in text
    assert "| 3,000 | scipy baseline" in text
    # rendering again from the saved JSON replaces the section in place
    before = text
    bench.main(["--from-json", str(next((tmp_path / "cache" / "results").glob("*.json"))),
                "--out", str(out)])
    assert out.read_text() == before


def _fake(side, flagged, run_s, cpu_s, extra=50, data=100):
    mib = 2 ** 20
    return {"side": side, "run_s": run_s, "cpu_s": cpu_s, "data_bytes": data * mib,
            "rss_before_run_bytes": 200 * mib, "peak_rss_run_bytes": (200 + extra) * mib,
            "peak_reset": True, "flagged": flagged, "python": "3.11.7",
            "versions": {"pandas": "x"}}


def test_render_states_targets_and_failures(bench):
    report = sys.modules["_drift_report"]
    planted = list(bench.PLANTED)
    scipy_run = {**_fake("scipy", planted + ["num_01"], 1.0, 1.0),
                 "detail": {"adjusted_p": {"num_01": 0.012}}}
    stalwart_run = {**_fake("stalwart", planted + ["num_00"], 3.0, 2.5, extra=150),
                    "detail": {"num_01": {"method": "ks", "adjusted_p": 0.012, "effect": 0.011,
                                          "effect_name": "wasserstein",
                                          "effect_threshold": 0.1}}}
    run = {
        "config": {"sizes": [1000], "stream_rows": [10, 100], "seed": 0, "repeats": 2,
                   "peer_repeats": 1, "peer_repeat_limit": 300.0, "command": "python x",
                   "date": "2026-11-23"},
        "machine": {"cpu": "cpu", "cores": 2, "usable_cores": 2, "memory_bytes": 2 ** 30,
                    "os": "Linux", "machine": "x86_64"},
        "columns": {"numeric": ["num_00"], "categorical": ["cat_00"]},
        "planted": dict(bench.PLANTED),
        "sizes": {"1000": {"rows": 1000, "file_bytes": 2 ** 20, "paths": {},
                           "sides": {"scipy": [scipy_run] * 2,
                                     "stalwart": [{**stalwart_run, "flagged": planted},
                                                  stalwart_run]},
                           "failed": {"evidently": "timed out after 1,800 s (log: l)"},
                           "ran_once": []}},
        "stream": [{"rows": 10, "run_s": 1.0, "cpu_s": 1.0, "generate_s": 0.1,
                    "rss_before_run_bytes": 90 * 2 ** 20, "peak_rss_run_bytes": 100 * 2 ** 20,
                    "profile_bytes": 2048},
                   {"rows": 100, "run_s": 9.0, "cpu_s": 9.0, "generate_s": 1.0,
                    "rss_before_run_bytes": 90 * 2 ** 20, "peak_rss_run_bytes": 104 * 2 ** 20,
                    "profile_bytes": 2048}],
        "skipped": {"nannyml": "--skip-peers"},
    }
    text = report.render(run)
    assert "exactly the 5 planted in 1 of 2 runs; run 2 missed none, false alarms `num_00` " \
           "(target exactly the 5 planted: **not met**)" in text
    assert "| 6 | no (1 of 2 runs) | none | `num_00` |" in text
    assert "numbers flagged per run): stalwart `detect_drift(ref, cur)` (run 1: 5; run 2: 6)" \
        in text
    assert "stalwart / scipy = **3.00x** wall time, 2.50x CPU time (target at most 2x: wall " \
           "**not met**, CPU **not met**)" in text
    assert "no ratio, Evidently timed out after 1,800 s (log: l): **not measured**" in text
    assert "added **1.50x** the data's size at its peak (150 of 100 MiB; target at most 1x: " \
           "**not met**)" in text
    assert "(**1.04x** for 10x the rows; target at most 1.10x: met)" in text
    assert "| Evidently `DataDriftPreset` | 0 | timed out after 1,800 s" in text
    assert "| 1,000 | stalwart `detect_drift(ref, cur)` | **`num_03`**" in text
    assert "`num_00`" in text.split("### Columns flagged")[1]
    assert "- scipy flags `num_01` (adjusted p 0.012); stalwart runs the same ks test (adjusted " \
           "p 0.012) but its default decision also needs the effect size past its threshold, " \
           "and the wasserstein effect is 0.011 (threshold 0.1)." in text
    assert "Columns flagged at 1,000 rows by the others (5 planted): scipy 6." in text
    assert text.count("| scipy and stalwart side | Python 3.11.7; pandas x |") == 1


def test_evidently_flags_follow_its_own_rule(bench):
    worker = bench.load_worker()
    snap = {"metrics": [
        {"config": {"type": "evidently:metric_v2:DriftedColumnsCount"}, "value": {"count": 2}},
        {"config": {"type": "evidently:metric_v2:ValueDrift", "column": "b",
                    "method": "Wasserstein distance (normed)", "threshold": 0.1},
         "value": 0.1},
        {"config": {"type": "evidently:metric_v2:ValueDrift", "column": "a",
                    "method": "K-S p_value", "threshold": 0.05}, "value": 0.01},
        {"config": {"type": "evidently:metric_v2:ValueDrift", "column": "c",
                    "method": "Jensen-Shannon distance", "threshold": 0.1}, "value": 0.09},
    ]}
    out = worker.evidently_flags(snap, ["a", "b", "c"])
    assert out["flagged"] == ["a", "b"]
    assert out["detail"]["c"]["drifted"] is False


def test_replace_section_appends_then_replaces(bench):
    report = sys.modules["_drift_report"]
    section = f"{report.START}\nnew\n{report.END}"
    assert report.replace_section("", section).endswith(section + "\n")
    first = report.replace_section("# T\n", f"{report.START}\nold\n{report.END}")
    assert first == f"# T\n\n{report.START}\nold\n{report.END}\n"
    assert report.replace_section(first, section) == f"# T\n\n{section}\n"
