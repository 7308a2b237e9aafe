import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from stalwart import Dataset, Schema, Status, Suite
from stalwart.checks.audit.invalid_values import InvalidValues


def run(data, reference=None, **options):
    return Suite("s", [InvalidValues(**options)]).run(data, reference=reference).results[0]


def declared(frame, **overrides):
    schema = Schema.infer(frame, target="y")
    for column, changes in overrides.items():
        schema = schema.override(column, **changes)
    return Dataset.from_any(frame, schema=schema)


def test_declared_breaches_fail(clean_frame):
    frame = clean_frame.copy()
    frame["age"] = frame["age"].clip(18, 90)
    frame.loc[:9, "age"] = -5.0
    frame.loc[10:14, "city"] = "atlantis"
    r = run(declared(frame, age={"min": 0, "max": 120},
                     city={"allowed": ("paris", "lyon", "nice", "lille")}))
    assert r.status is Status.FAIL
    assert r.metrics["n_invalid_columns"] == 2 and r.metrics["n_invalid_values"] == 15
    assert r.metrics["max_invalid_share"] == pytest.approx(10 / 2000)
    assert r.metrics["max_out_of_reference_share"] is None  # no reference given
    rows = {(row[0], row[1]): row for row in r.tables[0].rows}
    assert rows["age", "below_min"][3] == 10 and rows["age", "below_min"][8] == "-5.0"
    assert rows["city", "not_allowed"][8] == "'atlantis'"
    assert rows["age", "below_min"][6] is None and rows["age", "below_min"][7] is True
    assert "age" in r.summary and "break the schema" in r.summary
    assert r.charts[0].data["labels"] == ["age", "city"]


def test_infinities_fail_without_any_declaration(clean_frame):
    frame = clean_frame.copy()
    frame.loc[3, "score"] = np.inf
    r = run(frame)
    assert r.status is Status.FAIL and r.metrics["n_infinite_values"] == 1


def test_reference_range_and_new_categories_warn(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:].copy()
    test.loc[test.index[:50], "income"] *= 1000  # a unit change on 5% of rows
    test.loc[test.index[50:80], "city"] = "marseille"
    r = run(test, reference=train)
    assert r.status is Status.WARN
    assert r.metrics["n_invalid_values"] == 0
    assert r.metrics["n_out_of_reference_columns"] == 1
    assert r.metrics["max_out_of_reference_share"] >= 0.04
    assert r.metrics["max_new_category_share"] == pytest.approx(0.03)
    assert {row[1] for row in r.tables[0].rows} >= {"above_reference_range", "new_category"}


def test_clean_data_passes(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    data = declared(test, age={"min": 0, "max": 120}, plan={"allowed": ("basic", "pro")})
    r = run(data, reference=train)
    assert r.status is Status.PASS, r.summary
    assert r.metrics["n_invalid_values"] == 0


def test_iris_split_passes():
    iris = load_iris(as_frame=True).frame.sample(frac=1.0, random_state=0)
    r = run(iris.iloc[:75], reference=iris.iloc[75:])
    assert r.status is Status.PASS, r.summary


def test_odd_columns_do_not_crash():
    n = 10
    frame = pd.DataFrame({
        "all_missing": [np.nan] * n, "lists": pd.Series([[1]] * n, dtype=object),
        "when": pd.date_range("2024-01-01", periods=n), "flag": [True, False] * 5,
        "cat": pd.Categorical(["a", "b"] * 5),
        "mixed": pd.Series([1, "a"] * 5, dtype=object), "s": pd.Series(["x"] * n, dtype="str"),
    })
    schema = Schema.infer(frame).override("lists", allowed=(1,)).override("when", max=3)
    r = run(Dataset.from_any(frame, schema=schema), reference=frame)
    assert r.status is not Status.ERROR
    assert r.metrics["n_unexamined_columns"] == 1  # min/max on datetimes: said, not skipped
    assert any(t.title.startswith("Columns that could not") for t in r.tables)
