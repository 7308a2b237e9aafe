"""Type corruption: lists and strings in a share of cells."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.exceptions import ParameterError
from stalwart.perturb.tabular import TypeCorruption


def test_modes_and_share():
    X = pd.DataFrame({"x": np.arange(4000.0), "s": ["a", "b"] * 2000})
    t = TypeCorruption(severity=3, random_state=0).fit(X)
    out = t.transform(X)
    is_list = out["x"].map(lambda v: isinstance(v, list))
    is_str = out["x"].map(lambda v: isinstance(v, str))
    lo, hi = stats.binom.interval(0.999, len(X), 0.1)
    assert lo <= (is_list | is_str).sum() <= hi and is_list.any() and is_str.any()
    assert (out.loc[is_str, "x"] == X.loc[is_str, "x"].map(str)).all()
    assert (out.loc[is_list, "x"].map(lambda v: v[0]) == X.loc[is_list, "x"]).all()
    assert out["x"].dtype == object
    # a string cell cannot become a string: it becomes a list
    detail = t.notes_[1].detail
    assert detail["strings"] == 0 and detail["lists"] > 0


def test_string_mode_reads_like_a_json_feed_and_numpy_output_is_object():
    X = np.array([[1, 2], [3, 4]])
    out = TypeCorruption(share=1.0, mode="string").fit(X).transform(X)
    assert out.dtype == object and out.tolist() == [["1", "2"], ["3", "4"]]
    with pytest.raises(ParameterError, match="mode"):
        TypeCorruption(mode="json").fit(X)
