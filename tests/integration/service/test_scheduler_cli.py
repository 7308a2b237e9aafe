"""``stalwart monitor run`` (the command object; the lead registers it in cli/main.py) on
SQLite and PostgreSQL: due monitors, one by name, JSON output, failure exit codes."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from stalwart.cli.main import cli
from stalwart.monitoring import MonitorSpec
from stalwart.store import open_store


def _seed(url: str) -> None:
    store = open_store(url)
    store.ingest_events([{"event_id": f"e{i}", "timestamp": f"2026-01-0{1 + i // 4}T0{i}:00Z",
                          "model": "m", "model_version": "1", "features": {"x": 1.0},
                          "outputs": {"prediction": 1}, "latency_ms": 5.0 * (1 + i)}
                         for i in range(8)])
    for name, schedule in (("daily", "1D"), ("manual", None)):
        store.save_monitor(name, "m", MonitorSpec(name=name, model="m", window="1D",
                                                  metrics=["latency"], schedule=schedule,
                                                  rules=["latency_p99 > 30"]).to_dict())
    store.close()


def test_run_due_then_by_name(store_url):
    _seed(store_url)
    runner = CliRunner()
    args = ["run", "--store", store_url, "--now", "2026-01-03T00:00Z"]
    first = runner.invoke(cli, ["monitor"] + args)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "daily: 2 window(s), 1 alert(s) fired, 0 resolved, 0 delivery(ies), 0 trigger run(s)",
        "manual: not due"]
    again = runner.invoke(cli, ["monitor"] + args + ["--format", "json"])
    body = json.loads(again.output)
    assert again.exit_code == 0 and body["ran"] == [] and body["not_due"] == ["daily", "manual"]
    named = runner.invoke(cli, ["monitor"] + args + ["--name", "manual", "--format", "json"])
    run = json.loads(named.output)
    assert named.exit_code == 0 and run["persisted"] and len(run["windows"]) == 2
    assert [w["metrics"]["latency_p99"] for w in run["windows"]] == \
        [float(np.percentile([5, 10, 15, 20], 99)), float(np.percentile([25, 30, 35, 40], 99))]


def test_failures_and_bad_input(store_url):
    _seed(store_url)
    store = open_store(store_url)
    store.save_monitor("broken", "m", MonitorSpec(
        name="broken", model="m", metrics=["data_drift"], schedule="1h",
        reference={"start": "2020-01-01", "end": "2020-01-02"}).to_dict())
    store.close()
    runner = CliRunner()
    out = runner.invoke(cli, ["monitor"] + ["run", "--store", store_url, "--now",
                                          "2026-01-03T00:00Z"])
    assert out.exit_code == 1
    assert any(line.startswith("broken: FAILED DataError") for line in out.output.splitlines())
    assert "daily: 2 window(s)" in out.output
    unknown = runner.invoke(cli, ["monitor"] + ["run", "--store", store_url, "--name", "nope"])
    assert unknown.exit_code == 2 and "saved monitor" in unknown.output
    bad_now = runner.invoke(cli, ["monitor"] + ["run", "--store", store_url, "--now", "later"])
    assert bad_now.exit_code == 2 and "ISO-8601" in bad_now.output
