import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from stalwart import Status, Suite
from stalwart.checks.audit.missing_values import MissingValues


def _run(frame, check=None, **kw):
    return Suite("s", [check or MissingValues()]).run(frame, **kw).results[0]


def test_triggers_on_all_missing_heavy_and_disguised_columns(clean_frame):
    df = clean_frame.copy()
    rng = np.random.default_rng(0)
    gap = rng.random(len(df)) < 0.12
    df.loc[gap, "income"] = np.nan
    df.loc[gap, "age"] = np.nan  # missing together with income
    df["city"] = df["city"].astype(object)
    df.loc[rng.random(len(df)) < 0.03, "city"] = "N/A"
    df["notes"] = np.nan
    r = _run(df, target="y")
    assert r.status is Status.FAIL
    m = r.metrics
    assert m["n_all_missing_columns"] == 1 and m["n_columns_with_missing"] == 4
    assert m["max_missing_share"] == 1.0 and m["n_columns_with_disguised"] == 1
    assert m["n_correlated_pairs"] == 1
    assert m["rows_with_missing_share"] == 1.0  # notes is empty everywhere
    assert "notes" in r.summary and "missing in every row" in r.summary
    by_cond = {c.metric: c.status for c in r.conditions}
    assert by_cond == {"n_all_missing_columns": Status.FAIL, "max_missing_share": Status.WARN}
    table = {t.title: t for t in r.tables}
    cols = table["Columns with missing values"]
    assert cols.rows[0][0] == "notes" and cols.rows[1][0] in ("income", "age")
    city = next(row for row in cols.rows if row[0] == "city")
    assert city[2] > 0 and "'N/A'" in city[5]
    pairs = table["Columns whose missingness is correlated"].rows
    assert pairs == (("age", "income", 1.0),)
    patterns = table["Most common sets of columns missing together"].rows
    assert patterns[0][0] == "notes" and patterns[1][0] == "age, income, notes"
    bar, heat = r.charts
    assert bar.kind == "bar" and bar.data["labels"][0] == "notes"
    assert heat.kind == "heatmap" and set(heat.data["x"]) == {"age", "income", "city"}


def test_warns_only_above_the_share_threshold(clean_frame):
    df = clean_frame.copy()
    df.loc[df.index[:80], "score"] = np.nan  # 4%
    r = _run(df, target="y")
    assert r.status is Status.PASS and r.metrics["max_missing_share"] == pytest.approx(0.04)
    assert "score 4.0%" in r.summary
    r = _run(df, MissingValues(max_missing_share=0.01), target="y")
    assert r.status is Status.WARN


def test_clean_data_passes(clean_frame):
    r = _run(clean_frame, target="y")
    assert r.status is Status.PASS and r.metrics["n_columns_with_missing"] == 0
    assert r.summary == "no missing values in 6 columns" and r.tables == () and r.charts == ()
    cancer = load_breast_cancer(as_frame=True).frame
    assert _run(cancer, target="target").status is Status.PASS


def test_columns_option_and_unknown_column(clean_frame):
    df = clean_frame.assign(empty=np.nan)
    assert _run(df, MissingValues(columns=["age"])).status is Status.PASS
    r = _run(df, MissingValues(columns=["nope"]))
    assert r.status is Status.ERROR and "nope" in r.summary


def test_odd_columns_do_not_crash():
    n = 40
    df = pd.DataFrame({
        "lists": [[1], None, {"a": 1}, "?"] * 10,
        "when": pd.to_datetime(["2024-01-01", None] * 20),
        "cat": pd.Categorical(["a", "n/a", None, "b"] * 10),
        "s": pd.Series(["x", "", None, " "] * 10, dtype="string"),
        "flag": [True, None] * 20,
        "y": [0, 1] * 20,
    })
    r = _run(df, target="y")
    assert r.status is Status.WARN
    assert r.metrics["n_columns_with_missing"] == 5 and r.metrics["n_columns"] == 6
    assert r.metrics["disguised_cell_share"] == pytest.approx((10 + 10 + 20) / (n * 6))
    one = _run(df.iloc[:1], target="y")
    assert one.status is Status.PASS


def test_runs_without_target(clean_frame):
    assert _run(clean_frame.drop(columns="y")).status is Status.PASS
