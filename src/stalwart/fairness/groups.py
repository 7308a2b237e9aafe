"""Sensitive groups: each sensitive column, and their intersection, as integer codes.

A fairness audit compares groups of one or more sensitive columns. Every column is grouped
with :func:`stalwart.slicing.bin_column` (the same groups :func:`~stalwart.slicing.
metric_frame` uses: values for categorical columns, quantile bins for numeric columns with
more than ``n_bins`` values, ``"(missing)"`` for missing values; categories are never merged
into an "other" group unless ``max_categories`` asks for it). The finest partition, the
*cells*, is the intersection of all columns; every grouping (one column, or all of them)
is a union of cells, so counts made once per cell serve every grouping, and a bootstrap
stratified by cell keeps every group's size fixed.

>>> import pandas as pd
>>> g = sensitive_groups(pd.DataFrame({"sex": list("mmff"), "band": list("abab")}))
>>> [gr.columns for gr in g.groupings]
[('sex',), ('band',), ('sex', 'band')]
>>> g.groupings[2].keys
(('f', 'a'), ('f', 'b'), ('m', 'a'), ('m', 'b'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError
from ..slicing import bin_column
from ..slicing.frame import group_frame

__all__ = ["Grouping", "SensitiveGroups", "sensitive_frame", "sensitive_groups"]


@dataclass(frozen=True)
class Grouping:
    """One way of grouping rows: its columns, one label tuple per group, and which group
    each cell belongs to."""

    columns: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]
    cell_to_group: np.ndarray

    @property
    def name(self) -> str:
        return " & ".join(self.columns)

    def labels(self) -> list[str]:
        return [" & ".join(k) for k in self.keys]


@dataclass(frozen=True)
class SensitiveGroups:
    """Row -> cell codes, and the groupings built from the cells."""

    columns: tuple[str, ...]
    cell: np.ndarray
    n_cells: int
    groupings: tuple[Grouping, ...]
    #: numeric columns cut into quantile bins: name -> the bins' labels
    binned: dict[str, tuple[str, ...]] | None = None

    def grouping(self, columns: Any = None) -> Grouping:
        """The grouping of ``columns`` (a name or a tuple); None: the finest one."""
        if columns is None:
            return self.groupings[-1]
        want = (columns,) if isinstance(columns, str) else tuple(columns)
        for g in self.groupings:
            if g.columns == want:
                return g
        raise ParameterError("grouping", expected=f"one of {[g.columns for g in self.groupings]}",
                             got=repr(columns), fix="name sensitive columns of the audit")

    def row_groups(self, grouping: Grouping) -> np.ndarray:
        """Group index of every row under ``grouping``."""
        return grouping.cell_to_group[self.cell]


def sensitive_frame(sensitive: Any, n_rows: int) -> pd.DataFrame:
    """The sensitive columns as a DataFrame of ``n_rows`` rows, or a clear error."""
    frame = group_frame(sensitive, n_rows, name="sensitive", default="sensitive")
    frame.columns = [str(c) for c in frame.columns]
    if frame.columns.duplicated().any():
        raise DataError("sensitive", expected="distinct column names",
                        got=f"{list(frame.columns)}", fix="rename the repeated columns")
    return frame


def _grouping(cell_codes: np.ndarray, positions: list[int], labels: list[tuple[str, ...]],
              names: tuple[str, ...]) -> Grouping:
    uniq, inverse = np.unique(cell_codes[:, positions], axis=0, return_inverse=True)
    keys = tuple(tuple(labels[p][c] for p, c in zip(positions, row)) for row in uniq)
    return Grouping(tuple(names[p] for p in positions), keys, inverse.ravel())


def sensitive_groups(sensitive: Any, *, n_rows: int | None = None, intersections: bool = True,
                     n_bins: int = 5, max_categories: int | None = None) -> SensitiveGroups:
    """Group the rows by every sensitive column and (``intersections``) by all of them.

    Every category is a group (``max_categories=None``): merging rare ones into "other"
    would hide exactly the groups a fairness audit looks for.

    A column with a single group cannot show a disparity: that is a :class:`DataError`.
    """
    n = len(sensitive) if n_rows is None else n_rows
    frame = sensitive_frame(sensitive, n)
    if n == 0:
        raise DataError("sensitive", expected="at least one row", got="no rows",
                        fix="pass data with rows")
    cap = max(2, n) if max_categories is None else max_categories
    binned = [bin_column(frame[c], n_bins=n_bins, max_categories=cap, name=c)
              for c in frame.columns]
    for b in binned:
        present = np.unique(b.codes)
        if present.size < 2:
            raise DataError(f"sensitive column {b.name!r}", expected="at least two groups to "
                            "compare", got=f"one group only ({b.labels[present[0]]!r})",
                            fix="pass a column whose rows belong to two or more groups, or "
                                "audit on data that covers the other groups")
    codes = np.column_stack([b.codes for b in binned])
    cell_codes, cell = np.unique(codes, axis=0, return_inverse=True)
    names = tuple(b.name for b in binned)
    labels = [b.labels for b in binned]
    groupings = [_grouping(cell_codes, [p], labels, names) for p in range(len(names))]
    if intersections and len(names) > 1:
        groupings.append(_grouping(cell_codes, list(range(len(names))), labels, names))
    cut = {b.name: tuple(b.labels) for b in binned if b.edges}
    return SensitiveGroups(names, cell.ravel(), int(cell_codes.shape[0]), tuple(groupings),
                           cut)
