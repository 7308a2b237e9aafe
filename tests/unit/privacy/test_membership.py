"""Membership inference: the attacks' AUC tracks overfitting; numbers match scikit-learn."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import entropy
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.privacy.membership import membership_inference, membership_scores
from stalwart.privacy._attack_stats import bootstrap_auc


@pytest.fixture(scope="module")
def split():
    # 15% flipped labels: a model that memorises its training rows fits noise it cannot
    # reproduce on new rows, which is what the attacks detect
    X, y = make_classification(n_samples=1200, n_features=8, n_informative=4, flip_y=0.15,
                               random_state=0)
    return X[:600], y[:600], X[600:], y[600:]


def _loss_auc(model, split):
    Xm, ym, Xn, yn = split
    return membership_inference(model.fit(Xm, ym), Xm, ym, Xn, yn, attacks=["loss"],
                                n_boot=200).worst


def test_auc_rises_with_tree_depth(split):
    aucs = [_loss_auc(DecisionTreeClassifier(max_depth=d, random_state=0), split).auc
            for d in (1, 2, 4, 8)]
    assert aucs == sorted(aucs) and len(set(aucs)) == 4, aucs
    assert aucs[0] < 0.53 and aucs[-1] > 0.59


def test_overfit_model_beats_regularised_model(split):
    overfit = _loss_auc(KNeighborsClassifier(n_neighbors=1), split)
    regular = _loss_auc(LogisticRegression(C=0.01), split)
    assert overfit.auc > regular.auc_high + 0.05
    assert overfit.auc_low > 0.5 and overfit.advantage > 0.1


def test_regularised_model_sits_near_half(split):
    Xm, ym, Xn, yn = split
    risk = membership_inference(LogisticRegression(C=0.01).fit(Xm, ym), Xm, ym, Xn, yn,
                                n_boot=300)
    for a in risk.attacks:
        # 600 rows per side: the 95% interval is about +-0.033 wide, so 0.5 inside it is
        # what "no measurable leak" means at this size
        assert a.auc_low < 0.5 < a.auc_high, a
        assert a.auc_high - a.auc_low < 0.08
        assert abs(a.auc - 0.5) < 0.02
    assert risk.worst_auc < 0.51


def test_auc_and_advantage_match_sklearn(split):
    Xm, ym, Xn, yn = split
    model = DecisionTreeClassifier(max_depth=6, random_state=0).fit(Xm, ym)
    risk = membership_inference(model, Xm, ym, Xn, yn, n_boot=0, low_fpr=(0.01, 0.05))
    s_in, s_out = membership_scores(model, Xm, ym), membership_scores(model, Xn, yn)
    truth = np.r_[np.ones(600), np.zeros(600)]
    for a in risk.attacks:
        scores = np.r_[s_in[a.attack], s_out[a.attack]]
        assert a.auc == pytest.approx(roc_auc_score(truth, scores), abs=1e-12)
        fpr, tpr, thr = roc_curve(truth, scores)
        assert a.advantage == pytest.approx(np.max(tpr - fpr), abs=1e-12)
        assert a.tpr_at_fpr["0.05"] == pytest.approx(tpr[fpr <= 0.05].max(), abs=1e-12)
        called = scores >= a.threshold
        assert called[:600].mean() - called[600:].mean() == pytest.approx(a.advantage)
        assert a.auc_low is None and a.auc_high is None


def test_calibrated_threshold_is_chosen_on_one_half_and_scored_on_the_other(split):
    Xm, ym, Xn, yn = split
    model = DecisionTreeClassifier(max_depth=8, random_state=0).fit(Xm, ym)
    a = membership_inference(model, Xm, ym, Xn, yn, attacks=["loss"], n_boot=0,
                             random_state=3).worst
    s_in, s_out = (membership_scores(model, X, y, attacks=["loss"])["loss"]
                   for X, y in ((Xm, ym), (Xn, yn)))
    rng = np.random.default_rng(3)
    calib = rng.permutation(600) < 300  # no subsampling: equal sides draw nothing before
    fpr, tpr, thr = roc_curve(np.r_[np.ones(300), np.zeros(300)],
                              np.r_[s_in[calib], s_out[calib]], drop_intermediate=False)
    best = thr[np.argmax(tpr - fpr)]
    assert a.calibrated_threshold == best
    expected = np.mean(s_in[~calib] >= best) - np.mean(s_out[~calib] >= best)
    assert a.calibrated_advantage == pytest.approx(expected)
    assert a.calibrated_advantage <= a.advantage + 0.05  # held-out: not more optimistic


def test_bootstrap_auc_matches_sklearn_on_each_resample():
    rng = np.random.default_rng(1)
    s_in, s_out = np.round(rng.normal(0.3, 1, 40), 1), np.round(rng.normal(0, 1, 30), 1)
    reps = bootstrap_auc(s_in, s_out, n_boot=25, seed=7)
    draw = np.random.default_rng(7)
    i_in, i_out = draw.integers(0, 40, (25, 40)), draw.integers(0, 30, (25, 30))
    truth = np.r_[np.ones(40), np.zeros(30)]
    expected = [roc_auc_score(truth, np.r_[s_in[a], s_out[b]]) for a, b in zip(i_in, i_out)]
    np.testing.assert_allclose(reps, expected, atol=1e-12)


def test_scores_follow_their_formulas():
    X, y = make_classification(n_samples=200, n_classes=3, n_informative=4, random_state=2)
    model = LogisticRegression().fit(X, y)
    p = model.predict_proba(X)
    s = membership_scores(model, X, y)
    np.testing.assert_allclose(s["loss"], np.log(p[np.arange(200), y]))
    np.testing.assert_allclose(s["confidence"], p.max(axis=1))
    np.testing.assert_allclose(s["entropy"], -entropy(p, axis=1))
    py = p[np.arange(200), y]
    rest = np.where(np.arange(3) == y[:, None], 0.0, p * np.log(1 - p)).sum(axis=1)
    np.testing.assert_allclose(s["modified_entropy"], (1 - py) * np.log(py) + rest)
    np.testing.assert_array_equal(s["correct"], (model.predict(X) == y).astype(float))


def test_regression_uses_squared_error_and_sees_a_1nn_regressor():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = X @ [1.0, -2.0, 0.5] + rng.normal(scale=1.0, size=400)
    knn = KNeighborsRegressor(n_neighbors=1).fit(X[:200], y[:200])
    ridge = Ridge(alpha=10.0).fit(X[:200], y[:200])
    s = membership_scores(knn, X[200:], y[200:])
    np.testing.assert_allclose(s["loss"], -(y[200:] - knn.predict(X[200:])) ** 2)
    leak = membership_inference(knn, X[:200], y[:200], X[200:], y[200:], n_boot=100)
    safe = membership_inference(ridge, X[:200], y[:200], X[200:], y[200:], n_boot=100)
    assert [a.attack for a in leak.attacks] == ["loss"] and leak.breakdown == ()
    assert leak.worst_auc > 0.95  # training rows have zero loss under 1-NN
    assert safe.worst.auc_low < 0.5 < safe.worst.auc_high


def test_unequal_sides_are_balanced_and_said(split):
    Xm, ym, Xn, yn = split
    model = DecisionTreeClassifier(max_depth=4, random_state=0).fit(Xm, ym)
    a = membership_inference(model, Xm, ym, Xn[:250], yn[:250], n_boot=0)
    b = membership_inference(model, Xm, ym, Xn[:250], yn[:250], n_boot=0)
    assert a.n_members == 250 and a.n_members_given == 600 and a.n_nonmembers_given == 250
    assert any("balanced" in w for w in a.warnings)
    assert a.to_dict() == b.to_dict()  # seeded


def test_breakdown_by_class_and_group(split):
    Xm, ym, Xn, yn = split
    model = DecisionTreeClassifier(max_depth=8, random_state=0).fit(Xm, ym)
    g_in = g_out = np.where(np.arange(600) < 6, "rare", "common")
    risk = membership_inference(model, Xm, ym, Xn, yn, attacks=["loss"], n_boot=0,
                                member_groups=g_in, nonmember_groups=g_out)
    s_in = membership_scores(model, Xm, ym, attacks=["loss"])["loss"]
    s_out = membership_scores(model, Xn, yn, attacks=["loss"])["loss"]
    by = {(g.by, g.value): g for g in risk.breakdown}
    c1 = by[("class", 1)]
    assert (c1.n_members, c1.n_nonmembers) == ((ym == 1).sum(), (yn == 1).sum())
    assert c1.auc == pytest.approx(roc_auc_score(
        np.r_[np.ones(c1.n_members), np.zeros(c1.n_nonmembers)],
        np.r_[s_in[ym == 1], s_out[yn == 1]]))
    rare = by[("group", "rare")]
    assert (rare.n_members, rare.n_nonmembers, rare.auc) == (6, 6, None)
    assert by[("group", "common")].auc is not None
    assert any("too few rows" in w for w in risk.warnings)


def test_low_fpr_below_resolution_is_said(split):
    Xm, ym, Xn, yn = split
    risk = membership_inference(LogisticRegression().fit(Xm, ym), Xm, ym, Xn, yn, n_boot=0)
    # 600 non-members: FPR 0.01 is 6 rows and measurable, 0.001 is under one row
    assert [w for w in risk.warnings if "FPR" in w] == [
        "with 600 non-members an FPR below 0.0017 cannot be measured: TPR at FPR 0.001 is "
        "TPR at FPR 0"]


def test_result_is_json_with_schema_version(split):
    Xm, ym, Xn, yn = split
    frame_in, frame_out = pd.DataFrame(Xm), pd.DataFrame(Xn)
    model = DecisionTreeClassifier(max_depth=3, random_state=0).fit(frame_in, ym)
    d = membership_inference(model, frame_in, ym, frame_out, yn, n_boot=20).to_dict()
    back = json.loads(json.dumps(d))
    assert back["schema_version"] == "1.0" and back["worst_attack"] in back["options"]["attacks"]
    assert len(back["attacks"][0]["roc_tpr"]) == len(back["attacks"][0]["roc_fpr"]) == 51


def test_model_without_probabilities_says_which_attacks_can_run(split):
    Xm, ym, Xn, yn = split
    svc = LinearSVC().fit(Xm, ym)
    with pytest.raises(ModelError, match=r"correct"):
        membership_inference(svc, Xm, ym, Xn, yn, attacks=["confidence"])
    risk = membership_inference(svc, Xm, ym, Xn, yn, n_boot=0)
    assert [a.attack for a in risk.attacks] == ["correct"]


@pytest.mark.parametrize("bad, error, match", [
    (dict(members_X=np.zeros((10, 8)), members_y=np.zeros(10, int)), DataError, "at least 20"),
    (dict(members_y=np.zeros(599, int)), DataError, "one value per row"),
    (dict(nonmembers_y=np.full(600, 7)), DataError, "unknown labels"),
    (dict(attacks=["shadow"]), ParameterError, "one of"),
    (dict(attacks="loss"), ParameterError, "non-empty list"),
    (dict(n_boot=-1), ParameterError, "n_boot"),
    (dict(low_fpr=(0.0,)), ParameterError, "low_fpr"),
    (dict(low_fpr=()), ParameterError, "low_fpr"),
    (dict(low_fpr=("x",)), ParameterError, "low_fpr"),  # was a raw ValueError
    (dict(confidence="0.95"), ParameterError, "confidence"),  # was a raw TypeError
    (dict(member_groups=np.zeros(600)), ParameterError, "both"),
])
def test_bad_input_is_a_clear_error(split, bad, error, match):
    Xm, ym, Xn, yn = split
    model = LogisticRegression().fit(Xm, ym)
    kwargs = dict(members_X=Xm, members_y=ym, nonmembers_X=Xn, nonmembers_y=yn) | bad
    with pytest.raises(error, match=match):
        membership_inference(model, **kwargs)


def test_one_low_fpr_may_be_given_as_a_number(split):
    Xm, ym, Xn, yn = split
    model = LogisticRegression().fit(Xm, ym)
    one = membership_inference(model, Xm, ym, Xn, yn, low_fpr=0.01, n_boot=0)
    listed = membership_inference(model, Xm, ym, Xn, yn, low_fpr=(0.01,), n_boot=0)
    assert one.worst.tpr_at_fpr == listed.worst.tpr_at_fpr
    assert list(one.worst.tpr_at_fpr) == ["0.01"]
