"""Class balance of a label column, and its shift against reference labels.

>>> import pandas as pd
>>> r = class_balance(pd.Series(["a"] * 90 + ["b"] * 8 + ["c"] * 2), min_class_rows=5)
>>> r.imbalance_ratio, r.minority_share, r.rare_classes
(45.0, 0.02, ('c',))
>>> s = class_balance(pd.Series(["a"] * 50 + ["b"] * 50),
...                   reference=pd.Series(["a"] * 80 + ["b"] * 20))
>>> s.max_share_shift, s.total_variation
(0.3, 0.3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ClassBalanceResult", "class_balance"]


@dataclass(frozen=True)
class ClassBalanceResult:
    """Classes ordered by count (largest first); ``reference_*`` are aligned with ``classes``.

    Classes seen only in the reference come last, with a count of 0.
    """

    n_rows: int  # rows with a label
    n_missing: int
    classes: tuple[Any, ...]
    counts: tuple[int, ...]
    min_class_rows: int
    reference_counts: tuple[int, ...] | None = None

    @property
    def shares(self) -> tuple[float, ...]:
        return tuple(c / self.n_rows if self.n_rows else 0.0 for c in self.counts)

    @property
    def present(self) -> tuple[int, ...]:
        return tuple(c for c in self.counts if c > 0)

    @property
    def imbalance_ratio(self) -> float | None:
        """Majority count over minority count, among classes present in the data."""
        present = self.present
        return max(present) / min(present) if present else None

    @property
    def minority_share(self) -> float | None:
        present = self.present
        return min(present) / self.n_rows if present else None

    @property
    def rare_classes(self) -> tuple[Any, ...]:
        return tuple(k for k, c in zip(self.classes, self.counts) if 0 < c < self.min_class_rows)

    @property
    def reference_shares(self) -> tuple[float, ...] | None:
        if self.reference_counts is None:
            return None
        total = sum(self.reference_counts)
        return tuple(c / total if total else 0.0 for c in self.reference_counts)

    @property
    def max_share_shift(self) -> float | None:
        ref = self.reference_shares
        if ref is None:
            return None
        return round(max(abs(a - b) for a, b in zip(self.shares, ref)), 12)

    @property
    def total_variation(self) -> float | None:
        """Half the L1 distance between the class shares: the share of mass that moved."""
        ref = self.reference_shares
        if ref is None:
            return None
        return round(0.5 * sum(abs(a - b) for a, b in zip(self.shares, ref)), 12)

    def to_dict(self) -> dict[str, Any]:
        return {"n_rows": self.n_rows, "n_missing": self.n_missing,
                "classes": list(self.classes), "counts": list(self.counts),
                "shares": list(self.shares), "imbalance_ratio": self.imbalance_ratio,
                "minority_share": self.minority_share, "min_class_rows": self.min_class_rows,
                "rare_classes": list(self.rare_classes),
                "reference_counts": None if self.reference_counts is None
                else list(self.reference_counts),
                "reference_shares": None if self.reference_shares is None
                else list(self.reference_shares),
                "max_share_shift": self.max_share_shift,
                "total_variation": self.total_variation}


def class_balance(labels: pd.Series, *, reference: pd.Series | None = None,
                  min_class_rows: int = 10) -> ClassBalanceResult:
    """Count the classes of ``labels`` (and of ``reference`` labels when given)."""
    counts = _counts(labels)
    n_missing = int(labels.isna().sum())
    ref_counts = None
    if reference is not None:
        ref = _counts(reference)
        only_ref = ref.index.difference(counts.index, sort=False)
        counts = pd.concat([counts, pd.Series(0, index=only_ref, dtype=np.int64)])
        ref_counts = tuple(int(ref.get(k, 0)) for k in counts.index)
    return ClassBalanceResult(
        n_rows=int(counts.sum()), n_missing=n_missing,
        classes=tuple(_plain(k) for k in counts.index), counts=tuple(int(c) for c in counts),
        min_class_rows=min_class_rows, reference_counts=ref_counts)


def _counts(labels: pd.Series) -> pd.Series:
    try:
        counts = labels.value_counts(dropna=True, sort=False)
    except TypeError:  # unhashable labels: count their text
        counts = labels.dropna().map(repr).value_counts(sort=False)
    # largest first, ties in a stable order of the labels' text so results are reproducible
    frame = pd.DataFrame({"n": counts.to_numpy(), "key": counts.index.astype(str)},
                         index=counts.index)
    frame = frame.sort_values(["n", "key"], ascending=[False, True], kind="stable")
    return frame["n"].astype(np.int64)


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
