"""The publicity-hungry error detector on planted cases."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from stalwart.exceptions import DataError, SchemaError, StageError
from stalwart.novelty import KNNNovelty
from stalwart.rca import Escalation, PublicityDetector, raise_publicity


def _reference(seed=0, n=600):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    X = pd.DataFrame({"a": rng.normal(np.where(y == 1, 2.0, -2.0), 0.8),
                      "b": rng.normal(0.0, 0.8, n)})
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _reference()
    return PublicityDetector().fit(X, y), X, y


def _production():
    """Labelled rows with planted kinds of mistakes (index -> kind)."""
    rows = [  # a, b, y_true, y_pred, confidence, kind
        (2.1, 0.1, 1, 0, 0.98, "hungry"),
        (-1.9, -0.2, 0, 1, 0.95, "hungry"),
        (12.0, 12.0, 1, 0, 0.99, "outlier"),       # confident mistake, far from everything
        (2.0, 0.0, 1, 0, 0.60, "unconfident"),     # a mistake, but the model doubted
        (0.0, 0.0, 1, 0, 0.95, "hard"),            # on the class boundary: neighbours split
        (2.2, -0.1, 1, 1, 0.99, "correct"),
        (-2.0, 0.3, 0, 0, 0.97, "correct"),
        (1.8, 0.2, 1, 0, 0.91, "hungry"),
    ]
    frame = pd.DataFrame(rows, columns=["a", "b", "y_true", "y_pred", "conf", "kind"])
    return frame


def test_scan_finds_planted_confident_typical_easy_mistakes_only(fitted):
    det, X, y = fitted
    prod = _production()
    scan = det.scan(prod[["a", "b"]], y_true=prod.y_true, y_pred=prod.y_pred,
                    confidence=prod.conf)
    hungry = prod.index[prod.kind == "hungry"]
    # most confident first
    assert scan.indices == sorted(hungry, key=lambda i: -prod.conf[i])
    assert scan.n_rows == 8 and scan.n_errors == 6
    d = scan.to_dict()
    assert d["n_confident_mistakes"] == 5 and d["n_atypical"] == 1 and d["n_hard"] == 1
    kinds = {v.index: v for v in scan.confident_mistakes}
    assert kinds[2].typical is False and kinds[2].publicity_hungry is False   # outlier
    assert kinds[4].typical is True and kinds[4].easy is False                 # hard
    assert 3 not in kinds                                                        # unconfident
    json.dumps(d)


def test_evidence_equals_hand_computation(fitted):
    det, X, y = fitted
    row = np.array([[2.1, 0.1]])
    v = det.assess({"a": 2.1, "b": 0.1}, expected=1, prediction=0, confidence=0.98)
    # neighbour agreement: the 10 nearest standardised reference rows
    scaler = StandardScaler().fit(X.to_numpy())
    _, idx = NearestNeighbors(n_neighbors=10).fit(scaler.transform(X.to_numpy())).kneighbors(
        scaler.transform(row))
    assert v.neighbour_agreement == pytest.approx(np.mean(y[idx[0]] == 1))
    assert v.neighbour_labels == {"1": int(np.sum(y[idx[0]] == 1))}
    # typical: the same kNN detector calibrated at a 10% false-flag rate does not flag it
    knn = KNNNovelty(false_flag_rate=0.1, random_state=0).fit(X)
    assert v.novelty_score == pytest.approx(float(knn.score(row)[0]))
    assert v.novelty_threshold == pytest.approx(knn.threshold_)
    assert v.typical is (not bool(knn.predict(row)[0]))
    assert v.publicity_hungry and v.severity == "critical" and len(v.reasons) == 3


def test_second_opinion_makes_a_boundary_case_easy(fitted):
    det, _, _ = fitted
    hard = det.assess([0.0, 0.0], expected=1, prediction=0, confidence=0.95)
    assert hard.typical and not hard.easy and not hard.publicity_hungry
    backed = det.assess([0.0, 0.0], expected=1, prediction=0, confidence=0.95,
                        second_opinion=1)
    assert backed.second_opinion_agrees and backed.easy and backed.publicity_hungry
    against = det.assess([0.0, 0.0], expected=1, prediction=0, confidence=0.95,
                         second_opinion=0)
    assert against.second_opinion_agrees is False and not against.publicity_hungry


def test_not_a_mistake_and_unconfident_rows_are_judged_without_scoring(fitted):
    det, _, _ = fitted
    right = det.assess([2.0, 0.0], expected=1, prediction=1, confidence=0.99)
    assert not right.mistake and not right.publicity_hungry and right.typical is None
    doubt = det.assess([2.0, 0.0], expected=1, prediction=0, confidence=0.5)
    assert doubt.mistake and not doubt.confident and "not confident" in doubt.reasons[0]


def test_thresholds_are_options(fitted):
    _, X, y = fitted
    prod = _production()
    strict = PublicityDetector(min_confidence=0.96).fit(X, y)
    scan = strict.scan(prod[["a", "b"]], y_true=prod.y_true, y_pred=prod.y_pred,
                       confidence=prod.conf)
    assert scan.indices == [0]
    gmm = PublicityDetector(novelty="gmm").fit(X, y)
    assert gmm.scan(prod[["a", "b"]], y_true=prod.y_true, y_pred=prod.y_pred,
                    confidence=prod.conf).novelty_method == "gmm"
    own = PublicityDetector(novelty=KNNNovelty(n_neighbors=3, false_flag_rate=0.1)).fit(X, y)
    assert own.novelty_.n_neighbors == 3 and own.novelty is not own.novelty_


def test_raise_publicity_sets_critical_with_evidence(fitted):
    det, _, _ = fitted
    t0 = dt.datetime(2026, 3, 1, 8, tzinfo=dt.timezone.utc)
    esc = Escalation.create("m", event_id="e1", severity="low", expected=1, reported_at=t0)
    verdict = det.assess([2.1, 0.1], expected=1, prediction=0, confidence=0.98)
    raised = raise_publicity(esc, verdict)
    assert raised.severity == "critical" and raised.due_at == t0 + dt.timedelta(hours=4)
    assert raised.analysis["publicity"]["publicity_hungry"] is True
    calm = det.assess([2.1, 0.1], expected=1, prediction=0, confidence=0.5)
    kept = raise_publicity(esc, calm)
    assert kept.severity == "low" and kept.due_at == esc.due_at
    assert kept.analysis["publicity"]["confident"] is False


def test_bad_input_is_a_clear_error(fitted):
    det, X, y = fitted
    with pytest.raises(StageError, match="before fit"):
        PublicityDetector().scan(X, y_true=y, y_pred=y, confidence=np.ones(len(y)))
    with pytest.raises(DataError, match="confidence"):
        det.scan(X.iloc[:2], y_true=[0, 1], y_pred=[1, 0], confidence=[0.9, 1.5])
    with pytest.raises(DataError, match="y_pred"):
        det.scan(X.iloc[:2], y_true=[0, 1], y_pred=[1], confidence=[0.9, 0.9])
    with pytest.raises(DataError, match="reference labels"):
        PublicityDetector().fit(X, y[:-1])
    with pytest.raises(SchemaError):
        PublicityDetector().fit(X.assign(city="x"), y)
    with pytest.raises(SchemaError):
        det.assess({"a": 1.0}, expected=1, prediction=0, confidence=0.99)


def test_scan_renders_html(fitted):
    det, _, _ = fitted
    prod = _production()
    page = det.scan(prod[["a", "b"]], y_true=prod.y_true, y_pred=prod.y_pred,
                    confidence=prod.conf).to_html()
    assert "Publicity-hungry errors" in page and "<table>" in page


def test_labels_sent_as_text_are_the_reference_classes(fitted):
    """An escalation's expected output often arrives as JSON text: "1" is the class 1."""
    det, _, _ = fitted
    as_int = det.assess({"a": 2.0, "b": 0.0}, expected=1, prediction=0, confidence=0.97)
    as_text = det.assess({"a": 2.0, "b": 0.0}, expected="1", prediction="0", confidence=0.97)
    assert as_int.publicity_hungry and as_text.publicity_hungry
    assert as_text.neighbour_agreement == as_int.neighbour_agreement == 1.0
    assert as_text.expected == 1 and as_text.prediction == 0
