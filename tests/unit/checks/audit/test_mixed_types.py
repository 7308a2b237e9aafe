import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer

from stalwart import Condition, Status, Suite
from stalwart.checks.audit.mixed_types import MixedTypes


def run(frame, **options):
    return Suite("s", [MixedTypes(**options)]).run(frame).results[0]


def test_scalar_column_holding_lists_fails(clean_frame):
    frame = clean_frame.copy()
    frame["tags"] = pd.Series([["a"] if i % 50 == 0 else "a" for i in range(len(frame))],
                              dtype=object)
    r = run(frame)
    assert r.status is Status.FAIL
    assert r.metrics["n_container_mix_columns"] == 1 and r.metrics["n_mixed_columns"] == 1
    assert r.metrics["max_minority_share"] == 0.02
    assert "tags" in r.summary and "lists" in r.summary
    row = r.tables[0].rows[0]
    assert row[0] == "tags" and row[1] == "string 1960, container 40" and row[4] is True
    assert "container: ['a'] (row 0)" in row[5]


def test_polluted_numeric_string_column_warns(clean_frame):
    frame = clean_frame.copy()
    amounts = frame["income"].astype(str).astype(object)
    amounts.iloc[::100] = "unknown"
    frame["amount"] = amounts.astype("str")
    r = run(frame)
    assert r.status is Status.WARN
    assert r.metrics["n_mixed_columns"] == 1 and r.metrics["n_container_mix_columns"] == 0
    assert r.metrics["max_minority_share"] == 0.01
    assert r.tables[0].rows[0][1] == "numeric_string 1980, string 20"


def test_numbers_with_strings_in_object_column_warn():
    frame = pd.DataFrame({"x": pd.Series([1.5] * 50 + ["oops"] * 2, dtype=object)})
    r = run(frame)
    assert r.status is Status.WARN and r.metrics["n_mixed_columns"] == 1


def test_mix_below_min_share_is_listed_but_passes():
    frame = pd.DataFrame({"x": pd.Series([1.0] * 999 + ["x"], dtype=object)})
    r = run(frame, min_share=0.01)
    assert r.status is Status.PASS and r.metrics["n_mixed_columns"] == 0
    assert r.tables[0].rows[0][4] is False  # listed, not flagged


def test_clean_data_passes(clean_frame):
    r = run(clean_frame)
    assert r.status is Status.PASS and r.metrics["n_mixed_columns"] == 0
    assert r.tables == () and "no column" in r.summary


def test_breast_cancer_passes():
    r = run(load_breast_cancer(as_frame=True).frame)
    assert r.status is Status.PASS and r.metrics["n_columns_checked"] == 31


def test_odd_columns_do_not_crash():
    n = 12
    frame = pd.DataFrame({
        "all_missing": [np.nan] * n,
        "when": pd.date_range("2024-01-01", periods=n),
        "cat": pd.Categorical(["a", "b"] * (n // 2)),
        "arrays": pd.Series([np.arange(2)] * n, dtype=object),
        "s": pd.Series(["x", None] * (n // 2), dtype="str"),
        "flag": [True, False] * (n // 2),
    })
    r = run(frame)
    assert r.status is Status.PASS and r.metrics["n_unexamined_columns"] == 0
    assert run(frame.iloc[:1]).status is Status.PASS


def test_user_conditions_replace_defaults():
    frame = pd.DataFrame({"x": pd.Series([1] * 9 + ["a"], dtype=object)})
    r = run(frame, conditions=[Condition("max_minority_share", "lt", 0.2)])
    assert r.status is Status.PASS


def test_unknown_column_is_an_error():
    r = run(pd.DataFrame({"x": [1, 2]}), columns=["nope"])
    assert r.status is Status.ERROR and "nope" in r.summary


def test_free_text_column_with_a_numeric_note_passes():
    rng = np.random.default_rng(0)
    words = np.array(["the", "client", "called", "about", "a", "late", "delivery", "again"])
    notes = [" ".join(rng.choice(words, 7)) for _ in range(200)]
    notes[5] = "42"
    r = run(pd.DataFrame({"note": pd.Series(notes, dtype="str")}))
    assert r.status is Status.PASS, r.summary
