"""Conditions turn a check's metric into pass / warn / fail.

>>> c = Condition("missing_share", "lt", 0.05)
>>> c.evaluate({"missing_share": 0.2}).status.value
'fail'
>>> Condition("missing_share", "lt", 0.05, severity="warn").evaluate({"missing_share": 0.01}).status.value
'pass'
>>> Condition.parse("auc >= 0.8").describe()
'auc >= 0.8'

Relative conditions compare the metric with the same metric on the reference data:

>>> c = Condition("missing_share", "le", 0.02, relative="difference")
>>> c.evaluate({"missing_share": 0.10}, {"missing_share": 0.05}).status.value
'fail'
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import ParameterError
from .result import ConditionResult, Status

__all__ = ["OPS", "Condition"]

OPS: dict[str, str] = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==",
                       "between": "in", "outside": "not in"}
_SYMBOL_TO_OP = {v: k for k, v in OPS.items() if k not in ("between", "outside")}
_RELATIVE = (None, "difference", "ratio")


@dataclass(frozen=True)
class Condition:
    """``metric op threshold`` with a severity; optionally relative to the reference.

    ``relative='difference'`` compares ``value - reference_value``; ``'ratio'`` compares
    ``value / reference_value``.
    """

    metric: str
    op: str
    threshold: float | tuple[float, float]
    severity: str = "fail"
    relative: str | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ParameterError("condition operator", expected=f"one of {sorted(OPS)}",
                                 got=repr(self.op), fix="use lt, le, gt, ge, eq, between or outside")
        if self.severity not in ("warn", "fail"):
            raise ParameterError("condition severity", expected="'warn' or 'fail'",
                                 got=repr(self.severity), fix="use severity='warn' or 'fail'")
        if self.relative not in _RELATIVE:
            raise ParameterError("condition relative", expected="None, 'difference' or 'ratio'",
                                 got=repr(self.relative), fix="use one of the listed values")
        two = self.op in ("between", "outside")
        if two:
            pair = self.threshold
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2
                    and all(_is_number(v) for v in pair) and pair[0] <= pair[1]):
                raise ParameterError(f"threshold of {self.op!r}",
                                     expected="a (low, high) pair of numbers with low <= high",
                                     got=repr(pair), fix="pass threshold=(low, high)")
        elif not _is_number(self.threshold):
            raise ParameterError(f"threshold of {self.op!r}", expected="a number (not NaN)",
                                 got=repr(self.threshold), fix="pass a single number")

    @classmethod
    def parse(cls, text: str, *, severity: str = "fail") -> Condition:
        """Parse ``"metric < 0.05"`` (operators <, <=, >, >=, ==)."""
        m = re.fullmatch(r"\s*([A-Za-z_][\w.]*)\s*(<=|>=|==|<|>)\s*([-+0-9.eE]+)\s*", text)
        if not m:
            raise ParameterError("condition", expected="'metric OP number', e.g. 'auc >= 0.8'",
                                 got=repr(text), fix="write the condition in that form")
        return cls(m.group(1), _SYMBOL_TO_OP[m.group(2)], float(m.group(3)), severity=severity)

    def describe(self) -> str:
        if self.name:
            return self.name
        lhs = self.metric
        if self.relative == "difference":
            lhs = f"{self.metric} - reference {self.metric}"
        elif self.relative == "ratio":
            lhs = f"{self.metric} / reference {self.metric}"
        if self.op in ("between", "outside"):
            lo, hi = self.threshold  # type: ignore[misc]
            return f"{lhs} {OPS[self.op]} [{lo:g}, {hi:g}]"
        return f"{lhs} {OPS[self.op]} {self.threshold:g}"

    def evaluate(self, metrics: Mapping[str, Any],
                 reference_metrics: Mapping[str, Any] | None = None) -> ConditionResult:
        desc = self.describe()
        if self.metric not in metrics:
            return ConditionResult(desc, Status.ERROR, self.metric, None,
                                   f"the check reports no metric {self.metric!r}; "
                                   f"it reports: {sorted(metrics)}")
        value = metrics[self.metric]
        if value is None or (isinstance(value, numbers.Real) and math.isnan(float(value))):
            return ConditionResult(desc, Status.SKIP, self.metric, None,
                                   f"{self.metric} is not defined on this data")
        compared = float(value)
        if self.relative is not None:
            ref = None if reference_metrics is None else reference_metrics.get(self.metric)
            if ref is None:
                return ConditionResult(desc, Status.SKIP, self.metric, value,
                                       "needs reference data, and none was given")
            if self.relative == "difference":
                compared = compared - float(ref)
            elif float(ref) == 0.0:
                return ConditionResult(desc, Status.SKIP, self.metric, value,
                                       "the reference value is 0, so a ratio is undefined")
            else:
                compared = compared / float(ref)
        ok = _holds(self.op, compared, self.threshold)
        status = Status.PASS if ok else Status(self.severity)
        verdict = "holds" if ok else "does not hold"
        return ConditionResult(desc, status, self.metric, compared,
                               f"{desc} {verdict} (value {compared:.4g})")

    def to_dict(self) -> dict[str, Any]:
        thr = list(self.threshold) if isinstance(self.threshold, tuple) else self.threshold
        return {"metric": self.metric, "op": self.op, "threshold": thr,
                "severity": self.severity, "relative": self.relative, "name": self.name}


def _is_number(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and not math.isnan(float(value)))


def _holds(op: str, value: float, threshold: Any) -> bool:
    if op == "lt":
        return value < threshold
    if op == "le":
        return value <= threshold
    if op == "gt":
        return value > threshold
    if op == "ge":
        return value >= threshold
    if op == "eq":
        return math.isclose(value, threshold, rel_tol=1e-9, abs_tol=1e-12)
    lo, hi = threshold
    inside = lo <= value <= hi
    return inside if op == "between" else not inside
