"""metric_frame: values by group against pandas/scikit-learn, and against fairlearn."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, mean_absolute_error, recall_score, roc_auc_score

from stalwart.exceptions import DataError, ParameterError
from stalwart.slicing import bin_column, metric_frame


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    n = 600
    X = pd.DataFrame({"city": rng.choice(["a", "b", "c"], n, p=[0.5, 0.4, 0.1]),
                      "age": rng.normal(40, 10, n)})
    y = rng.integers(0, 2, n)
    score = np.clip(0.5 * y + rng.normal(0.25, 0.3, n), 0, 1)
    return X, y, (score > 0.5).astype(int), score


def test_by_group_matches_a_manual_groupby(data):
    X, y, pred, _ = data
    mf = metric_frame(y, pred, by=X, metrics={"acc": accuracy_score, "rec": recall_score},
                      n_bins=3)
    age_bins = bin_column(X["age"], n_bins=3)
    keys = pd.DataFrame({"city": X["city"], "age": np.array(age_bins.labels)[age_bins.codes]})
    frame = mf.by_group()
    assert len(frame) == keys.drop_duplicates().shape[0] == 9
    for (city, age), idx in keys.groupby(["city", "age"]).groups.items():
        row = frame.loc[(city, age)]
        assert row["size"] == len(idx)
        assert row["acc"] == pytest.approx(accuracy_score(y[idx], pred[idx]))
        assert row["rec"] == pytest.approx(recall_score(y[idx], pred[idx]))
    assert mf.overall["acc"] == pytest.approx(accuracy_score(y, pred))
    acc = frame["acc"]
    s = mf.summary["acc"]
    assert s["difference"] == pytest.approx(acc.max() - acc.min())
    assert s["ratio"] == pytest.approx(acc.min() / acc.max())
    assert s["difference_to_overall"] == pytest.approx((acc - mf.overall["acc"]).abs().max())
    assert tuple(s["worst_group"]) == acc.idxmin() and s["worst_value"] == acc.min()


def test_probabilities_lower_is_better_and_small_groups(data):
    X, y, _, score = data
    mf = metric_frame(y, score, by=X["city"], metrics={"auc": roc_auc_score,
                      "mae": mean_absolute_error}, greater_is_better={"mae": False},
                      min_group_size=100)
    by = mf.by_group()
    assert by.loc[("b",), "auc"] == pytest.approx(
        roc_auc_score(y[X["city"] == "b"], score[X["city"] == "b"]))
    assert tuple(mf.summary["mae"]["worst_group"]) == by["mae"].idxmax()
    assert mf.small_groups == (("c",),)
    assert "fewer than 100 rows" in mf.warnings[0]
    payload = json.loads(json.dumps(mf.to_dict()))
    assert payload["chart"]["labels"] == ["a", "b", "c"]
    assert payload["chart"]["sizes"] == by["size"].tolist()


def test_proba_matrix_rows_are_selected():
    y = np.array([0, 1, 1, 0])
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    mf = metric_frame(y, p, by=["g", "g", "h", "h"],
                      metrics=lambda t, q: float(np.mean(q[np.arange(len(t)), t])),
                      min_group_size=1)
    assert mf.by_group().iloc[:, 0].tolist() == pytest.approx([0.85, 0.35])


def test_bad_inputs(data):
    X, y, pred, _ = data
    with pytest.raises(DataError, match="by"):
        metric_frame(y, pred, by=X.iloc[:10], metrics=accuracy_score)
    with pytest.raises(DataError):
        metric_frame(y, pred[:5], by=X, metrics=accuracy_score)
    with pytest.raises(ParameterError, match="metrics"):
        metric_frame(y, pred, by=X, metrics={"acc": 1})
    with pytest.raises(ParameterError, match="greater_is_better"):
        metric_frame(y, pred, by=X, metrics=accuracy_score, greater_is_better={"nope": True})
    with pytest.raises(ParameterError, match="min_group_size"):
        metric_frame(y, pred, by=X, metrics=accuracy_score, min_group_size=0)


def test_matches_fairlearn_metricframe(data):
    fl = pytest.importorskip("fairlearn.metrics")
    X, y, pred, _ = data
    metrics = {"acc": accuracy_score, "rec": recall_score}
    mf = metric_frame(y, pred, by=X, metrics=metrics, n_bins=3)
    age_bins = bin_column(X["age"], n_bins=3)
    sf = pd.DataFrame({"city": X["city"].to_numpy(),
                       "age": np.array(age_bins.labels)[age_bins.codes]})
    ref = fl.MetricFrame(metrics=metrics, y_true=y, y_pred=pred, sensitive_features=sf)
    ours = mf.by_group()
    ref_by = ref.by_group
    for key in ours.index:
        for m in metrics:
            assert ours.loc[key, m] == pytest.approx(ref_by.loc[key, m])
    for m in metrics:
        assert mf.overall[m] == pytest.approx(ref.overall[m])
        s = mf.summary[m]
        assert s["group_min"] == pytest.approx(ref.group_min()[m])
        assert s["group_max"] == pytest.approx(ref.group_max()[m])
        assert s["difference"] == pytest.approx(ref.difference()[m])
        assert s["ratio"] == pytest.approx(ref.ratio()[m])
        assert s["difference_to_overall"] == pytest.approx(ref.difference(method="to_overall")[m])
        assert s["ratio_to_overall"] == pytest.approx(ref.ratio(method="to_overall")[m])


def test_metric_undefined_on_a_group_is_nan_with_a_warning():
    y = np.array([0, 1, 0, 1, 1, 1])
    score = np.array([0.2, 0.8, 0.6, 0.4, 0.9, 0.7])
    mf = metric_frame(y, score, by=list("aaaabb"), metrics={"auc": roc_auc_score},
                      min_group_size=1)
    by = mf.by_group()["auc"]
    assert by.loc[("a",)] == pytest.approx(roc_auc_score(y[:4], score[:4]))
    assert np.isnan(by.loc[("b",)])
    assert mf.warnings[0].startswith("auc on group ('b',): Only one class")
    assert mf.summary["auc"]["group_min"] == mf.summary["auc"]["group_max"] == by.loc[("a",)]
    assert json.loads(json.dumps(mf.to_dict()))["groups"][1]["values"]["auc"] is None


def test_metric_raising_value_error_on_a_group_is_nan():
    def needs_three(t, p):
        if len(t) < 3:
            raise ValueError("needs three rows")
        return float(np.mean(t == p))

    mf = metric_frame([1, 1, 1, 0], [1, 0, 1, 0], by=list("aaab"), metrics=needs_three,
                      min_group_size=1)
    assert mf.by_group()["needs_three"].iloc[0] == pytest.approx(2 / 3)
    assert np.isnan(mf.by_group()["needs_three"].iloc[1])
    assert "needs_three is undefined on group ('b',): needs three rows" in mf.warnings
