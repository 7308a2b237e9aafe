"""An alarm budget: per-window p-values in, alarms out, with a bounded false-alarm rate.

A monitor that runs a level-``alpha`` test on every window raises, on a stream that never
changes, about ``alpha`` false alarms per window: over 100 windows at 0.05 the chance of at
least one is 99.4%. :class:`AlarmBudget` spends a *false-alarm budget* ``rate`` over the
windows instead (alpha spending; a union bound, valid whatever the dependence between the
windows' tests, e.g. when every window is compared with the same reference):

- ``horizon=None`` (an open-ended stream): the ``k``-th tested window is judged at level
  ``alpha_k = rate * 6 / (pi^2 k^2)``; since ``sum 1/k^2 = pi^2 / 6`` the levels sum to
  ``rate``, so P(any false alarm, ever) <= ``rate``. The price: later windows need smaller
  p-values (``alpha_10 = 0.0003``, ``alpha_100 = 3e-6`` at ``rate=0.05``).
- ``horizon=N``: every window is judged at ``rate / N`` (Bonferroni) and the budget renews
  every ``N`` tested windows, so in each block of ``N`` windows P(any false alarm) <=
  ``rate`` and the expected number of false alarms is <= ``rate`` (a per-``N``-windows
  rate; flat power over time).
- ``consecutive=c``: an alarm needs ``c`` windows in a row that reject at their levels; it
  only removes alarms, so the bounds hold, and single-window blips are ignored.

Each window's decision is recorded (:class:`WindowDecision`: index, p-value, level spent,
budget spent so far, streak, alarm, and why). The p-values must be valid (P(p <= a) <= a
when nothing changed), e.g. an exact or conservative two-sample test of window vs reference.
After a real change is handled (the reference refitted) call :meth:`AlarmBudget.reset`: a new
reference is a new hypothesis with a new budget.

>>> budget = AlarmBudget(rate=0.05)
>>> for p in [0.5, 0.02, 0.3, 1e-6, 1e-7]:
...     _ = budget.update(p)
>>> budget.alarms
(3, 4)
>>> d = budget.decisions[1]
>>> round(d.level, 5), d.rejected, d.alarm
(0.0076, False, False)
>>> print(budget.decisions[3].reason)
alarm: p=1e-06 <= level 0.0019 (window 4 of the budget; 1 in a row, 1 needed)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import DataError, ParameterError

__all__ = ["AlarmBudget", "AlarmHistory", "WindowDecision", "spending_levels"]

SCHEMA_VERSION = "1.0"
_PI2_6 = math.pi ** 2 / 6.0


def _check(rate: Any, horizon: Any, consecutive: Any) -> None:
    if not (isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 < rate < 1):
        raise ParameterError("rate", expected="a false-alarm probability in (0, 1)",
                             got=repr(rate), fix="pass rate=0.05, for example")
    if horizon is not None and not (isinstance(horizon, int) and not isinstance(horizon, bool)
                                    and horizon >= 1):
        raise ParameterError("horizon", expected="None (open-ended) or an integer >= 1",
                             got=repr(horizon), fix="pass the number of windows per budget")
    if not (isinstance(consecutive, int) and not isinstance(consecutive, bool)
            and consecutive >= 1):
        raise ParameterError("consecutive", expected="an integer >= 1", got=repr(consecutive),
                             fix="pass consecutive=1 (alarm on the first rejecting window)")


def spending_levels(n_windows: int, *, rate: float = 0.05,
                    horizon: int | None = None) -> np.ndarray:
    """Levels ``alpha_1..alpha_n`` of the first ``n_windows`` tested windows (vectorised).

    >>> spending_levels(3, rate=0.05).round(5).tolist()
    [0.0304, 0.0076, 0.00338]
    >>> spending_levels(3, rate=0.05, horizon=10).tolist()
    [0.005, 0.005, 0.005]
    """
    _check(rate, horizon, 1)
    k = np.arange(1, int(n_windows) + 1, dtype=float)
    if horizon is None:
        return rate / _PI2_6 / k ** 2
    return np.full(k.shape, rate / horizon)


@dataclass(frozen=True)
class WindowDecision:
    """Why one window did or did not raise an alarm."""

    window: int          # 0-based index among all windows passed to ``update``
    p_value: float | None
    level: float         # alpha spent on this window (0 when it was not tested)
    spent: float         # budget spent so far in this budget (or block), this window included
    rejected: bool       # p_value <= level
    streak: int          # rejecting windows in a row, ending here
    alarm: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return jsonable({f: getattr(self, f) for f in self.__dataclass_fields__})


@dataclass(frozen=True)
class AlarmHistory:
    """Every decision of an :class:`AlarmBudget`, with its settings and guarantee."""

    rate: float
    horizon: int | None
    consecutive: int
    guarantee: str
    decisions: tuple[WindowDecision, ...]
    schema_version: str = field(default=SCHEMA_VERSION)

    @property
    def alarms(self) -> tuple[int, ...]:
        return tuple(d.window for d in self.decisions if d.alarm)

    @property
    def first_alarm(self) -> int | None:
        return self.alarms[0] if self.alarms else None

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "rate": self.rate,
                "horizon": self.horizon, "consecutive": self.consecutive,
                "guarantee": self.guarantee, "alarms": list(self.alarms),
                "first_alarm": self.first_alarm,
                "decisions": [d.to_dict() for d in self.decisions]}


class AlarmBudget:
    """Turn one p-value per window into alarm / no alarm within a false-alarm budget."""

    def __init__(self, *, rate: float = 0.05, horizon: int | None = None,
                 consecutive: int = 1) -> None:
        self.rate = rate
        self.horizon = horizon
        self.consecutive = consecutive

    @property
    def guarantee(self) -> str:
        if self.horizon is None:
            return (f"P(any false alarm over the whole stream) <= {self.rate} (alpha spending "
                    f"alpha_k = rate * 6 / (pi^2 k^2))")
        return (f"P(any false alarm within each block of {self.horizon} windows) <= "
                f"{self.rate}, so at most {self.rate} false alarms expected per "
                f"{self.horizon} windows (Bonferroni, level rate / horizon)")

    def reset(self) -> AlarmBudget:
        """Start a new budget (after the reference was refitted, for example)."""
        _check(self.rate, self.horizon, self.consecutive)
        self.decisions_: list[WindowDecision] = []
        self.k_ = 0          # tested windows since reset
        self.spent_ = 0.0
        self.streak_ = 0
        return self

    def update(self, p_value: float | None, *, note: str = "") -> AlarmBudget:
        """Judge the next window by its p-value; ``None``/NaN means it could not be tested
        (say why in ``note``): no budget is spent and the streak is broken."""
        if not hasattr(self, "k_"):
            self.reset()
        window = len(self.decisions_)
        if p_value is None or (isinstance(p_value, float) and math.isnan(p_value)):
            self.streak_ = 0
            why = f"not tested: {note}" if note else "not tested (no p-value)"
            self.decisions_.append(WindowDecision(window, None, 0.0, self.spent_, False, 0,
                                                  False, why))
            return self
        p = float(p_value)
        if not 0.0 <= p <= 1.0:
            raise DataError("p_value", expected="a number in [0, 1] (or None: not tested)",
                            got=repr(p_value), fix="pass the p-value of the window's test")
        self.k_ += 1
        if self.horizon is None:
            level = self.rate / _PI2_6 / self.k_ ** 2
            self.spent_ += level
            k_in = self.k_
        else:
            k_in = (self.k_ - 1) % self.horizon + 1
            level = self.rate / self.horizon
            self.spent_ = level * k_in
        rejected = p <= level
        self.streak_ = self.streak_ + 1 if rejected else 0
        alarm = self.streak_ >= self.consecutive
        cmp = "<=" if rejected else ">"
        head = "alarm" if alarm else ("rejected, waiting for confirmation" if rejected
                                      else "no alarm")
        reason = (f"{head}: p={p:.3g} {cmp} level {level:.3g} (window {k_in} of the budget; "
                  f"{self.streak_} in a row, {self.consecutive} needed)")
        self.decisions_.append(WindowDecision(window, p, level, self.spent_, rejected,
                                              self.streak_, alarm, reason))
        return self

    @property
    def alarm(self) -> bool:
        """Whether the last window raised an alarm."""
        decisions = getattr(self, "decisions_", [])
        return bool(decisions and decisions[-1].alarm)

    @property
    def decisions(self) -> tuple[WindowDecision, ...]:
        return tuple(getattr(self, "decisions_", ()))

    @property
    def alarms(self) -> tuple[int, ...]:
        """Indices of the windows that raised an alarm."""
        return tuple(d.window for d in self.decisions if d.alarm)

    @property
    def spent(self) -> float:
        """Budget spent so far (in the current block when ``horizon`` is set)."""
        return getattr(self, "spent_", 0.0)

    def history(self) -> AlarmHistory:
        """A frozen, JSON-able record of every decision so far."""
        _check(self.rate, self.horizon, self.consecutive)
        return AlarmHistory(self.rate, self.horizon, self.consecutive, self.guarantee,
                            self.decisions)
