"""GroupThresholdOptimizer: constraints met on held-out data, compared with fairlearn's
ThresholdOptimizer; the hull against brute force; errors."""

import numpy as np
import pytest
from fairlearn import metrics as flm
from fairlearn.postprocessing import ThresholdOptimizer
from sklearn.linear_model import LogisticRegression

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.fairness import GroupThresholdOptimizer
from stalwart.fairness.operating_points import on_hull, threshold_counts, upper_hull

FL_CONSTRAINT = {"demographic_parity": "demographic_parity",
                 "equalized_odds": "equalized_odds",
                 "equal_opportunity": "true_positive_rate_parity"}
FL_MEASURE = {"demographic_parity": flm.demographic_parity_difference,
              "equalized_odds": flm.equalized_odds_difference,
              "equal_opportunity": flm.equal_opportunity_difference}


@pytest.fixture(scope="module")
def biased():
    """A model whose scores favour group a; fit rows, validation rows, test rows."""
    rng = np.random.default_rng(0)
    n = 9000
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    x1 = rng.normal(size=n) + 0.8 * (g == "a")
    x2 = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.2 * x1 + 0.5 * x2 - 0.3 + 0.5 * (g == "b"))))
         ).astype(int)
    X = np.column_stack([x1, x2])
    model = LogisticRegression().fit(X[:3000], y[:3000])
    va, te = slice(3000, 6000), slice(6000, n)
    return model, X, y, g, va, te


@pytest.mark.parametrize("constraint", list(FL_CONSTRAINT))
@pytest.mark.parametrize("objective", ["accuracy", "balanced_accuracy"])
def test_disparity_falls_like_fairlearn_at_a_similar_accuracy_cost(biased, constraint,
                                                                    objective):
    model, X, y, g, va, te = biased
    s_va, s_te = model.predict_proba(X[va])[:, 1], model.predict_proba(X[te])[:, 1]
    ours = GroupThresholdOptimizer(constraint=constraint, objective=objective).fit(
        s_va, y[va], sensitive=g[va])
    pred = ours.predict(s_te, sensitive=g[te])
    theirs = ThresholdOptimizer(estimator=model, constraints=FL_CONSTRAINT[constraint],
                                objective=f"{objective}_score", prefit=True,
                                predict_method="predict_proba")
    theirs.fit(X[va], y[va], sensitive_features=g[va])
    fl_pred = theirs.predict(X[te], sensitive_features=g[te], random_state=0)
    measure = FL_MEASURE[constraint]
    before = measure(y[te], (s_te >= 0.5).astype(int), sensitive_features=g[te])
    after = measure(y[te], pred, sensitive_features=g[te])
    fl_after = measure(y[te], fl_pred, sensitive_features=g[te])
    assert before > 0.18  # the planted disparity
    # held-out rows: the constraint holds up to sampling noise (3000 rows, groups of 600+)
    assert after < 0.06 and after < before / 3
    assert after < fl_after + 0.03
    score = {"accuracy": lambda p: np.mean(p == y[te]),
             "balanced_accuracy": lambda p: 0.5 * (np.mean(p[y[te] == 1]) +
                                                   np.mean(1 - p[y[te] == 0]))}[objective]
    assert score(pred) > score(fl_pred) - 0.015
    report = ours.report(s_te, y[te], sensitive=g[te])
    assert report.accuracy_after == pytest.approx(np.mean(pred == y[te]))
    assert report.accuracy_before == pytest.approx(np.mean((s_te >= 0.5) == y[te]))
    key = {"demographic_parity": "demographic_parity_difference",
           "equalized_odds": "equalized_odds_difference",
           "equal_opportunity": "equal_opportunity_difference"}[constraint]
    assert report.disparities[key]["before"] == pytest.approx(before, abs=1e-12)
    assert report.disparities[key]["after"] == pytest.approx(after, abs=1e-12)


def _expected_rates(opt, s, y, g):
    """Exact expected selection rate, TPR and FPR per group of the randomised rules."""
    out = {}
    for k, r in opt.rules_.items():
        rows = g == k
        x = s[rows]
        p_rule = (x >= r["strict"]) + (1 - (x >= r["strict"])) * (x >= r["loose"]) * r["p_loose"]
        p = r["rule_share"] * p_rule + (1 - r["rule_share"]) * r["coin"]
        yy = y[rows]
        out[k] = (p.mean(), p[yy == 1].mean(), p[yy == 0].mean())
    return out


