"""Window metric rule_thickness: replayed or logged, exact, with the budget flag."""

from __future__ import annotations

import pandas as pd
import pytest

from stalwart.exceptions import ParameterError
from stalwart.monitoring.metrics import WINDOW_METRICS
from stalwart.monitoring.metrics import rule_thickness  # noqa: F401 - registers the metric

DOC = {"version": 2, "rules": [
    {"id": "big", "condition": "amount > 100", "action": "set prediction = 'no'",
     "owner": "o", "reason": "r"},
    {"id": "unsure", "condition": "proba < 0.6", "action": "review", "owner": "o",
     "reason": "r"},
    {"id": "gone", "condition": "amount > 0", "action": "review", "owner": "o", "reason": "r",
     "expires": "2026-01-01"}]}


def frame(**extra):
    return pd.DataFrame({
        "timestamp": pd.to_datetime(["2026-02-01"] * 5, utc=True),
        "features.amount": [5, 500, 50, 900, 7],
        "outputs.prediction": ["no", "yes", "yes", "no", "yes"],
        "outputs.proba.no": [0.9, 0.2, 0.45, 0.8, 0.3],
        "outputs.proba.yes": [0.1, 0.8, 0.55, 0.2, 0.7], **extra})


def run(f, **options):
    m = WINDOW_METRICS.get("rule_thickness")
    opts = m.resolve({"rules": DOC, **options})
    return m.compute(m.fit(None, opts), f, opts, {})


def test_replayed_thickness_is_exact():
    out, details = run(frame(), max_rules=1)
    # big: rows 1, 3 (row 1 changed yes -> no); unsure: row 2 (top proba 0.55)
    assert out == {"rule_count": 2.0, "rule_traffic_share": 0.6, "rule_changed_share": 0.2,
                   "rule_budget_crossed": 1.0}
    assert details["source"] == "replayed" and details["expired"] == ["gone"]
    assert details["counts"]["big"] == {"hits": 2, "changed": 1, "rejected": 0, "routed": 0}
    assert details["budget_crossed"] == ["max_rules"]
    assert run(frame())[0]["rule_budget_crossed"] is None
    assert run(frame(), max_traffic=0.6, max_changed=0.2)[0]["rule_budget_crossed"] == 0.0


def test_logged_outputs_are_counted_as_logged():
    f = frame(**{"outputs.rule": [None, "big", "unsure", None, None],
                 "outputs.rule_changed": [False, True, False, False, False]})
    out, details = run(f)
    assert out["rule_traffic_share"] == 0.4 and out["rule_changed_share"] == 0.2
    assert out["rule_count"] == 2.0 and details == {"source": "logged",
                                                    "hits": {"big": 1, "unsure": 1}}


def test_empty_window_and_missing_rules():
    m = WINDOW_METRICS.get("rule_thickness")
    out, _ = run(frame().iloc[:0])
    assert out == dict.fromkeys(m.keys(None, {}))
    with pytest.raises(ParameterError, match="rule set document"):
        m.fit(None, m.resolve({}))
