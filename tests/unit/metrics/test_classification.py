"""Classification metrics equal scikit-learn's; inputs are checked; batch paths agree."""

import numpy as np
import pytest
from sklearn import metrics as skm
from sklearn.preprocessing import label_binarize

from stalwart.exceptions import DataError, ParameterError
from stalwart.metrics import METRICS, evaluate, metric_names
from stalwart.metrics.bootstrap import metric_replicates, resample_indices
from stalwart.metrics.classification import check_classification


def _binary(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.choice(["no", "yes"], n, p=[0.6, 0.4])
    p1 = np.clip((y == "yes") * 0.35 + rng.uniform(0, 0.65, n), 0, 1).round(2)  # ties
    proba = np.column_stack([1 - p1, p1])
    pred = np.where(p1 > 0.5, "yes", "no")
    return y, pred, proba


def _multiclass(n=300, seed=1):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    logits = rng.normal(size=(n, 3)) + 1.5 * np.eye(3)[y]
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return y, proba.argmax(axis=1), proba


def test_binary_metrics_equal_sklearn():
    y, pred, proba = _binary()
    res = evaluate(y, y_pred=pred, proba=proba, n_boot=0)
    pos = (y == "yes").astype(int)
    expected = {
        "accuracy": skm.accuracy_score(y, pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y, pred),
        "precision": skm.precision_score(y, pred, pos_label="yes"),
        "recall": skm.recall_score(y, pred, pos_label="yes"),
        "f1": skm.f1_score(y, pred, pos_label="yes"),
        "precision_macro": skm.precision_score(y, pred, average="macro"),
        "recall_weighted": skm.recall_score(y, pred, average="weighted"),
        "f1_macro": skm.f1_score(y, pred, average="macro"),
        "f1_weighted": skm.f1_score(y, pred, average="weighted"),
        "roc_auc": skm.roc_auc_score(pos, proba[:, 1]),
        "average_precision": skm.average_precision_score(pos, proba[:, 1]),
        "log_loss": skm.log_loss(y, proba),
        "brier": skm.brier_score_loss(pos, proba[:, 1]),
    }
    for name, value in expected.items():
        assert res[name].estimate == pytest.approx(value, rel=1e-12), name
    assert set(res.metrics) == set(metric_names("classification"))


def test_multiclass_metrics_equal_sklearn():
    y, pred, proba = _multiclass()
    res = evaluate(y, y_pred=pred, proba=proba, n_boot=0)
    expected = {
        "accuracy": skm.accuracy_score(y, pred),
        "precision_weighted": skm.precision_score(y, pred, average="weighted"),
        "recall_macro": skm.recall_score(y, pred, average="macro"),
        "roc_auc": skm.roc_auc_score(y, proba, multi_class="ovr"),
        "average_precision": skm.average_precision_score(label_binarize(y, classes=[0, 1, 2]),
                                                         proba),
        "log_loss": skm.log_loss(y, proba),
        "brier": skm.brier_score_loss(y, proba, labels=[0, 1, 2]),
    }
    for name, value in expected.items():
        assert res[name].estimate == pytest.approx(value, rel=1e-12), name
    assert "precision" not in res.metrics  # binary-only metrics left out for three classes
    p, r, f, s = skm.precision_recall_fscore_support(y, pred)
    for j in range(3):
        assert res.per_class[str(j)]["precision"].estimate == pytest.approx(p[j], rel=1e-12)
        assert res.per_class[str(j)]["f1"].estimate == pytest.approx(f[j], rel=1e-12)
        assert res.support[str(j)] == s[j]
    assert res.confusion_matrix == skm.confusion_matrix(y, pred).tolist()


def _multiclass_ties():
    y, pred, proba = _multiclass(seed=4)
    proba = proba.round(1) + 0.01
    return y, pred, proba / proba.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("case", [_binary, _multiclass, _multiclass_ties])
def test_batch_paths_equal_sklearn_on_each_resample(case):
    y, pred, proba = case()
    y, pred, classes, proba = check_classification(y, y_pred=pred, proba=proba)
    idx = next(resample_indices(y.size, n_boot=25, random_state=3))
    for name, spec in METRICS:
        if spec.task != "classification" or spec.batch is None:
            continue
        if spec.binary_only and classes.size != 2:
            continue
        fast = metric_replicates(spec, idx, y, pred, proba, classes)
        slow = [spec(y[r], pred[r], proba[r], classes) for r in idx]
        np.testing.assert_allclose(fast, slow, rtol=1e-10, err_msg=name)


def test_undefined_resamples_are_nan_in_both_paths():
    y = np.array([0, 0, 0, 1])
    proba = np.column_stack([1 - np.linspace(0, 1, 4), np.linspace(0, 1, 4)])
    idx = np.array([[0, 1, 2, 0], [0, 1, 2, 3]])
    spec = METRICS.get("roc_auc")
    fast = metric_replicates(spec, idx, y, None, proba, np.array([0, 1]))
    assert np.isnan(fast[0]) and fast[1] == 1.0


def test_unseen_labels_rejected():
    with pytest.raises(DataError, match="unseen labels"):
        evaluate([0, 1, 2], y_pred=[0, 1, 1], classes=[0, 1])


def test_proba_rows_must_sum_to_one():
    with pytest.raises(DataError, match="sum to 1"):
        evaluate([0, 1], proba=[[0.5, 0.6], [0.2, 0.8]])
    with pytest.raises(DataError, match="shape"):
        evaluate([0, 1], proba=[[0.5, 0.3, 0.2], [0.2, 0.7, 0.1]])
    with pytest.raises(DataError, match=r"\[0, 1\]"):
        evaluate([0, 1], proba=[[1.5, -0.5], [0.2, 0.8]])


def test_float32_rounding_is_renormalised():
    y, _, proba = _multiclass()
    p32 = proba.astype(np.float32)
    res = evaluate(y, proba=p32, metrics=["log_loss"], n_boot=0)
    assert res["log_loss"].estimate == pytest.approx(skm.log_loss(y, proba), rel=1e-5)


def test_regression_input_given_to_classification():
    with pytest.raises(DataError, match="regression target"):
        evaluate([0.1, 2.5, 3.7], y_pred=[0.0, 2.0, 4.0], task="classification")


def test_one_dimensional_proba_is_positive_class():
    y, _, proba = _binary()
    a = evaluate(y, proba=proba[:, 1], metrics=["roc_auc", "brier"], n_boot=0)
    b = evaluate(y, proba=proba, metrics=["roc_auc", "brier"], n_boot=0)
    assert a.metrics == b.metrics


def test_metric_needing_missing_input_is_refused():
    with pytest.raises(ParameterError, match="proba"):
        evaluate([0, 1], y_pred=[0, 1], metrics=["roc_auc"])
    with pytest.raises(ParameterError, match="two-class"):
        evaluate([0, 1, 2], y_pred=[0, 1, 2], metrics=["f1"])
    with pytest.raises(ParameterError, match="classification metric"):
        evaluate([0, 1], y_pred=[0, 1], metrics=["rmse"])
    with pytest.raises(ParameterError, match="one of"):
        evaluate([0, 1], y_pred=[0, 1], metrics=["nope"])
    with pytest.raises(ParameterError, match="neither"):
        evaluate([0, 1], task="classification")
