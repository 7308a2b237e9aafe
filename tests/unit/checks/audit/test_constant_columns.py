import numpy as np
import pandas as pd
from sklearn.datasets import load_iris

from stalwart import Status, Suite
from stalwart.checks.audit.constant_columns import ConstantColumns


def _run(frame, check=None, **kw):
    return Suite("s", [check or ConstantColumns()]).run(frame, **kw).results[0]


def test_constant_fails_near_constant_warns_rare_flag_passes(clean_frame):
    n = len(clean_frame)
    df = clean_frame.assign(country="fr", promo=np.r_[np.ones(10), np.zeros(n - 10)])
    r = _run(df, target="y")
    assert r.status is Status.FAIL
    assert r.metrics["n_constant_columns"] == 1 and r.metrics["n_near_constant_columns"] == 1
    assert r.metrics["max_dominant_share"] == 0.995
    rows = r.tables[0].rows
    assert rows[0][:4] == ("country", "constant", "fr", 1.0)
    assert rows[1][:5] == ("promo", "near constant", "0.0", 0.995, 10)
    assert "1 constant (country)" in r.summary and "promo, 99.50%" in r.summary
    only_near = _run(df.drop(columns="country"), target="y")
    assert only_near.status is Status.WARN


def test_rare_binary_flag_with_enough_rows_is_kept():
    rng = np.random.default_rng(0)
    n = 30_000
    fraud = np.zeros(n, dtype=int)
    fraud[rng.choice(n, 240, replace=False)] = 1  # 0.8%
    df = pd.DataFrame({"x": rng.normal(size=n), "fraud": fraud, "y": rng.integers(0, 2, n)})
    r = _run(df, target="y")
    assert r.status is Status.PASS and r.metrics["n_rare_flag_columns"] == 1
    assert "rare two-valued flag" in r.summary and r.tables[0].rows[0][1] == "rare flag"
    strict = _run(df, ConstantColumns(rare_flag_min_rows=1000), target="y")
    assert strict.status is Status.WARN


def test_target_and_ids_are_not_examined(clean_frame):
    df = clean_frame.assign(y=1, batch_id=range(len(clean_frame)))
    r = _run(df, target="y")
    assert r.status is Status.PASS and r.metrics["n_columns"] == 5


def test_clean_data_passes(clean_frame):
    r = _run(clean_frame, target="y")
    assert r.status is Status.PASS and r.tables == ()
    assert r.summary == "no constant or near-constant feature among 5"
    iris = load_iris(as_frame=True).frame
    assert _run(iris, target="target").status is Status.PASS


def test_odd_columns_do_not_crash():
    df = pd.DataFrame({"lists": [[1, 2]] * 100, "arr": [np.arange(2)] * 99 + [np.arange(3)],
                       "when": pd.Timestamp("2024-01-01"), "empty": np.nan,
                       "cat": pd.Categorical(["a"] * 100), "y": [0, 1] * 50})
    r = _run(df, target="y")
    # "when" is a timestamp, not a feature
    assert r.status is Status.FAIL and r.metrics["n_columns"] == 4
    assert r.metrics["n_constant_columns"] == 3 and r.metrics["n_near_constant_columns"] == 1
    assert _run(df.iloc[:1], target="y").status is Status.FAIL  # one row: every column is constant
