import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer

from stalwart import Status, Suite
from stalwart.checks.audit.id_like_columns import IdLikeColumns


def _run(frame, check=None, **kw):
    return Suite("s", [check or IdLikeColumns()]).run(frame, **kw).results[0]


def test_warns_on_row_numbers_keys_and_codes(clean_frame):
    n = len(clean_frame)
    rng = np.random.default_rng(0)
    df = clean_frame.assign(rownum=np.arange(n), customer=rng.permutation(n) + 10_000,
                            ref=[f"R{i:05d}" for i in range(n)])
    r = _run(df, target="y")
    assert r.status is Status.WARN and r.metrics["n_id_like_columns"] == 3
    assert r.metrics["max_unique_share"] == 1.0
    rows = {row[0]: row for row in r.tables[0].rows}
    assert rows["rownum"][1] == "whole numbers in a constant-step sequence" and rows["rownum"][5] == 1.0
    assert rows["customer"][1] == "distinct whole numbers over a dense range"
    assert rows["ref"][1] == "distinct strings"
    assert r.summary.startswith("3 of 8 features look like identifiers: rownum")


def test_declared_ids_are_fine(clean_frame):
    n = len(clean_frame)
    df = clean_frame.assign(customer_id=np.arange(n))  # named like an id: role id
    assert _run(df, target="y").status is Status.PASS
    df = clean_frame.assign(account=np.arange(n))
    assert _run(df, target="y").status is Status.WARN
    from stalwart import Dataset
    ds = Dataset.from_any(df, target="y", roles={"account": "id"})
    assert _run(ds).status is Status.PASS


def test_clean_data_passes(clean_frame):
    r = _run(clean_frame, target="y")
    assert r.status is Status.PASS and r.metrics["n_id_like_columns"] == 0
    assert r.metrics["max_unique_share"] is None
    cancer = load_breast_cancer(as_frame=True).frame  # unique floats: not identifiers
    assert _run(cancer, target="target").status is Status.PASS
    rng = np.random.default_rng(1)
    amounts = pd.DataFrame({"cents": rng.integers(0, 10**8, 5000), "y": rng.integers(0, 2, 5000)})
    assert _run(amounts, target="y").status is Status.PASS


def test_odd_columns_do_not_crash():
    df = pd.DataFrame({"lists": [[i] for i in range(60)], "flag": [True, False] * 30,
                       "when": pd.date_range("2024-01-01", periods=60, freq="D"),
                       "mixed": [1, "a", 2.5] * 20, "y": [0, 1] * 30})
    r = _run(df, target="y")
    assert r.status is Status.PASS and r.metrics["n_unexamined_columns"] == 1
    assert "1 could not be examined" in r.summary
    assert r.tables[0].rows == (("lists", "not examined: holds unhashable cells (lists, dicts)"),)
