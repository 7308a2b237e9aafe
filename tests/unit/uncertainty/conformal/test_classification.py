import json

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from stalwart.exceptions import DataError, ModelError, StageError
from stalwart.uncertainty.conformal.classification import (
    SplitConformalClassifier,
    calibrate_threshold,
    conformal_sets,
)
from stalwart.uncertainty.conformal.scores import label_scores, prediction_sets

ALPHA = 0.1


def _calibrated_draw(rng, n, k=4, concentration=0.7):
    """Probabilities and labels drawn from them: a perfectly calibrated classifier."""
    proba = rng.dirichlet(np.full(k, concentration), size=n)
    y = (rng.uniform(size=(n, 1)) > np.cumsum(proba, axis=1)).sum(axis=1)
    return proba, np.minimum(y, k - 1)


def test_scores_match_closed_forms():
    p = np.array([[0.5, 0.2, 0.3]])
    assert np.allclose(label_scores(p, score="lac"), [[0.5, 0.8, 0.7]])
    # APS: mass ranked above the label plus the label's own mass
    assert np.allclose(label_scores(p, score="aps"), [[0.5, 1.0, 0.8]])
    assert np.allclose(label_scores(p, score="aps", randomized=True, u=np.array([0.5])),
                       [[0.25, 0.9, 0.65]])
    # RAPS with k_reg=1 adds lam per rank beyond the first: ranks 1, 3, 2
    assert np.allclose(label_scores(p, score="raps", k_reg=1, lam=0.1),
                       [[0.5, 1.0 + 0.2, 0.8 + 0.1]])


def test_nonrandomized_aps_sets_are_never_empty_and_contain_randomized_ones():
    rng = np.random.default_rng(1)
    p, _ = _calibrated_draw(rng, 500)
    u = rng.uniform(size=500)
    top = np.argsort(-p, axis=1, kind="stable")
    ranks = np.argsort(top, axis=1)
    for t in (0.05, 0.3, 0.9):
        last = prediction_sets(p, t, score="aps", include_last=True)
        plain = prediction_sets(p, t, score="aps")
        rand = prediction_sets(p, t, score="aps", randomized=True, u=u)
        assert last.sum(axis=1).min() >= 1
        assert not np.any(rand & ~last) and not np.any(plain & ~rand)
        # include_last adds exactly the one label that crosses the threshold
        assert np.all(last.sum(axis=1) - plain.sum(axis=1) <= 1)
        for sets in (last, plain, rand):
            # sets are the top-ranked labels: a set of size m holds the m most probable labels
            assert np.array_equal(sets, ranks < sets.sum(axis=1)[:, None])


@pytest.mark.parametrize("options", [
    {"score": "lac"},
    {"score": "aps"},
    {"score": "aps", "include_last": True},
    {"score": "aps", "randomized": True},
    {"score": "raps", "k_reg": 1, "lam": 0.05},
    {"score": "raps", "k_reg": 2, "lam": 0.2, "randomized": True},
])
def test_coverage_over_many_splits_reaches_one_minus_alpha(options):
    rng = np.random.default_rng(7)
    covers = []
    for seed in range(100):
        proba, y = _calibrated_draw(rng, 600)
        sets = conformal_sets(proba[:300], y[:300], proba[300:], alpha=ALPHA,
                              random_state=seed, **options)
        covers.append(sets[np.arange(300), y[300:]].mean())
    covers = np.asarray(covers)
    se = covers.std(ddof=1) / np.sqrt(covers.size)
    assert covers.mean() >= 1 - ALPHA - 3 * se
    if not options.get("include_last"):
        # continuous scores: coverage is also at most 1 - alpha + 1/(n+1)
        assert covers.mean() <= 1 - ALPHA + 1 / 301 + 3 * se


def test_mondrian_covers_every_class_where_the_marginal_threshold_does_not():
    rng = np.random.default_rng(3)
    per_class_m, per_class_plain = [], []
    for seed in range(60):
        proba, y = _calibrated_draw(rng, 1600, k=3)
        # make class 2 hard: its rows get confident but wrong-looking probabilities
        hard = y == 2
        proba[hard] = proba[hard][:, [2, 1, 0]] * 0.5 + 0.5 / 3
        cal, test = slice(0, 800), slice(800, None)
        for mondrian, store in ((True, per_class_m), (False, per_class_plain)):
            sets = conformal_sets(proba[cal], y[cal], proba[test], alpha=ALPHA,
                                  mondrian=mondrian)
            hit = sets[np.arange(800), y[test]]
            store.append([hit[y[test] == k].mean() for k in range(3)])
    m, plain = np.asarray(per_class_m), np.asarray(per_class_plain)
    se = m.std(axis=0, ddof=1) / np.sqrt(m.shape[0])
    assert np.all(m.mean(axis=0) >= 1 - ALPHA - 3 * se)
    assert plain.mean(axis=0).min() < 1 - ALPHA - 0.02  # the failure Mondrian fixes


