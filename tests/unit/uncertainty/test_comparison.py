import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from stalwart import ParameterError
from stalwart.uncertainty import compare_calibration, expected_calibration_error


def test_before_and_after_on_the_held_out_half():
    X, y = load_breast_cancer(return_X_y=True)
    model = GaussianNB().fit(X[:200], y[:200])
    out = compare_calibration(model, X[200:], y[200:], method="isotonic", random_state=3)
    _, X_test, _, y_test = train_test_split(X[200:], y[200:], test_size=0.5,
                                            stratify=y[200:], random_state=3)
    before = model.predict_proba(X_test)
    assert out.n_calibration + out.n_test == len(y) - 200
    assert out.brier_before == pytest.approx(brier_score_loss(y_test, before[:, 1]))
    assert out.ece_before == pytest.approx(expected_calibration_error(y_test, before))
    after = out.calibrated.predict_proba(X_test)
    assert out.brier_after == pytest.approx(brier_score_loss(y_test, after[:, 1]))
    assert out.ece_after < out.ece_before
    assert out.to_dict()["method"] == "isotonic"
    with pytest.raises(ParameterError, match="one of"):
        compare_calibration(model, X[200:], y[200:], method="magic")
