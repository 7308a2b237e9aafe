"""The feature space a counterfactual search moves in: kinds, scales, ranges and constraints.

:class:`FeatureSpace` is learned from the training table. It encodes rows as a float matrix
(numeric features as they are, categorical features as the index of a category seen in
training), decodes candidate matrices back into frames with the training dtypes, and
*projects* candidates onto the feasible set of one query row:

- ``immutable`` features keep the query's value;
- ``increase_only`` / ``decrease_only`` features move one way only;
- a changed numeric value stays in ``ranges[col]`` (default: the training minimum and
  maximum); a feature left unchanged keeps its value even when the query lies outside;
- ``integer`` features (default: numeric columns whose training values are all whole
  numbers, whatever their dtype) take whole values, rounded away from the query's value so that a shrunk change
  never rounds back past the decision boundary;
- categorical features only take categories seen in training.

The distance is the scaled L1 of Wachter et al. (2018) and DiCE's default
(Mothilal et al., 2020): the sum over numeric features of ``|change| / MAD`` (the median
absolute deviation in training; the standard deviation, then 1, when it is zero) plus one
per changed categorical feature. Sparsity is the number of changed features.

>>> import pandas as pd
>>> X = pd.DataFrame({"age": [20, 30, 40, 50], "income": [1.0, 2.5, 3.0, 5.0],
...                   "city": ["a", "b", "a", "c"]})
>>> space = FeatureSpace.learn(X, immutable=["age"], integer=None, ranges={},
...                            increase_only=[], decrease_only=[], categorical=None)
>>> space.integer.tolist(), space.scale.round(2).tolist()
([True, False, False], [10.0, 1.0, 1.0])
>>> x = space.encode(X.iloc[[0]])[0]
>>> z = space.project(x, space.encode(X.iloc[[3]]))
>>> space.decode(z).to_dict("records"), space.distance(x, z).tolist()
([{'age': 20, 'income': 5.0, 'city': 'c'}], [5.0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError

__all__ = ["FeatureSpace"]

_TOL = 1e-9


def _names(option: str, value: Any, columns: Sequence[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise ParameterError(option, expected="a list of column names", got=repr(value),
                             fix=f"pass {option}=[{columns[0]!r}, ...]")
    unknown = [v for v in value if v not in columns]
    if unknown:
        raise ParameterError(option, expected=f"columns of the training data {list(columns)}",
                             got=f"unknown columns {unknown}", fix="fix the column names")
    return list(value)


def _mad_scale(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 1.0
    mad = float(np.median(np.abs(values - np.median(values))))
    if mad > 0:
        return mad
    std = float(values.std())
    return std if std > 0 else 1.0


@dataclass(frozen=True)
class FeatureSpace:
    """Per-feature kinds, scales, ranges and constraints, learned from the training rows."""

    columns: tuple[str, ...]
    numeric: np.ndarray          # bool per feature
    categories: tuple[np.ndarray | None, ...]
    scale: np.ndarray            # MAD (numeric) or 1 (categorical)
    lo: np.ndarray
    hi: np.ndarray
    integer: np.ndarray          # bool
    mutable: np.ndarray          # bool
    direction: np.ndarray        # +1 increase only, -1 decrease only, 0 free
    dtypes: tuple[Any, ...]
    grid: tuple[np.ndarray, ...]  # values tried one feature at a time: deciles or categories
    given_ranges: tuple[str, ...] = ()

    # -- learning ------------------------------------------------------------------------
    @classmethod
    def learn(cls, X: pd.DataFrame, *, immutable: Any, integer: Any,
              ranges: Mapping[str, Any] | None, increase_only: Any, decrease_only: Any,
              categorical: Any) -> FeatureSpace:
        columns = [str(c) for c in X.columns]
        if len(set(columns)) != len(columns):
            raise DataError("training data", expected="unique column names",
                            got=f"duplicates among {columns}", fix="rename the columns")
        frozen = set(_names("immutable", immutable, columns))
        up = set(_names("increase_only", increase_only, columns))
        down = set(_names("decrease_only", decrease_only, columns))
        forced_cat = set(_names("categorical", categorical, columns))
        if up & down:
            raise ParameterError("increase_only/decrease_only", expected="disjoint lists",
                                 got=f"both name {sorted(up & down)}",
                                 fix="name each feature in one list, or in immutable")
        numeric = np.array([c not in forced_cat and pd.api.types.is_numeric_dtype(X[c])
                            and not pd.api.types.is_bool_dtype(X[c]) for c in columns])
        for option, names in (("increase_only", up), ("decrease_only", down)):
            bad = [c for c in names if not numeric[columns.index(c)]]
            if bad:
                raise ParameterError(option, expected="numeric features",
                                     got=f"categorical features {bad}",
                                     fix="list categorical features in immutable instead")
        cats, scale, lo, hi, whole, grid = [], [], [], [], [], []
        for j, c in enumerate(columns):
            if numeric[j]:
                v = X[c].to_numpy(dtype=float)
                finite = v[np.isfinite(v)]
                if finite.size == 0:
                    raise DataError(f"training column {c!r}", expected="some finite values",
                                    got="none", fix="drop the column or fill it")
                cats.append(None)
                scale.append(_mad_scale(finite))
                lo.append(float(finite.min()))
                hi.append(float(finite.max()))
                whole.append(bool(np.all(finite == np.round(finite))))
                grid.append(np.unique(np.quantile(finite, np.linspace(0.0, 1.0, 11))))
            else:
                seen = pd.unique(X[c].dropna())
                cats.append(np.asarray(seen, dtype=object))
                scale.append(1.0)
                lo.append(0.0)
                hi.append(float(len(seen) - 1))
                whole.append(False)
                grid.append(np.arange(len(seen), dtype=float))
        lo_a, hi_a = np.array(lo), np.array(hi)
        given = dict(ranges or {})
        for c, bounds in given.items():
            if c not in columns:
                raise ParameterError("ranges", expected=f"columns of the training data "
                                     f"{columns}", got=f"unknown column {c!r}",
                                     fix="fix the column name")
            j = columns.index(c)
            if not numeric[j]:
                raise ParameterError(f"ranges[{c!r}]", expected="a numeric feature",
                                     got="a categorical feature",
                                     fix="categories are limited to those seen in training")
            try:
                low, high = (float(b) for b in bounds)
            except (TypeError, ValueError):
                raise ParameterError(f"ranges[{c!r}]", expected="a pair (low, high)",
                                     got=repr(bounds), fix="pass ranges={col: (0, 10)}") from None
            if not low <= high:
                raise ParameterError(f"ranges[{c!r}]", expected="low <= high",
                                     got=repr(bounds), fix="swap or fix the bounds")
            lo_a[j], hi_a[j] = low, high
        if integer is None:
            is_int = np.array(whole)
        else:
            named = set(_names("integer", integer, columns))
            bad = [c for c in named if not numeric[columns.index(c)]]
            if bad:
                raise ParameterError("integer", expected="numeric features",
                                     got=f"categorical features {bad}",
                                     fix="remove them from integer")
            is_int = np.array([c in named for c in columns])
        return cls(columns=tuple(columns), numeric=numeric, categories=tuple(cats),
                   scale=np.array(scale), lo=lo_a, hi=hi_a, integer=is_int,
                   mutable=np.array([c not in frozen for c in columns]),
                   direction=np.array([1 if c in up else -1 if c in down else 0
                                       for c in columns]),
                   dtypes=tuple(X[c].dtype for c in columns), grid=tuple(grid),
                   given_ranges=tuple(given))

    def relaxed(self, family: str, train_lo: np.ndarray, train_hi: np.ndarray) -> FeatureSpace:
        """The same space with one family of constraints lifted (to diagnose infeasibility)."""
        if family == "immutable":
            return replace(self, mutable=np.ones_like(self.mutable))
        if family == "direction":
            return replace(self, direction=np.zeros_like(self.direction))
        if family == "integer":
            return replace(self, integer=np.zeros_like(self.integer))
        span = np.where(self.numeric, train_hi - train_lo, 0.0)
        return replace(self, lo=np.minimum(self.lo, train_lo - span),
                       hi=np.maximum(self.hi, train_hi + span))

    # -- rows <-> matrices ---------------------------------------------------------------
    def encode(self, frame: pd.DataFrame, *, what: str = "rows") -> np.ndarray:
        missing = [c for c in self.columns if c not in frame.columns]
        if missing:
            raise DataError(what, expected=f"the training columns {list(self.columns)}",
                            got=f"missing {missing}", fix="pass rows with every feature")
        out = np.empty((len(frame), len(self.columns)))
        for j, c in enumerate(self.columns):
            col = frame[c]
            if self.numeric[j]:
                try:
                    out[:, j] = col.to_numpy(dtype=float)
                except (TypeError, ValueError):
                    raise DataError(f"{what} column {c!r}", expected="numbers",
                                    got=f"values such as {col.iloc[0]!r}",
                                    fix="pass the same kind of values as in training") from None
            else:
                cats = self.categories[j]
                lookup = {v: i for i, v in enumerate(cats)}
                codes = [lookup.get(v, -1) for v in col.tolist()]
                if -1 in codes:
                    bad = col.iloc[codes.index(-1)]
                    raise DataError(f"{what} column {c!r}", expected="a category seen in "
                                    f"training ({len(cats)} seen)", got=repr(bad),
                                    fix="pass rows whose categories appear in the training data")
                out[:, j] = codes
        if not np.isfinite(out).all():
            raise DataError(what, expected="values without NaN or infinity",
                            got="missing or infinite values",
                            fix="impute the query rows first")
        return out

    def decode(self, Z: np.ndarray) -> pd.DataFrame:
        if self.numeric.all() and all(np.dtype(t) == np.float64 for t in self.dtypes):
            return pd.DataFrame(Z, columns=list(self.columns))  # one block: fast
        data = {}
        for j, c in enumerate(self.columns):
            if self.numeric[j]:
                col = Z[:, j]
                dtype = self.dtypes[j]
                data[c] = (np.round(col).astype(dtype) if np.dtype(dtype).kind in "iu"
                           else col.astype(dtype, copy=False))
            else:
                values = self.categories[j][Z[:, j].astype(int)]
                data[c] = pd.Series(values, dtype=self.dtypes[j]) \
                    if isinstance(self.dtypes[j], pd.CategoricalDtype) else values
        return pd.DataFrame(data)

    # -- constraints and distance --------------------------------------------------------
    def project(self, x: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``Z`` moved onto the feasible set around the query ``x`` (one row for all of
        ``Z``, or one query row per row of ``Z``); a new array."""
        Z = np.asarray(Z, dtype=float)
        X = np.broadcast_to(np.asarray(x, dtype=float), Z.shape)
        delta = np.where(self.mutable, Z - X, 0.0)
        d = self.direction
        delta = np.where((d > 0) & (delta < 0) | (d < 0) & (delta > 0), 0.0, delta)
        moved = np.abs(delta) > _TOL * self.scale
        target = np.where(moved, np.clip(X + delta, self.lo, self.hi), X)
        if self.integer.any():  # whole values, rounded away from the query's value
            whole = np.where(delta >= 0, np.ceil(target - _TOL), np.floor(target + _TOL))
            whole = np.clip(whole, np.ceil(self.lo - _TOL), np.floor(self.hi + _TOL))
            target = np.where(self.integer & moved, whole, target)
        return np.where(self.numeric, target, np.round(target))

    def changed(self, x: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """Boolean matrix: which features of each candidate differ from ``x``."""
        return np.abs(Z - x) > _TOL * self.scale

    def contributions(self, x: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """Per-feature terms of the distance: ``|change| / MAD`` or 1 per category change."""
        return np.where(self.numeric, np.abs(Z - x) / self.scale,
                        self.changed(x, Z).astype(float))

    def distance(self, x: np.ndarray, Z: np.ndarray) -> np.ndarray:
        return self.contributions(x, Z).sum(axis=1)
