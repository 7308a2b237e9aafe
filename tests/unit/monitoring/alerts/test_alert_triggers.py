"""Retraining triggers with a real command and a real local HTTP receiver."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from stalwart.exceptions import ParameterError
from stalwart.monitoring.alerts import (CONTEXT_ENV, AlertEngine, CommandAction, RetrainTrigger,
                                        WebhookAction)

from .receivers import Receiver

RECORD = (
    "import json, os, sys\n"
    "ctx = json.load(sys.stdin)\n"
    "out = sys.argv[1]\n"
    "runs = json.load(open(out)) if os.path.exists(out) else []\n"
    "runs.append({'stdin': ctx, 'env': json.loads(os.environ[%r])})\n"
    "json.dump(runs, open(out, 'w'))\n" % CONTEXT_ENV
)


def win(i: int, value, monitor: str = "churn") -> dict:
    return {"monitor": monitor, "window_start": f"w{i}", "window_end": f"w{i + 1}",
            "metrics": {"drift_share": value}}


def feed(trigger, values, **kw):
    state, runs = None, []
    for i, v in enumerate(values):
        state, run = trigger.observe(win(i, v), state, **kw)
        runs.append(run)
    return state, runs


def test_command_fires_once_when_condition_persists_and_again_after_resolving(tmp_path: Path):
    out = tmp_path / "runs.json"
    trig = RetrainTrigger("drift_share > 0.3", windows=3,
                          action=CommandAction([sys.executable, "-c", RECORD, str(out)]))
    values = [0.5, 0.5, 0.1, 0.5, 0.6, 0.7, 0.8, 0.9, 0.1, 0.4, 0.4, 0.4]
    state, runs = feed(trig, values)
    assert [i for i, r in enumerate(runs) if r is not None] == [5, 11]
    assert all(r.ok and r.exit_code == 0 and r.stderr_tail == "" for r in runs if r)
    recorded = json.loads(out.read_text())
    assert len(recorded) == 2
    first = recorded[0]
    assert first["stdin"] == first["env"]
    ctx = first["stdin"]
    assert (ctx["monitor"], ctx["rule"], ctx["windows"]) == ("churn", "drift_share > 0.3", 3)
    assert (ctx["window_start"], ctx["window_end"]) == ("w5", "w6")
    assert ctx["alert"]["value"] == 0.7 and ctx["alert"]["count"] == 3
    assert ctx["alert"]["since"] == "w4"
    assert recorded[1]["stdin"]["window_end"] == "w12"
    assert [r["exit_code"] for r in state["runs"]] == [0, 0]
    json.dumps(state)  # the state stays JSON-able


def test_failing_command_records_exit_code_and_stderr_tail():
    script = "import sys; sys.stderr.write('x' * 5000 + 'no GPU left'); sys.exit(3)"
    trig = RetrainTrigger("drift_share > 0.3", windows=1,
                          action=CommandAction([sys.executable, "-c", script], tail=100))
    state, runs = feed(trig, [0.9, 0.9])
    run = runs[0]
    assert (run.ok, run.exit_code, run.error) == (False, 3, "exit code 3")
    assert run.stderr_tail.endswith("no GPU left") and len(run.stderr_tail) == 100
    assert runs[1] is None  # never twice for the same persisting condition
    assert state["runs"][0]["exit_code"] == 3


def test_command_timeout_and_missing_program_are_recorded(tmp_path: Path):
    slow = RetrainTrigger("drift_share > 0.3", action=CommandAction(
        [sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.3))
    _, [run] = feed(slow, [0.9])
    assert not run.ok and run.exit_code is None and "TimeoutExpired" in run.error
    absent = RetrainTrigger("drift_share > 0.3", action=CommandAction(
        [str(tmp_path / "no-such-program")]))
    _, [run] = feed(absent, [0.9])
    assert not run.ok and "FileNotFoundError" in run.error


def test_trigger_follows_an_engine_rule_by_name(tmp_path: Path):
    out = tmp_path / "runs.json"
    engine = AlertEngine([{"metric": "drift_share", "op": "gt", "value": 0.3,
                           "windows": 2, "name": "drift"}])
    trig = RetrainTrigger("drift", windows=2,
                          action=CommandAction([sys.executable, "-c", RECORD, str(out)]))
    e_state = t_state = None
    fired_at = []
    for i, v in enumerate([0.5, 0.5, 0.5, 0.5, 0.5]):
        e_state, events = engine.evaluate(win(i, v), e_state)
        t_state, run = trig.observe(win(i, v), t_state, events=events)
        if run is not None:
            fired_at.append(i)
    assert fired_at == [2]  # engine fires at window 1; active 2 windows at window 2
    assert json.loads(out.read_text())[0]["stdin"]["rule"] == "drift"
    with pytest.raises(ParameterError, match="events for trigger on rule 'drift'"):
        trig.observe(win(0, 0.5), None)


def test_webhook_action_records_http_status():
    with Receiver([500, 201]) as rx:
        trig = RetrainTrigger("drift_share > 0.3", windows=2,
                              action=WebhookAction(rx.url, retries=2, backoff=0.0))
        state, runs = feed(trig, [0.9, 0.9, 0.9])
    run = runs[1]
    assert (run.ok, run.http_status, run.action) == (True, 201, "webhook")
    assert len(rx.requests) == 2 and rx.requests[1]["json"]["windows"] == 2
    assert runs[0] is None and runs[2] is None
    assert state["runs"] == [{k: v for k, v in run.to_dict().items() if k != "context"}]


def test_bad_trigger_input():
    act = CommandAction([sys.executable, "-c", "pass"])
    with pytest.raises(ParameterError, match="trigger windows"):
        RetrainTrigger("x > 1", windows=0, action=act)
    with pytest.raises(ParameterError, match="command action argv"):
        CommandAction("python retrain.py")
    with pytest.raises(ParameterError, match="trigger action"):
        RetrainTrigger("x > 1", action="run it")
    trig = RetrainTrigger("x > 1", windows=2, action=act)
    assert trig.to_dict()["condition"]["metric"] == "x"
    assert trig.to_dict()["action"]["argv"][1:] == ["-c", "pass"]
