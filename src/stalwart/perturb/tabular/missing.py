"""Missing data: cells missing at random, and whole features dropped.

:class:`MissingValues` sets each cell of the selected columns missing independently with
probability ``share`` (missing completely at random): 0.01, 0.05, 0.1, 0.2, 0.4 for
severity 1..5. Any column kind takes it; the missing marker is the column's own (NaN, NaT,
or None in an object column), so a numpy integer column becomes float, as pandas does (a
nullable ``Int64`` column stays ``Int64``).

:class:`FeatureDropout` loses whole features, as when an upstream source goes down: a
``share`` of the selected columns (0.1, 0.2, 0.3, 0.4, 0.5 for severity 1..5; at least
one column), drawn at random per call among the mutable ones, is replaced entirely by
``fill``: ``"missing"`` (every cell missing, the default) or ``"mean"`` (the training mean
of a numeric column, rounded on an integer column; the most frequent training value of any
other column, the imputation a serving system typically falls back to). The columns not
drawn say so in their notes.

>>> import pandas as pd
>>> X = pd.DataFrame({"a": np.arange(1000.0), "b": ["x", "y"] * 500})
>>> miss = MissingValues(share=0.1, random_state=0).fit(X)
>>> out = miss.transform(X)
>>> float(out["a"].isna().mean()), float(out["b"].isna().mean())
(0.089, 0.121)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ..base import register_perturbation
from .table import TabularPerturbation

__all__ = ["FeatureDropout", "MissingValues"]

_ANY = frozenset({"numeric", "categorical", "boolean", "datetime", "text", "other"})


def _set_missing(s: pd.Series, mask: np.ndarray) -> pd.Series:
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        base = s.astype(float) if pd.api.types.is_integer_dtype(s.dtype) else s.astype(object)
    else:
        base = s
    return base.mask(pd.Series(mask, index=s.index))


@register_perturbation
class MissingValues(TabularPerturbation):
    """Set a share of cells missing, independently per cell."""

    name, title = "missing_values", "missing-value injection"
    accepts = _ANY
    LEVELS = (0.01, 0.05, 0.1, 0.2, 0.4)

    def __init__(self, *, share: float | None = None, columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.share, self.columns = share, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        self._level("share", self.share, self.LEVELS)

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        share = self._level("share", self.share, self.LEVELS)
        mask = rng.random(len(s)) < share
        return (_set_missing(s, mask), mask,
                {"share": share, "share_changed": float(mask.mean()),
                 "missing_after": float((s.isna().to_numpy() | mask).mean())})


@register_perturbation
class FeatureDropout(TabularPerturbation):
    """Replace a share of whole columns by missing values or their training mean/mode."""

    name, title = "feature_dropout", "feature dropout"
    accepts = _ANY
    LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5)

    def __init__(self, *, share: float | None = None, fill: str = "missing",
                 columns: Any = None, constraints: Any = None, respect_constraints: bool = True,
                 severity: int = 1, random_state: Any = None) -> None:
        self.share, self.fill, self.columns = share, fill, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        if self.fill not in ("missing", "mean"):
            raise ParameterError("fill", expected="'missing' or 'mean'", got=repr(self.fill),
                                 fix="pass fill='mean' to impute the training mean or mode")
        self._level("share", self.share, self.LEVELS)
        self.fill_value_ = {}
        for c in self.targets_:
            s = frame[c]
            if self.kinds_[c] == "numeric":
                self.fill_value_[c] = float(np.nanmean(self._numeric(s))) \
                    if s.notna().any() else np.nan
            else:
                counts = s.value_counts(dropna=True)
                self.fill_value_[c] = counts.index[0] if len(counts) else None

    def _begin(self, frame: pd.DataFrame, rng: np.random.Generator) -> None:
        eligible = [c for c in self.targets_ if not self._why_not(c)]
        share = self._level("share", self.share, self.LEVELS)
        k = min(len(eligible), max(1, int(round(share * len(eligible)))))
        picks = rng.choice(len(eligible), size=k, replace=False) if eligible else []
        self._dropped = {eligible[i] for i in picks}
        self._drop_detail = f"{k} of {len(eligible)} eligible columns dropped (share {share:g})"

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        if col not in self._dropped:
            return f"not drawn: {self._drop_detail}"
        everything = np.ones(len(s), dtype=bool)
        if self.fill == "missing":
            return (_set_missing(s, everything), everything,
                    {"fill": "missing", "dropped": self._drop_detail})
        value = self.fill_value_[col]
        if self.kinds_[col] == "numeric":
            dtype = s.dtype if pd.api.types.is_float_dtype(s.dtype) else float
            new = pd.Series(value, index=s.index, name=s.name, dtype=dtype)
        else:
            new = pd.Series([value] * len(s), index=s.index, name=s.name, dtype=object)
            if s.dtype != object and not (value is None and pd.api.types.is_bool_dtype(s.dtype)):
                new = new.astype(s.dtype)  # categorical, string, bool, datetime keep their dtype
        return new, everything, {"fill": "mean" if self.kinds_[col] == "numeric" else "mode",
                                 "value": value, "dropped": self._drop_detail}
