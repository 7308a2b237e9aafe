"""Compatibility metrics of a model update: hand computations, identities, errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from stalwart.exceptions import DataError, ParameterError
from stalwart.lifecycle import (compatibility_metrics, flip_matrix, negative_flip_matrix,
                                shadow_agreement)

# rows:        0    1    2    3    4    5    6    7    8    9
Y = np.array(["A", "A", "A", "A", "B", "B", "B", "C", "C", "C"])
OLD = np.array(["A", "A", "A", "B", "B", "B", "C", "C", "A", "C"])
NEW = np.array(["A", "A", "B", "A", "B", "C", "B", "C", "B", "A"])
# both right: 0 1 4 7; negative flips: 2 (A->B) 5 (B->C) 9 (C->A); positive flips: 3 6;
# both wrong: 8 (A->B); changed: 2 3 5 6 8 9


def test_hand_computed_example():
    m = compatibility_metrics(Y, OLD, NEW)
    assert m.n_rows == 10
    assert (m.n_both_correct, m.n_negative_flips, m.n_positive_flips, m.n_both_wrong,
            m.n_changed) == (4, 3, 2, 1, 6)
    assert m.old_accuracy == pytest.approx(0.7) and m.new_accuracy == pytest.approx(0.6)
    assert m.accuracy_change == pytest.approx(-0.1)
    assert m.negative_flip_rate == pytest.approx(0.3)
    assert m.positive_flip_rate == pytest.approx(0.2)
    assert m.churn == pytest.approx(0.6)
    assert m.backward_trust_compatibility == pytest.approx(4 / 7)
    assert m.backward_error_compatibility == pytest.approx(1 / 4)
    json.dumps(m.to_dict(), allow_nan=False)


def test_flip_matrices_by_hand():
    flips = flip_matrix(OLD, NEW)
    assert flips.labels == ("A", "B", "C")
    assert flips.counts == ((0, 2, 0), (1, 0, 1), (1, 1, 0))
    assert flips.total == 6
    neg = negative_flip_matrix(Y, OLD, NEW)
    assert neg.counts == ((0, 1, 0), (0, 0, 1), (1, 0, 0))
    assert neg.count("A", "B") == 1 and neg.count("B", "A") == 0
    doc = neg.to_dict()
    assert json.loads(json.dumps(doc))["pairs"][0]["count"] == 1
    assert doc["total"] == 3
    with pytest.raises(ParameterError, match="'D'"):
        neg.count("D", "A")


def test_tim_and_jim():
    y = ["Tim", "Tim", "Tim", "Jim", "Jim"]
    old = ["Tim", "Tim", "Tim", "Jim", "Tim"]
    new = ["Jim", "Tim", "Jim", "Jim", "Jim"]
    neg = negative_flip_matrix(y, old, new)
    assert neg.count("Tim", "Jim") == 2 and neg.total == 2
    m = compatibility_metrics(y, old, new)
    assert m.negative_flip_rate == pytest.approx(2 / 5)
    assert m.positive_flip_rate == pytest.approx(1 / 5)


@pytest.mark.parametrize("seed", range(200))
def test_identities_on_random_updates(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    k = int(rng.integers(2, 6))
    y = rng.integers(0, k, n)
    old = np.where(rng.random(n) < rng.random(), y, rng.integers(0, k, n))
    new = np.where(rng.random(n) < rng.random(), y, rng.integers(0, k, n))
    m = compatibility_metrics(y, old, new, classes=list(range(k)))
    # accuracy change = PFR - NFR
    assert m.accuracy_change == m.positive_flip_rate - m.negative_flip_rate
    assert math.isclose(m.accuracy_change, m.new_accuracy - m.old_accuracy, abs_tol=1e-12)
    # NFR = acc(old) * (1 - BTC), wherever BTC is defined
    if m.old_accuracy > 0:
        assert math.isclose(m.negative_flip_rate,
                            m.old_accuracy * (1 - m.backward_trust_compatibility),
                            rel_tol=1e-12, abs_tol=1e-15)
    else:
        assert math.isnan(m.backward_trust_compatibility) and m.negative_flip_rate == 0
    assert m.old_accuracy == pytest.approx(accuracy_score(y, old), abs=1e-12)
    assert m.new_accuracy == pytest.approx(accuracy_score(y, new), abs=1e-12)
    assert m.churn == pytest.approx(np.mean(old != new), abs=1e-12)
    assert flip_matrix(old, new, classes=list(range(k))).total == m.n_changed


def test_undefined_ratios_are_nan_and_null_in_json():
    m = compatibility_metrics([0, 1], [1, 0], [0, 1])  # old never right, new never wrong
    assert math.isnan(m.backward_trust_compatibility)
    assert math.isnan(m.backward_error_compatibility)
    d = m.to_dict()
    assert d["backward_trust_compatibility"] is None
    json.dumps(d, allow_nan=False)


def test_regression_with_tolerance_by_hand():
    y = [10.0, 10.0, 10.0, 10.0]
    old = [10.2, 11.0, 12.0, 10.1]   # |err| 0.2 1.0 2.0 0.1 -> right (<= 0.5): T F F T
    new = [10.9, 10.4, 12.1, 10.3]   # |err| 0.9 0.4 2.1 0.3 -> F T F T
    m = compatibility_metrics(y, old, new, task="regression", tolerance=0.5)
    assert m.negative_flip_rate == 0.25 and m.positive_flip_rate == 0.25
    # outputs apart by more than 0.5: rows 0 (0.7) and 1 (0.6)
    assert m.churn == 0.5 and m.backward_trust_compatibility == 0.5
    assert m.backward_error_compatibility == 0.5


def test_shadow_agreement_without_labels():
    a = shadow_agreement(["x", "y", "y", "z", "z"], ["x", "z", "y", "z", "x"])
    assert a.n_rows == 5 and a.churn == pytest.approx(0.4) and a.n_changed == 2
    assert a.flips.count("y", "z") == 1 and a.flips.count("z", "x") == 1
    json.dumps(a.to_dict())
    r = shadow_agreement([1.0, 2.0, 3.0], [1.1, 2.5, 3.0], task="regression", tolerance=0.2)
    assert r.churn == pytest.approx(1 / 3) and r.flips is None


def test_new_version_predicting_an_unknown_class_is_named():
    with pytest.raises(DataError) as err:
        compatibility_metrics(["a", "b"], ["a", "b"], ["a", "zebra"])
    assert "new version" in str(err.value) and "zebra" in str(err.value)
    with pytest.raises(DataError, match="old version.*'q'"):
        negative_flip_matrix(["a", "b"], ["q", "b"], ["a", "b"])
    with pytest.raises(DataError, match="labels.*'c'"):
        compatibility_metrics(["a", "c"], ["a", "b"], ["a", "b"], classes=["a", "b"])
    # declaring the class makes it legitimate
    m = compatibility_metrics(["a", "b"], ["a", "b"], ["a", "zebra"], classes=["a", "b", "zebra"])
    assert m.negative_flip_rate == 0.5


def test_numbers_as_text_are_another_label_set():
    with pytest.raises(DataError, match="'1'"):
        compatibility_metrics([1, 2], ["1", "2"], [1, 2])


@pytest.mark.parametrize(("args", "kwargs", "error", "text"), [
    (([0, 1], [0, 1, 1], [0, 1]), {}, DataError, "old: 3"),
    (([], [], []), {}, DataError, "at least one row"),
    (([0, None], [0, 1], [0, 1]), {}, DataError, "missing"),
    (([[0, 1]], [[0, 1]], [[0, 1]]), {}, DataError, "1-D"),
    (([0.0], [1.0], [1.0]), {"task": "regression"}, ParameterError, "tolerance"),
    (([0.0], [1.0], [1.0]), {"task": "regression", "tolerance": -1}, ParameterError, ">= 0"),
    (([0], [1], [1]), {"tolerance": 0.1}, ParameterError, "classification"),
    (([0], [1], [1]), {"task": "ranking"}, ParameterError, "task"),
    ((["a"], ["b"], ["c"]), {"task": "regression", "tolerance": 1}, DataError, "numbers"),
])
def test_bad_input(args, kwargs, error, text):
    with pytest.raises(error, match=text):
        compatibility_metrics(*args, **kwargs)
