import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from stalwart import ParameterError
from stalwart.quality.label_errors import (_calibrate, confident_joint, encode_for_trees,
                                           find_label_issues, label_errors,
                                           out_of_fold_probabilities)


def _random_probs(seed, n=600, k=3):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), labels] += 2.0  # informative, with some contradictions
    p = np.exp(logits)
    return labels, p / p.sum(axis=1, keepdims=True)


def _flipped_cancer(seed=0, share=0.05):
    df = load_breast_cancer(as_frame=True).frame
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(df), int(share * len(df)), replace=False)
    df.loc[idx, "target"] = 1 - df.loc[idx, "target"]
    return df, set(idx.tolist())


def test_confident_joint_by_hand():
    p = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.8, 0.2], [0.7, 0.3]])
    labels = np.array([0, 0, 1, 1, 0])
    joint, t, guess = confident_joint(labels, p)
    np.testing.assert_allclose(t, [(0.9 + 0.6 + 0.7) / 3, (0.8 + 0.2) / 2])
    # row 3 (label 1) reaches class 0's threshold 0.733: an off-diagonal count
    assert guess.tolist() == [0, -1, 1, 0, -1] and joint.tolist() == [[1, 0], [1, 1]]
    mask = find_label_issues(labels, p, method="confident_off_diagonal")
    assert mask.tolist() == [False, False, False, True, False]


def test_calibration_keeps_label_counts():
    labels, p = _random_probs(0)
    joint, _, _ = confident_joint(labels, p)
    counts = np.bincount(labels)
    cal = _calibrate(joint, counts)
    assert cal.sum(axis=1).tolist() == counts.tolist()
    assert cal.dtype.kind == "i" and (cal >= 0).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_flags_never_agree_with_the_arg_max(seed):
    labels, p = _random_probs(seed)
    for method in ("prune_by_noise_rate", "confident_off_diagonal"):
        mask = find_label_issues(labels, p, method=method)
        assert mask.any()
        assert not (p[mask].argmax(axis=1) == labels[mask]).any()


def test_unknown_method_is_a_parameter_error():
    labels, p = _random_probs(0)
    with pytest.raises(ParameterError, match="prune_by_noise_rate"):
        find_label_issues(labels, p, method="vote")
    df = pd.DataFrame({"x": range(20), "y": [0, 1] * 10})
    with pytest.raises(ParameterError, match="n_folds"):
        label_errors(df, features=["x"], target="y", n_folds=1)


def test_out_of_fold_probabilities_are_distributions():
    df = load_breast_cancer(as_frame=True).frame
    enc = encode_for_trees(df, [c for c in df.columns if c != "target"])
    y = df["target"].to_numpy()
    p = out_of_fold_probabilities(enc.x, y, categorical=enc.categorical, n_folds=5)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert ((p.argmax(axis=1) == y).mean()) > 0.93


def test_planted_flips_are_found():
    df, flipped = _flipped_cancer()
    r = label_errors(df, features=[c for c in df.columns if c != "target"], target="target")
    found = set(r.issue_rows)
    precision = len(found & flipped) / len(found)
    recall = len(found & flipped) / len(flipped)
    assert precision >= 0.6 and recall >= 0.7, (precision, recall)
    assert r.oof_accuracy < 0.95 and 0.03 < r.estimated_error_share < 0.1
    assert list(r.self_confidence) == sorted(r.self_confidence)
    assert all(g != s for g, s in zip(r.given, r.suggested))
    assert np.array(r.confident_joint).sum() <= len(df)


def test_sampling_is_seeded_and_capped():
    df, _ = _flipped_cancer()
    feats = [c for c in df.columns if c != "target"]
    a = label_errors(df, features=feats, target="target", max_rows=300, random_state=3)
    b = label_errors(df, features=feats, target="target", max_rows=300, random_state=3)
    assert a.n_sampled == 300 and a.n_rows == len(df)
    assert a.to_dict() == b.to_dict()


