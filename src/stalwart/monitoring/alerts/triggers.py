"""Retraining triggers: act when an alert condition persists for N windows.

``RetrainTrigger(condition, windows=N, action=...)`` watches either the alerts of a rule
(``condition`` is a rule name of the engine whose events are passed in) or its own condition
(a :class:`~stalwart.monitoring.alerts.rules.Rule`, its dict, or a short text such as
``"drift_share > 0.3"``, judged on the window). When the condition has been active for
``windows`` windows in a row for one fingerprint, the action runs once with the alert context
as JSON; it does not run again for that fingerprint until the condition has resolved.

Actions: :class:`CommandAction` runs an argv list (no shell) with the context on stdin and in
the ``STALWART_ALERT_CONTEXT`` environment variable; :class:`WebhookAction` POSTs it. Each run
is recorded (exit code and stderr tail, or HTTP status) in the result and in the state.

>>> import sys
>>> trig = RetrainTrigger("x > 1", windows=2,
...                       action=CommandAction([sys.executable, "-c", "pass"]))
>>> state, runs = None, []
>>> for v in [2, 3, 4, 0, 5, 6]:
...     w = {"monitor": "m", "window_start": "s", "window_end": "e", "metrics": {"x": v}}
...     state, run = trig.observe(w, state)
...     runs.append(None if run is None else run.exit_code)
>>> runs
[None, 0, None, None, None, 0]
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

from ...exceptions import ParameterError
from .channels.webhook import post_json
from .engine import AlertEngine
from .notification import Alert, AlertEvents
from .result import TriggerRun
from .rules import Rule

__all__ = ["CONTEXT_ENV", "CommandAction", "RetrainTrigger", "WebhookAction"]

CONTEXT_ENV = "STALWART_ALERT_CONTEXT"


class CommandAction:
    """Run ``argv`` (a list, never through a shell) with the context on stdin and in env."""

    name = "command"

    def __init__(self, argv: Sequence[str], *, timeout: float = 600.0,
                 env: Mapping[str, str] | None = None, tail: int = 2000) -> None:
        if isinstance(argv, str) or not argv or not all(isinstance(a, str) for a in argv):
            raise ParameterError("command action argv", expected="a non-empty list of strings",
                                 got=repr(argv), fix="pass ['python', 'retrain.py'] (no shell)")
        self.argv = list(argv)
        self.timeout = float(timeout)
        self.env = dict(env or {})
        self.tail = int(tail)

    def run(self, context: dict[str, Any], *, trigger: str, fp: str) -> TriggerRun:
        payload = json.dumps(context, sort_keys=True)
        env = {**os.environ, **self.env, CONTEXT_ENV: payload}
        try:
            proc = subprocess.run(self.argv, input=payload, env=env, capture_output=True,
                                  text=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            err = exc.stderr if isinstance(exc, subprocess.TimeoutExpired) else None
            tail = err.decode(errors="replace") if isinstance(err, bytes) else (err or "")
            return TriggerRun(trigger=trigger, fingerprint=fp, action=self.name, ok=False,
                              stderr_tail=tail[-self.tail:],
                              error=f"{type(exc).__name__}: {exc}", context=context)
        return TriggerRun(trigger=trigger, fingerprint=fp, action=self.name,
                          ok=proc.returncode == 0, exit_code=proc.returncode,
                          stderr_tail=proc.stderr[-self.tail:], context=context,
                          error=None if proc.returncode == 0 else f"exit code {proc.returncode}")

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.name, "argv": self.argv, "timeout": self.timeout}


class WebhookAction:
    """POST the context JSON to ``url`` (retries like the webhook channel)."""

    name = "webhook"

    def __init__(self, url: str, *, timeout: float = 10.0, retries: int = 3,
                 backoff: float = 0.5, headers: Mapping[str, str] | None = None) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ParameterError("webhook action url", expected="an http:// or https:// URL",
                                 got=repr(url), fix="pass url='https://ci.example/retrain'")
        self.url = url
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.headers = dict(headers or {})

    def run(self, context: dict[str, Any], *, trigger: str, fp: str) -> TriggerRun:
        res = post_json(self.url, context, timeout=self.timeout, retries=self.retries,
                        backoff=self.backoff, headers=self.headers, channel=self.name)
        return TriggerRun(trigger=trigger, fingerprint=fp, action=self.name, ok=res.ok,
                          http_status=res.status, error=res.error, context=context)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.name, "url": self.url, "timeout": self.timeout,
                "retries": self.retries, "backoff": self.backoff}


class RetrainTrigger:
    """Run ``action`` once when ``condition`` has been active ``windows`` windows in a row."""

    def __init__(self, condition: str | Rule | Mapping[str, Any], *, windows: int = 1,
                 action: CommandAction | WebhookAction, name: str | None = None) -> None:
        if isinstance(windows, bool) or not isinstance(windows, int) or windows < 1:
            raise ParameterError("trigger windows", expected="an integer >= 1",
                                 got=repr(windows), fix="pass windows=3")
        if not hasattr(action, "run"):
            raise ParameterError("trigger action", expected="CommandAction or WebhookAction",
                                 got=type(action).__name__, fix="pass action=CommandAction([..])")
        self._engine: AlertEngine | None = None
        self._by_name = isinstance(condition, str)
        if isinstance(condition, str) and not _looks_like_rule(condition):
            self.rule_name = condition
        else:
            rule = Rule.coerce(condition)
            self._engine = AlertEngine([rule])
            self.rule_name = rule.name
        self.windows = windows
        self.action = action
        self.name = name or f"retrain on {self.rule_name}"

    def observe(self, window: Mapping[str, Any] | None, state: Mapping[str, Any] | None = None,
                *, events: AlertEvents | None = None
                ) -> tuple[dict[str, Any], TriggerRun | None]:
        """Update with one window; returns the new state and the run, if the action ran."""
        new: dict[str, Any] = (copy.deepcopy(dict(state)) if state else
                               {"schema_version": "1.0", "engine": None, "conditions": {},
                                "runs": []})
        if self._engine is not None and not (self._by_name and events is not None):
            if window is None:
                raise ParameterError("trigger window", expected="the window (the trigger "
                                     "judges its own condition)", got="None",
                                     fix="pass the window mapping")
            new["engine"], events = self._engine.evaluate(window, new.get("engine"))
        elif events is None:
            raise ParameterError(f"events for trigger on rule {self.rule_name!r}",
                                 expected="the AlertEvents of the engine that has this rule",
                                 got="None", fix="pass events=engine.evaluate(window, s)[1]")
        conds = new.setdefault("conditions", {})
        active = {a.fingerprint: a for a in events.active if a.rule == self.rule_name}
        prefix = f"{events.monitor}/"
        for fp in list(conds):
            if fp.startswith(prefix) and fp not in active:
                del conds[fp]  # resolved: may fire again later
        run: TriggerRun | None = None
        for fp, alert in active.items():
            c = conds.setdefault(fp, {"windows": 0, "fired": False})
            c["windows"] += 1
            if c["windows"] >= self.windows and not c["fired"]:
                c["fired"] = True
                run = self.action.run(self._context(alert, c["windows"]),
                                      trigger=self.name, fp=fp)
                new.setdefault("runs", []).append(
                    {k: v for k, v in run.to_dict().items() if k != "context"})
                new["runs"] = new["runs"][-50:]
        return new, run

    def _context(self, alert: Alert, windows: int) -> dict[str, Any]:
        return {"schema_version": "1.0", "trigger": self.name, "rule": alert.rule,
                "monitor": alert.monitor, "group": alert.group,
                "fingerprint": alert.fingerprint, "windows": windows,
                "window_start": alert.window_start, "window_end": alert.window_end,
                "alert": alert.to_dict()}

    def to_dict(self) -> dict[str, Any]:
        cond: Any = (self._engine.rules[0].to_dict() if self._engine is not None
                     else self.rule_name)
        return {"name": self.name, "condition": cond, "windows": self.windows,
                "action": self.action.to_dict()}


def _looks_like_rule(text: str) -> bool:
    return any(sym in text for sym in ("<", ">"))
