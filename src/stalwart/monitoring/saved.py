"""What a saved monitor carries for a scheduler, beyond its metrics: parsed and checked.

- ``schedule``: a period (``"1h"``, ``"15min"``: due when that long has passed since the
  last run) or ``"every N events"`` (due when N events arrived since the last evaluated
  window); None means on demand only.
- ``reference``: a period of the model's own logged events, ``{"start", "end"}`` (ISO
  date-times, ``[start, end)``) and optionally ``"model_version"``, the way NannyML uses a
  reference period; the metrics are fitted on those events at every run.
- ``rules``: alert rules (their dicts or short texts), ``channels``: names of channels saved
  in the store (``store.save_channel``), ``triggers``: retraining triggers as dicts
  ``{"condition", "windows", "action": {"type": "command", "argv": [...]}, "name"}``.

>>> parse_schedule("1h"), parse_schedule("every 500 events")
(Timedelta('0 days 01:00:00'), 500)
>>> parse_reference({"start": "2026-01-01", "end": "2026-01-08"})["end"]
'2026-01-08T00:00:00+00:00'
>>> trigger_from_dict({"condition": "drift_share > 0.3", "windows": 2,
...                    "action": {"type": "webhook", "url": "https://ci.example/retrain"}}).windows
2
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..exceptions import ParameterError
from .alerts import CommandAction, RetrainTrigger, Rule, WebhookAction
from .windows import parse_window

__all__ = ["normalise_channels", "normalise_rules", "normalise_triggers", "parse_reference",
           "parse_schedule", "trigger_from_dict"]

_EVERY = re.compile(r"^\s*every\s+(\d+)\s+events?\s*$", re.IGNORECASE)


def parse_schedule(schedule: Any) -> pd.Timedelta | int | None:
    """A period (:class:`pandas.Timedelta`), an event count (int) or None (on demand)."""
    if schedule is None:
        return None
    if isinstance(schedule, str):
        m = _EVERY.match(schedule)
        if m:
            n = int(m.group(1))
            if n >= 1:
                return n
        else:
            try:
                value = parse_window(schedule)
            except ParameterError:
                value = None
            if isinstance(value, pd.Timedelta):
                return value
    raise ParameterError("schedule", expected="a period such as '1h' or '15min', "
                         "'every N events' (N >= 1), or None (on demand only)",
                         got=repr(schedule), fix="pass schedule='1h' or 'every 1000 events'")


def _utc(value: Any, what: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = None
    if ts is None or ts is pd.NaT or not isinstance(value, (str, pd.Timestamp)):
        raise ParameterError(f"reference {what}", expected="an ISO-8601 date-time string",
                             got=repr(value), fix="pass e.g. '2026-01-01T00:00:00Z'")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def parse_reference(reference: Any) -> dict[str, Any] | None:
    """The reference period as ``{"start", "end"[, "model_version"]}`` (ISO, UTC)."""
    if reference is None:
        return None
    if not isinstance(reference, Mapping) or not {"start", "end"} <= set(reference):
        raise ParameterError("reference", expected="a period of logged events {'start': ..., "
                             "'end': ...} (optionally 'model_version')",
                             got=repr(reference)[:120],
                             fix="pass {'start': '2026-01-01', 'end': '2026-01-08'}")
    unknown = sorted(set(reference) - {"start", "end", "model_version"})
    if unknown:
        raise ParameterError("reference", expected="keys start, end, model_version",
                             got=f"unknown keys {unknown}", fix="drop those keys")
    start, end = _utc(reference["start"], "start"), _utc(reference["end"], "end")
    if end <= start:
        raise ParameterError("reference period", expected="start < end",
                             got=f"{start.isoformat()} .. {end.isoformat()}",
                             fix="pass the period's bounds in order")
    out: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat()}
    version = reference.get("model_version")
    if version is not None:
        if not isinstance(version, str) or not version:
            raise ParameterError("reference model_version", expected="a version name",
                                 got=repr(version), fix="pass model_version='3' or omit it")
        out["model_version"] = version
    return out


def normalise_rules(rules: Any) -> tuple[dict[str, Any], ...]:
    """Rules (Rule, dict or text) as their dicts, checked (names unique)."""
    if rules is None:
        return ()
    if isinstance(rules, (str, Mapping, Rule)):
        rules = [rules]
    parsed = [Rule.coerce(r) for r in rules]
    names = [r.name for r in parsed]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ParameterError("alert rule names", expected="unique names", got=repr(dupes),
                             fix="give each rule its own name=")
    return tuple(r.to_dict() for r in parsed)


def normalise_channels(channels: Any) -> tuple[str, ...]:
    """Channel names (the store resolves them to its saved channels)."""
    if channels is None:
        return ()
    if isinstance(channels, str):
        channels = [channels]
    out = tuple(channels)
    if not all(isinstance(c, str) and c for c in out):
        raise ParameterError("channels", expected="names of channels saved in the store",
                             got=repr(channels), fix="pass ['ops-webhook'] after "
                             "store.save_channel('ops-webhook', 'webhook', {...})")
    return out


def trigger_from_dict(data: Any) -> RetrainTrigger:
    """A :class:`RetrainTrigger` from its dict (:meth:`RetrainTrigger.to_dict`)."""
    if isinstance(data, RetrainTrigger):
        return data
    if not isinstance(data, Mapping) or "condition" not in data or "action" not in data:
        raise ParameterError("trigger", expected="{'condition': rule text or name, "
                             "'windows': N, 'action': {'type': 'command', 'argv': [...]}}",
                             got=repr(data)[:120], fix="pass RetrainTrigger(...).to_dict()")
    action = data["action"]
    kind = action.get("type") if isinstance(action, Mapping) else None
    options = {k: v for k, v in action.items() if k != "type"} if kind else {}
    classes = {"command": CommandAction, "webhook": WebhookAction}
    if kind not in classes:
        raise ParameterError("trigger action", expected="{'type': 'command', 'argv': [...]} "
                             "or {'type': 'webhook', 'url': ...}", got=repr(action)[:120],
                             fix="give the action a type")
    try:
        act = classes[kind](**options)
    except TypeError as exc:
        raise ParameterError(f"options of trigger action {kind!r}", expected="the action's "
                             "arguments", got=repr(options), fix=str(exc)) from None
    return RetrainTrigger(data["condition"], windows=data.get("windows", 1), action=act,
                          name=data.get("name"))


def normalise_triggers(triggers: Any) -> tuple[dict[str, Any], ...]:
    """Triggers as their dicts, checked by building each one."""
    if triggers is None:
        return ()
    if isinstance(triggers, (Mapping, RetrainTrigger)):
        triggers = [triggers]
    built = [trigger_from_dict(t) for t in triggers]
    names = [t.name for t in built]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ParameterError("trigger names", expected="unique names (they key the state)",
                             got=repr(dupes), fix="give each trigger its own name")
    return tuple(t.to_dict() for t in built)
