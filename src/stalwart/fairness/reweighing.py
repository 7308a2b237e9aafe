"""Reweighing for training (Kamiran & Calders 2012): weights that make label and group
independent in the weighted training data.

Each row of group ``g`` with label ``y`` gets ``w = P(g) P(y) / P(g, y)``: combinations rarer
than independence would make them are weighted up, commoner ones down. A model fitted with
these ``sample_weight`` sees every group with the same label distribution, which lowers
the demographic parity difference it learns from biased labels; the price is some accuracy
on the original labels, measured with :func:`stalwart.fairness.mitigation_report`.

>>> import numpy as np
>>> w = reweighing(np.array([1, 1, 1, 0, 1, 0, 0, 0]), sensitive=np.array(list("aaaabbbb")))
>>> w.round(3).tolist()
[0.667, 0.667, 0.667, 2.0, 2.0, 0.667, 0.667, 0.667]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError
from .thresholds import group_keys

__all__ = ["reweighing"]


def reweighing(y: Any, *, sensitive: Any) -> np.ndarray:
    """Sample weights ``P(g) P(y) / P(g, y)`` (mean 1), one per row; any label type.

    Groups are the distinct values (or value combinations) of ``sensitive``. A group
    without some label cannot be reweighed to independence: that is a :class:`DataError`.
    """
    labels = np.asarray(y, dtype=object)
    if labels.ndim != 1 or labels.size == 0:
        raise DataError("y", expected="a non-empty 1-D array of labels", got=f"shape "
                        f"{labels.shape}", fix="pass one training label per row")
    if pd.isna(pd.Series(labels)).any():
        raise DataError("y", expected="a label on every row", got="missing labels",
                        fix="drop unlabelled rows before reweighing")
    keys = group_keys(sensitive, labels.size)
    table = pd.crosstab(pd.Series(keys, name="group"), pd.Series(labels.astype(str),
                                                                 name="label"))
    if table.shape[0] < 2:
        raise DataError("sensitive", expected="at least two groups", got=f"one group "
                        f"({table.index[0]!r})", fix="pass the training rows of every group")
    empty = [(g, lab) for g in table.index for lab in table.columns if table.loc[g, lab] == 0]
    if empty:
        raise DataError("sensitive groups", expected="every label in every group",
                        got=f"{len(empty)} empty group/label pairs, e.g. {empty[:3]}",
                        fix="merge the small groups or collect rows with the missing labels")
    n = labels.size
    p_g = table.sum(axis=1) / n
    p_y = table.sum(axis=0) / n
    expected = np.outer(p_g, p_y) / (table.to_numpy() / n)
    weight = pd.DataFrame(expected, index=table.index, columns=table.columns)
    return weight.stack().reindex(list(zip(keys, labels.astype(str)))).to_numpy(dtype=float)
