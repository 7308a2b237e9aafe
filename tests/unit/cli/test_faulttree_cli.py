"""CLI: ``stalwart faulttree analyse`` on JSON files, with and without the store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from stalwart.cli.main import cli as stalwart_cli
from stalwart.store import open_store

TREE = {
    "name": "scoring", "top": "wrong",
    "events": [{"id": "stale", "probability": 0.02, "component": "feature-store"},
               {"id": "schema", "probability": 0.01},
               {"id": "shift", "probability": 0.05},
               {"id": "guard", "probability": 0.1}],
    "gates": [{"id": "wrong", "type": "or", "children": ["stale", "schema", "model"]},
              {"id": "model", "type": "and", "children": ["shift", "guard"]}],
    "monitoring": {"feature-store": {"condition": "missing_share > 0.05"}},
}


def _run(*args: str):
    return CliRunner().invoke(stalwart_cli, ["faulttree", *args])


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(TREE))
    return path


def test_json_output_has_the_exact_probability(tree_file):
    res = _run("analyse", str(tree_file), "--format", "json")
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert body["top_probability"] == pytest.approx(1 - 0.98 * 0.99 * (1 - 0.05 * 0.1))
    assert [c["events"] for c in body["cut_sets"]] == [["stale"], ["schema"],
                                                      ["shift", "guard"]]  # tree order


def test_text_output_and_html_file(tree_file, tmp_path):
    res = _run("analyse", str(tree_file))
    assert res.exit_code == 0, res.output
    assert "3 minimal cut set(s)" in res.output and "shift AND guard" in res.output
    out = tmp_path / "report" / "tree.html"
    res = _run("analyse", str(tree_file), "--format", "html", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "3 minimal cut set(s)\nreport written to" in res.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and ">AND<" in page


def test_bad_input_exits_2_with_a_message(tmp_path, tree_file):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    res = _run("analyse", str(broken))
    assert res.exit_code == 2 and "readable JSON document" in res.output
    cyclic = tmp_path / "cyclic.json"
    cyclic.write_text(json.dumps({**TREE, "gates": [
        {"id": "wrong", "type": "or", "children": ["stale", "model"]},
        {"id": "model", "type": "and", "children": ["shift", "wrong"]}]}))
    res = _run("analyse", str(cyclic))
    assert res.exit_code == 2 and "wrong -> model -> wrong" in res.output
    assert "Traceback" not in res.output
    res = _run("analyse", str(tree_file), "--model", "churn")
    assert res.exit_code == 2 and "--from-store" in res.output


def test_probabilities_from_the_store(tmp_path, tree_file):
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    store = open_store(url)
    store.save_monitor("quality", "churn", {"window": "1d"})
    for day, v in enumerate([0.01, 0.2, 0.02, 0.03], start=1):
        store.save_window_result("quality", f"2026-01-{day:02d}", f"2026-01-{day + 1:02d}", 10,
                                 {"missing_share": v}, {})
    store.close()
    res = _run("analyse", str(tree_file), "--from-store", url, "--model", "churn",
               "--format", "json")
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    p_stale = 1.5 / 5  # Jeffreys: (1 + 0.5) / (4 + 1)
    assert body["estimates"][0]["probability"] == pytest.approx(p_stale)
    assert body["top_probability"] == pytest.approx(1 - (1 - p_stale) * 0.99 * 0.995)
    res = _run("analyse", str(tree_file), "--from-store", url, "--model", "fraud")
    assert res.exit_code == 2 and "exactly one saved monitor of model 'fraud'" in res.output
