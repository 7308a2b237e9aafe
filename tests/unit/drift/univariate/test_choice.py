"""The automatic choice: one rule per kind and sample size, its text kept as the reason."""

import numpy as np
import pandas as pd

from stalwart.drift.univariate import detect_drift
from stalwart.drift.univariate.choice import MIN_EXPECTED, TINY, choose


def test_rule_table():
    assert choose("numeric", 500, 500)[0] == "ks"
    assert choose("datetime", 500, 500)[0] == "ks"
    assert choose("categorical", 500, 500, min_expected=MIN_EXPECTED)[0] == "chi_square"
    assert choose("boolean", 500, 500, min_expected=40.0)[0] == "chi_square"
    method, reason = choose("categorical", 500, 500, min_expected=1.2)
    assert method == "g_test" and "below 5" in reason
    assert choose("text", 500, 500) == (None, "no drift method supports columns of kind 'text'")
    assert "tiny sample" in choose("numeric", TINY - 1, 500)[1]
    assert "tiny sample" not in choose("numeric", TINY, TINY)[1]


def test_choice_is_recorded_per_column_and_in_the_report():
    r = np.random.default_rng(0)
    n = 400
    ref = pd.DataFrame({"x": r.normal(size=n), "c": r.choice(list("ab"), n),
                        "rare": r.choice(list("abcdefghij"), n, p=[0.91] + [0.01] * 9),
                        "b": r.random(n) < 0.5,
                        "t": pd.date_range("2024-01-01", periods=n, freq="h")})
    rep = detect_drift(ref, ref.copy())
    got = {c.column: c.method for c in rep.columns}
    assert got == {"x": "ks", "c": "chi_square", "rare": "g_test", "b": "chi_square",
                   "t": "ks"}
    assert rep.to_dict()["methods"] == got
    assert all(c.reason for c in rep.columns)
    assert rep.drifted == ()


def test_requested_method_is_used_where_it_fits_and_auto_elsewhere():
    r = np.random.default_rng(1)
    ref = pd.DataFrame({"x": r.normal(size=300), "c": r.choice(list("ab"), 300)})
    rep = detect_drift(ref, ref.copy(), method="cramer_von_mises")
    assert rep["x"].method == "cramer_von_mises" and rep["x"].reason == (
        "requested method 'cramer_von_mises'")
    assert rep["c"].method == "chi_square"
    assert rep["c"].reason.startswith("requested 'cramer_von_mises' does not support")
    per_column = detect_drift(ref, ref.copy(), method={"x": "psi"})
    assert per_column["x"].method == "psi" and per_column["c"].method == "chi_square"
