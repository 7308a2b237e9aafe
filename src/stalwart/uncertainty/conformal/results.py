"""Coverage reports: empirical coverage and set size / interval width, overall and per slice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..._json import jsonable
from ...exceptions import DataError
from .quantile import check_alpha

__all__ = ["ConformalResult", "SliceCoverage", "evaluate_intervals", "evaluate_sets",
           "set_labels", "set_sizes"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class SliceCoverage:
    """Coverage of one slice: its size, empirical coverage and mean set size or width."""

    name: str
    n: int
    coverage: float
    mean_size: float

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"name": self.name, "n": self.n, "coverage": self.coverage,
                         "mean_size": self.mean_size})


@dataclass(frozen=True)
class ConformalResult:
    """What a conformal predictor delivered on labelled data.

    ``kind`` is "sets" (``mean_size`` is the mean number of labels) or "intervals"
    (``mean_size`` is the mean width). ``slices`` holds one entry per group value when a
    group array was given, sorted by name. ``size_counts`` (sets only) counts rows per set
    size, the data for a bar chart.
    """

    kind: str
    alpha: float
    n: int
    coverage: float
    mean_size: float
    slices: tuple[SliceCoverage, ...] = ()
    size_counts: dict[int, int] = field(default_factory=dict)
    method: str = ""

    @property
    def target_coverage(self) -> float:
        return 1.0 - self.alpha

    def slice(self, name: object) -> SliceCoverage:
        for s in self.slices:
            if s.name == str(name):
                return s
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": SCHEMA_VERSION, "kind": self.kind, "method": self.method,
            "alpha": self.alpha, "target_coverage": self.target_coverage, "n": self.n,
            "coverage": self.coverage, "mean_size": self.mean_size,
            "slices": [s.to_dict() for s in self.slices],
            "size_counts": {str(k): v for k, v in sorted(self.size_counts.items())},
        })


def set_sizes(sets: np.ndarray) -> np.ndarray:
    """Number of labels in each prediction set.

    >>> set_sizes(np.array([[True, False, True], [False, False, False]])).tolist()
    [2, 0]
    """
    return np.asarray(sets, dtype=bool).sum(axis=1)


def set_labels(sets: np.ndarray, classes: np.ndarray) -> list[list[Any]]:
    """Each prediction set as the list of its labels.

    >>> set_labels(np.array([[True, False, True], [False, True, False]]), np.array(["a", "b", "c"]))
    [['a', 'c'], ['b']]
    """
    classes = np.asarray(classes)
    return [[c.item() if hasattr(c, "item") else c for c in classes[row]]
            for row in np.asarray(sets, dtype=bool)]


def _by_slice(covered: np.ndarray, size: np.ndarray,
              groups: object | None) -> tuple[SliceCoverage, ...]:
    if groups is None:
        return ()
    g = np.asarray(groups)
    if g.shape != covered.shape:
        raise DataError("groups", expected=f"one group value per row ({covered.size})",
                        got=f"shape {g.shape}", fix="pass an array aligned with y")
    frame = pd.DataFrame({"g": pd.Series(g).astype(str).to_numpy(),
                          "c": covered.astype(float), "s": size.astype(float)})
    agg = frame.groupby("g", sort=True).agg(n=("c", "size"), c=("c", "mean"), s=("s", "mean"))
    return tuple(SliceCoverage(name=str(k), n=int(r.n), coverage=float(r.c), mean_size=float(r.s))
                 for k, r in agg.iterrows())


def evaluate_sets(sets: np.ndarray, y_index: np.ndarray, *, alpha: float,
                  groups: object | None = None, method: str = "") -> ConformalResult:
    """Coverage and mean size of prediction sets; ``y_index`` is each row's class column.

    >>> sets = np.array([[True, True], [False, True], [True, False], [True, True]])
    >>> r = evaluate_sets(sets, np.array([0, 0, 0, 1]), alpha=0.1, groups=["a", "a", "b", "b"])
    >>> r.coverage, r.mean_size, r.slice("a").coverage, r.size_counts
    (0.75, 1.5, 0.5, {1: 2, 2: 2})
    """
    s = np.asarray(sets, dtype=bool)
    y = np.asarray(y_index)
    if s.ndim != 2 or y.shape != (s.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise DataError("prediction sets", expected="an (n, n_classes) boolean matrix and n "
                        "integer class positions", got=f"shapes {s.shape} and {y.shape}",
                        fix="encode labels as column positions of the set matrix")
    if s.shape[0] == 0:
        raise DataError("prediction sets", expected="at least one row", got="0 rows",
                        fix="evaluate on a non-empty labelled split")
    covered = s[np.arange(s.shape[0]), y]
    size = set_sizes(s)
    values, counts = np.unique(size, return_counts=True)
    return ConformalResult(kind="sets", alpha=check_alpha(alpha), n=int(s.shape[0]),
                           coverage=float(covered.mean()), mean_size=float(size.mean()),
                           slices=_by_slice(covered, size, groups),
                           size_counts={int(v): int(c) for v, c in zip(values, counts)},
                           method=method)


def evaluate_intervals(intervals: np.ndarray, y: np.ndarray, *, alpha: float,
                       groups: object | None = None, method: str = "") -> ConformalResult:
    """Coverage and mean width of (n, 2) intervals ``[lower, upper]`` (bounds included).

    >>> iv = np.array([[0.0, 1.0], [0.0, 2.0], [1.0, 3.0]])
    >>> r = evaluate_intervals(iv, np.array([0.5, 2.5, 2.0]), alpha=0.2)
    >>> round(r.coverage, 4), r.mean_size
    (0.6667, 1.6666666666666667)
    """
    iv = np.asarray(intervals, dtype=float)
    yy = np.asarray(y, dtype=float)
    if iv.ndim != 2 or iv.shape[1] != 2 or yy.shape != (iv.shape[0],) or iv.shape[0] == 0:
        raise DataError("intervals", expected="an (n, 2) array of [lower, upper] and n targets",
                        got=f"shapes {iv.shape} and {yy.shape}",
                        fix="pass predict_interval output and the matching y")
    covered = (iv[:, 0] <= yy) & (yy <= iv[:, 1])
    width = iv[:, 1] - iv[:, 0]
    return ConformalResult(kind="intervals", alpha=check_alpha(alpha), n=int(iv.shape[0]),
                           coverage=float(covered.mean()), mean_size=float(width.mean()),
                           slices=_by_slice(covered, width, groups), method=method)
