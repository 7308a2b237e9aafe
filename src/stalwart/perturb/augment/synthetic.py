"""Synthetic rows for a rare class by interpolating between its own neighbours (SMOTE-like).

For each new row, :func:`synthesize_rare` picks a random row ``a`` of ``target_class`` and
one of its ``k_neighbors`` nearest rows ``b`` of the same class, draws ``u ~ U(0, 1)`` and
takes ``a + u (b - a)`` on numeric features (Chawla et al., 2002); a categorical feature
takes ``a``'s category when ``u < 0.5`` and ``b``'s otherwise (the nearer end). Distances
are the scaled L1 of :mod:`stalwart.explain.counterfactual_space` (numeric differences over
each feature's median absolute deviation, plus one per differing category), so features in
large units do not dominate. Constraints, learned from all of ``X`` as the counterfactual
search learns them: ``integer`` features (default: the whole-valued numeric columns) are
rounded to the nearest whole value and every numeric value is clipped to ``ranges[col]``
(default: the training minimum and maximum). Interpolation between two rows already stays
between them, so only a declared range narrower than the data can clip.

``k_neighbors=None`` uses ``min(5, rows of the class - 1)``; a class with fewer than two
rows cannot be interpolated and is a :class:`~stalwart.exceptions.DataError`. The new rows
come back alone (concatenate them to the training set yourself), as a DataFrame for a
DataFrame and an array for an array, with ``y_new`` all ``target_class``.

>>> import numpy as np
>>> X = np.array([[0.0, 1], [1.0, 3], [2.0, 5], [9.0, 9], [8.0, 8]])
>>> y = np.array([1, 1, 1, 0, 0])
>>> X_new, y_new = synthesize_rare(X, y, target_class=1, n=4, random_state=0)
>>> X_new.shape, y_new.tolist(), bool((X_new[:, 0] <= 2).all())
((4, 2), [1, 1, 1, 1], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...data.dataset import to_pandas
from ...exceptions import DataError, ParameterError
from ...explain.counterfactual_space import FeatureSpace
from ._rows import check_xy

__all__ = ["synthesize_rare"]


def _count(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(name, expected=f"an integer >= {low}", got=repr(value),
                             fix=f"pass e.g. {name}=5")
    return int(value)


def synthesize_rare(X: Any, y: Any, *, target_class: Any, n: int,
                    k_neighbors: int | None = None, integer: Any = None,
                    ranges: Mapping[str, Any] | None = None,
                    random_state: Any = None) -> tuple[Any, np.ndarray]:
    """``n`` new rows of ``target_class`` between neighbouring rows of that class."""
    labels = check_xy(X, y)
    n = _count("n", n, 1)
    rows = np.flatnonzero(labels == target_class)
    if rows.size == 0:
        raise ParameterError("target_class", expected=f"a label of y "
                             f"{sorted(np.unique(labels).tolist())[:10]}",
                             got=repr(target_class), fix="pass one of the labels")
    if rows.size < 2:
        raise DataError(f"class {target_class!r}", expected="at least 2 rows to interpolate "
                        "between", got=f"{rows.size}",
                        fix="duplicate it with rebalance(), or collect more rows")
    k = min(5, rows.size - 1) if k_neighbors is None else _count("k_neighbors",
                                                                 k_neighbors, 1)
    if k > rows.size - 1:
        raise ParameterError("k_neighbors", expected=f"at most {rows.size - 1} (the other "
                             f"rows of class {target_class!r})", got=repr(k_neighbors),
                             fix="lower k_neighbors or pass k_neighbors=None")
    frame = to_pandas(X, what="X")
    space = FeatureSpace.learn(frame, immutable=(), integer=integer, ranges=ranges,
                               increase_only=(), decrease_only=(), categorical=None)
    Z = space.encode(frame.iloc[rows], what="X")
    # nearest same-class rows by the scaled L1 distance (written out: FeatureSpace.distance
    # takes one query row; one pass per class row is fine for a rare class)
    near = np.empty((rows.size, k), dtype=int)
    for i in range(rows.size):
        d = space.distance(Z[i], Z)
        d[i] = np.inf
        near[i] = np.argsort(d, kind="stable")[:k]
    rng = np.random.default_rng(random_state)
    base = rng.integers(0, rows.size, size=n)
    other = near[base, rng.integers(0, k, size=n)]
    u = rng.random((n, 1))
    a, b = Z[base], Z[other]
    new = np.where(space.numeric, a + u * (b - a), np.where(u < 0.5, a, b))
    new = np.where(space.numeric, np.clip(new, space.lo, space.hi), new)
    whole = np.clip(np.round(new), np.ceil(space.lo), np.floor(space.hi))
    new = np.where(space.numeric & space.integer, whole, new)
    out = space.decode(new)
    y_new = np.full(n, target_class, dtype=labels.dtype)
    if isinstance(X, pd.DataFrame):
        return out, y_new
    return out.to_numpy(dtype=np.asarray(X).dtype), y_new
