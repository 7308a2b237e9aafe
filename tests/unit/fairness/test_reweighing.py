"""reweighing: the closed form, independence in the weighted data, and a weighted fit that
lowers the demographic parity difference; mitigation_report."""

import json

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn.linear_model import LogisticRegression

from stalwart.exceptions import DataError
from stalwart.fairness import mitigation_report, reweighing


def test_closed_form_and_weighted_independence():
    rng = np.random.default_rng(0)
    n = 1000
    s = pd.DataFrame({"sex": rng.choice(["f", "m"], n), "age": rng.choice(["<40", "40+"], n)})
    y = (rng.random(n) < np.where(s["sex"] == "m", 0.7, 0.3)).astype(int)
    w = reweighing(y, sensitive=s)
    key = s["sex"] + " & " + s["age"]
    for (k, label), rows in pd.DataFrame({"k": key, "y": y}).groupby(["k", "y"]).groups.items():
        expected = (key == k).mean() * (y == label).mean() / len(rows) * n
        assert np.allclose(w[rows], expected)
    assert w.mean() == pytest.approx(1.0)
    # weighted, the label rate is the same in every group
    rates = pd.Series(w * y).groupby(key).sum() / pd.Series(w).groupby(key).sum()
    assert np.allclose(rates, y.mean())


def test_weighted_fit_lowers_the_demographic_parity_difference():
    rng = np.random.default_rng(1)
    n = 6000
    g = rng.choice(["a", "b"], n)
    x = rng.normal(size=n)
    # labels biased against group b beyond what x explains; the model can see the group
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.5 * x + 1.2 * (g == "a") - 0.6)))).astype(int)
    X = np.column_stack([x, g == "a"])
    tr, te = slice(0, 4000), slice(4000, n)
    plain = LogisticRegression().fit(X[tr], y[tr])
    fair = LogisticRegression().fit(X[tr], y[tr], sample_weight=reweighing(y[tr],
                                                                            sensitive=g[tr]))
    before, after = plain.predict(X[te]), fair.predict(X[te])
    dp_before = flm.demographic_parity_difference(y[te], before, sensitive_features=g[te])
    dp_after = flm.demographic_parity_difference(y[te], after, sensitive_features=g[te])
    assert dp_before > 0.2 and dp_after < dp_before / 2
    report = mitigation_report(y[te], before, after, sensitive=g[te], method="reweighing")
    assert report.disparities["demographic_parity_difference"]["before"] == pytest.approx(
        dp_before, abs=1e-12)
    assert report.disparities["demographic_parity_difference"]["after"] == pytest.approx(
        dp_after, abs=1e-12)
    assert report.accuracy_cost == pytest.approx(np.mean(before == y[te]) -
                                                 np.mean(after == y[te]))
    assert 0 < report.accuracy_cost < 0.1  # parity against biased labels costs accuracy
    payload = json.loads(json.dumps(report.to_dict()))
    assert set(payload["selection_rates"]) == {"a", "b"}
    assert payload["accuracy_cost"] == pytest.approx(report.accuracy_cost)


def test_errors():
    with pytest.raises(DataError, match="at least two groups"):
        reweighing([0, 1, 1], sensitive=["a", "a", "a"])
    with pytest.raises(DataError, match="every label in every group"):
        reweighing([0, 1, 1, 1], sensitive=["a", "a", "b", "b"])
    with pytest.raises(DataError, match="3 rows"):
        reweighing([0, 1, 1], sensitive=["a", "b"])
    with pytest.raises(DataError, match="missing labels"):
        reweighing(np.array([0, None, 1, 0], dtype=object), sensitive=list("abab"))


def test_group_keys_join_every_column_and_name_missing_values():
    from stalwart.fairness.thresholds import group_keys
    frame = pd.DataFrame({"sex": ["f", "m", None, "f"], "age": [30, None, 41, 30],
                          "ok": [True, False, True, True]})
    assert group_keys(frame, 4).tolist() == ["f & 30.0 & True", "m & (missing) & False",
                                             "(missing) & 41.0 & True", "f & 30.0 & True"]
    assert group_keys(frame["sex"], 4).tolist() == ["f", "m", "(missing)", "f"]
