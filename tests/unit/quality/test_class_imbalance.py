import numpy as np
import pandas as pd
import pytest

from stalwart.quality.class_imbalance import class_balance


def test_counts_shares_ratio_and_rare_classes():
    rng = np.random.default_rng(0)
    y = pd.Series(rng.choice(["a", "b", "c", "d"], 5000, p=[0.7, 0.25, 0.049, 0.001]))
    y[:10] = None
    r = class_balance(y, min_class_rows=10)
    vc = y.value_counts()
    assert r.classes == tuple(vc.index) and r.counts == tuple(vc.to_numpy())
    assert r.n_rows == vc.sum() and r.n_missing == 10
    assert r.imbalance_ratio == pytest.approx(vc.max() / vc.min())
    assert r.minority_share == pytest.approx(vc.min() / vc.sum())
    np.testing.assert_allclose(r.shares, (vc / vc.sum()).to_numpy())
    assert r.rare_classes == tuple(vc[vc < 10].index)
    assert r.max_share_shift is None and r.total_variation is None


def test_reference_shift_is_total_variation():
    cur = pd.Series([0] * 600 + [1] * 300 + [2] * 100)
    ref = pd.Series([0] * 500 + [1] * 400 + [3] * 100)
    r = class_balance(cur, reference=ref)
    assert r.classes == (0, 1, 2, 3) and r.counts == (600, 300, 100, 0)
    assert r.reference_counts == (500, 400, 0, 100)
    p, q = np.array([0.6, 0.3, 0.1, 0.0]), np.array([0.5, 0.4, 0.0, 0.1])
    assert r.total_variation == pytest.approx(0.5 * np.abs(p - q).sum())
    assert r.max_share_shift == pytest.approx(0.1)
    assert r.imbalance_ratio == 6.0  # classes absent here do not count


def test_ties_are_ordered_reproducibly_and_odd_labels_work():
    r = class_balance(pd.Series(["b", "a", "b", "a"]))
    assert r.classes == ("a", "b")
    assert class_balance(pd.Series([True, False, True])).classes == (True, False)
    lists = class_balance(pd.Series([[1], [1], [2]], dtype=object))
    assert lists.counts == (2, 1)
    cat = class_balance(pd.Series(pd.Categorical(["x", "x"], categories=["x", "y"])))
    assert cat.present == (2,) and cat.imbalance_ratio == 1.0
    assert class_balance(pd.Series([np.nan, np.nan])).imbalance_ratio is None
