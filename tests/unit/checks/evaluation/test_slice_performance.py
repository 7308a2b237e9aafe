import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import recall_score

from stalwart.checks.evaluation import evaluate_suite_run
from stalwart.checks.result import Status
from stalwart.models import wrap


def _frame(n=1200, seed=0):
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    x = rng.normal(size=n)
    y = (x > 0).astype(int)
    return pd.DataFrame({"x": x, "group": group, "y": y})


def _model(flip_group=None):
    def predict(X):
        pred = (X["x"].to_numpy() > 0).astype(int)
        if flip_group is not None:  # wrong on every third row of one group
            bad = (X["group"].to_numpy() == flip_group) & (np.arange(len(X)) % 3 == 0)
            pred[bad] = 1 - pred[bad]
        return pred
    return wrap(predict, classes=[0, 1])


def _run(frame, model, **options):
    return evaluate_suite_run(frame, model=model, target="y", checks=["slice_performance"],
                              options={"slice_performance": options}).results[0]


def test_fair_model_passes():
    r = _run(_frame(), _model(), columns=["group"])
    assert r.status is Status.PASS
    assert r.metrics["worst_group_gap"] == pytest.approx(0.0)
    assert r.metrics["overall_recall"] == 1.0


def test_model_bad_on_one_group_warns_with_the_gap():
    frame = _frame()
    model = _model(flip_group="c")
    r = _run(frame, model, columns=["group"])
    assert r.status is Status.WARN
    assert r.metrics["worst_group"] == "c"
    pred = model.predict(frame[["x", "group"]])
    overall = recall_score(frame["y"], pred, average="macro")
    c = frame["group"] == "c"
    worst = recall_score(frame["y"][c], pred[c], average="macro")
    assert r.metrics["worst_group_gap"] == pytest.approx(overall - worst)
    assert r.metrics["worst_group_gap"] > 0.1
    assert r.tables[0].rows[0][0] == "c"  # worst group first


def test_sensitive_columns_from_the_schema_and_skip_without_them():
    from stalwart.data import Dataset
    frame = _frame()
    ds = Dataset.from_any(frame, target="y", sensitive=["group"])
    r = evaluate_suite_run(ds, model=_model(flip_group="b"), target="y",
                           checks=["slice_performance"]).results[0]
    assert r.status is Status.WARN and r.metrics["worst_group"] == "b"
    r = _run(frame, _model())
    assert r.status is Status.SKIP and "sensitive" in r.summary


def test_small_groups_are_shown_but_not_judged():
    frame = _frame(n=200)
    sizes = frame["group"].value_counts()
    r = _run(frame, _model(flip_group="c"), columns=["group"], min_group_size=60)
    assert sizes["c"] < 60 <= sizes["a"]
    assert r.metrics["n_small_groups"] == int((sizes < 60).sum())
    assert r.metrics["worst_group"] != "c"  # c is worst but too small to judge
    assert r.status is Status.PASS
    assert r.tables[0].rows[0][0] == "c" and r.tables[0].rows[0][-1] == "yes"
