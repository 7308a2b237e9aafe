"""How thick the rule layer is, and its budget.

Thickness is three numbers over a replay of traffic: the number of **active rules**, the
**share of traffic** they match and the **share of outputs** they change. A rule layer is a
patch; when it grows past its :class:`RuleBudget` the model should be retrained, and the
budget check says so ("retrain: the rule layer is thicker than its budget") and can turn
into a monitoring :class:`~stalwart.monitoring.alerts.Alert`.

>>> import numpy as np, pandas as pd
>>> from stalwart.lifecycle.rules import RuleSet
>>> rules = RuleSet.from_dict({"rules": [{"id": "r1", "condition": "x > 2",
...     "action": "set prediction = 0", "owner": "o", "reason": "r"}]})
>>> t = measure_thickness(rules, pd.DataFrame({"x": [1, 2, 3, 4]}), np.array([1, 1, 1, 0]),
...                       now="2026-01-01")
>>> t.n_active, t.traffic_share, t.changed_share
(1, 0.5, 0.25)
>>> check = RuleBudget(max_rules=5, max_traffic=0.2).check(t)
>>> check.crossed
('max_traffic',)
>>> print(check.message)
retrain: the rule layer is thicker than its budget (share of traffic matched 0.5 > 0.2)
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from ..._json import FieldsJSON, jsonable
from ...exceptions import ParameterError
from ...reports.page import render_page
from .application import RuleApplication
from .ruleset import RuleSet

__all__ = ["RETRAIN_MESSAGE", "BudgetCheck", "RuleBudget", "Thickness", "measure_thickness",
           "thickness_numbers"]

RETRAIN_MESSAGE = "retrain: the rule layer is thicker than its budget"


@dataclass(frozen=True)
class Thickness(FieldsJSON):
    """The rule layer's thickness over one replay."""

    ruleset_version: int
    on: dt.date
    n_rows: int
    n_rules: int
    n_active: int
    n_expired: int
    traffic_share: float
    changed_share: float
    routed_share: float
    rejected_share: float
    counts: dict[str, dict[str, int]]
    expired: tuple[str, ...] = ()
    schema_version: str = "1"

    @classmethod
    def from_application(cls, app: RuleApplication) -> Thickness:
        n = app.n_rows
        return cls(ruleset_version=app.ruleset_version, on=app.on, n_rows=n,
                   n_rules=len(app.counts), n_active=len(app.active),
                   n_expired=len(app.expired), traffic_share=app.traffic_share,
                   changed_share=app.changed_share,
                   routed_share=len(app.routed) / n if n else 0.0,
                   rejected_share=len(app.rejected) / n if n else 0.0,
                   counts=app.counts, expired=app.expired)

    def to_html(self) -> str:
        d = self.to_dict()
        rows = [[rid, c["hits"], c["changed"], c["routed"], c["rejected"]]
                for rid, c in d["counts"].items()]
        return render_page("Rule layer thickness", facts=_facts(d), tables=[
            ("Per rule", ["rule", "hits", "changed", "routed", "rejected"], rows)])


def _facts(d: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("rule set version", d["ruleset_version"]), ("measured on", d["on"]),
            ("rows replayed", d["n_rows"]), ("active rules", d["n_active"]),
            ("expired rules", d["n_expired"]), ("share of traffic matched", d["traffic_share"]),
            ("share of outputs changed", d["changed_share"]),
            ("share routed to review", d["routed_share"]),
            ("share rejected", d["rejected_share"])]


def measure_thickness(ruleset: RuleSet, X: Any, predictions: Any, proba: Any = None, *,
                      classes: Any = None, now: Any = None) -> Thickness:
    """Replay ``X`` (with the model's ``predictions`` and ``proba``) through the rules."""
    return Thickness.from_application(ruleset.apply(X, predictions, proba, classes=classes,
                                                    now=now))


def thickness_numbers(app: RuleApplication) -> dict[str, float]:
    """The three thickness numbers of one application, named as window metrics."""
    return {"rule_count": float(len(app.active)), "rule_traffic_share": app.traffic_share,
            "rule_changed_share": app.changed_share}


