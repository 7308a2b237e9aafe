"""CBPE: behaviour, recorded choices, chunking, serialisation and bad input."""

import json

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from stalwart.estimation import CBPE, PerformanceEstimate
from stalwart.exceptions import DataError, ModelError, ParameterError, StageError


def _calibrated(n, seed, k=2, a=0.7):
    """Probabilities and labels drawn from them (so the probabilities are calibrated)."""
    rng = np.random.default_rng(seed)
    if k == 2:
        p = rng.beta(a, a, size=n)
        return (rng.uniform(size=n) < p).astype(int), p
    proba = rng.dirichlet(np.full(k, a), size=n)
    y = (rng.uniform(size=(n, 1)) > np.cumsum(proba, axis=1)).sum(axis=1)
    return np.minimum(y, k - 1), proba


def test_estimate_structure_chunks_and_reference_values():
    y, p = _calibrated(2000, 0)
    est = CBPE().fit(y, p)
    _, p_cur = _calibrated(1000, 1)
    r = est.estimate(p_cur, chunks=300)
    assert isinstance(r, PerformanceEstimate) and r.method == "cbpe"
    assert r.metrics == ("accuracy", "roc_auc", "f1", "precision", "recall")
    assert [(c.start, c.stop) for c in r.chunks] == [(0, 300), (300, 600), (600, 900),
                                                     (900, 1000)]
    assert "remaining 100 rows" in r.chunks[-1].note and r.chunks[0].note == ""
    assert (r.overall.index, r.overall.n_rows) == (-1, 1000)
    pred = (p >= 0.5).astype(int)
    assert r.reference["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert r.reference["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert r.reference["f1"] == pytest.approx(f1_score(y, pred))
    for c in (r.overall, *r.chunks):
        for m in c.metrics:
            assert 0 <= m.lower <= m.value <= m.upper <= 1, (c.index, m)
            assert m.reference_value == r.reference[m.metric]
    assert r["accuracy"].interval_method == "poisson_binomial_normal"
    assert r["roc_auc"].interval_method == "parametric_bootstrap"
    assert r.values("accuracy").shape == (4,) and r.intervals("f1").shape == (4, 2)
    assert "concept shift" in r.notes[0]


def test_to_dict_is_json_and_versioned():
    y, p = _calibrated(500, 2)
    d = CBPE(metrics=("accuracy", "f1")).fit(y, p).estimate(p[:200], chunks=100).to_dict()
    assert d["schema_version"] == "1.0" and d["method"] == "cbpe"
    assert len(d["chunks"]) == 2 and d["chunks"][0]["metrics"][0]["metric"] == "accuracy"
    assert d["details"]["calibration"]["used"] == "isotonic"
    json.dumps(d)


def test_results_are_seeded():
    y, p = _calibrated(800, 3)
    a = CBPE(random_state=4).fit(y, p).estimate(p, chunks=200)
    b = CBPE(random_state=4).fit(y, p).estimate(p, chunks=200)
    assert a.to_dict() == b.to_dict()


def test_accuracy_interval_is_the_poisson_binomial_normal_interval():
    y, p = _calibrated(1000, 5)
    r = CBPE(calibration=None, metrics=("accuracy",)).fit(y, p).estimate(p)
    q = np.maximum(p, 1 - p)
    half = 1.959964 * np.sqrt(np.sum(q * (1 - q))) / q.size
    assert r["accuracy"].value == pytest.approx(q.mean())
    assert (r["accuracy"].lower, r["accuracy"].upper) == pytest.approx(
        (q.mean() - half, q.mean() + half), abs=1e-6)


def test_auto_calibration_keeps_calibrated_probabilities_and_fixes_distorted_ones():
    y, p = _calibrated(3000, 6)
    kept = CBPE(calibration="auto").fit(y, p)
    assert kept.calibration_["used"] == "none" and "<=" in kept.calibration_["reason"]
    squashed = 0.5 + (p - 0.5) * 0.4  # under-confident: ECE about 0.15
    fixed = CBPE(calibration="auto").fit(y, squashed)
    assert fixed.calibration_["used"] == "isotonic" and ">" in fixed.calibration_["reason"]
    assert fixed.calibration_["ece_calibrated"] < 0.2 * fixed.calibration_["ece_raw"]
    # the calibrated estimate recovers the accuracy that the raw probabilities understate
    raw = CBPE(calibration=None, metrics=("accuracy",)).fit(y, squashed).estimate(squashed)
    cal = fixed.estimate(squashed)
    realised = accuracy_score(y, squashed >= 0.5)
    assert abs(cal["accuracy"].value - realised) < 0.02 < abs(raw["accuracy"].value - realised)


def test_other_calibrators_from_the_uncertainty_package():
    y, p = _calibrated(1000, 7)
    est = CBPE(calibration="platt").fit(y, p)
    assert est.calibration_["used"] == "platt"
    assert type(est.calibrator_).__name__ == "PlattScaling"


def test_threshold_moves_the_predicted_labels():
    y, p = _calibrated(2000, 8)
    low = CBPE(threshold=0.2).fit(y, p).estimate(p)
    high = CBPE(threshold=0.8).fit(y, p).estimate(p)
    assert low["recall"].value > high["recall"].value
    assert low["precision"].value < high["precision"].value
    assert "0.8" in high.details["decision"]


def test_a_chunk_without_predicted_positives_says_so():
    y, p = _calibrated(1000, 9)
    r = CBPE().fit(y, p).estimate(np.full(50, 0.1))
    assert r["precision"].value == 0.0 and "never predicted" in r["precision"].note
    assert "zero_division" in r["f1"].note and r["accuracy"].note == ""


def test_tiny_chunks_are_stated_not_crashed():
    y, p = _calibrated(300, 16)
    r = CBPE().fit(y, p).estimate(p[:7], chunks=3)
    assert [c.n_rows for c in r.chunks] == [3, 3, 1]
    assert "only 1 rows" in r.chunks[-1].note and "remaining 1 rows" in r.chunks[-1].note
    auc = r.chunks[-1]["roc_auc"]
    assert np.isnan(auc.lower) and "no interval" in auc.note


def test_multiclass_is_macro_one_vs_rest_and_close_to_realised():
    y, proba = _calibrated(3000, 10, k=3)
    y_cur, p_cur = _calibrated(3000, 11, k=3)
    r = CBPE().fit(y, proba).estimate(p_cur)
    pred = p_cur.argmax(axis=1)
    assert r.details["average"] == "macro" and r.details["decision"] == "arg-max class"
    assert r["accuracy"].value == pytest.approx(accuracy_score(y_cur, pred), abs=0.03)
    assert r["f1"].value == pytest.approx(f1_score(y_cur, pred, average="macro"), abs=0.03)
    assert r["roc_auc"].value == pytest.approx(
        roc_auc_score(y_cur, p_cur, multi_class="ovr"), abs=0.03)


def test_string_labels_with_classes_and_1d_input():
    y, p = _calibrated(600, 12)
    labels = np.array(["no", "yes"])[y]
    a = CBPE(metrics=("accuracy",)).fit(labels, np.column_stack([1 - p, p]),
                                        classes=["no", "yes"]).estimate(p)
    b = CBPE(metrics=("accuracy",)).fit(y, p).estimate(p)
    assert a["accuracy"].value == pytest.approx(b["accuracy"].value)
    assert a.details["classes"] == ["no", "yes"]


def test_fit_model_uses_the_wrapped_model():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(600, 2))
    y = (X[:, 0] + rng.normal(size=600) > 0).astype(int)
    model = LogisticRegression().fit(X[:300], y[:300])
    est = CBPE().fit_model(model, X[300:], y[300:])
    direct = CBPE().fit(y[300:], model.predict_proba(X[300:]), classes=[0, 1])
    via_model = est.estimate_model(X[:100]).to_dict()
    assert via_model["details"].pop("model")["adapter"] == "SklearnAdapter"
    assert via_model == direct.estimate(model.predict_proba(X[:100])).to_dict()
    with pytest.raises(ModelError, match="classifier"):
        CBPE().fit_model(LinearRegression().fit(X, y), X, y)
    with pytest.raises(StageError, match="fit_model"):
        CBPE().fit(y, model.predict_proba(X)).estimate_model(X)


