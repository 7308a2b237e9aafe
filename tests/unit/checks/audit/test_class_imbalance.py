import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from stalwart import Status, Suite
from stalwart.checks.audit.class_imbalance import ClassImbalance


def _run(frame, check=None, **kw):
    return Suite("s", [check or ClassImbalance()]).run(frame, **kw).results[0]


def _frame(counts, seed=0):
    rng = np.random.default_rng(seed)
    y = np.concatenate([[k] * n for k, n in counts.items()])
    return pd.DataFrame({"x": rng.normal(size=len(y)), "y": y})


def test_rare_class_fails_and_heavy_imbalance_warns():
    r = _run(_frame({"ok": 900, "fraud": 95, "odd": 5}), target="y")
    assert r.status is Status.FAIL
    m = r.metrics
    assert m["n_classes"] == 3 and m["n_rare_classes"] == 1
    assert m["imbalance_ratio"] == 180.0 and m["minority_share"] == 0.005
    assert m["majority_share"] == 0.9 and m["max_class_share_shift"] is None
    assert r.tables[0].rows == (("ok", 900, 0.9), ("fraud", 95, 0.095), ("odd", 5, 0.005))
    assert r.charts[0].data == {"labels": ["ok", "fraud", "odd"], "values": [900, 95, 5]}
    assert "1 class(es) with fewer than 10 rows: 'odd'" in r.summary
    warn = _run(_frame({"ok": 950, "fraud": 50}), target="y")
    assert warn.status is Status.WARN and warn.metrics["imbalance_ratio"] == 19.0


def test_label_shift_against_the_reference():
    cur = _frame({0: 700, 1: 300})
    ref = _frame({0: 500, 1: 500}, seed=1)
    r = _run(cur, target="y", reference=ref)
    assert r.status is Status.WARN
    assert r.metrics["class_share_total_variation"] == pytest.approx(0.2)
    assert r.metrics["max_class_share_shift"] == pytest.approx(0.2)
    assert r.tables[0].columns[-2:] == ("reference share", "change")
    assert r.charts[0].data["reference_values"] == [500.0, 500.0]
    assert "moved 20.0% from the reference" in r.summary
    same = _run(cur, target="y", reference=_frame({0: 690, 1: 310}))
    assert same.status is Status.PASS


def test_single_class_fails():
    r = _run(_frame({"a": 50}).assign(y="a"), target="y")
    assert r.status is Status.FAIL and r.metrics["n_classes"] == 1
    assert "single class" in r.summary


def test_regression_target_is_skipped_with_a_reason(clean_frame):
    r = _run(clean_frame, target="income")
    assert r.status is Status.SKIP
    assert "classification target ('income' is numeric with" in r.summary
    assert _run(clean_frame.drop(columns="y")).status is Status.SKIP


def test_clean_data_passes(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    r = _run(test, target="y", reference=train)
    assert r.status is Status.PASS and r.metrics["n_classes"] == 2
    iris = load_iris(as_frame=True).frame
    r = _run(iris, target="target")
    assert r.status is Status.PASS and r.metrics["imbalance_ratio"] == 1.0


def test_odd_labels_do_not_crash():
    df = pd.DataFrame({"x": range(40), "y": [True, False, None, True] * 10})
    r = _run(df, target="y")
    assert r.status is Status.PASS and r.metrics["n_missing_labels"] == 10
    many = pd.DataFrame({"x": range(600), "y": [f"c{i % 30}" for i in range(600)]})
    r = _run(many, target="y")
    assert len(r.tables[0].rows) == 20 and r.tables[0].to_dict()["total_rows"] == 30
