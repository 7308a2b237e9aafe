"""The hand-made replay the rule tests share: 10 rows, known outputs, four rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from stalwart.lifecycle.rules import RuleSet

CLASSES = ["approve", "deny", "review"]


def rule(rid, condition, action, **extra):
    return {"id": rid, "condition": condition, "action": action, "owner": "risk",
            "reason": "hot fix", **extra}


def replay():
    """A hand-made replay of 10 rows with known outputs and probabilities."""
    X = pd.DataFrame({
        "country": ["DE", "DE", "FR", "FR", "DE", "IT", "IT", "DE", "FR", "IT"],
        "amount": [20000, 500, 15000, 20, 12000, 50, 60, 30000, 40, 70],
        "email": ["a", None, "b", "c", None, "d", None, "e", "f", "g"],
        "plan": ["a", "b", "c", "a", "b", "c", "a", "b", "c", "a"],
    })
    pred = np.array(["approve", "approve", "approve", "deny", "deny", "approve", "approve",
                     "deny", "approve", "approve"], dtype=object)
    p_approve = np.array([0.9, 0.65, 0.8, 0.2, 0.3, 0.6, 0.95, 0.1, 0.55, 0.99])
    proba = pd.DataFrame({"approve": p_approve, "deny": 1 - p_approve,
                          "review": np.zeros(10)})
    return X, pred, proba


RULES = RuleSet.from_dict({"version": 4, "rules": [
    rule("de-large", 'country == "DE" and amount > 10000', "set prediction = 'deny'",
         ticket="RISK-1", expires="2026-06-01", created="2026-01-10"),
    rule("unsure", 'prediction == "approve" and proba_approve < 0.7', "review"),
    rule("no-email", "email is missing", {"type": "reject", "mode": "flag"}),
    rule("old", 'plan in ("a", "b")', "set prediction = 'approve'", expires="2026-01-01"),
]})
NOW = dt.date(2026, 2, 1)