def test_estimate_before_fit_is_a_stage_error():
    with pytest.raises(StageError, match="before fit"):
        CBPE().estimate(np.array([0.2, 0.8]))


@pytest.mark.parametrize("y,p,match", [
    (np.ones(100, dtype=int), np.linspace(0.01, 0.99, 100), "every one of the 2 classes"),
    (np.arange(100) % 2, np.linspace(-0.5, 1.5, 100), r"\[0, 1\]"),
    (np.arange(100) % 2, np.full((100, 2), 0.7), "sum to 1"),
    (np.arange(20) % 2, np.linspace(0.01, 0.99, 20), "at least 50"),
    (np.arange(99) % 2, np.linspace(0.01, 0.99, 100), "100 labels"),
])
def test_bad_reference_data(y, p, match):
    with pytest.raises(DataError, match=match):
        CBPE().fit(y, p)


@pytest.mark.parametrize("options,match", [
    ({"calibration": "magic"}, "isotonic"), ({"threshold": 1.0}, "threshold"),
    ({"confidence": 95}, "confidence"), ({"metrics": ("accuracy", "mcc")}, "metrics"),
    ({"n_bootstrap": 0}, "n_bootstrap"),
])
def test_bad_parameters(options, match):
    y, p = _calibrated(100, 14)
    with pytest.raises(ParameterError, match=match):
        CBPE(**options).fit(y, p)


def test_bad_current_data_and_chunks():
    y, p = _calibrated(200, 15)
    est = CBPE().fit(y, p)
    with pytest.raises(ParameterError, match="chunks"):
        est.estimate(p, chunks=0)
    with pytest.raises(DataError, match="2 columns"):
        est.estimate(np.full((5, 3), 1 / 3))
    with pytest.raises(DataError, match="current_proba"):
        est.estimate(np.array([0.5, np.nan]))