@pytest.mark.parametrize("constraint,index", [("demographic_parity", [0]),
                                              ("equal_opportunity", [1]),
                                              ("equalized_odds", [1, 2])])
def test_the_constraint_holds_exactly_in_expectation_on_the_fit_rows(biased, constraint, index):
    model, X, y, g, va, _ = biased
    s = model.predict_proba(X[va])[:, 1]
    opt = GroupThresholdOptimizer(constraint=constraint).fit(s, y[va], sensitive=g[va])
    rates = _expected_rates(opt, s, y[va], g[va])
    for i in index:
        values = [r[i] for r in rates.values()]
        assert max(values) - min(values) < 1e-9
    names = ("rate", "tpr", "fpr")
    assert [rates["a"][i] for i in index] == pytest.approx(
        [opt.target_[names[i]] for i in index], abs=1e-9)
    # expected accuracy of the randomised rules is the fitted objective
    n, correct = 0, 0.0
    for k in opt.rules_:
        rows = g[va] == k
        sel, tpr, fpr = rates[k]
        pos = y[va][rows].sum()
        correct += tpr * pos + (1 - fpr) * (rows.sum() - pos)
        n += rows.sum()
    assert correct / n == pytest.approx(opt.fit_objective_, abs=1e-9)


def test_predictions_are_seeded():
    rng = np.random.default_rng(1)
    g = rng.choice(["a", "b"], 500)
    y = rng.integers(0, 2, 500)
    s = np.clip(0.3 * y + rng.random(500) * 0.7 + 0.1 * (g == "a"), 0, 1)
    opt = GroupThresholdOptimizer(constraint="equalized_odds", random_state=5).fit(
        s, y, sensitive=g)
    assert np.array_equal(opt.predict(s, sensitive=g), opt.predict(s, sensitive=g))
    other = GroupThresholdOptimizer(constraint="equalized_odds", random_state=6).fit(
        s, y, sensitive=g)
    assert not np.array_equal(opt.predict(s, sensitive=g), other.predict(s, sensitive=g))


def test_upper_hull_matches_brute_force():
    rng = np.random.default_rng(2)
    for _ in range(20):
        x = np.r_[0.0, np.sort(rng.random(30)), 1.0]
        v = rng.random(32)
        h = upper_hull(x, v)
        assert np.all(np.diff(x[h]) > 0)
        assert np.all(np.interp(x, x[h], v[h]) >= v - 1e-12)  # every point on or under
        slopes = np.diff(v[h]) / np.diff(x[h])
        assert np.all(np.diff(slopes) < 0)  # strictly concave: no redundant vertex
        at = rng.random()
        j, p, value = on_hull(x, v, h, at)
        assert value == pytest.approx(np.interp(at, x[h], v[h]))
        assert (1 - p) * x[h[j]] + p * x[h[j + 1]] == pytest.approx(at)


def test_threshold_counts():
    s = np.array([0.9, 0.1, 0.5, 0.5, 0.7])
    y = np.array([1, 0, 1, 0, 0])
    sel, tp = threshold_counts(s, y, np.array([np.inf, 0.7, 0.5, -np.inf]))
    assert sel.tolist() == [0, 2, 4, 5] and tp.tolist() == [0, 1, 2, 2]


def test_errors():
    s = np.array([0.2, 0.8, 0.4, 0.6])
    y = np.array([0, 1, 0, 1])
    g = np.array(list("abab"))
    with pytest.raises(StageError, match="before fit"):
        GroupThresholdOptimizer().predict(s, sensitive=g)
    with pytest.raises(ParameterError, match="constraint"):
        GroupThresholdOptimizer(constraint="parity").fit(s, y, sensitive=g)
    with pytest.raises(DataError, match="at least two groups"):
        GroupThresholdOptimizer().fit(s, y, sensitive=np.array(list("aaaa")))
    with pytest.raises(DataError, match="positive and negative labels"):
        GroupThresholdOptimizer(constraint="equal_opportunity").fit(
            s, np.array([0, 1, 0, 0]), sensitive=np.array(list("aabb")))
    opt = GroupThresholdOptimizer(min_group_size=3).fit(s, y, sensitive=g)
    assert "unstable" in opt.warnings_[0]
    with pytest.raises(DataError, match="unseen groups"):
        opt.predict(s, sensitive=np.array(list("abcc")))
    with pytest.raises(DataError, match="scores"):
        opt.predict(np.c_[1 - s, s], sensitive=g)
