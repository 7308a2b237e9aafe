"""Category perturbations: values never seen in training, and categories swapped.

:class:`UnseenCategory` replaces a ``share`` of the cells of each categorical column
(0.01, 0.05, 0.1, 0.2, 0.4 for severity 1..5), each cell independently, by one of
``n_values`` new values ``"unseen_0"``, ``"unseen_1"``... chosen uniformly; a name that
clashes with a training category gets underscores appended until it is new, so every
injected value is guaranteed unseen in training. A categorical dtype gains the new
categories.

:class:`SwapCategories` simulates an upstream encoding mix-up: per call and per column it
draws a *derangement* of the training categories (each category maps to another one: a
random permutation shifted by one, so no category maps to itself) and applies it to a
``share`` of rows (0.05, 0.1, 0.25, 0.5, 1 for severity 1..5). Boolean columns take it
too (True and False swap). A value not seen in training, or missing, is left as it is; a
column with a single training category cannot be swapped and says so.

>>> import pandas as pd
>>> X = pd.DataFrame({"colour": ["red", "green", "blue"] * 4})
>>> swap = SwapCategories(share=1.0, random_state=0).fit(X)
>>> out = swap.transform(X)
>>> mapping = swap.notes_[0].detail["mapping"]
>>> all(out["colour"] == X["colour"].map(mapping)), any(k == v for k, v in mapping.items())
(True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ..base import register_perturbation
from .table import TabularPerturbation

__all__ = ["SwapCategories", "UnseenCategory"]


def _like(values: np.ndarray, s: pd.Series, extra: list[Any] = ()) -> pd.Series:
    """Object values back in the column's dtype where it can hold them."""
    out = pd.Series(values, index=s.index, name=s.name, dtype=object)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return out.astype(pd.CategoricalDtype(list(s.cat.categories) + list(extra),
                                              ordered=s.cat.ordered))
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        return out.astype(s.dtype)
    if pd.api.types.is_bool_dtype(s.dtype) and out.notna().all():
        return out.astype(s.dtype)
    return out


class _CategoryPerturbation(TabularPerturbation):
    def _learn(self, frame: pd.DataFrame) -> None:
        self._level("share", self.share, self.LEVELS)
        self.categories_ = {c: pd.unique(frame[c].dropna().to_numpy(dtype=object))
                            for c in self.targets_}


@register_perturbation
class UnseenCategory(_CategoryPerturbation):
    """Replace a share of cells by new category values unseen in training."""

    name, title = "unseen_category", "an unseen category"
    accepts = frozenset({"categorical"})
    LEVELS = (0.01, 0.05, 0.1, 0.2, 0.4)

    def __init__(self, *, share: float | None = None, n_values: int = 3, columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.share, self.n_values, self.columns = share, n_values, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        if isinstance(self.n_values, bool) or not isinstance(self.n_values, (int, np.integer)) \
                or self.n_values < 1:
            raise ParameterError("n_values", expected="a positive integer",
                                 got=repr(self.n_values), fix="pass n_values=3")
        super()._learn(frame)
        self.new_values_ = {}
        for c in self.targets_:
            seen = {str(v) for v in self.categories_[c]}
            names = []
            for k in range(int(self.n_values)):
                name = f"unseen_{k}"
                while name in seen:
                    name += "_"
                names.append(name)
            self.new_values_[c] = names

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        share = self._level("share", self.share, self.LEVELS)
        mask = rng.random(len(s)) < share
        pick = rng.integers(0, len(self.new_values_[col]), len(s))
        values = s.to_numpy(dtype=object, copy=True)
        new = np.asarray(self.new_values_[col], dtype=object)
        values[mask] = new[pick[mask]]
        return (_like(values, s, self.new_values_[col]), mask,
                {"share_changed": float(mask.mean()), "values": self.new_values_[col]})


@register_perturbation
class SwapCategories(_CategoryPerturbation):
    """Relabel a share of rows with a derangement of the training categories."""

    name, title = "swap_categories", "a category swap"
    accepts = frozenset({"categorical", "boolean"})
    LEVELS = (0.05, 0.1, 0.25, 0.5, 1.0)

    def __init__(self, *, share: float | None = None, columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.share, self.columns = share, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        share = self._level("share", self.share, self.LEVELS)
        rows = rng.random(len(s)) < share
        cats = self.categories_[col]
        if len(cats) < 2:
            return f"{len(cats)} category in training: nothing to swap with"
        order = cats[rng.permutation(len(cats))]
        target = np.roll(order, -1)  # order[i] -> order[i + 1]: no fixed point
        codes = pd.Categorical(s.to_numpy(dtype=object), categories=order).codes
        known = codes >= 0
        changed = rows & known
        values = s.to_numpy(dtype=object, copy=True)
        values[changed] = target[codes[changed]]
        mapping = dict(zip(order.tolist(), target.tolist()))
        return (_like(values, s), changed,
                {"mapping": mapping, "share_changed": float(changed.mean())})
