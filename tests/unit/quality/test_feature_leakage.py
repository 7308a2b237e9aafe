import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.metrics import balanced_accuracy_score, r2_score

from stalwart.quality.feature_leakage import (bin_codes, feature_power, oof_class_probabilities,
                                              oof_means)


def _naive_class_probabilities(codes, y, folds, n_classes, smoothing):
    frame = pd.DataFrame({"b": codes, "y": y, "f": folds})
    out = np.zeros((len(codes), n_classes))
    for f in np.unique(folds):
        train = frame[frame.f != f]
        prior = np.bincount(train.y, minlength=n_classes) / len(train)
        counts = pd.crosstab(train.b, train.y).reindex(columns=range(n_classes), fill_value=0)
        for i in np.flatnonzero(folds == f):
            c = counts.loc[codes[i]].to_numpy() if codes[i] in counts.index else np.zeros(n_classes)
            out[i] = (c + smoothing * prior) / (c.sum() + smoothing)
    return out


def test_oof_class_probabilities_match_a_direct_computation():
    rng = np.random.default_rng(0)
    n = 300
    codes = rng.integers(0, 7, n)
    y = (codes + rng.integers(0, 3, n)) % 3
    folds = rng.permutation(np.arange(n) % 5)
    probs, prior = oof_class_probabilities(codes, y, folds, n_classes=3, n_folds=5,
                                           smoothing=2.0)
    assert probs == pytest.approx(_naive_class_probabilities(codes, y, folds, 3, 2.0))
    assert probs.sum(axis=1) == pytest.approx(np.ones(n))
    for f in range(5):
        expected = np.bincount(y[folds != f], minlength=3) / np.sum(folds != f)
        assert prior[folds == f][0] == pytest.approx(expected)


def test_oof_means_match_a_direct_computation():
    rng = np.random.default_rng(1)
    n = 200
    codes = rng.integers(0, 5, n)
    y = codes * 2.0 + rng.normal(size=n)
    folds = rng.permutation(np.arange(n) % 4)
    got = oof_means(codes, y, folds, n_folds=4, smoothing=1.0)
    for i in range(n):
        train = folds != folds[i]
        same = train & (codes == codes[i])
        expected = (y[same].sum() + y[train].mean()) / (same.sum() + 1.0)
        assert got[i] == pytest.approx(expected)


def test_scores_equal_scikit_learn_on_the_same_out_of_fold_predictions():
    rng = np.random.default_rng(2)
    n = 1000
    x = rng.normal(size=n)
    y = np.where(x + rng.normal(size=n) > 0.8, "rare", "common")
    frame = pd.DataFrame({"x": x, "y": y})
    result = feature_power(frame, "y", ["x"], task="classification", n_bins=16,
                           random_state=11)
    # rebuild the pipeline from its public parts, with the same seeded folds
    folds = np.random.default_rng(11).permutation(np.arange(n) % 5)
    codes = bin_codes(frame["x"], n_bins=16)
    y_codes, classes = pd.factorize(frame["y"])
    probs, prior = oof_class_probabilities(codes, y_codes, folds, n_classes=2, n_folds=5)
    pred = np.argmax(probs / prior, axis=1)
    bacc = balanced_accuracy_score(y_codes, pred)
    # a numeric feature on a binary target scores the better of the bins and the best cut
    from stalwart.quality.feature_leakage import oof_threshold_balanced_accuracy
    cut = oof_threshold_balanced_accuracy(x, y_codes, folds, n_folds=5)
    bacc = max(bacc, cut)
    assert result.features[0].score == pytest.approx(bacc)
    assert result.features[0].power == pytest.approx(2 * bacc - 1)

    yr = 3 * x + rng.normal(size=n)
    reg = feature_power(pd.DataFrame({"x": x, "y": yr}), "y", ["x"], task="regression",
                        n_bins=16, random_state=11)
    pred = oof_means(codes, yr, folds, n_folds=5)
    assert reg.features[0].score == pytest.approx(r2_score(yr, pred))


def test_planted_leaks_score_near_one_and_noise_near_zero():
    rng = np.random.default_rng(3)
    n = 5000
    x = rng.normal(size=n)
    y = (x + rng.normal(size=n) > 0).astype(int)
    frame = pd.DataFrame({
        "x": x,
        "copy_with_noise": y + rng.normal(0, 0.1, n),
        "recoded": np.where(y == 1, "approved", "rejected"),
        "noise": rng.normal(size=n),
        "noise_cat": rng.choice(list("abcdef"), n),
        "y": y,
    })
    result = feature_power(frame, "y", ["x", "copy_with_noise", "recoded", "noise",
                                        "noise_cat"])
    assert result.task == "classification" and result.metric == "balanced_accuracy"
    assert {f.feature for f in result.features[:2]} == {"recoded", "copy_with_noise"}
    assert result.power("recoded") == 1.0
    assert result.power("copy_with_noise") > 0.98
    assert 0.3 < result.power("x") < 0.7
    assert result.power("noise") < 0.05 and result.power("noise_cat") < 0.05


def test_regression_leak():
    rng = np.random.default_rng(4)
    n = 5000
    x = rng.normal(size=n)
    y = 3 * x + rng.normal(size=n)
    frame = pd.DataFrame({"x": x, "leak": 2 * y + 5 + rng.normal(0, 0.05, n),
                          "noise": rng.normal(size=n), "y": y})
    result = feature_power(frame, "y", ["x", "leak", "noise"])
    assert result.task == "regression" and result.metric == "r2"
    assert result.power("leak") > 0.98
    assert result.power("x") == pytest.approx(0.9, abs=0.03)  # R² of 3x + N(0, 1) is 0.9
    assert result.power("noise") == 0.0  # floored