def test_rare_classes_missing_labels_and_unusable_data():
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({"x": rng.normal(size=n), "y": rng.choice(["a", "b"], n).astype(object)})
    df.loc[:2, "y"] = "rare"  # 3 rows: fewer than 5 folds
    df.loc[3:9, "y"] = None
    r = label_errors(df, features=["x"], target="y")
    assert r.examined and r.n_excluded == 3 and r.n_sampled == n - 3 - 7
    assert r.classes == ("a", "b")
    one = label_errors(df.assign(y="a"), features=["x"], target="y")
    assert not one.examined and "two classes" in one.reason and one.issue_share is None
    lists = df.assign(x=[[1]] * n)
    none = label_errors(lists, features=["x"], target="y")
    assert not none.examined and none.features_skipped == (("x", "holds unhashable values "
                                                                  "(lists, dicts)"),)


def test_encoding_of_odd_columns():
    n = 8
    df = pd.DataFrame({
        "num": [1.0, np.inf, -np.inf, np.nan, 2.0, 3.0, 4.0, 5.0],
        "flag": pd.array([True, False, None, True, True, False, True, False], dtype="boolean"),
        "when": pd.date_range("2024-01-01", periods=n, freq="D", tz="UTC"),
        "cat": pd.Categorical(["a", "b", "a", None, "a", "c", "a", "b"]),
        "text": pd.Series(["x", "y", "x", "x", None, "y", "z", "x"], dtype="string"),
        "empty": [np.nan] * n,
        "nested": [{"k": 1}] * n,
    })
    enc = encode_for_trees(df, list(df.columns))
    assert enc.used == ("num", "flag", "when", "cat", "text")
    assert enc.skipped == {"empty": "missing in every row",
                           "nested": "holds unhashable values (lists, dicts)"}
    assert enc.categorical.tolist() == [False, False, False, True, True]
    x = enc.x
    assert np.isnan(x[1:4, 0]).all() and x[0, 0] == 1.0
    assert np.isnan(x[2, 1]) and x[0, 1] == 1.0
    assert x[:, 2].tolist() == [i * 86400.0 for i in range(n)]
    assert x[:, 3].tolist()[:3] == [0.0, 1.0, 0.0] and np.isnan(x[3, 3])  # "a" is commonest


def test_categories_beyond_the_bin_limit_share_a_code():
    values = [f"v{i}" for i in range(100)] * 3 + ["v0"] * 10
    enc = encode_for_trees(pd.DataFrame({"c": values}), ["c"])
    assert enc.x.max() == 62 and enc.x[0, 0] == 0  # v0 is the most frequent


def test_agrees_with_cleanlab_on_the_same_probabilities():
    cleanlab_filter = pytest.importorskip("cleanlab.filter")
    df, _ = _flipped_cancer()
    enc = encode_for_trees(df, [c for c in df.columns if c != "target"])
    y = df["target"].to_numpy()
    p = out_of_fold_probabilities(enc.x, y, categorical=enc.categorical)
    cases = [(y, p)] + [_random_probs(s, k=k) for s, k in ((0, 3), (1, 4), (2, 2))]
    for labels, probs in cases:
        for ours, theirs in (("prune_by_noise_rate", "prune_by_noise_rate"),
                             ("confident_off_diagonal", "confident_learning")):
            a = find_label_issues(labels, probs, method=ours)
            b = cleanlab_filter.find_label_issues(labels, probs, filter_by=theirs, n_jobs=1)
            jaccard = (a & b).sum() / max((a | b).sum(), 1)
            assert jaccard >= 0.98, (ours, jaccard)


def test_joint_matches_cleanlab():
    count = pytest.importorskip("cleanlab.count")
    labels, p = _random_probs(5, k=4)
    joint, _, _ = confident_joint(labels, p)
    theirs = count.compute_confident_joint(labels, p, calibrate=False)
    ours = joint.copy()
    np.fill_diagonal(ours, np.maximum(ours.diagonal(), 1))  # cleanlab floors the diagonal at 1
    assert ours.tolist() == theirs.tolist()
    assert _calibrate(joint, np.bincount(labels)).tolist() == \
        count.calibrate_confident_joint(theirs, labels).tolist()
