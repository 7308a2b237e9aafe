"""A privacy-budget accountant: a ledger of releases that refuses one past the budget.

Every differentially private release spends some ``(epsilon, delta)``. The accountant adds
them up and refuses, before any noise is drawn, a release that would take the total past the
budget, with a :class:`PrivacyBudgetError` saying what was spent, asked and remains.

* ``composition="basic"``: the sums ``sum(eps_i)`` and ``sum(delta_i)`` (Dwork & Roth 2014,
  theorem 3.16).
* ``composition="advanced"``: the heterogeneous advanced composition theorem (Kairouz, Oh &
  Viswanath 2015; Dwork, Rothblum & Vadhan 2010 for equal steps): for any slack
  ``delta_slack`` the releases are together ``(eps', sum(delta_i) + delta_slack)``-DP with
  ``eps' = sqrt(2 ln(1/delta_slack) sum(eps_i^2)) + sum(eps_i (e^eps_i - 1))``. The
  accountant keeps the smaller of the basic and the advanced bound (both hold); the
  advanced one wins only after many small releases.

>>> acc = PrivacyAccountant(epsilon=1.0)
>>> acc.spend(0.4, label="count"); acc.spend(0.4, label="mean")
>>> round(acc.remaining_epsilon, 10)
0.2
>>> acc.spend(0.5, label="histogram")
Traceback (most recent call last):
...
stalwart.privacy.dp.accountant.PrivacyBudgetError: privacy budget: expected a release of at most epsilon=0.2 (spent 0.8 of 1); got a release 'histogram' asking epsilon=0.5. Fix: lower this release's epsilon to 0.2 or less, or start a new budget period (a new PrivacyAccountant) for new data
>>> PrivacyAccountant.from_json(acc.to_json()).spent_epsilon == acc.spent_epsilon
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...exceptions import ParameterError

__all__ = ["LedgerEntry", "PrivacyAccountant", "PrivacyBudgetError"]

_TOL = 1e-12  # float sums of budgets such as 0.1 + 0.2 must not refuse an exact fit


class PrivacyBudgetError(ParameterError):
    """A release refused because the privacy budget would be exceeded."""


@dataclass(frozen=True)
class LedgerEntry:
    label: str
    epsilon: float
    delta: float
    mechanism: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "epsilon": self.epsilon, "delta": self.delta,
                "mechanism": self.mechanism}


def _budget(name: str, value: Any, *, allow_zero: bool) -> float:
    ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
          and math.isfinite(float(value)) and (float(value) >= 0 if allow_zero
                                               else float(value) > 0))
    if not ok:
        low = "0 or more" if allow_zero else "above 0"
        raise ParameterError(name, expected=f"a finite number {low}", got=repr(value),
                             fix=f"pass {name} as a positive number such as 1.0")
    return float(value)


class PrivacyAccountant:
    """The total ``(epsilon, delta)`` a data set may spend, and the releases spent so far."""

    def __init__(self, epsilon: float, delta: float = 0.0, *, composition: str = "basic",
                 delta_slack: float | None = None) -> None:
        self.epsilon = _budget("epsilon", epsilon, allow_zero=False)
        self.delta = _budget("delta", delta, allow_zero=True)
        if composition not in ("basic", "advanced"):
            raise ParameterError("composition", expected="'basic' or 'advanced'",
                                 got=repr(composition), fix="pick one of the two")
        if composition == "advanced":
            slack = self.delta / 2 if delta_slack is None else delta_slack
            if not (isinstance(slack, (int, float)) and 0 < slack <= self.delta < 1):
                raise ParameterError("delta_slack", expected="0 < delta_slack <= delta < 1 "
                                     "(advanced composition spends some delta)",
                                     got=f"delta_slack={slack!r}, delta={delta!r}",
                                     fix="give the accountant a delta such as 1e-6, or use "
                                     "composition='basic'")
            self.delta_slack = float(slack)
        else:
            self.delta_slack = 0.0
        self.composition = composition
        self.ledger: list[LedgerEntry] = []

    # -- arithmetic -------------------------------------------------------------------------
    def _total(self, entries: list[LedgerEntry]) -> tuple[float, float, str]:
        eps = [e.epsilon for e in entries]
        basic = (math.fsum(eps), math.fsum(e.delta for e in entries), "basic")
        if self.composition == "basic" or not entries:
            return basic
        adv_eps = (math.sqrt(2 * math.log(1 / self.delta_slack) * math.fsum(x * x for x in eps))
                   + math.fsum(x * math.expm1(x) for x in eps))
        advanced = (adv_eps, basic[1] + self.delta_slack, "advanced")
        fits = [t for t in (basic, advanced) if t[1] <= self.delta + _TOL]
        return min(fits or [basic], key=lambda t: t[0])

    @property
    def spent_epsilon(self) -> float:
        return self._total(self.ledger)[0]

    @property
    def spent_delta(self) -> float:
        return self._total(self.ledger)[1]

    @property
    def remaining_epsilon(self) -> float:
        return max(0.0, self.epsilon - self.spent_epsilon)

    @property
    def remaining_delta(self) -> float:
        return max(0.0, self.delta - self.spent_delta)

    def can_spend(self, epsilon: float, delta: float = 0.0) -> bool:
        """Whether a release of ``(epsilon, delta)`` fits in the remaining budget."""
        eps, dlt, _ = self._total(self.ledger + [LedgerEntry("?", epsilon, delta)])
        return eps <= self.epsilon + _TOL and dlt <= self.delta + _TOL

    def spend(self, epsilon: float, delta: float = 0.0, *, label: str = "release",
              mechanism: str = "") -> None:
        """Record a release, or raise :class:`PrivacyBudgetError` when it does not fit."""
        epsilon = _budget("epsilon of a release", epsilon, allow_zero=False)
        delta = _budget("delta of a release", delta, allow_zero=True)
        if not self.can_spend(epsilon, delta):
            spent_e, spent_d = self.spent_epsilon, self.spent_delta
            if self.remaining_epsilon <= _TOL:
                fix = ("the budget is spent: no release is possible on this data until a new "
                       "budget period (a new PrivacyAccountant) for new data")
            else:
                fix = (f"lower this release's epsilon to {self.remaining_epsilon:.6g} or "
                       "less, or start a new budget period (a new PrivacyAccountant) for new "
                       "data")
            want = f"epsilon={epsilon:.6g}" + (f", delta={delta:.3g}" if delta else "")
            limit = f"epsilon={self.remaining_epsilon:.6g}" + (
                f", delta={self.remaining_delta:.3g}" if self.delta else "")
            raise PrivacyBudgetError(
                "privacy budget",
                expected=f"a release of at most {limit} (spent {spent_e:.6g} of "
                         f"{self.epsilon:.6g}" + (f", delta {spent_d:.3g} of {self.delta:.3g}"
                                                  if self.delta else "") + ")",
                got=f"a release {label!r} asking {want}", fix=fix)
        self.ledger.append(LedgerEntry(str(label), epsilon, delta, mechanism))

    # -- serialisation ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        eps, dlt, rule = self._total(self.ledger)
        return {"schema_version": "1.0", "epsilon": self.epsilon, "delta": self.delta,
                "composition": self.composition, "delta_slack": self.delta_slack,
                "spent_epsilon": eps, "spent_delta": dlt, "bound_used": rule,
                "remaining_epsilon": self.remaining_epsilon,
                "remaining_delta": self.remaining_delta,
                "ledger": [e.to_dict() for e in self.ledger]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> PrivacyAccountant:
        kwargs: dict[str, Any] = {"composition": raw.get("composition", "basic")}
        if kwargs["composition"] == "advanced":
            kwargs["delta_slack"] = raw["delta_slack"]
        acc = cls(raw["epsilon"], raw.get("delta", 0.0), **kwargs)
        acc.ledger = [LedgerEntry(e["label"], float(e["epsilon"]), float(e["delta"]),
                                  e.get("mechanism", "")) for e in raw.get("ledger", [])]
        return acc

    @classmethod
    def from_json(cls, text: str) -> PrivacyAccountant:
        return cls.from_dict(json.loads(text))

    def __repr__(self) -> str:
        return (f"PrivacyAccountant(epsilon={self.epsilon:g}, delta={self.delta:g}, "
                f"spent_epsilon={self.spent_epsilon:.4g}, releases={len(self.ledger)})")
