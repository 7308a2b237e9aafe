"""The demo: the main job runs end to end and finds the faults it planted, before deployment
and in production; ``--serve`` then serves the workspace's store."""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from stalwart.cli.main import cli
from stalwart.demo.traffic import FAULTS
from stalwart.store import open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = tmp_path_factory.mktemp("demo") / "ws"
    res = CliRunner().invoke(cli, ["demo", "--workspace", str(ws)])
    assert res.exit_code == 0, res.output
    return ws, res


def test_demo_end_to_end(demo):
    ws, res = demo
    assert (ws / "index.html").exists() and f"Open the report: {ws / 'index.html'}" in res.output
    assert (ws / "model.skops").exists()
    train = json.loads((ws / "reports" / "audit-train.json").read_text())
    batch = json.loads((ws / "reports" / "audit-batch.json").read_text())
    assert train["status"] in ("pass", "warn")
    found = {r["check"]: r["status"] for r in batch["results"]}
    # every planted fault is caught
    for check in ("missing_values", "mixed_types", "duplicates", "train_test_overlap",
                  "invalid_values"):
        assert found[check] in ("warn", "fail"), (check, found)
    # drift: the unit change is named with its map, the type change and the broken join
    week = json.loads((ws / "reports" / "drift-week.json").read_text())
    found = {r["check"]: r for r in week["results"]}
    assert found["unit_changes"]["status"] == "fail"
    assert "bp" in found["unit_changes"]["summary"] and "mmHg -> kPa" in res.output
    assert found["feature_drift"]["metrics"]["n_drifted"] == 1
    drift = json.loads((ws / "reports" / "drift-batch.json").read_text())
    found = {r["check"]: r for r in drift["results"]}
    assert "glu" in found["schema_changes"]["summary"]
    assert "ltg" in found["value_changes"]["summary"]
    assert all(r["status"] != "error" for r in drift["results"] + week["results"])
    evaluation = json.loads((ws / "reports" / "evaluate-test.json").read_text())
    assert {r["check"] for r in evaluation["results"]} >= {"model_performance", "calibration"}
    assert evaluation["model"]["name"] == "diabetes-logreg"
    card = (ws / "reports" / "model-card.md").read_text()
    assert "# Model card: diabetes-logreg" in card and evaluation["data"]["fingerprint"] in card
    assert "expected calibration error" in res.output
    html = (ws / "reports" / "audit-batch.html").read_text()
    assert "<svg" in html and "http://" not in html and "https://" not in html



def test_demo_audits_fairness_with_mitigation_and_reports_privacy(demo):
    ws, res = demo
    reports = ws / "reports"
    fairness = json.loads((reports / "fairness-test.json").read_text())
    checks = {r["check"]: r for r in fairness["results"]}
    assert set(checks) == {"demographic_parity", "equalized_odds", "equal_opportunity",
                           "predictive_parity", "group_calibration"}
    # seed 0: equalized odds by sex differs by 0.132 on the test set, over the 0.1 gate;
    # the same number is recomputed here from the saved model and the saved test set
    import numpy as np
    import pandas as pd

    from stalwart.models import load_model
    test = pd.read_parquet(ws / "data" / "test.parquet")
    model = load_model(ws / "model.skops")
    pred = model.predict(test.drop(columns=["patient_id", "high_progression"]))
    y = test["high_progression"].to_numpy()
    tpr = {g: pred[(test["sex"] == g).to_numpy() & (y == 1)].mean() for g in ("1", "2")}
    fpr = {g: pred[(test["sex"] == g).to_numpy() & (y == 0)].mean() for g in ("1", "2")}
    expected = max(abs(tpr["1"] - tpr["2"]), abs(fpr["1"] - fpr["2"]))
    assert checks["equalized_odds"]["metrics"]["difference"] == pytest.approx(expected)
    assert checks["equalized_odds"]["status"] == "fail" and expected > 0.1
    assert "equalized odds difference 0.132 -> 0.074 on the test set" in res.output
    page = (reports / "fairness-mitigation.html").read_text()
    assert "<svg" in page and "http://" not in page and "https://" not in page
    train_privacy = json.loads((reports / "privacy-train.json").read_text())
    found = {r["check"]: r for r in train_privacy["results"]}
    assert found["pii_scan"]["status"] == "pass"
    assert found["k_anonymity"]["status"] == "fail" and found["k_anonymity"]["metrics"]["k"] == 1
    assert "k = 1; with age in ten-year bands" in res.output and "k = 7" in res.output
    model_privacy = json.loads((reports / "privacy-model.json").read_text())
    mia = {r["check"]: r for r in model_privacy["results"]}["membership_inference"]
    assert mia["status"] == "pass" and mia["metrics"]["worst_auc"] < 0.6
    assert "a third release: refused (privacy budget" in res.output
    card = (reports / "model-card.md").read_text()
    for needle in ("fairness: Equalized odds (fairness)", "model privacy: Membership inference",
                   "re-identification: k-anonymity"):
        assert needle in card, needle
    index = (ws / "index.html").read_text()
    assert "reports/fairness-mitigation.html" in index and "Fairness by sex" in index
    assert np.isfinite(checks["demographic_parity"]["metrics"]["ratio"])


