import numpy as np
import pandas as pd
import pytest

from stalwart.checks.evaluation import evaluate_suite_run
from stalwart.checks.result import Status
from stalwart.models import wrap


def _frame(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "region": rng.choice(list("nsew"), n),
                         "y": rng.integers(0, 2, n)})


def _model(frame, weak_region=None, seed=1):
    """Right on 90% of rows, and on only half of the rows of ``weak_region``."""
    rng = np.random.default_rng(seed)
    wrong = rng.random(len(frame)) < 0.1
    if weak_region is not None:
        wrong |= (frame["region"].to_numpy() == weak_region) & (rng.random(len(frame)) < 0.45)
    truth = dict(zip(frame["x"].tolist(), frame["y"].tolist()))
    flip = dict(zip(frame["x"].tolist(), wrong.tolist()))

    def predict(X):
        return np.array([1 - truth[v] if flip[v] else truth[v] for v in X["x"].tolist()])
    return wrap(predict, classes=[0, 1])


def _run(frame, model):
    return evaluate_suite_run(frame, model=model, target="y",
                              checks=["weak_segments"]).results[0]


def test_uniform_errors_pass():
    frame = _frame()
    r = _run(frame, _model(frame))
    assert r.status is Status.PASS, r.summary
    assert r.metrics["n_weak_segments"] == 0
    assert r.metrics["overall_loss"] == pytest.approx(0.1, abs=0.02)


def test_planted_weak_region_warns_and_is_first():
    frame = _frame()
    model = _model(frame, weak_region="e")
    r = _run(frame, model)
    assert r.status is Status.WARN
    assert r.metrics["n_weak_segments"] >= 1
    assert r.metrics["worst_segment"] == "region == e"
    seg, size, slice_loss, rest_loss = r.tables[0].rows[0][:4]
    e = frame["region"] == "e"
    assert size == int(e.sum())
    wrong = model.predict(frame[["x", "region"]]) != frame["y"].to_numpy()
    assert slice_loss == pytest.approx(wrong[e].mean(), abs=1e-6)
    assert rest_loss == pytest.approx(wrong[~e].mean(), abs=1e-6)
    assert slice_loss > 0.4 and rest_loss < 0.15
