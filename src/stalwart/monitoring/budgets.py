"""Alarm budgets carried between persisted runs of a monitor.

A window metric with a false-alarm budget (``data_drift``: a
:class:`~stalwart.drift.sequential.AlarmBudget` in its per-pass ``run`` dict) spends it over
the windows of one pass. A scheduled monitor evaluates a window or two per run, so a fresh
budget per run would judge every window at the first window's level and lose the guarantee
(P(any false alarm over the stream) <= ``alarm_rate``). These helpers write a budget's
counters (tested windows, budget spent, rejecting streak) into the monitor's stored state
and rebuild it at the next run. A budget is restarted, as a new reference is a new
hypothesis, when the metric's options or the monitor's reference period change.

>>> from stalwart.drift.sequential import AlarmBudget
>>> run = {"data_drift": {"budget": AlarmBudget(rate=0.05).reset().update(0.5).update(0.4)}}
>>> saved = dump_budgets(run, key="ref-1")
>>> saved["data_drift"]["tested"], saved["data_drift"]["key"]
(2, 'ref-1')
>>> again = load_budgets(saved, {"data_drift": {"alarm_rate": 0.05, "alarm_horizon": None,
...                                             "consecutive": 1}}, key="ref-1")
>>> round(again["data_drift"]["budget"].update(0.9).decisions[-1].level, 6)  # 3rd window
0.003377
>>> load_budgets(saved, {"data_drift": {}}, key="ref-2")  # reference changed: fresh
{}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._json import jsonable
from ..drift.sequential import AlarmBudget

__all__ = ["budget_key", "dump_budgets", "load_budgets"]


def budget_key(options: Mapping[str, Any], reference: Any) -> str:
    """What a budget is valid for: the metric's options and the reference period."""
    return json.dumps(jsonable({"options": dict(options), "reference": reference}),
                      sort_keys=True)


def dump_budgets(run: Mapping[str, Any], *, key: str | Mapping[str, str]) -> dict[str, Any]:
    """The counters of every metric's budget in a pass's ``run`` dict (JSON-able)."""
    out: dict[str, Any] = {}
    for name, state in run.items():
        budget = state.get("budget") if isinstance(state, Mapping) else None
        if isinstance(budget, AlarmBudget) and hasattr(budget, "k_"):
            out[name] = {"key": key if isinstance(key, str) else key.get(name, ""),
                         "tested": int(budget.k_), "spent": float(budget.spent_),
                         "streak": int(budget.streak_)}
    return out


def load_budgets(saved: Mapping[str, Any] | None, options: Mapping[str, Mapping[str, Any]],
                 *, key: str | Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """A ``run`` dict with the saved budgets rebuilt (those still valid for ``key``)."""
    run: dict[str, dict[str, Any]] = {}
    for name, counters in (saved or {}).items():
        want = key if isinstance(key, str) else key.get(name)
        opts = options.get(name)
        if opts is None or not isinstance(counters, Mapping) or counters.get("key") != want:
            continue
        budget = AlarmBudget(rate=opts["alarm_rate"], horizon=opts["alarm_horizon"],
                             consecutive=opts["consecutive"]).reset()
        budget.k_ = int(counters["tested"])
        budget.spent_ = float(counters["spent"])
        budget.streak_ = int(counters["streak"])
        run[name] = {"budget": budget}
    return run
