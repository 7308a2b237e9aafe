import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from stalwart import Status, Suite
from stalwart.checks.audit.duplicates import Duplicates
from stalwart.checks.check import CheckContext
from stalwart.data import Dataset


def _run(frame, check=None, **kw):
    return Suite("s", [check or Duplicates()]).run(frame, **kw).results[0]


def test_exact_duplicates_warn_then_fail(clean_frame):
    few = pd.concat([clean_frame, clean_frame.iloc[:30]], ignore_index=True)  # 1.5%
    r = _run(few, target="y")
    assert r.status is Status.WARN
    assert r.metrics["n_duplicate_rows"] == 30 and r.metrics["n_duplicate_groups"] == 30
    assert r.metrics["duplicate_share"] == pytest.approx(30 / 2030)
    assert r.metrics["largest_group_size"] == 2
    assert r.tables[0].rows[0][1] == "0, 2000"
    many = pd.concat([clean_frame] + [clean_frame.iloc[:100]] * 3, ignore_index=True)
    r = _run(many, target="y")
    assert r.status is Status.FAIL and r.metrics["largest_group_size"] == 4
    assert r.metrics["duplicate_share"] == pytest.approx(300 / 2300)
    assert r.summary.startswith("300 of 2300 rows (13.0%) repeat an earlier row exactly")


def test_near_duplicates(clean_frame):
    copy = clean_frame.iloc[:50].copy()
    copy["city"] = copy["city"].str.upper() + " "
    copy["score"] = copy["score"] * (1 + 1e-12)  # float noise
    df = pd.concat([clean_frame, copy], ignore_index=True)
    r = _run(df, target="y")
    assert r.status is Status.WARN
    assert r.metrics["n_duplicate_rows"] == 0 and r.metrics["n_near_duplicate_rows"] == 50
    assert r.tables[0].title.startswith("Largest groups of near duplicates")
    assert r.tables[0].rows[0][1] == "0, 2000"
    assert _run(df, Duplicates(significant_digits=15), target="y").metrics[
        "n_near_duplicate_rows"] == 0  # 15 digits tell the noisy scores apart
    assert "50 more (2.4%) are near duplicates" in r.summary


def test_rows_differing_only_in_id_or_target(clean_frame):
    df = pd.concat([clean_frame, clean_frame.iloc[:40]], ignore_index=True)
    df["row_id"] = np.arange(len(df))  # an id: left out of the comparison
    assert _run(df, target="y").metrics["n_duplicate_rows"] == 40
    df.loc[2000:, "y"] = 1 - df.loc[2000:, "y"]  # same features, other label: not a duplicate
    assert _run(df, target="y").metrics["n_duplicate_rows"] == 0
    assert _run(df.drop(columns="y")).metrics["n_duplicate_rows"] == 40


def test_hashes_are_shared_through_the_cache(clean_frame):
    ds = Dataset.from_any(clean_frame, target="y")
    ctx = CheckContext(data=ds)
    Duplicates().run(ctx)
    assert "row_hashes:features+target" in ctx.cache
    planted = np.zeros(len(clean_frame), dtype=np.uint64)
    ctx.cache["row_hashes:features+target"] = planted
    r = Duplicates().run(ctx)
    assert r.metrics["n_duplicate_rows"] == len(clean_frame) - 1


def test_clean_data_passes(clean_frame):
    r = _run(clean_frame, target="y")
    assert r.status is Status.PASS and r.summary == "no duplicate rows among 2000"
    cancer = load_breast_cancer(as_frame=True).frame
    assert _run(cancer, target="target").status is Status.PASS


def test_odd_columns_and_no_features():
    df = pd.DataFrame({"lists": [[1], [1], [2]] * 20, "mixed": [1, 2.5, None] * 20,
                       "cat": pd.Categorical(["a", "a", "b"] * 20), "y": [0, 0, 1] * 20})
    r = _run(df, target="y")
    assert r.status is Status.FAIL and r.metrics["n_duplicate_rows"] == 57
    only_target = _run(pd.DataFrame({"y": [0, 1, 0]}), target="y")
    assert only_target.status is not Status.ERROR
    ids = pd.DataFrame({"row_id": [1, 2, 3]})
    none = _run(ids)
    assert none.status is Status.SKIP and none.summary.startswith("not examined")
