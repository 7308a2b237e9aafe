"""Type corruption: a scalar arrives as a list or as a string.

Upstream code changes break types before they break values: a number serialised as
``"42.0"``, a field wrapped in a one-element list ``[42.0]``. :class:`TypeCorruption`
does that to a ``share`` of the cells of each numeric, boolean or categorical column
(0.01, 0.05, 0.1, 0.2, 0.4 for severity 1..5), each cell independently. ``mode``:
``"string"`` (``str(value)``), ``"list"`` (``[value]``) or ``"mixed"`` (either, with
probability one half; the default). A string is already a string: in ``"string"`` and
``"mixed"`` modes a string cell becomes a list instead (the note counts both).

The column becomes object dtype (for a numpy input, the whole array does): that is the
corruption's point, so it breaks the column's type whatever ``respect_constraints`` says.
The wrapped value is the original one, so ranges and integer constraints still hold
inside it; immutable columns are left untouched unless ``respect_constraints=False``.

>>> import pandas as pd
>>> X = pd.DataFrame({"x": [1.5, 2.5, 3.5, 4.5]})
>>> TypeCorruption(share=1.0, mode="list").fit(X).transform(X)["x"].tolist()
[[1.5], [2.5], [3.5], [4.5]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ..base import register_perturbation
from .table import TabularPerturbation

__all__ = ["TypeCorruption"]

_MODES = ("mixed", "list", "string")


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones, so ``str`` reads like what a JSON feed would send."""
    return value.item() if isinstance(value, np.generic) else value


@register_perturbation
class TypeCorruption(TabularPerturbation):
    """Turn a share of scalar cells into one-element lists or strings."""

    name, title = "type_corruption", "type corruption"
    accepts = frozenset({"numeric", "boolean", "categorical"})
    LEVELS = (0.01, 0.05, 0.1, 0.2, 0.4)

    def __init__(self, *, share: float | None = None, mode: str = "mixed", columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.share, self.mode, self.columns = share, mode, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        if self.mode not in _MODES:
            raise ParameterError("mode", expected=f"one of {list(_MODES)}", got=repr(self.mode),
                                 fix="pass mode='list' or mode='string'")
        self._level("share", self.share, self.LEVELS)

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        share = self._level("share", self.share, self.LEVELS)
        mask = rng.random(len(s)) < share
        as_list = {"list": np.ones(len(s), bool), "string": np.zeros(len(s), bool),
                   "mixed": rng.random(len(s)) < 0.5}[self.mode]
        values = s.to_numpy(dtype=object, copy=True)
        n_list = n_str = 0
        for i in np.flatnonzero(mask):
            v = _plain(values[i])
            if as_list[i] or isinstance(v, str):
                values[i], n_list = [v], n_list + 1
            else:
                values[i], n_str = str(v), n_str + 1
        out = pd.Series(values, index=s.index, name=s.name, dtype=object)
        return out, mask, {"mode": self.mode, "share_changed": float(mask.mean()),
                           "lists": n_list, "strings": n_str}