def test_multiclass_recoded_target_and_rare_class():
    rng = np.random.default_rng(5)
    n = 3000
    y = rng.choice(["a", "b", "c"], n, p=[0.9, 0.07, 0.03])
    frame = pd.DataFrame({"code": pd.Series(y).map({"a": 10, "b": 20, "c": 30}),
                          "noise": rng.normal(size=n), "y": y})
    result = feature_power(frame, "y", ["code", "noise"])
    assert result.baseline == pytest.approx(1 / 3)
    assert result.power("code") == 1.0 and result.power("noise") < 0.1


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine, load_diabetes])
def test_honest_features_stay_below_the_leak_threshold(loader):
    frame = loader(as_frame=True).frame
    features = [c for c in frame.columns if c != "target"]
    result = feature_power(frame, "target", features)
    assert max(f.power for f in result.features) < 0.9


def test_sampling_caps_rows_and_is_seeded():
    rng = np.random.default_rng(6)
    n = 5000
    frame = pd.DataFrame({"x": rng.normal(size=n), "y": rng.integers(0, 2, n)})
    frame.loc[::10, "y"] = np.nan  # unlabelled rows are dropped first
    a = feature_power(frame, "y", ["x"], max_rows=1000, random_state=1)
    b = feature_power(frame, "y", ["x"], max_rows=1000, random_state=1)
    assert a.n_rows == 1000 and a == b
    assert feature_power(frame, "y", ["x"]).n_rows == 4500


def test_bin_codes():
    x = pd.Series(np.arange(1000.0))
    codes = bin_codes(x, n_bins=10)
    assert np.bincount(codes).tolist() == [100] * 10
    with_missing = bin_codes(pd.Series([1.0, np.nan, np.inf, -np.inf, 2.0, 3.0]), n_bins=2)
    # one edge at the median (2.0); -inf and inf join the end bins; missing gets its own code
    assert with_missing.tolist() == [0, 2, 1, 0, 1, 1]
    cats = pd.Series(["a"] * 5 + ["b"] * 3 + ["c", "d", None])
    assert bin_codes(cats, max_categories=2).tolist() == [0] * 5 + [1] * 3 + [2, 2, 3]
    when = pd.Series(pd.to_datetime(["2024-01-01", None, "2024-01-03"]))
    assert bin_codes(when).tolist() == [0, 2, 1]
    assert bin_codes(pd.Series([True, False, True])).tolist() == [0, 1, 0]
    assert bin_codes(pd.Series(pd.Categorical(["x", "y", "x"]))).tolist() == [0, 1, 0]


def test_unscorable_features_and_targets_say_why():
    frame = pd.DataFrame({"lists": pd.Series([[1]] * 40, dtype=object),
                          "x": np.arange(40.0), "y": [0, 1] * 20})
    result = feature_power(frame, "y", ["lists", "x"])
    lists = next(f for f in result.features if f.feature == "lists")
    assert lists.power is None and "cannot be binned" in lists.reason
    assert result.features[-1].feature == "lists"  # unscored last
    constant = feature_power(frame.assign(y=1), "y", ["x"], task="classification")
    assert constant.features[0].power is None and "single class" in constant.features[0].reason
    tiny = feature_power(frame.iloc[:5], "y", ["x"])
    assert "labelled rows" in tiny.features[0].reason
    json.dumps(result.to_dict())


def test_regression_rows_with_a_non_finite_target_are_dropped():
    rng = np.random.default_rng(8)
    x = rng.normal(size=400)
    y = pd.Series(2 * x, dtype=object)
    y.iloc[:10] = np.inf
    y.iloc[10:20] = "n/a"
    result = feature_power(pd.DataFrame({"x": x, "y": y}), "y", ["x"], task="regression")
    assert result.n_rows == 380 and result.power("x") > 0.95


def test_unknown_task_is_a_parameter_error():
    from stalwart import ParameterError
    with pytest.raises(ParameterError):
        feature_power(pd.DataFrame({"x": [1.0], "y": [1]}), "y", ["x"], task="ranking")


def test_best_cut_matches_brute_force():
    from sklearn.metrics import balanced_accuracy_score

    from stalwart.quality.feature_leakage import oof_threshold_balanced_accuracy
    rng = np.random.default_rng(4)
    n = 120
    y = rng.integers(0, 2, n)
    x = y + rng.normal(0, 0.8, n)
    folds = np.arange(n) % 4
    expected = np.zeros(n, dtype=int)
    for k in range(4):
        tr, te = folds != k, folds == k
        xs = np.unique(x[tr])
        cuts = (xs[:-1] + xs[1:]) / 2
        # the first best cut of each direction; "above" wins a tie
        up = [balanced_accuracy_score(y[tr], (x[tr] > t).astype(int)) for t in cuts]
        down = [balanced_accuracy_score(y[tr], (x[tr] <= t).astype(int)) for t in cuts]
        i, j = int(np.argmax(up)), int(np.argmax(down))
        t, sign = (cuts[i], 1) if up[i] >= down[j] - 1e-12 else (cuts[j], -1)
        expected[te] = ((x[te] > t) if sign == 1 else (x[te] <= t)).astype(int)
    got = oof_threshold_balanced_accuracy(x, y, folds, n_folds=4)
    assert got == pytest.approx(balanced_accuracy_score(y, expected))


def test_continuous_perfect_separator_scores_one_on_small_data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 150)
    frame = pd.DataFrame({"leak": 2 * y + rng.normal(0, 0.01, 150), "y": y})
    assert feature_power(frame, "y", ["leak"]).features[0].power == 1.0
