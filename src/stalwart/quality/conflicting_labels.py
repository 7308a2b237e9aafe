"""Conflicting labels: rows with identical features but different labels.

Rows are grouped by a 64-bit hash of their feature values (see :mod:`.rowhash`); a group
*conflicts* when its labelled rows carry more than one distinct label. Rows without a
label take no part. Works for class labels and for numbers (any difference counts).

>>> import pandas as pd
>>> df = pd.DataFrame({"a": [1, 1, 1, 2, 2], "b": ["x", "x", "x", "y", "y"],
...                    "y": [0, 1, 1, 0, 0]})
>>> r = conflicting_labels(df, features=["a", "b"], target="y")
>>> r.n_conflicting_rows, r.groups[0].label_counts
(3, ((1, 2), (0, 1)))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .rowhash import row_hashes

__all__ = ["ConflictGroup", "ConflictingLabelsResult", "conflicting_labels"]


@dataclass(frozen=True)
class ConflictGroup:
    """One set of identical feature rows: its size, row index labels and label counts."""

    size: int
    rows: tuple[Any, ...]
    label_counts: tuple[tuple[Any, int], ...]  # most frequent label first
    example: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"size": self.size, "rows": list(self.rows),
                "label_counts": [list(p) for p in self.label_counts], "example": self.example}


@dataclass(frozen=True)
class ConflictingLabelsResult:
    n_rows: int  # labelled rows examined
    n_conflicting_rows: int
    n_conflicting_groups: int
    groups: tuple[ConflictGroup, ...]  # the largest groups first

    @property
    def conflicting_share(self) -> float:
        return self.n_conflicting_rows / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"n_rows": self.n_rows, "n_conflicting_rows": self.n_conflicting_rows,
                "conflicting_share": self.conflicting_share,
                "n_conflicting_groups": self.n_conflicting_groups,
                "groups": [g.to_dict() for g in self.groups]}


def conflicting_labels(frame: pd.DataFrame, *, features: Sequence[str], target: str,
                       hashes: np.ndarray | None = None, top_groups: int = 20,
                       max_rows_per_group: int = 10) -> ConflictingLabelsResult:
    """Find groups of identical feature rows with different labels.

    ``hashes`` (one per row of ``frame`` over ``features``) may be passed when already
    computed.
    """
    if hashes is None:
        hashes = row_hashes(frame, list(features))
    y = frame[target]
    labelled = np.flatnonzero(y.notna().to_numpy())
    n = len(labelled)
    try:
        label_codes, label_values = pd.factorize(y.iloc[labelled])
    except TypeError:  # unhashable labels: compare their text
        label_codes, label_values = pd.factorize(y.iloc[labelled].map(repr))
    groups, uniques = pd.factorize(hashes[labelled])
    n_labels = max(len(label_values), 1)
    n_groups = len(uniques)
    sizes = np.bincount(groups, minlength=n_groups)
    inside = np.flatnonzero(sizes[groups] > 1)  # only groups of 2+ rows can conflict
    pairs = pd.unique(groups[inside].astype(np.int64) * n_labels + label_codes[inside])
    distinct = np.bincount(pairs // n_labels, minlength=n_groups)
    conflicting = np.flatnonzero(distinct > 1)
    n_rows_conflicting = int(sizes[conflicting].sum())
    top = conflicting[np.argsort(-sizes[conflicting], kind="stable")][:top_groups]
    members = np.flatnonzero(np.isin(groups, top))
    shown = []
    for g in top:
        pos = members[groups[members] == g]
        codes = label_codes[pos]
        counts = np.bincount(codes, minlength=len(label_values))
        order = np.argsort(-counts, kind="stable")
        label_counts = tuple((_plain(label_values[k]), int(counts[k])) for k in order
                             if counts[k] > 0)
        rows = labelled[pos]
        example = {c: _plain(frame[c].iloc[rows[0]]) for c in features}
        shown.append(ConflictGroup(int(sizes[g]), tuple(frame.index[rows[:max_rows_per_group]]
                                                        .tolist()), label_counts, example))
    return ConflictingLabelsResult(n, n_rows_conflicting, len(conflicting), tuple(shown))


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
