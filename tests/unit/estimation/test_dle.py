"""DLE: behaviour, custom loss models, serialisation and bad input."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from stalwart.estimation import DLE
from stalwart.exceptions import DataError, ModelError, ParameterError, StageError


def _data(n, seed, low=-2.0, high=2.0):
    """y = x0 + noise whose spread grows with |x0|; the 'model' predicts x0.

    Only x0 moves (to [low, high]); x1 is irrelevant noise that stays put.
    """
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(low, high, n), rng.uniform(-2, 2, n)])
    y = X[:, 0] + rng.normal(0, 0.1 + 0.4 * np.abs(X[:, 0]))
    return X, y, X[:, 0].copy()


@pytest.fixture(scope="module")
def fitted():
    X, y, pred = _data(1500, 0)
    return DLE().fit(X, y, pred)


def test_estimate_structure_and_reference_values(fitted):
    X, y, pred = _data(1500, 0)
    assert fitted.reference_metrics_["mae"] == pytest.approx(np.mean(np.abs(y - pred)))
    assert fitted.reference_metrics_["rmse"] == pytest.approx(np.sqrt(np.mean((y - pred) ** 2)))
    Xc, _, pc = _data(700, 1)
    r = fitted.estimate(Xc, pc, chunks=300)
    assert r.method == "dle" and r.task == "regression" and r.metrics == ("mae", "rmse")
    assert [(c.start, c.stop) for c in r.chunks] == [(0, 300), (300, 600), (600, 700)]
    for c in (r.overall, *r.chunks):
        for m in c.metrics:
            assert 0 <= m.lower <= m.value <= m.upper and m.interval_method == "residual_bootstrap"
    assert r.details["loss_model"] == "RandomForestRegressor"
    assert "concept shift" in r.notes[0]
    d = r.to_dict()
    assert d["schema_version"] == "1.0" and d["reference"]["mae"] == r.reference["mae"]
    json.dumps(d)


def test_estimate_rises_where_the_noise_is_larger(fitted):
    calm_X, calm_y, calm_p = _data(600, 2, -0.5, 0.5)
    wild_X, wild_y, wild_p = _data(600, 3, 1.5, 2.0)
    calm = fitted.estimate(calm_X, calm_p)["mae"]
    wild = fitted.estimate(wild_X, wild_p)["mae"]
    assert calm.value < 0.5 * calm.reference_value and wild.value > 1.4 * wild.reference_value
    assert calm.value == pytest.approx(np.mean(np.abs(calm_y - calm_p)), abs=0.04)
    assert wild.value == pytest.approx(np.mean(np.abs(wild_y - wild_p)), abs=0.08)


def test_custom_estimator_and_dataframe_input():
    X, y, pred = _data(400, 4)
    frame = pd.DataFrame(X, columns=["a", "b"])
    dle = DLE(estimator=LinearRegression(), metrics="mae").fit(frame, y, pred)
    r = dle.estimate(frame.iloc[:100], pred[:100])
    assert r.metrics == ("mae",) and r.details["loss_model"] == "LinearRegression"
    assert np.isfinite(r["mae"].value) and r["mae"].lower <= r["mae"].upper


def test_fit_model_uses_the_wrapped_model():
    X, y, _ = _data(300, 8)
    model = LinearRegression().fit(X, y)
    est = DLE(estimator=LinearRegression()).fit_model(model, X, y)
    direct = DLE(estimator=LinearRegression()).fit(X, y, model.predict(X))
    via_model = est.estimate_model(X[:50]).to_dict()
    assert via_model["details"].pop("model")["task"] == "regression"
    assert via_model == direct.estimate(X[:50], model.predict(X[:50])).to_dict()
    with pytest.raises(ModelError, match="regressor"):
        DLE().fit_model(LogisticRegression().fit(X, y > 0), X, y)
    with pytest.raises(StageError, match="fit_model"):
        direct.estimate_model(X)


def test_results_are_seeded(fitted):
    Xc, _, pc = _data(300, 5)
    assert fitted.estimate(Xc, pc).to_dict() == fitted.estimate(Xc, pc).to_dict()


def test_estimate_before_fit_is_a_stage_error():
    with pytest.raises(StageError, match="before fit"):
        DLE().estimate(np.zeros((3, 2)), np.zeros(3))


@pytest.mark.parametrize("mutate,match", [
    (lambda X, y, p: (X[:20], y[:20], p[:20]), "at least 50"),
    (lambda X, y, p: (X, y[:-1], p), "reference_y_true"),
    (lambda X, y, p: (np.where(X > 1.9, np.nan, X), y, p), "impute"),
    (lambda X, y, p: (pd.DataFrame({"a": X[:, 0], "c": "x"}), y, p), "encode categorical"),
    (lambda X, y, p: (X, y, np.full(p.shape, np.inf)), "finite"),
])
def test_bad_reference_data(mutate, match):
    X, y, pred = _data(200, 6)
    with pytest.raises(DataError, match=match):
        DLE().fit(*mutate(X, y, pred))


def test_bad_parameters_current_data_and_chunks(fitted):
    X, y, pred = _data(200, 7)
    with pytest.raises(ParameterError, match="metrics"):
        DLE(metrics=("mape",)).fit(X, y, pred)
    with pytest.raises(ParameterError, match="confidence"):
        DLE(confidence=1.0).fit(X, y, pred)
    with pytest.raises(ParameterError, match="chunks"):
        fitted.estimate(X, pred, chunks=0)
    with pytest.raises(DataError, match="2 feature columns"):
        fitted.estimate(X[:, :1], pred)
