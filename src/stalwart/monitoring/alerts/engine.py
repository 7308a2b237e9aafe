"""The alert engine: judge one window's metrics against rules, with persistent state.

``AlertEngine(rules).evaluate(window, state)`` returns ``(new_state, AlertEvents)``. The state
is plain JSON-able data (the store persists it between windows); the input state is never
modified. An alert is identified by its fingerprint ``monitor/rule/group`` (group is the
window's optional ``"group"`` key, such as a segment): while it keeps firing it is reported in
``firing`` with a growing ``count`` and raises no new notification.

A missing metric value (None, NaN or absent) never fires: the rule is listed in ``missing``
with the reason, a pending streak restarts, and a firing alert stays firing unchanged.

>>> engine = AlertEngine(["drift_share > 0.3 for 2 windows"])
>>> state = None
>>> for i, v in enumerate([0.5, 0.6, 0.1]):
...     w = {"monitor": "m", "window_start": f"d{i}", "window_end": f"d{i + 1}",
...          "metrics": {"drift_share": v}}
...     state, ev = engine.evaluate(w, state)
...     print(i, [a.rule for a in ev.fired], [a.rule for a in ev.resolved])
0 [] []
1 ['drift_share > 0.3 for 2 windows'] []
2 [] ['drift_share > 0.3 for 2 windows']
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from typing import Any

from ...exceptions import DataError, ParameterError
from .notification import Alert, AlertEvents
from .rules import Rule, observe

__all__ = ["STATE_VERSION", "AlertEngine", "fingerprint"]

STATE_VERSION = "1.0"
_SYM = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def fingerprint(monitor: str, rule: str, group: str = "") -> str:
    """The deduplication key of an alert."""
    return f"{monitor}/{rule}/{group}"


def _fresh() -> dict[str, Any]:
    return {"status": "ok", "streak": 0, "clear_streak": 0, "count": 0, "since": None,
            "history": []}


def _iso(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value) if value is not None and not isinstance(value, bool) else None
        except (TypeError, ValueError):
            return None
    if value is None or not math.isfinite(float(value)):
        return None
    return float(value)


class AlertEngine:
    """Evaluate windows against ``rules`` (Rule objects, their dicts or short texts)."""

    def __init__(self, rules: Iterable[Rule | Mapping[str, Any] | str]) -> None:
        self.rules = tuple(Rule.coerce(r) for r in rules)
        names = [r.name for r in self.rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ParameterError("alert rule names", expected="unique names (they key the "
                                 "alert state)", got=repr(dupes),
                                 fix="give each rule its own name=")

    def to_dict(self) -> dict[str, Any]:
        return {"rules": [r.to_dict() for r in self.rules]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AlertEngine:
        return cls(data.get("rules", []))

    @staticmethod
    def _check_window(window: Any) -> tuple[str, str, str, Mapping[str, Any], str]:
        if not isinstance(window, Mapping) or not isinstance(window.get("monitor"), str) \
                or not isinstance(window.get("metrics"), Mapping):
            raise DataError("alert window", expected="a mapping with 'monitor' (str), "
                            "'window_start', 'window_end' and 'metrics' ({name: number|None})",
                            got=repr(window)[:200], fix="pass a window result's dict")
        return (window["monitor"], _iso(window.get("window_start")),
                _iso(window.get("window_end")), window["metrics"],
                str(window.get("group") or ""))

    def evaluate(self, window: Mapping[str, Any],
                 state: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], AlertEvents]:
        monitor, start, end, metrics, group = self._check_window(window)
        new_state: dict[str, Any] = (copy.deepcopy(dict(state)) if state else
                                     {"schema_version": STATE_VERSION, "alerts": {}})
        new_state.setdefault("schema_version", STATE_VERSION)
        alerts = new_state.setdefault("alerts", {})
        fired: list[Alert] = []
        firing: list[Alert] = []
        resolved: list[Alert] = []
        missing: list[dict[str, Any]] = []
        pending: list[dict[str, Any]] = []
        for rule in self.rules:
            if rule.monitor is not None and rule.monitor != monitor:
                continue
            fp = fingerprint(monitor, rule.name, group)
            st = alerts.setdefault(fp, _fresh())
            value = _number(metrics.get(rule.metric))
            reason = None
            observed = None
            if value is None:
                reason = ("metric absent from the window" if rule.metric not in metrics
                          else "metric value is None")
            else:
                observed, reason = observe(rule, value, st["history"])
                if rule.kind == "relative" and rule.baseline_windows:
                    st["history"] = (st["history"] + [value])[-rule.baseline_windows:]

            def alert(status: str) -> Alert:
                return Alert(fingerprint=fp, rule=rule.name, monitor=monitor, group=group,
                             metric=rule.metric, severity=rule.severity, status=status,
                             value=value, observed=observed, threshold=rule.value,
                             count=st["count"], since=st["since"], window_start=start,
                             window_end=end, message=self._message(rule, value, observed))

            if observed is None:
                missing.append({"rule": rule.name, "metric": rule.metric, "fingerprint": fp,
                                "reason": reason})
                if st["status"] == "firing":
                    firing.append(alert("firing"))
                else:
                    st["streak"] = 0
                continue
            if st["status"] == "ok":
                if rule.breaches(observed):
                    st["streak"] += 1
                    if st["streak"] >= rule.windows:
                        st.update(status="firing", count=1, since=end, clear_streak=0)
                        fired.append(alert("firing"))
                    else:
                        pending.append({"rule": rule.name, "fingerprint": fp,
                                        "windows": st["streak"], "needed": rule.windows,
                                        "observed": observed})
                else:
                    st["streak"] = 0
                continue
            if rule.holds(observed):
                st["clear_streak"] = 0
                st["count"] += 1
                firing.append(alert("firing"))
                continue
            st["clear_streak"] += 1
            if st["clear_streak"] >= rule.clear_windows:
                resolved.append(alert("resolved"))
                st.update(status="ok", streak=0, clear_streak=0, count=0, since=None)
            else:
                st["count"] += 1
                firing.append(alert("firing"))
        return new_state, AlertEvents(monitor=monitor, window_start=start, window_end=end,
                                      fired=tuple(fired), firing=tuple(firing),
                                      resolved=tuple(resolved), missing=tuple(missing),
                                      pending=tuple(pending))

    @staticmethod
    def _message(rule: Rule, value: float | None, observed: float | None) -> str:
        if value is None or observed is None:
            return f"{rule.metric} could not be judged (missing value or baseline)"
        what = (f"{rule.metric}={value:.6g}" if rule.kind == "threshold" else
                f"{rule.metric}={value:.6g} ({rule.change} {observed:.6g})")
        return f"{what}; fires when {_SYM[rule.op]} {rule.value:g}"
