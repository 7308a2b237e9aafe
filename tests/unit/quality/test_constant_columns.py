import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stalwart.quality.constant_columns import MISSING, constant_columns


def _reference_share(s: pd.Series) -> float:
    return s.value_counts(dropna=False, normalize=True).max()


def test_statuses_and_shares():
    n = 20_000
    rng = np.random.default_rng(0)
    fraud = np.zeros(n, dtype=int)
    fraud[rng.choice(n, 150, replace=False)] = 1  # 0.75% positives, 150 rows: a rare flag
    typo = np.zeros(n, dtype=int)
    typo[:40] = 1  # 0.2% positives, 40 rows: near-constant
    skewed = np.full(n, 3.5)
    skewed[:100] = rng.normal(size=100)  # 99.5% one value, many others
    df = pd.DataFrame({"const": 7, "fraud": fraud, "typo": typo, "skewed": skewed,
                       "x": rng.normal(size=n), "city": rng.choice(["a", "b"], n)})
    r = constant_columns(df)
    by = {c.name: c for c in r.columns}
    assert by["const"].status == "constant" and by["const"].dominant_value == 7
    assert by["fraud"].status == "rare_flag" and by["fraud"].n_other_rows == 150
    assert by["typo"].status == "near_constant" and by["typo"].n_distinct == 2
    assert by["skewed"].status == "near_constant" and by["skewed"].dominant_value == 3.5
    assert by["skewed"].n_distinct == 101
    for name in ("fraud", "typo", "skewed"):
        assert by[name].dominant_share == pytest.approx(_reference_share(df[name]))
    assert by["x"].status == "ok" and by["x"].dominant_share is None
    assert by["city"].status == "ok" and by["city"].dominant_share == pytest.approx(
        _reference_share(df["city"]))
    assert [c.name for c in r.flagged] == ["const", "typo", "skewed", "fraud"]


def test_threshold_and_rare_flag_floor_are_options():
    df = pd.DataFrame({"f": [0] * 950 + [1] * 50})
    assert constant_columns(df).columns[0].status == "ok"
    assert constant_columns(df, threshold=0.95).columns[0].status == "near_constant"
    assert constant_columns(df, threshold=0.95, rare_flag_min_rows=50).columns[0].status == \
        "rare_flag"


def test_missing_counts_as_a_value():
    df = pd.DataFrame({"empty": [np.nan] * 300, "sparse": [np.nan] * 298 + [1.0, 2.0],
                       "text": pd.Series([None] * 299 + ["x"], dtype="string"),
                       "half": [np.nan] * 150 + [1.0] * 150})
    by = {c.name: c for c in constant_columns(df).columns}
    assert by["empty"].status == "constant" and by["empty"].dominant_value == MISSING
    assert by["sparse"].status == "near_constant" and by["sparse"].n_distinct == 3
    assert by["sparse"].dominant_share == pytest.approx(298 / 300)
    assert by["text"].status == "near_constant" and by["text"].dominant_value == MISSING
    assert by["half"].status == "ok"


@pytest.mark.parametrize("values", [
    [True] * 99 + [False],
    pd.Categorical(["a"] * 99 + ["b"]),
    pd.to_datetime(["2024-01-01"] * 99 + ["2024-01-02"]),
    pd.array([1] * 99 + [None], dtype="Int64"),
])
def test_other_dtypes(values):
    c = constant_columns(pd.DataFrame({"v": values})).columns[0]
    assert c.status == "near_constant" and c.dominant_share == pytest.approx(0.99)


def test_container_cells_are_compared_by_content():
    df = pd.DataFrame({"v": [np.array([1, 2])] * 99 + [np.array([3])]})
    c = constant_columns(df).columns[0]
    assert c.status == "near_constant" and c.dominant_value == "[1 2]"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=60),
       st.lists(st.booleans(), min_size=60, max_size=60))
def test_numeric_shortcut_agrees_with_value_counts(ints, nan_mask):
    x = np.array(ints, dtype=float)
    x[np.array(nan_mask[:len(x)])] = np.nan
    c = constant_columns(pd.DataFrame({"v": x})).columns[0]
    share = _reference_share(pd.Series(x))
    if share > 0.5:
        assert c.dominant_share == pytest.approx(share)
        assert c.n_distinct == pd.Series(x).nunique(dropna=False)
    else:
        assert c.dominant_share is None
