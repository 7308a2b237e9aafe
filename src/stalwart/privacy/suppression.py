"""Suppression to reach k-anonymity: the rows of classes smaller than ``k`` are dropped or
have their quasi-identifiers replaced by ``"*"``, and the rows lost are reported.

* ``how="drop"``: rows of classes below ``k`` are removed. The rest is k-anonymous, and the
  fewest rows are lost among suppressions that keep whole classes.
* ``how="mask"``: the quasi-identifier cells of those rows become ``"*"``; the masked rows
  form one class of their own. When that class is itself smaller than ``k``, the next
  smallest classes are masked too, until it reaches ``k`` (the greedy choice: the fewest
  extra rows at each step). When even the whole table is smaller than ``k`` no suppression
  reaches it: the result says so in ``warning``, it does not pretend.

Optimal suppression with generalisation is NP-hard (Meyerson & Williams 2004); this is the
plain, predictable rule, applied after any generalisation of :mod:`.anonymise`.

>>> import pandas as pd
>>> t = pd.DataFrame({"zip": ["750"] * 5 + ["691", "692"], "age": [30] * 5 + [41, 52]})
>>> r = suppress_to_k(t, ["zip", "age"], k=2)
>>> r.rows_suppressed, r.k_before, r.k_after, r.frame["zip"].tolist()[-2:]
(2, 1, 2, ['*', '*'])
>>> suppress_to_k(t, ["zip", "age"], k=2, how="drop").frame.shape
(5, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..exceptions import ParameterError
from .kanonymity import _target, equivalence_classes

__all__ = ["SuppressionResult", "suppress_to_k"]


@dataclass(frozen=True)
class SuppressionResult:
    """The suppressed table and what it cost."""

    frame: pd.DataFrame
    quasi_identifiers: tuple[str, ...]
    k: int
    how: str
    k_before: int | None
    k_after: int | None
    rows_suppressed: int
    n_rows: int
    classes_suppressed: int
    warning: str | None = None

    @property
    def share_suppressed(self) -> float:
        return self.rows_suppressed / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Everything but the table itself."""
        return jsonable({"schema_version": "1.0", "quasi_identifiers": list(self.quasi_identifiers),
                         "k": self.k, "how": self.how, "k_before": self.k_before,
                         "k_after": self.k_after, "rows_suppressed": self.rows_suppressed,
                         "share_suppressed": self.share_suppressed, "n_rows": self.n_rows,
                         "classes_suppressed": self.classes_suppressed,
                         "warning": self.warning})


def suppress_to_k(frame: pd.DataFrame, quasi_identifiers: Sequence[str], *, k: int = 5,
                  how: str = "mask", fill: Any = "*") -> SuppressionResult:
    """Suppress the rows of classes smaller than ``k`` (see the module docstring)."""
    target = _target(k)
    if how not in ("mask", "drop"):
        raise ParameterError("how", expected="'mask' or 'drop'", got=repr(how),
                             fix="mask keeps the rows with '*' quasi-identifiers; drop removes "
                             "them")
    qi = tuple([quasi_identifiers] if isinstance(quasi_identifiers, str) else quasi_identifiers)
    codes = equivalence_classes(frame, qi)
    sizes = np.bincount(codes) if codes.size else np.zeros(0, dtype=np.int64)
    k_before = int(sizes.min()) if sizes.size else None
    chosen = sizes < target
    warning = None
    if how == "mask" and chosen.any():
        masked = int(sizes[chosen].sum())
        order = np.argsort(sizes, kind="stable")
        i = 0
        while masked < target and i < sizes.size:  # grow the masked class up to k
            c = order[i]
            if not chosen[c]:
                chosen[c] = True
                masked += int(sizes[c])
            i += 1
        if masked < target:
            warning = (f"the whole table has {len(frame)} rows, fewer than k={target}: no "
                       "suppression makes it k-anonymous")
    rows = chosen[codes] if codes.size else np.zeros(0, dtype=bool)
    if how == "drop":
        out = frame.loc[~rows].copy()
    else:
        out = frame.copy()
        for q in qi:
            if rows.any():
                out[q] = out[q].astype(object)
                out.loc[rows, q] = fill
    after = equivalence_classes(out, qi)
    after_sizes = np.bincount(after) if after.size else np.zeros(0, dtype=np.int64)
    k_after = int(after_sizes.min()) if after_sizes.size else None
    if how == "drop" and len(out) == 0 and len(frame):
        warning = f"every class is smaller than k={target}: dropping them leaves no rows"
    return SuppressionResult(out, qi, target, how, k_before, k_after, int(rows.sum()),
                             len(frame), int(chosen.sum()), warning)
