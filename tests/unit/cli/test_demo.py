"""The demo: the main job runs end to end and finds the faults it planted."""

import json

from click.testing import CliRunner

from stalwart.cli.main import cli


def test_demo_end_to_end(tmp_path):
    res = CliRunner().invoke(cli, ["demo", "--workspace", str(tmp_path / "ws")])
    assert res.exit_code == 0, res.output
    ws = tmp_path / "ws"
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
