import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from stalwart import CheckContext, Dataset, Status, Suite
from stalwart.checks.audit.train_test_overlap import TrainTestOverlap


def run(data, reference, target="y", **options):
    return Suite("s", [TrainTestOverlap(**options)]).run(data, target=target,
                                                         reference=reference).results[0]


def test_copied_training_rows_fail(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    leaked = pd.concat([test, train.iloc[:100]], ignore_index=True)  # 100 of 1100 rows
    r = run(leaked, train)
    assert r.status is Status.FAIL
    assert r.metrics["n_overlap_rows"] == 100
    assert r.metrics["overlap_share"] == pytest.approx(100 / 1100)
    assert r.metrics["n_overlap_rows_with_target"] == 100
    rows = {row[0]: row for row in r.tables[0].rows}
    assert rows["features"][1] == 100 and "data 1000 = reference 0" in rows["features"][3]
    assert r.charts[0].data["labels"] == ["features", "features + target"]
    assert "100 of 1,100" in r.summary


def test_small_overlap_warns_and_label_changes_are_seen(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    copied = train.iloc[:20].assign(y=1 - train["y"].iloc[:20])  # same features, other label
    r = run(pd.concat([test, copied], ignore_index=True), train)
    assert r.status is Status.WARN
    assert r.metrics["n_overlap_rows"] == 20 and r.metrics["n_overlap_rows_with_target"] == 0


def test_shared_ids_warn(clean_frame):
    train = clean_frame.iloc[:1000].assign(customer_id=[f"c{i}" for i in range(1000)])
    test = clean_frame.iloc[1000:].assign(customer_id=[f"c{i}" for i in range(900, 1900)])
    r = run(test, train)
    assert r.status is Status.WARN
    assert r.metrics["n_id_columns"] == 1 and r.metrics["n_shared_ids"] == 100
    assert r.metrics["max_id_overlap_share"] == pytest.approx(0.1)
    assert r.metrics["n_overlap_rows"] == 0
    assert "customer_id" in r.summary


def test_clean_split_passes(clean_frame):
    r = run(clean_frame.iloc[1000:], clean_frame.iloc[:1000])
    assert r.status is Status.PASS and r.metrics["n_overlap_rows"] == 0
    assert r.metrics["max_id_overlap_share"] is None


def test_breast_cancer_split_passes():
    frame = load_breast_cancer(as_frame=True).frame.sample(frac=1.0, random_state=0)
    r = run(frame.iloc[:200], frame.iloc[200:], target="target")
    assert r.status is Status.PASS and r.metrics["overlap_share"] == 0.0


def test_hashes_are_shared_through_the_cache(clean_frame):
    data = Dataset.from_any(clean_frame.iloc[1000:], target="y")
    ref = Dataset.from_any(clean_frame.iloc[:1000], schema=data.schema)
    ctx = CheckContext(data, reference=ref)
    TrainTestOverlap().run(ctx)
    assert {"row_hashes:features", "reference_row_hashes:features"} <= set(ctx.cache)
    from stalwart.quality.rowhash import row_hashes
    expected = row_hashes(data.frame, data.features)
    assert (ctx.cache["row_hashes:features"] == expected).all()


def test_dtype_differences_between_files_do_not_hide_overlap(clean_frame):
    train = clean_frame.iloc[:1000].assign(age=lambda f: f["age"].round().astype(int))
    test = train.iloc[:50].assign(age=lambda f: f["age"].astype(float))
    r = run(test, train)
    assert r.metrics["n_overlap_rows"] == 50


def test_odd_columns_and_single_row():
    n = 10
    frame = pd.DataFrame({
        "all_missing": [np.nan] * n, "lists": pd.Series([[i] for i in range(n)], dtype=object),
        "when": pd.date_range("2024-01-01", periods=n), "cat": pd.Categorical(["a", "b"] * 5),
        "mixed": pd.Series([1, "a"] * 5, dtype=object), "y": [0, 1] * 5,
    })
    r = run(frame, frame.iloc[::-1])
    assert r.status is Status.FAIL and r.metrics["overlap_share"] == 1.0
    assert run(frame.iloc[:1], frame.iloc[5:]).status is not Status.ERROR


def test_skips_without_reference(clean_frame):
    r = Suite("s", [TrainTestOverlap()]).run(clean_frame, target="y").results[0]
    assert r.status is Status.SKIP and "reference" in r.summary
