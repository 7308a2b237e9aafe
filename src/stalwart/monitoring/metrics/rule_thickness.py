"""Window metric ``rule_thickness``: how thick the hot-fix rule layer is on a window.

``rule_count`` (active rules on the window's last day), ``rule_traffic_share`` (share of the
window's events a rule decided) and ``rule_changed_share`` (share whose output a rule
changed); with a budget (``max_rules``, ``max_traffic``, ``max_changed``)
``rule_budget_crossed`` is 1 when any bound is crossed, so an alert rule on it (``>= 1``)
asks for retraining. Option ``rules`` is the rule set document (``RuleSet.to_dict()``).

Events logged by :class:`~stalwart.lifecycle.rules.RuledModel` carry ``outputs.rule`` and
``outputs.rule_changed``, which are counted as logged; other events (the model's own
outputs, e.g. from ``monitor.wrap``) are replayed through the rules.

>>> import pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS, rule_thickness  # registers it
>>> m = WINDOW_METRICS.get("rule_thickness")
>>> doc = {"rules": [{"id": "big", "condition": "amount > 100",
...        "action": "set prediction = 'no'", "owner": "o", "reason": "r"}]}
>>> options = m.resolve({"rules": doc, "max_traffic": 0.2})
>>> frame = pd.DataFrame({"timestamp": pd.to_datetime(["2026-01-01"] * 4, utc=True),
...     "features.amount": [5, 500, 50, 900], "outputs.prediction": ["no", "yes", "yes", "no"]})
>>> out, details = m.compute(m.fit(None, options), frame, options, {})
>>> out["rule_count"], out["rule_traffic_share"], out["rule_changed_share"]
(1.0, 0.5, 0.25)
>>> out["rule_budget_crossed"], details["budget_crossed"]
(1.0, ['max_traffic'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ._columns import FEATURE, PREDICTION, classes_of, proba_columns
from .registry import WindowMetric, register_window_metric

__all__ = ["METRIC"]

_RULE = "outputs.rule"
_CHANGED = "outputs.rule_changed"
_KEYS = ("rule_count", "rule_traffic_share", "rule_changed_share", "rule_budget_crossed")


def _fit(_reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    from ...lifecycle.rules import RuleBudget, RuleSet

    if options.get("rules") is None:
        raise ParameterError("rule_thickness option 'rules'", expected="the rule set document "
                             "(RuleSet.to_dict())", got="None",
                             fix="pass options={'rules': ruleset.to_dict()}")
    bounds = {k: options[k] for k in ("max_rules", "max_traffic", "max_changed")}
    budget = RuleBudget(**bounds) if any(v is not None for v in bounds.values()) else None
    return {"ruleset": RuleSet.from_dict(options["rules"]), "budget": budget}


def _keys(_state: Any, _options: dict[str, Any]) -> tuple[str, ...]:
    return _KEYS


def _compute(state: dict[str, Any], frame: pd.DataFrame, _options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    from ...lifecycle.rules import Thickness

    ruleset = state["ruleset"]
    if len(frame) == 0:
        return dict.fromkeys(_KEYS), {}
    on = pd.Timestamp(frame["timestamp"].max()).date() if "timestamp" in frame.columns \
        else None
    if _RULE in frame.columns:
        fired = frame[_RULE]
        n = len(frame)
        hit = fired.notna().to_numpy()
        changed = (frame[_CHANGED].fillna(False).astype(bool).to_numpy()
                   if _CHANGED in frame.columns else np.zeros(n, dtype=bool))
        counts = {str(k): int(v) for k, v in fired.dropna().value_counts().sort_index().items()}
        out = {"rule_count": float(len(ruleset.active(on))),
               "rule_traffic_share": float(hit.mean()),
               "rule_changed_share": float(changed.mean())}
        details: dict[str, Any] = {"source": "logged", "hits": counts}
        thickness = None
    else:
        X = frame[[c for c in frame.columns if str(c).startswith(FEATURE)]]
        X = X.rename(columns=lambda c: str(c)[len(FEATURE):])
        probas = proba_columns(frame)
        proba = (frame[probas].to_numpy(dtype=float) if probas else None)
        app = ruleset.apply(X, frame[PREDICTION].to_numpy(), proba,
                            classes=classes_of(probas) if probas else None, now=on)
        thickness = Thickness.from_application(app)
        out = {"rule_count": float(thickness.n_active),
               "rule_traffic_share": thickness.traffic_share,
               "rule_changed_share": thickness.changed_share}
        details = {"source": "replayed", "counts": app.counts, "expired": list(app.expired)}
    budget = state["budget"]
    crossed = None
    if budget is not None:
        crossed = [b for b, k in (("max_rules", "rule_count"), ("max_traffic",
                                  "rule_traffic_share"), ("max_changed", "rule_changed_share"))
                   if getattr(budget, b) is not None and out[k] > getattr(budget, b)]
        details["budget_crossed"] = crossed
    out["rule_budget_crossed"] = None if crossed is None else float(bool(crossed))
    return out, details


METRIC = register_window_metric(WindowMetric(
    name="rule_thickness", fit=_fit, compute=_compute, keys=_keys,
    options={"rules": None, "max_rules": None, "max_traffic": None, "max_changed": None},
    description="hot-fix rule layer: active rules, share of traffic matched, share of "
                "outputs changed, budget crossed"))
