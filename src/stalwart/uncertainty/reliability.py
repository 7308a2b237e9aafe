"""Reliability diagram data, the Murphy decomposition of the Brier score, ECE per group.

Each returns a frozen result with ``to_dict()``; the diagram is plain per-bin data for a
chart (no rendering here).

>>> import numpy as np
>>> y = np.array([0, 0, 1, 1])
>>> p = np.array([0.1, 0.1, 0.9, 0.7])
>>> d = brier_decomposition(y, p, n_bins=10)
>>> round(d.brier, 4), round(d.reliability - d.resolution + d.uncertainty, 4)
(0.03, 0.03)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..exceptions import DataError
from .calibration import (
    _check_variant,
    as_proba,
    bin_statistics,
    encode_targets,
    expected_calibration_error,
)

__all__ = [
    "BrierDecomposition",
    "GroupCalibration",
    "ReliabilityDiagram",
    "brier_decomposition",
    "calibration_by_group",
    "reliability_diagram",
]


@dataclass(frozen=True)
class ReliabilityDiagram:
    """Per-bin mean confidence, accuracy and count (empty bins have NaN means)."""

    edges: tuple[float, ...]
    confidence: tuple[float, ...]
    accuracy: tuple[float, ...]
    count: tuple[int, ...]
    strategy: str
    variant: str
    ece: float
    mce: float
    schema_version: int = 1

    def to_dict(self) -> dict[str, Any]:
        bins = [{"lower": lo, "upper": hi, "confidence": c, "accuracy": a, "count": n}
                for lo, hi, c, a, n in zip(self.edges[:-1], self.edges[1:], self.confidence,
                                           self.accuracy, self.count)]
        return jsonable({"schema_version": self.schema_version, "strategy": self.strategy,
                         "variant": self.variant, "ece": self.ece, "mce": self.mce,
                         "bins": bins})


def reliability_diagram(y_true: Any, proba: Any, *, n_bins: int = 15,
                        strategy: str = "uniform", variant: str = "top_label",
                        classes: Any = None) -> ReliabilityDiagram:
    """Bin statistics for a reliability chart.

    ``variant="top_label"`` bins the predicted class's confidence against correctness;
    ``"positive"``-style binary curves (as ``calibration_curve``) come from passing a 1-D
    ``proba`` with ``variant="classwise"``. For a multiclass classwise diagram, bins pool
    all (row, class) pairs.
    """
    _check_variant(variant)
    p = as_proba(proba)
    y = encode_targets(y_true, p.shape[1], classes)
    if y.size != p.shape[0]:
        raise DataError("y_true", expected=f"{p.shape[0]} labels", got=f"{y.size}",
                        fix="pass labels and probabilities of the same rows")
    if variant == "top_label":
        score, hit = p.max(axis=1), p.argmax(axis=1) == y
    elif np.ndim(proba) == 1:
        score, hit = p[:, 1], y == 1
    else:
        score = p.ravel()
        hit = (y[:, None] == np.arange(p.shape[1])[None, :]).ravel()
    s = bin_statistics(score, hit, n_bins=n_bins, strategy=strategy)
    used = s["count"] > 0
    gap = np.abs(s["accuracy"][used] - s["confidence"][used])
    return ReliabilityDiagram(
        edges=tuple(float(e) for e in s["edges"]),
        confidence=tuple(float(c) for c in s["confidence"]),
        accuracy=tuple(float(a) for a in s["accuracy"]),
        count=tuple(int(c) for c in s["count"]),
        strategy=strategy, variant=variant,
        ece=float(np.sum(s["count"][used] * gap) / s["count"].sum()),
        mce=float(gap.max()))


@dataclass(frozen=True)
class BrierDecomposition:
    """Murphy (1973): binned Brier = reliability - resolution + uncertainty.

    ``brier`` is the score of the raw forecasts (the convention of scikit-learn's
    ``brier_score_loss``: mean squared error of the positive-class probability for binary,
    sum over classes for multiclass); ``brier_binned`` scores the forecasts replaced by their
    bin means, for which the identity is exact. ``within_bin`` = brier - brier_binned.
    """

    brier: float
    brier_binned: float
    reliability: float
    resolution: float
    uncertainty: float
    within_bin: float
    n_bins: int
    strategy: str
    schema_version: int = 1

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "brier": self.brier,
                         "brier_binned": self.brier_binned, "reliability": self.reliability,
                         "resolution": self.resolution, "uncertainty": self.uncertainty,
                         "within_bin": self.within_bin, "n_bins": self.n_bins,
                         "strategy": self.strategy})


def brier_decomposition(y_true: Any, proba: Any, *, n_bins: int = 10,
                        strategy: str = "uniform", classes: Any = None) -> BrierDecomposition:
    """Reliability, resolution and uncertainty of probabilistic forecasts.

    Each scored column (the positive class for binary, every class otherwise) is binned
    like ``calibration_curve``; per column, with bin share w_b, mean forecast f_b, observed
    frequency o_b and base rate o: reliability = sum w_b (f_b - o_b)^2,
    resolution = sum w_b (o_b - o)^2, uncertainty = o (1 - o); columns are summed.
    """
    p = as_proba(proba)
    y = encode_targets(y_true, p.shape[1], classes)
    if y.size != p.shape[0]:
        raise DataError("y_true", expected=f"{p.shape[0]} labels", got=f"{y.size}",
                        fix="pass labels and probabilities of the same rows")
    onehot = (y[:, None] == np.arange(p.shape[1])[None, :]).astype(float)
    columns = [1] if p.shape[1] == 2 else list(range(p.shape[1]))
    rel = res = unc = binned = 0.0
    for k in columns:
        s = bin_statistics(p[:, k], onehot[:, k], n_bins=n_bins, strategy=strategy)
        used = s["count"] > 0
        w = s["count"][used] / y.size
        f, o = s["confidence"][used], s["accuracy"][used]
        base = onehot[:, k].mean()
        rel += float(np.sum(w * (f - o) ** 2))
        res += float(np.sum(w * (o - base) ** 2))
        unc += float(base * (1.0 - base))
        binned += float(np.mean((s["confidence"][s["bin_id"]] - onehot[:, k]) ** 2))
    brier = float(np.mean(np.sum((p[:, columns] - onehot[:, columns]) ** 2, axis=1)))
    return BrierDecomposition(brier=brier, brier_binned=binned, reliability=rel,
                              resolution=res, uncertainty=unc, within_bin=brier - binned,
                              n_bins=n_bins, strategy=strategy)


@dataclass(frozen=True)
class GroupCalibration:
    """ECE overall and per group, with row counts and the worst group."""

    overall: float
    by_group: dict[str, float]
    counts: dict[str, int]
    worst_group: str
    n_bins: int
    strategy: str
    variant: str
    schema_version: int = 1

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "overall": self.overall,
                         "by_group": self.by_group, "counts": self.counts,
                         "worst_group": self.worst_group, "n_bins": self.n_bins,
                         "strategy": self.strategy, "variant": self.variant})


def calibration_by_group(y_true: Any, proba: Any, groups: Any, *, n_bins: int = 15,
                         strategy: str = "uniform", variant: str = "top_label",
                         classes: Any = None) -> GroupCalibration:
    """ECE for each value of a group column (missing values form their own "<NA>" group)."""
    p = as_proba(proba)
    y = encode_targets(y_true, p.shape[1], classes)
    g = pd.Series(np.asarray(groups, dtype=object))
    if g.size != y.size or y.size != p.shape[0]:
        raise DataError("groups", expected=f"{p.shape[0]} values (one per row)",
                        got=f"{g.size} groups and {y.size} labels",
                        fix="pass the group column of the same rows")
    keys = g.map(lambda v: "<NA>" if pd.isna(v) else str(v)).to_numpy()
    proba_in = np.asarray(proba, dtype=float)
    kw = {"n_bins": n_bins, "strategy": strategy, "variant": variant}
    by_group, counts = {}, {}
    for key in sorted(set(keys)):
        rows = keys == key
        by_group[key] = expected_calibration_error(y[rows], proba_in[rows],
                                                   classes=np.arange(p.shape[1]), **kw)
        counts[key] = int(rows.sum())
    overall = expected_calibration_error(y, proba_in, classes=np.arange(p.shape[1]), **kw)
    worst = max(by_group, key=lambda k: by_group[k])
    return GroupCalibration(overall=overall, by_group=by_group, counts=counts,
                            worst_group=worst, n_bins=n_bins, strategy=strategy,
                            variant=variant)