_LIMITS = (("max_rules", "n_active", "active rules"),
           ("max_traffic", "traffic_share", "share of traffic matched"),
           ("max_changed", "changed_share", "share of outputs changed"))


@dataclass(frozen=True)
class RuleBudget:
    """Upper bounds on the thickness; None leaves a number unbounded."""

    max_rules: int | None = None
    max_traffic: float | None = None
    max_changed: float | None = None

    def __post_init__(self) -> None:
        r = self.max_rules
        if r is not None and (isinstance(r, bool) or not isinstance(r, int) or r < 0):
            raise ParameterError("max_rules", expected="an integer >= 0 or None", got=repr(r),
                                 fix="pass e.g. max_rules=10")
        for name in ("max_traffic", "max_changed"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or not math.isfinite(v) or not 0 <= v <= 1):
                raise ParameterError(name, expected="a share in [0, 1] or None", got=repr(v),
                                     fix=f"pass e.g. {name}=0.05")
        if r is None and self.max_traffic is None and self.max_changed is None:
            raise ParameterError("rule budget", expected="at least one bound", got="none",
                                 fix="pass max_rules=, max_traffic= or max_changed=")

    def to_dict(self) -> dict[str, Any]:
        return {"max_rules": self.max_rules, "max_traffic": self.max_traffic,
                "max_changed": self.max_changed}

    def check(self, thickness: Thickness | RuleApplication) -> BudgetCheck:
        t = (Thickness.from_application(thickness) if isinstance(thickness, RuleApplication)
             else thickness)
        crossed, why = [], []
        for bound, attr, label in _LIMITS:
            limit = getattr(self, bound)
            value = getattr(t, attr)
            if limit is not None and value > limit:
                crossed.append(bound)
                why.append(f"{label} {value:.4g} > {limit:.4g}")
        message = f"{RETRAIN_MESSAGE} ({'; '.join(why)})" if crossed else (
            "within budget: the rule layer is thinner than every bound")
        return BudgetCheck(thickness=t, budget=self, crossed=tuple(crossed), message=message)


@dataclass(frozen=True)
class BudgetCheck:
    """The verdict of :meth:`RuleBudget.check`: which bounds are crossed, and the message."""

    thickness: Thickness
    budget: RuleBudget
    crossed: tuple[str, ...]
    message: str
    schema_version: str = "1"

    @property
    def passed(self) -> bool:
        return not self.crossed

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "passed": self.passed,
                         "crossed": list(self.crossed), "message": self.message,
                         "budget": self.budget.to_dict(),
                         "thickness": self.thickness.to_dict()})

    def alert(self, *, model: str, window_start: Any = None, window_end: Any = None,
              severity: str = "warning") -> Any:
        """A firing monitoring Alert asking for retraining, or None within budget."""
        from ...monitoring.alerts import Alert

        if self.passed:
            return None
        t = self.thickness
        first = self.crossed[0]
        attr = dict((b, a) for b, a, _ in _LIMITS)[first]
        end = str(window_end if window_end is not None else t.on.isoformat())
        return Alert(fingerprint=f"rules/{model}/thickness", rule=f"rule budget {first}",
                     monitor=f"rules/{model}", group="", metric=attr, severity=severity,
                     status="firing", value=float(getattr(t, attr)),
                     observed=float(getattr(t, attr)), threshold=float(getattr(self.budget,
                                                                               first)),
                     count=1, since=end, window_start=str(window_start or end),
                     window_end=end, message=self.message)

    def to_html(self) -> str:
        d = self.to_dict()
        limits = [[bound, d["budget"][bound], d["thickness"][attr],
                   "crossed" if bound in self.crossed else "within"]
                  for bound, attr, _ in _LIMITS]
        return render_page("Rule layer budget", message=self.message,
                           facts=_facts(d["thickness"]),
                           tables=[("Bounds", ["bound", "limit", "value", "state"], limits)])