def test_demo_runs_the_stress_suite(demo):
    ws, res = demo
    stress = json.loads((ws / "reports" / "stress-test.json").read_text())
    checks = {r["check"]: r for r in stress["results"]}
    assert set(checks) == {"perturbation_robustness", "flip_rate", "shift_robustness"}
    # the pipeline has no imputer: missing values make it raise, which the check reports
    assert checks["perturbation_robustness"]["status"] == "warn"
    assert 0 <= checks["perturbation_robustness"]["metrics"]["drop"] <= 0.02
    assert "stress: warn - accuracy" in res.output
    page = (ws / "reports" / "stress-test.html").read_text()
    assert page.count("<svg") >= 2 and "http://" not in page and "https://" not in page
    assert "reports/stress-test.html" in (ws / "index.html").read_text()

def test_demo_replays_production_and_catches_every_fault(demo):
    ws, res = demo
    for fault in FAULTS:
        assert f"{fault.name}: caught after" in res.output, (fault.name, res.output)
    assert "no alert on a day without an injected fault" in res.output
    with open_store(None, workspace=ws) as store:
        events = store.events("diabetes-logreg", with_labels=True)
        assert len(events) > 9000 and events["event_id"].is_unique
        # labels arrive seven days late: the last week has none yet
        assert events["label"].notna().mean() == pytest.approx(35 / 42, abs=0.03)
        windows = store.window_results("diabetes-daily")
        assert len(windows) == 28
        alerts = store.alerts(monitor="diabetes-daily")
        rules = {a.rule for a in alerts}
        assert {"unit change", "new categories", "feature drift", "unusual inputs",
                "prediction drift", "slow predictions"} <= rules
        (still_open,) = [a for a in alerts if a.status == "open"]
        assert still_open.rule == "slow predictions"
        unit = [w for w in windows if w.metrics["unit_changes"]]
        assert [str(w.window_start.date()) for w in unit] == [
            "2026-09-23", "2026-09-24", "2026-09-25"]
        # uncertain predictions without a label yet wait for a person
        items = store.review_items("open")
        assert items and all("review policy" in i.reason for i in items)
        assert store.monitor_state("diabetes-daily").last_window_end is not None
    # the retraining trigger filed one request, on the third day of broad drift
    (request,) = (ws / "retrain-requests").glob("*.json")
    assert request.name == "retrain-2026-10-04.json"
    assert json.loads(request.read_text())["alert"]["metric"] == "drift_share"
    # the token file is the owner's only, and the dashboard address carries it in the fragment
    token_file = ws / "tokens.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = next(iter(json.loads(token_file.read_text())))
    assert f"/dashboard/#token={token}" in res.output
    assert "In production" in (ws / "index.html").read_text()


def test_demo_tells_one_escalation_end_to_end(demo):
    ws, res = demo
    story = json.loads((ws / "reports" / "escalation.json").read_text())
    assert story["model"] == "regional" and story["event_id"] == "regional-0008"
    assert story["cause"] == "concept_shift" and story["escalated_row_fixed"]
    assert [c["hits"] for c in story["rule_counts"].values()] == [157, 153]
    # the full path on seed 0: the gate passes, the rules retire, the escalation closes
    assert story["gate_passed"] and story["status"] == "closed"
    assert story["champion"] == "2" and story["ruleset_versions"] == [1, 2]
    for line in story["lines"]:
        assert line in res.output
    index = (ws / "index.html").read_text()
    assert "One escalation, end to end" in index
    for name in story["artefacts"].values():
        assert (ws / "reports" / name).exists() and f"reports/{name}" in index
    with open_store(None, workspace=ws) as store:
        (esc,) = store.escalations(model="regional")
        assert esc.status == "closed" and esc.analysis["attribution"]["cause"] == "concept_shift"
        assert [s.version for s in store.rule_sets("regional")] == [1, 2]
        assert store.rule_set("regional", version=2).document["rules"] == []
        # the diabetes replay is untouched by the story
        assert store.escalations(model="diabetes-logreg") == ()
        assert store.rule_sets("diabetes-logreg") == ()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}
                                     if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_demo_serve_reruns_idempotently_and_serves(demo):
    pytest.importorskip("uvicorn")
    ws, _ = demo
    with open_store(None, workspace=ws) as store:
        n_events = len(store.events("diabetes-logreg", with_labels=False))
        n_alerts = len(store.alerts())
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from stalwart.cli.main import main; main()", "demo",
         "--workspace", str(ws), "--serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the demo server did not come up"
            time.sleep(0.5)
        token = next(iter(json.loads((ws / "tokens.json").read_text())))
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/alerts", token)
        assert status == 200 and len(json.loads(body)["alerts"]) == n_alerts
        assert _get(f"http://127.0.0.1:{port}/api/v1/alerts")[0] == 401
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert "0 new events, 0 new labels" in output
    assert "was evaluated before (28 windows in the store)" in output
    assert f"Serving the dashboard: open http://127.0.0.1:{port}/dashboard/#token=" in output
    with open_store(None, workspace=ws) as store:
        assert len(store.events("diabetes-logreg", with_labels=False)) == n_events
        assert len(store.alerts()) == n_alerts
