"""The expected-confusion arithmetic and the bootstrap metrics, checked against scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score)

from stalwart.estimation import expected_confusion_matrix, expected_metrics
from stalwart.estimation._draws import draw_labels, metrics_on_draws

METRICS = ("accuracy", "roc_auc", "f1", "precision", "recall")


def _sklearn(y, pred, scores, k, weights=None):
    """The metrics as scikit-learn computes them (macro one-vs-rest for k > 2)."""
    avg = {"average": "binary"} if k == 2 else {"average": "macro", "labels": np.arange(k)}
    auc = (roc_auc_score(y, scores[:, 1], sample_weight=weights) if k == 2 else
           roc_auc_score(y, scores, multi_class="ovr", average="macro", labels=np.arange(k),
                         sample_weight=weights))
    return {"accuracy": accuracy_score(y, pred, sample_weight=weights),
            "precision": precision_score(y, pred, sample_weight=weights, zero_division=0, **avg),
            "recall": recall_score(y, pred, sample_weight=weights, zero_division=0, **avg),
            "f1": f1_score(y, pred, sample_weight=weights, zero_division=0, **avg),
            "roc_auc": auc}


def _case(k, n=300, seed=0, ties=False):
    rng = np.random.default_rng(seed)
    scores = rng.dirichlet(np.ones(k), size=n)
    if ties:
        scores = np.round(scores, 1)
        scores /= scores.sum(axis=1, keepdims=True)
    calibrated = 0.7 * scores + 0.3 * rng.dirichlet(np.ones(k), size=n)
    return calibrated, scores.argmax(axis=1), scores


@pytest.mark.parametrize("k,ties", [(2, False), (2, True), (3, False), (4, True)])
def test_expected_metrics_equal_sklearn_on_the_expanded_weighted_data(k, ties):
    calibrated, pred, scores = _case(k, ties=ties)
    n = len(pred)
    y = np.tile(np.arange(k), n)  # every row once per class j, labelled j, weight c[i, j]
    got = expected_metrics(calibrated, pred, scores, METRICS)
    want = _sklearn(y, np.repeat(pred, k), np.repeat(scores, k, axis=0), k,
                    calibrated.ravel())
    for m in METRICS:
        assert got[m] == pytest.approx(want[m], abs=1e-12), m


@pytest.mark.parametrize("k", [2, 3])
def test_one_hot_probabilities_give_the_realised_metrics(k):
    calibrated, pred, scores = _case(k, seed=1)
    rng = np.random.default_rng(2)
    y = draw_labels(calibrated, 1, rng)[0]
    got = expected_metrics(np.eye(k)[y], pred, scores, METRICS)
    want = _sklearn(y, pred, scores, k)
    for m in METRICS:
        assert got[m] == pytest.approx(want[m], abs=1e-12), m


def test_expected_confusion_matrix_is_the_mean_of_sklearn_matrices_over_label_draws():
    calibrated, pred, scores = _case(3, n=200, seed=3)
    labels = draw_labels(calibrated, 4000, np.random.default_rng(4))
    counts = np.zeros((4000, 3, 3))
    np.add.at(counts, (np.arange(4000)[:, None], labels, pred[None, :]), 1)
    for b in range(20):  # the fast tally is scikit-learn's confusion matrix
        assert np.array_equal(counts[b], confusion_matrix(labels[b], pred, labels=[0, 1, 2]))
    expected = expected_confusion_matrix(calibrated, pred)
    assert expected.sum() == pytest.approx(200)
    # per cell: standard error of a 4000-draw mean of a count with variance <= n/4 is <= 0.11
    assert np.abs(counts.mean(axis=0) - expected).max() < 4 * np.sqrt(200 / 4 / 4000)


def test_expected_metrics_track_sklearn_on_labels_drawn_from_the_probabilities():
    """With many rows, the realised metric of one label draw is close to its expectation."""
    rng = np.random.default_rng(5)
    p = rng.beta(0.7, 0.7, size=20_000)
    calibrated = np.column_stack([1 - p, p])
    pred = (p >= 0.5).astype(int)
    got = expected_metrics(calibrated, pred, calibrated, METRICS)
    y = (rng.uniform(size=p.size) < p).astype(int)
    want = _sklearn(y, pred, calibrated, 2)
    for m in METRICS:
        assert got[m] == pytest.approx(want[m], abs=0.01), m


def test_expected_auc_of_a_constant_positive_column_is_undefined():
    calibrated = np.column_stack([np.ones(50), np.zeros(50)])
    scores = np.column_stack([np.linspace(0.9, 0.1, 50), np.linspace(0.1, 0.9, 50)])
    out = expected_metrics(calibrated, np.zeros(50, dtype=int), scores, ("roc_auc", "recall"))
    assert np.isnan(out["roc_auc"]) and out["recall"] == 0.0


@pytest.mark.parametrize("k", [2, 3])
def test_metrics_on_draws_equal_sklearn_draw_by_draw(k):
    calibrated, pred, scores = _case(k, n=120, seed=6, ties=True)
    labels = draw_labels(calibrated, 8, np.random.default_rng(7))
    got = metrics_on_draws(labels, pred, scores, METRICS)
    for b, y in enumerate(labels):
        want = _sklearn(y, pred, scores, k)
        for m in METRICS:
            assert got[m][b] == pytest.approx(want[m], abs=1e-12), (m, b)


def test_draw_labels_follow_the_probabilities():
    calibrated = np.array([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0]])
    labels = draw_labels(calibrated, 20_000, np.random.default_rng(8))
    share = np.mean(labels[:, 0][:, None] == np.arange(3), axis=0)
    assert share == pytest.approx([0.2, 0.5, 0.3], abs=0.015)
    assert np.all(labels[:, 1] == 0)
