"""Thickness and budget: exact numbers under a replay, the retrain message and alert."""

from __future__ import annotations

import json

import pytest

from stalwart.exceptions import ParameterError
from stalwart.lifecycle.rules import (RETRAIN_MESSAGE, RuleBudget, Thickness, measure_thickness,
                                      thickness_numbers)

from ._replay import NOW, RULES, replay


def test_thickness_is_exact_under_a_replay():
    X, pred, proba = replay()
    t = measure_thickness(RULES, X, pred, proba, now=NOW)
    # 3 active of 4 rules; 7 of 10 rows decided; 1 output changed; 3 routed; 1 rejected
    assert (t.n_rules, t.n_active, t.n_expired, t.n_rows) == (4, 3, 1, 10)
    assert (t.traffic_share, t.changed_share, t.routed_share, t.rejected_share) == (
        0.7, 0.1, 0.3, 0.1)
    assert t.counts["de-large"]["hits"] == 3 and t.expired == ("old",)
    app = RULES.apply(X, pred, proba, now=NOW)
    assert thickness_numbers(app) == {"rule_count": 3.0, "rule_traffic_share": 0.7,
                                      "rule_changed_share": 0.1}
    # replaying twice the traffic doubles the counters and keeps the shares
    import pandas as pd
    import numpy as np
    t2 = measure_thickness(RULES, pd.concat([X, X]), np.concatenate([pred, pred]),
                           pd.concat([proba, proba]), now=NOW)
    assert t2.counts["unsure"]["hits"] == 6 and t2.traffic_share == 0.7


def test_budget_says_which_bound_is_crossed():
    X, pred, proba = replay()
    t = measure_thickness(RULES, X, pred, proba, now=NOW)
    ok = RuleBudget(max_rules=3, max_traffic=0.7, max_changed=0.1).check(t)
    assert ok.passed and ok.crossed == () and ok.alert(model="m") is None
    bad = RuleBudget(max_rules=2, max_traffic=0.5, max_changed=0.1).check(t)
    assert bad.crossed == ("max_rules", "max_traffic") and not bad.passed
    assert bad.message.startswith(RETRAIN_MESSAGE)
    assert "active rules 3 > 2" in bad.message and "traffic matched 0.7 > 0.5" in bad.message
    alert = bad.alert(model="credit", window_end="2026-02-01T00:00:00")
    assert alert.status == "firing" and alert.metric == "n_active" and alert.value == 3.0
    assert alert.threshold == 2.0 and RETRAIN_MESSAGE in alert.message
    assert RuleBudget(max_changed=0.05).check(RULES.apply(X, pred, proba, now=NOW)).crossed \
        == ("max_changed",)
    d = json.loads(json.dumps(bad.to_dict()))
    assert d["crossed"] == ["max_rules", "max_traffic"] and d["thickness"]["n_active"] == 3
    assert "crossed" in bad.to_html() and "Per rule" in t.to_html()
    assert isinstance(bad.thickness, Thickness)


@pytest.mark.parametrize("kwargs", [{}, {"max_rules": -1}, {"max_traffic": 1.5},
                                    {"max_changed": float("nan")}, {"max_rules": True}])
def test_bad_budgets_are_refused(kwargs):
    with pytest.raises(ParameterError):
        RuleBudget(**kwargs)
