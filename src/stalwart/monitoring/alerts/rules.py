"""Alert rules: declarative, JSON-able conditions on one window metric.

Two kinds (registry :data:`RULE_KINDS`): ``threshold`` compares the metric itself with
``value``; ``relative`` compares its change against a baseline (a fixed ``baseline`` or the
trailing mean of the last ``baseline_windows`` windows, as a ``difference`` or a ``ratio``).
``windows`` breaching windows in a row fire the rule; with ``clear`` (hysteresis) a firing
rule stays active while the observed value is still beyond ``clear`` and resolves only past it.

>>> rule = Rule.parse("drift_share > 0.3 for 3 windows clear 0.2", severity="critical")
>>> (rule.metric, rule.op, rule.value, rule.windows, rule.clear, rule.severity)
('drift_share', 'gt', 0.3, 3, 0.2, 'critical')
>>> Rule.from_dict(rule.to_dict()) == rule
True
>>> rule.breaches(0.35), rule.holds(0.25), rule.holds(0.2)
(True, True, False)
"""

from __future__ import annotations

import dataclasses
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..._registry import Registry
from ...exceptions import ParameterError

__all__ = ["OPS", "RULE_KINDS", "SEVERITIES", "Rule", "observe"]

OPS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}
_SYMBOLS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
SEVERITIES = ("info", "warning", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
CHANGES = ("difference", "ratio")

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TEXT = re.compile(
    rf"^\s*(?P<metric>[A-Za-z_][\w.:-]*)\s*(?P<op><=|>=|<|>)\s*(?P<value>{_NUM})"
    rf"(?:\s+for\s+(?P<n>\d+)\s+windows?)?"
    rf"(?:\s+clear\s+(?:at\s+)?(?P<clear>{_NUM}))?\s*$")


def _bad(what: str, expected: str, got: Any, fix: str) -> ParameterError:
    return ParameterError(what, expected=expected, got=repr(got), fix=fix)


@dataclass(frozen=True)
class Rule:
    """One alert rule; construct directly, from :meth:`from_dict` or :meth:`parse`."""

    metric: str
    op: str
    value: float
    name: str = ""
    kind: str = "threshold"
    windows: int = 1
    clear: float | None = None
    clear_windows: int = 1
    severity: str = "warning"
    baseline: float | None = None
    baseline_windows: int | None = None
    change: str = "difference"
    monitor: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.metric, str) or not self.metric.strip():
            raise _bad("rule metric", "the name of a window metric", self.metric,
                       "pass metric='drift_share' (a key of the window's metrics)")
        if self.op not in OPS:
            op = _SYMBOLS.get(str(self.op))
            if op is None:
                raise _bad(f"rule op for {self.metric!r}", f"one of {sorted(OPS)} or < <= > >=",
                           self.op, "use op='gt' (greater than) or another listed op")
            object.__setattr__(self, "op", op)
        for field in ("value",) + (("clear",) if self.clear is not None else ()):
            v = getattr(self, field)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise _bad(f"rule {field} for {self.metric!r}", "a finite number", v,
                           f"pass {field}=0.3 or similar")
            object.__setattr__(self, field, float(v))
        for field in ("windows", "clear_windows"):
            n = getattr(self, field)
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise _bad(f"rule {field} for {self.metric!r}", "an integer >= 1", n,
                           f"pass {field}=1 to act on a single window, or more to wait")
        if self.severity not in SEVERITIES:
            raise _bad(f"rule severity for {self.metric!r}", f"one of {list(SEVERITIES)}",
                       self.severity, "pass severity='warning'")
        if self.kind not in RULE_KINDS:
            raise _bad(f"rule kind for {self.metric!r}", f"one of {RULE_KINDS.names()}",
                       self.kind, "pass kind='threshold' or kind='relative'")
        if self.clear is not None and self.breaches(self.clear) and self.clear != self.value:
            raise _bad(f"rule clear level for {self.metric!r}",
                       f"a level on the safe side of value={self.value} for op {self.op}",
                       self.clear, "for op 'gt' pass clear below value (fire 0.3, clear 0.2)")
        if not isinstance(self.name, str) or not (self.monitor is None
                                                  or isinstance(self.monitor, str)):
            raise _bad(f"rule name/monitor for {self.metric!r}", "strings (monitor may be None)",
                       (self.name, self.monitor), "pass name='drift', monitor='churn'")
        if self.kind != "relative" and (self.baseline is not None
                                        or self.baseline_windows is not None):
            raise _bad(f"rule baseline for {self.metric!r}", "a baseline only on relative rules",
                       (self.kind, self.baseline, self.baseline_windows),
                       "add kind='relative', or drop baseline/baseline_windows")
        if self.kind == "relative":
            if self.change not in CHANGES:
                raise _bad(f"rule change for {self.metric!r}", f"one of {list(CHANGES)}",
                           self.change, "pass change='difference' or change='ratio'")
            if (self.baseline is None) == (self.baseline_windows is None):
                raise _bad(f"relative rule baseline for {self.metric!r}",
                           "exactly one of baseline (a fixed value) or baseline_windows (N)",
                           (self.baseline, self.baseline_windows),
                           "pass baseline=0.9 or baseline_windows=4")
            n = self.baseline_windows
            if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
                raise _bad(f"rule baseline_windows for {self.metric!r}", "an integer >= 1", n,
                           "pass baseline_windows=4 (the trailing mean of 4 windows)")
        if not self.name:
            object.__setattr__(self, "name", self._default_name())

    def _default_name(self) -> str:
        inv = {v: k for k, v in _SYMBOLS.items()}
        base = f"{self.metric} {inv[self.op]} {self.value:g}"
        if self.kind == "relative":
            ref = (f"{self.baseline:g}" if self.baseline is not None
                   else f"mean of last {self.baseline_windows}")
            base = f"{self.metric} {self.change} vs {ref} {inv[self.op]} {self.value:g}"
        return base + (f" for {self.windows} windows" if self.windows > 1 else "")

    # --- the condition -------------------------------------------------------------------
    def breaches(self, observed: float) -> bool:
        """Does ``observed`` (the metric, or its change for relative rules) breach?"""
        return OPS[self.op](observed, self.value)

    def holds(self, observed: float) -> bool:
        """Does an already firing rule stay active at ``observed`` (hysteresis)?"""
        level = self.value if self.clear is None else self.clear
        return OPS[self.op](observed, level)

    # --- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        if not isinstance(data, Mapping):
            raise _bad("rule", "a mapping such as {'metric': 'drift_share', 'op': 'gt', "
                       "'value': 0.3}", type(data).__name__, "pass a dict")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise _bad("rule keys", f"keys among {sorted(known)}", unknown,
                       "remove or rename the unknown keys")
        for key in ("metric", "op", "value"):
            if key not in data:
                raise _bad(f"rule key {key!r}", "metric, op and value in every rule",
                           dict(data), f"add {key!r} to the rule")
        return cls(**dict(data))

    @classmethod
    def parse(cls, text: str, **options: Any) -> Rule:
        """Parse ``"metric > 0.3 [for N windows] [clear 0.2]"``; other fields as keywords."""
        m = _TEXT.match(text) if isinstance(text, str) else None
        if m is None:
            raise _bad("rule text", "'<metric> <op> <number> [for N windows] [clear <number>]'"
                       " with op one of < <= > >=", text,
                       "write e.g. 'drift_share > 0.3 for 3 windows clear 0.2'")
        fields: dict[str, Any] = {"metric": m["metric"], "op": _SYMBOLS[m["op"]],
                                  "value": float(m["value"])}
        if m["n"] is not None:
            fields["windows"] = int(m["n"])
        if m["clear"] is not None:
            fields["clear"] = float(m["clear"])
        return cls(**{**fields, **options})

    @classmethod
    def coerce(cls, spec: Rule | Mapping[str, Any] | str) -> Rule:
        """A rule from a Rule, its dict or its short text."""
        if isinstance(spec, Rule):
            return spec
        if isinstance(spec, str):
            return cls.parse(spec)
        return cls.from_dict(spec)


# --- rule kinds: how the observed value is derived from the metric -----------------------
Observed = "tuple[float | None, str | None]"
Observer = Callable[[Rule, float, Sequence[float]], Observed]
RULE_KINDS: Registry[Observer] = Registry("alert rule kind")


def _threshold(rule: Rule, value: float, history: Sequence[float]) -> Observed:
    return value, None


def _relative(rule: Rule, value: float, history: Sequence[float]) -> Observed:
    if rule.baseline is not None:
        base = rule.baseline
    else:
        n = int(rule.baseline_windows or 1)
        if len(history) < n:
            return None, f"baseline needs {n} earlier windows, has {len(history)}"
        base = sum(history[-n:]) / n
    if rule.change == "ratio":
        if base == 0:
            return None, "baseline is 0: a ratio is undefined"
        return value / base, None
    return value - base, None


RULE_KINDS.register("threshold", _threshold, needs_history=False)
RULE_KINDS.register("relative", _relative, needs_history=True)


def observe(rule: Rule, value: float, history: Sequence[float]) -> tuple[float | None, str | None]:
    """The value the rule compares (or None and the reason it cannot be computed)."""
    return RULE_KINDS.get(rule.kind)(rule, value, history)
