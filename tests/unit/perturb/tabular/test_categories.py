"""Unseen categories and category swaps."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.exceptions import ParameterError
from stalwart.perturb.tabular import SwapCategories, UnseenCategory

from .conftest import mixed


def test_unseen_values_were_never_in_training_and_share_holds():
    X = pd.DataFrame({"c": np.random.default_rng(0).choice(["unseen_0", "b", "c"], 4000)})
    u = UnseenCategory(severity=4, random_state=1).fit(X)
    out = u.transform(X)
    changed = out["c"] != X["c"]
    new = set(out.loc[changed, "c"])
    assert new == {"unseen_0_", "unseen_1", "unseen_2"} and not new & set(X["c"])
    lo, hi = stats.binom.interval(0.999, len(X), 0.2)
    assert lo <= changed.sum() <= hi


def test_unseen_category_dtype_gains_categories():
    X = mixed(500)
    out = UnseenCategory(share=0.3, n_values=1, random_state=0).fit(X).transform(X)
    assert set(out["plan"].cat.categories) == {"basic", "pro", "unseen_0"}
    assert (out["plan"] == "unseen_0").mean() > 0.2 and out["city"].dtype == X["city"].dtype
    with pytest.raises(ParameterError, match="n_values"):
        UnseenCategory(n_values=0).fit(X)


def test_swap_is_a_derangement_applied_to_the_share():
    X = pd.DataFrame({"c": np.random.default_rng(0).choice(list("abcde"), 5000)})
    s = SwapCategories(severity=4, random_state=3).fit(X)
    out = s.transform(X)
    mapping = s.notes_[0].detail["mapping"]
    assert sorted(mapping) == sorted(mapping.values()) == list("abcde")
    assert all(k != v for k, v in mapping.items())
    changed = out["c"] != X["c"]
    assert (out.loc[changed, "c"] == X.loc[changed, "c"].map(mapping)).all()
    lo, hi = stats.binom.interval(0.999, len(X), 0.5)
    assert lo <= changed.sum() <= hi
    # the category counts are permuted, not changed, at share 1
    full = SwapCategories(share=1.0, random_state=3).fit(X).transform(X)
    assert sorted(full["c"].value_counts()) == sorted(X["c"].value_counts())


def test_swap_booleans_and_single_category():
    X = pd.DataFrame({"b": [True, False, True, True], "one": ["x"] * 4})
    s = SwapCategories(share=1.0).fit(X)
    out = s.transform(X)
    assert out["b"].tolist() == [False, True, False, False] and out["b"].dtype == bool
    note = s.notes_[1]
    assert not note.applied and note.reason == "1 category in training: nothing to swap with"