def test_mondrian_thresholds_are_per_class_quantiles():
    rng = np.random.default_rng(0)
    proba, y = _calibrated_draw(rng, 400, k=3)
    t = calibrate_threshold(proba, y, alpha=0.2, mondrian=True)
    for k in range(3):
        assert t[k] == calibrate_threshold(proba[y == k], y[y == k], alpha=0.2)


def test_mondrian_with_a_rare_class_says_how_many_rows_it_needs():
    proba = np.full((30, 2), 0.5)
    y = np.array([0] * 28 + [1] * 2)
    with pytest.raises(DataError, match="class position 1.*at least 9 points"):
        calibrate_threshold(proba, y, alpha=0.1, mondrian=True)


def test_invalid_probabilities_and_labels_are_refused():
    good = np.full((20, 2), 0.5)
    with pytest.raises(DataError, match="sum to 1"):
        conformal_sets(good * 1.2, np.zeros(20, int), good)
    with pytest.raises(DataError, match="2-D"):
        conformal_sets(np.full(20, 0.5), np.zeros(20, int), good)
    with pytest.raises(DataError, match="integer class positions"):
        conformal_sets(good, np.full(20, 2), good)
    with pytest.raises(DataError, match="at least 9 points"):
        conformal_sets(good[:5], np.zeros(5, int), good)


def _data(seed=0, n=900):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] + rng.normal(size=n) > 0, "yes", "no")
    return X, y


def test_model_stages_are_enforced():
    X, y = _data()
    fitted = LogisticRegression().fit(X[:300], y[:300])
    with pytest.raises(StageError, match="conformalize"):
        SplitConformalClassifier(fitted).predict_set(X)
    with pytest.raises(StageError, match="prefit=True"):
        SplitConformalClassifier(fitted).fit(X, y)
    with pytest.raises(StageError, match="fit"):
        SplitConformalClassifier(LogisticRegression(), prefit=False).conformalize(X, y)
    with pytest.raises(ModelError, match="classification"):
        SplitConformalClassifier(LinearRegression().fit(X, X[:, 0])).conformalize(X, y)
    with pytest.raises(DataError, match="unseen labels"):
        SplitConformalClassifier(fitted).conformalize(X[:20], np.array(["maybe"] * 20))


def test_model_level_matches_array_level_and_reports_slices():
    X, y = _data()
    fitted = LogisticRegression().fit(X[:300], y[:300])
    cp = SplitConformalClassifier(fitted, alpha=0.2, score="aps").conformalize(X[300:600],
                                                                              y[300:600])
    sets = cp.predict_set(X[600:])
    classes = fitted.classes_
    y_cal = np.searchsorted(classes, y[300:600])
    expected = conformal_sets(fitted.predict_proba(X[300:600]), y_cal,
                              fitted.predict_proba(X[600:]), alpha=0.2, score="aps")
    assert np.array_equal(sets, expected)
    assert np.array_equal(cp.predict(X[600:]), fitted.predict(X[600:]))
    groups = np.where(X[600:, 2] > 0, "right", "left")
    result = cp.evaluate(X[600:], y[600:], groups=groups)
    hit = sets[np.arange(300), np.searchsorted(classes, y[600:])]
    assert result.coverage == pytest.approx(hit.mean())
    assert result.mean_size == pytest.approx(sets.sum(axis=1).mean())
    assert result.slice("left").n == int((groups == "left").sum())
    assert result.slice("left").coverage == pytest.approx(hit[groups == "left"].mean())
    assert sum(result.size_counts.values()) == 300
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["method"] == "aps" and payload["target_coverage"] == pytest.approx(0.8)


def test_randomized_model_sets_are_reproducible_with_a_seed():
    X, y = _data()
    fitted = LogisticRegression().fit(X[:300], y[:300])
    runs = [SplitConformalClassifier(fitted, score="raps", lam=0.1, randomized=True,
                                     random_state=5).conformalize(X[300:600], y[300:600])
            .predict_set(X[600:]) for _ in range(2)]
    assert np.array_equal(runs[0], runs[1])


def test_data_frames_and_string_labels_work():
    import pandas as pd

    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcd"))
    labels = pd.Series(y, dtype="str" if pd.__version__ >= "3" else object)
    model = LogisticRegression().fit(frame.iloc[:300], labels.iloc[:300])
    cp = SplitConformalClassifier(model, score="lac").conformalize(frame.iloc[300:600],
                                                                   labels.iloc[300:600])
    result = cp.evaluate(frame.iloc[600:], labels.iloc[600:], groups=frame["a"].iloc[600:] > 0)
    assert {s.name for s in result.slices} == {"True", "False"}
    assert result.coverage >= 0.85


@pytest.mark.parametrize("options,match", [
    ({"score": "top-k"}, "score"),
    ({"score": "raps", "lam": -0.1}, "lam"),
    ({"score": "raps", "lam": "0.1"}, "lam"),
    ({"score": "raps", "k_reg": 1.5}, "k_reg"),
])
def test_bad_score_options_are_refused(options, match):
    from stalwart.exceptions import ParameterError

    p = np.full((20, 2), 0.5)
    with pytest.raises(ParameterError, match=match):
        conformal_sets(p, np.zeros(20, int), p, **options)
