"""Conformance over every registered metric: direction, capabilities, both paths agree."""

import numpy as np
import pytest

from stalwart.metrics import METRICS
from stalwart.metrics.bootstrap import metric_replicates, resample_indices
from stalwart.metrics.classification import check_classification

BUILT_IN = [name for name, _ in METRICS if not name.startswith("test_")]


def _inputs(task, quality, rng):
    n = 200
    if task == "regression":
        y = rng.gamma(3.0, 2.0, n)
        return y, y + rng.normal(0, quality, n), None, None
    y = rng.integers(0, 2, n)
    p1 = np.clip(0.5 + (y - 0.5) * (1 - quality) + rng.normal(0, 0.2, n), 0.01, 0.99)
    proba = np.column_stack([1 - p1, p1])
    y, pred, classes, proba = check_classification(y, y_pred=(p1 > 0.5).astype(int),
                                                   proba=proba)
    return y, pred, proba, classes


@pytest.mark.parametrize("name", BUILT_IN)
def test_better_model_scores_better_in_the_declared_direction(name):
    spec = METRICS.get(name)
    assert METRICS.capabilities(name) == {
        "task": spec.task, "needs_proba": spec.needs_proba,
        "greater_is_better": spec.greater_is_better, "binary_only": spec.binary_only}
    good = spec(*_inputs(spec.task, 0.1, np.random.default_rng(0)))
    bad = spec(*_inputs(spec.task, 0.9, np.random.default_rng(0)))
    assert np.isfinite(good) and np.isfinite(bad)
    assert (good > bad) if spec.greater_is_better else (good < bad)


@pytest.mark.parametrize("name", BUILT_IN)
def test_fast_path_matches_the_metric(name):
    spec = METRICS.get(name)
    y, pred, proba, classes = _inputs(spec.task, 0.5, np.random.default_rng(1))
    idx = next(resample_indices(y.size, n_boot=10, random_state=0))
    fast = metric_replicates(spec, idx, y, pred, proba, classes)
    slow = [spec(y[r], pred[r], None if proba is None else proba[r], classes) for r in idx]
    np.testing.assert_allclose(fast, slow, rtol=1e-10)
