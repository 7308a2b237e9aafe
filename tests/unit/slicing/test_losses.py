"""Per-row loss against scikit-learn's averaged losses."""

import numpy as np
import pytest
from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error, zero_one_loss

from stalwart.exceptions import DataError, ParameterError
from stalwart.slicing import row_loss


def test_losses_average_to_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200)
    p = rng.dirichlet(np.ones(3), 200)
    pred = p.argmax(axis=1)
    assert row_loss(y, y_pred=pred).mean() == pytest.approx(zero_one_loss(y, pred))
    assert row_loss(y, proba=p, kind="log_loss").mean() == pytest.approx(log_loss(y, p))
    labels = np.array(["a", "b", "c"])[y]
    assert row_loss(labels, proba=p, kind="log_loss", classes=["a", "b", "c"]).mean() \
        == pytest.approx(log_loss(y, p))
    t, f = rng.normal(size=50), rng.normal(size=50)
    assert row_loss(t, y_pred=f, kind="absolute").mean() == pytest.approx(
        mean_absolute_error(t, f))
    assert row_loss(t, y_pred=f, kind="squared").mean() == pytest.approx(
        mean_squared_error(t, f))


def test_bad_inputs():
    with pytest.raises(ParameterError, match="kind"):
        row_loss([1], y_pred=[1], kind="hinge")
    with pytest.raises(ParameterError, match="proba"):
        row_loss([1], kind="log_loss")
    with pytest.raises(DataError, match="sum to 1"):
        row_loss([0, 1], proba=[[0.5, 0.6], [0.5, 0.5]], kind="log_loss")
    with pytest.raises(DataError, match="regression"):
        row_loss(["a"], y_pred=["b"], kind="absolute")
    with pytest.raises(DataError):
        row_loss([1, 2], y_pred=[1])
