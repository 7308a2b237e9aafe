"""``stalwart escalate``: report, list, sla and errors against a SQLite store."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from stalwart.cli.escalate import escalate_command
from stalwart.store import Store, open_store

needs_store_support = pytest.mark.skipif(
    not hasattr(Store, "add_escalation"),
    reason="the store's escalation support (migration 0003) is not merged")


@pytest.fixture
def store_url(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    rng = np.random.default_rng(0)
    n = 300
    x = rng.integers(0, 1000, n) / 100
    city = rng.choice(list("abc"), n)
    y_true = rng.integers(0, 2, n)
    wrong = (x > 6) & (city == "b")                  # every error planted in one region
    y_pred = np.where(wrong, 1 - y_true, y_true)
    start = pd.Timestamp("2026-01-01", tz="UTC")
    store = open_store(url)
    store.ingest_events([
        {"event_id": f"e{i}", "timestamp": (start + pd.Timedelta(minutes=i)).isoformat(),
         "model": "m", "model_version": "1", "segment": "acme",
         "features": {"x": float(x[i]), "city": str(city[i])},
         "outputs": {"prediction": int(y_pred[i])}} for i in range(n)])
    store.add_labels([{"event_id": f"e{i}", "label": int(y_true[i])} for i in range(n)])
    store.close()
    return url, int(wrong.sum())


def _run(*args):
    return CliRunner().invoke(escalate_command, list(args))


@needs_store_support
def test_report_list_and_sla(store_url):
    url, _ = store_url
    res = _run("report", "--store", url, "--model", "m", "--event-id", "e1", "--severity",
               "critical", "--expected", "1", "--reported-at", "2026-01-02T08:00:00Z",
               "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["customer"] == "acme" and doc["expected"] == 1
    assert doc["due_at"].startswith("2026-01-02T12:00:00")
    res = _run("report", "--store", url, "--model", "m", "--payload", '{"x": 2.5}',
               "--severity", "low", "--expected", "cat", "--reported-at", "2026-01-02T08:00Z")
    assert res.exit_code == 0 and "[low] open" in res.output and '"cat"' in res.output
    listed = json.loads(_run("list", "--store", url, "--format", "json").output)
    assert [e["severity"] for e in listed] == ["critical", "low"]
    ok = _run("sla", "--store", url, "--now", "2026-01-02T11:30:00Z")
    assert ok.exit_code == 0 and "0 breached, 1 at risk, 1 on track" in ok.output
    late = _run("sla", "--store", url, "--now", "2026-01-02T13:00:00Z", "--format", "json")
    assert late.exit_code == 1
    assert json.loads(late.output)["alerts"][0]["value"] == 1.0


@needs_store_support
def test_bad_reports_exit_2_and_store_nothing(store_url):
    url, _ = store_url
    for args in (["--event-id", "nope", "--severity", "high"],
                 ["--payload", "[1, 2]", "--severity", "high"],
                 ["--severity", "high"]):
        res = _run("report", "--store", url, "--model", "m", *args)
        assert res.exit_code == 2 and res.output.startswith("error: "), res.output
    assert _run("list", "--store", url).output.strip() == "no escalations"
    assert _run("report", "--store", url, "--model", "m", "--event-id", "e1",
                "--severity", "urgent").exit_code == 2


def test_errors_finds_the_planted_region_and_writes_html(store_url, tmp_path):
    url, n_wrong = store_url
    out = tmp_path / "errors.html"
    res = _run("errors", "--store", url, "--model", "m", "--start", "2026-01-01",
               "--end", "2026-01-02", "--min-samples-leaf", "10", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert f"300 labelled rows, {n_wrong} errors" in res.output
    hottest = next(line for line in res.output.splitlines() if line.startswith("hottest cell"))
    assert "city == b" in hottest and "x " in hottest and "error rate 100.00%" in hottest
    assert out.read_text().startswith("<!DOCTYPE html>")
    doc = json.loads(_run("errors", "--store", url, "--model", "m", "--start", "2026-01-01",
                          "--end", "2026-01-02", "--format", "json").output)
    assert doc["n_errors"] == n_wrong
    sampled = _run("errors", "--store", url, "--model", "m", "--start", "2026-01-01",
                   "--end", "2026-01-02", "--sample", "100", "--min-samples-leaf", "5")
    assert sampled.exit_code == 0 and "100 labelled rows" in sampled.output
    assert "note: a random sample of 100 of 300 rows" in sampled.output
    empty = _run("errors", "--store", url, "--model", "m", "--start", "2027-01-01",
                 "--end", "2027-01-02")
    assert empty.exit_code == 2 and "labelled" in empty.output


def test_a_store_without_escalation_support_is_a_clean_error(monkeypatch, store_url):
    url, _ = store_url
    for name in ("add_escalation", "escalations"):
        monkeypatch.delattr(Store, name, raising=False)
    for args in (["report", "--model", "m", "--event-id", "e1", "--severity", "low"],
                 ["list"], ["sla"]):
        res = _run(*args, "--store", url)
        assert res.exit_code == 2 and "no escalation support" in res.output, res.output
