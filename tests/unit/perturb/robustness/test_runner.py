"""stress_test: every number checked against a direct computation on the same rows."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_absolute_error, r2_score

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.perturb import Perturbation, PerturbationNote
from stalwart.perturb.robustness import StressResult, stress_test


class Offset(Perturbation):
    """Adds severity * step to the chosen columns (all when None)."""

    name, kind = "offset_t", "tabular"

    def __init__(self, *, step=1.0, columns=None, severity=1, random_state=None):
        self.step, self.columns = step, columns
        self.severity, self.random_state = severity, random_state

    def _transform(self, X):
        out = X.copy()
        cols = list(X.columns) if self.columns is None else self.columns
        for c in X.columns:
            self.notes_.append(PerturbationNote(c, c in cols))
        for c in cols:
            out[c] = out[c] + self.severity * self.step
        return out


class Noise(Perturbation):
    name, kind = "noise_t", "tabular"

    def __init__(self, *, severity=1, random_state=None):
        self.severity, self.random_state = severity, random_state

    def _fit(self, X):
        self.scale_ = X.std(axis=0).to_numpy()

    def _transform(self, X):
        self.notes_ = [PerturbationNote(c, True) for c in X.columns]
        noise = self.rng().normal(size=X.shape) * self.scale_ * 0.2 * self.severity
        return X + noise


class Texty(Perturbation):
    """Turns column b into text: a model on numbers raises."""

    name, kind = "texty_t", "tabular"

    def __init__(self, *, severity=1, random_state=None):
        self.severity, self.random_state = severity, random_state

    def _transform(self, X):
        out = X.copy()
        out["a"] = out["a"] + 0.01 * self.severity
        out["b"] = out["b"].astype(str) + " cm"
        self.notes_ = [PerturbationNote(c, True) for c in X.columns]
        return out


class Nothing(Perturbation):
    name, kind = "nothing_t", "tabular"

    def __init__(self, *, severity=1, random_state=None):
        self.severity, self.random_state = severity, random_state

    def _transform(self, X):
        self.notes_ = [PerturbationNote(c, False, "no text column") for c in X.columns]
        return X.copy()


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400),
                      "c": rng.normal(size=400)})
    y = (2.0 * X["a"] + 0.3 * X["b"] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    model = LogisticRegression().fit(X, y)
    return model, X, y.to_numpy()


def test_cell_numbers_equal_direct_computation(problem):
    model, X, y = problem
    r = stress_test(model, X, y, perturbations=[Offset(step=0.5, columns=["a"])],
                    severities=(1, 2, 3))
    clean_pred = model.predict(X)
    clean_top = model.predict_proba(X).max(axis=1)
    assert r.clean_score == pytest.approx(accuracy_score(y, clean_pred))
    for s in (1, 2, 3):
        Xp = X.assign(a=X["a"] + 0.5 * s)
        pred = model.predict(Xp)
        cell = r.cell("offset_t", s)
        assert cell.score == pytest.approx(accuracy_score(y, pred))
        assert cell.drop == pytest.approx(r.clean_score - cell.score)
        assert cell.flip_rate == pytest.approx(np.mean(pred != clean_pred))
        assert cell.confidence_shift == pytest.approx(
            model.predict_proba(Xp).max(axis=1).mean() - clean_top.mean())
        assert cell.applied and cell.error is None
    drops = [r.cell("offset_t", s).drop for s in (1, 2, 3)]
    assert drops[0] > 0.05 and drops == sorted(drops)  # shifting the key feature hurts more
    assert r.curves()["x"] == [1, 2, 3]
    assert r.curves()["series"]["offset_t"] == [r.cell("offset_t", s).score for s in (1, 2, 3)]
    # clean: 1 call predict + 1 proba; per cell 2; per feature one batched predict
    assert r.n_model_calls == 2 + 3 * 2 + 3 * 1


def test_worst_feature_is_the_one_the_model_leans_on(problem):
    model, X, y = problem
    r = stress_test(model, X, y, perturbations=[Offset(step=1.0)], severities=(2,))
    worst = r.worst_features()["offset_t"]
    assert worst.feature == "a"
    by_col = {f.feature: f for f in r.features}
    for col in "abc":
        pred = model.predict(X.assign(**{col: X[col] + 2.0}))
        assert by_col[col].score == pytest.approx(accuracy_score(y, pred))
        assert by_col[col].flip_rate == pytest.approx(np.mean(pred != model.predict(X)))
    assert by_col["a"].drop > by_col["b"].drop > by_col["c"].drop - 0.01


def test_seeded_and_independent_of_threads_and_order(problem):
    model, X, y = problem

    def run(**kw):
        d = stress_test(model, X, y, severities=(1, 4), **kw).to_dict()
        d["duration_s"] = 0
        return d

    first = run(perturbations=[Noise(), Offset(columns=["b"])])
    assert first == run(perturbations=[Noise(), Offset(columns=["b"])], n_jobs=2)
    again = run(perturbations=[Offset(columns=["b"]), Noise()])
    key = lambda d: sorted(json.dumps(c, sort_keys=True) for c in d["cells"])  # noqa: E731
    assert key(first) == key(again)
    other = run(perturbations=[Noise(), Offset(columns=["b"])], random_state=1)
    assert other["cells"][0]["score"] != first["cells"][0]["score"] or \
        other["cells"][1]["score"] != first["cells"][1]["score"]
    noise = [c["flip_rate"] for c in first["cells"] if c["perturbation"] == "noise_t"]
    assert 0 < noise[0] < noise[1]  # harsher noise flips more


def test_model_raising_is_a_finding_not_a_crash(problem):
    model, X, y = problem
    r = stress_test(model, X, y, perturbations=[Texty()], severities=(1,))
    cell = r.cell("texty_t", 1)
    assert cell.score is None and cell.error and "ValueError" in cell.error
    assert "the model raised on texty_t at severity 1 (no per-column impact there): ValueError" \
        in " ".join(r.warnings)
    assert r.features == () and r.worst_features() == {}  # a crash is not ranked by column


def test_batch_failure_falls_back_to_one_call_per_column(problem):
    model, X, y = problem
    from stalwart.models import wrap

    def small_batches_only(rows):
        if len(rows) > len(X):
            raise MemoryError("batch too large")
        return model.predict(rows)

    picky = wrap(small_batches_only, task="classification", classes=[0, 1])
    r = stress_test(picky, X, y, perturbations=[Offset(columns=["a", "b"])], severities=(2,))
    by_col = {f.feature: f for f in r.features}
    assert set(by_col) == {"a", "b"} and all(f.error is None for f in by_col.values())
    for col in "ab":
        pred = model.predict(X.assign(**{col: X[col] + 2.0}))
        assert by_col[col].score == pytest.approx(accuracy_score(y, pred))
    # clean 1 + cell 1 + the failed batch 1 + one per column 2
    assert r.n_model_calls == 5


def test_wide_tables_split_the_per_feature_batch(problem, monkeypatch):
    # one stacked batch holds rows x columns x changed columns cells: 100k rows x 40
    # columns took 3 GB; the batch is now capped, with the same numbers
    from stalwart.perturb.robustness import runner

    model, X, y = problem
    whole = stress_test(model, X, y, perturbations=[Offset()], severities=(2,))
    monkeypatch.setattr(runner, "_BATCH_CELLS", 2 * len(X) * X.shape[1])  # 2 columns a call
    split = stress_test(model, X, y, perturbations=[Offset()], severities=(2,))
    assert [f.to_dict() for f in split.features] == [f.to_dict() for f in whole.features]
    # clean 2 + cell 2 + per-feature batches: one for 3 columns, then two (2 + 1)
    assert whole.n_model_calls == 5 and split.n_model_calls == 6


def test_nothing_applied_is_said_and_left_out_of_curves(problem):
    model, X, y = problem
    r = stress_test(model, X, y, perturbations=[Nothing(), Offset()], severities=(1, 2))
    assert set(r.curves()["series"]) == {"offset_t"}
    assert any("nothing_t changed nothing at any severity: no text column" in w
               for w in r.warnings)
    assert r.cell("nothing_t", 1).drop == 0.0 and r.cell("nothing_t", 1).flip_rate == 0.0
    assert not [f for f in r.features if f.perturbation == "nothing_t"]


def test_without_labels_flips_only(problem):
    model, X, _ = problem
    r = stress_test(model, X, perturbations=[Offset(columns=["a"])], severities=(1,))
    cell = r.cell("offset_t", 1)
    assert r.metric is None and r.clean_score is None and cell.score is None
    assert cell.flip_rate == pytest.approx(np.mean(model.predict(X.assign(a=X["a"] + 1))
                                                   != model.predict(X)))
    assert r.worst_features()["offset_t"].feature == "a"
    assert any("no labels" in w for w in r.warnings)


def test_classifier_without_proba_on_float_labels_counts_flips(problem):
    # a classifier without predict_proba trained on float labels predicts floats: its
    # changes are still class flips (it was once read as a regressor: no flip rate)
    from sklearn.svm import LinearSVC

    _, X, y = problem
    labels = y * 2.0
    model = LinearSVC().fit(X, labels)
    r = stress_test(model, X, labels, perturbations=[Offset(step=0.5, columns=["a"])],
                    severities=(2,))
    cell = r.cell("offset_t", 2)
    pred = model.predict(X.assign(a=X["a"] + 1.0))
    assert cell.flip_rate == pytest.approx(np.mean(pred != model.predict(X)))
    assert cell.flip_rate > 0.05 and cell.prediction_shift is None
    assert r.features[0].flip_rate is not None


def test_regression_defaults_to_r2_and_prediction_shift():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 2))
    y = X @ np.array([3.0, 0.5]) + rng.normal(scale=0.1, size=200)
    model = LinearRegression().fit(X, y)

    class Add(Perturbation):
        name, kind = "add_t", "tabular"

        def __init__(self, *, severity=1, random_state=None):
            self.severity, self.random_state = severity, random_state

        def _transform(self, X):
            self.notes_ = [PerturbationNote("x0", True)]
            return X + np.array([0.1 * self.severity, 0.0])

    r = stress_test(model, X, y, perturbations=[Add()], severities=(2,))
    cell = r.cell("add_t", 2)
    pred = model.predict(X + np.array([0.2, 0.0]))
    assert r.metric == "r2" and cell.score == pytest.approx(r2_score(y, pred))
    assert cell.flip_rate is None and cell.prediction_shift == pytest.approx(
        np.mean(np.abs(pred - model.predict(X))))
    assert r.worst_features()["add_t"].feature == "x0"
    mae = stress_test(model, X, y, perturbations=[Add()], severities=(2,), metric="mae")
    assert mae.cell("add_t", 2).drop == pytest.approx(
        mean_absolute_error(y, pred) - mean_absolute_error(y, model.predict(X)))


def test_result_round_trips_through_json(problem):
    model, X, y = problem
    r = stress_test(model, X, y, perturbations=[Texty(), Offset()], severities=(1, 5))
    raw = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    back = StressResult.from_dict(raw)
    assert back.to_dict() == raw and raw["schema_version"] == "1.0"
    assert raw["worst_features"]["offset_t"]["feature"] == "a"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"severities": (0, 2)}, ParameterError, "severity"),
    ({"severities": []}, ParameterError, "severities"),
    ({"perturbations": []}, ParameterError, "at least one"),
    ({"perturbations": ["no_such_perturbation"]}, ParameterError, "perturbation"),
    ({"perturbations": [Offset(), Offset()]}, ParameterError, "each perturbation once"),
    ({"perturbations": [42]}, ParameterError, "registry names"),
    ({"metric": "r2"}, ParameterError, "classification metric"),
    ({"n_jobs": 0}, ParameterError, "n_jobs"),
    ({"random_state": 1.5}, ParameterError, "random_state"),
    ({"per_feature": ["noise_t"]}, ParameterError, "per_feature"),
])
def test_bad_options(problem, kwargs, error, words):
    model, X, y = problem
    options = {"perturbations": [Offset()], **kwargs}
    with pytest.raises(error, match=words):
        stress_test(model, X, y, **options)


def test_bad_data(problem):
    model, X, y = problem
    with pytest.raises(DataError, match="one label per row"):
        stress_test(model, X, y[:10], perturbations=[Offset()])
    with pytest.raises(DataError, match="classes the model knows"):
        stress_test(model, X, np.where(y == 1, 7, 0), perturbations=[Offset()])
    with pytest.raises(DataError, match="a table"):
        stress_test(model, {"a": 1}, perturbations=[Offset()])
    with pytest.raises(ModelError, match="predictions on the clean rows"):
        stress_test(model, X[["a", "b"]], y, perturbations=[Offset()])

    class Words(Perturbation):
        name, kind = "words_t", "text"

        def _transform(self, X):
            return X

    with pytest.raises(ParameterError, match="a tabular perturbation"):
        stress_test(model, X, y, perturbations=[Words()])
