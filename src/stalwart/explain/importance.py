"""Global feature importance results: one value per feature (or feature group), ranked.

:class:`ImportanceResult` is what :func:`~stalwart.explain.permutation_importance` returns;
a :class:`~stalwart.explain.ShapResult` turns into one with ``to_importance()`` (mean
absolute SHAP value, no interval), so :func:`~stalwart.explain.importance_drift` compares
either kind.

>>> r = ImportanceResult.from_values({"a": 0.3, "b": 0.05, "c": 0.0}, method="given")
>>> r.ranking(), r.top(2), round(r.share_of_top(), 4)
(['a', 'b', 'c'], ['a', 'b'], 0.8571)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._json import jsonable

__all__ = ["FeatureImportance", "ImportanceResult", "SCHEMA_VERSION", "rank_features"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class FeatureImportance:
    """One feature (or group of columns): mean importance, spread, interval, rank (1 = top).

    ``ci_low``/``ci_high`` are None when the method gives no interval (SHAP means).
    """

    name: str
    mean: float
    rank: int
    columns: tuple[str, ...] = ()
    std: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    values: tuple[float, ...] = ()

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"name": self.name, "mean": self.mean, "rank": self.rank,
                         "columns": list(self.columns), "std": self.std,
                         "ci_low": self.ci_low, "ci_high": self.ci_high,
                         "values": list(self.values)})


def rank_features(means: Sequence[float], names: Sequence[str]) -> list[int]:
    """Ranks 1..d by decreasing mean; ties broken by name, so ranking is deterministic."""
    order = sorted(range(len(names)), key=lambda i: (-float(means[i]), str(names[i])))
    ranks = [0] * len(names)
    for r, i in enumerate(order, start=1):
        ranks[i] = r
    return ranks


@dataclass(frozen=True)
class ImportanceResult:
    """Global importance of every feature, in rank order.

    ``options`` holds the resolved options (scoring, repeats, confidence, seed...);
    ``details`` the facts of the computation (baseline score, rows used, predict calls);
    ``warnings`` the degenerate cases met (fewer than 30 rows scored, no feature moving
    the score).
    """

    method: str
    features: tuple[FeatureImportance, ...]
    model: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Mapping[str, float], *, method: str,
                    **fields: Any) -> ImportanceResult:
        """A result from plain ``{feature: importance}`` values (no intervals)."""
        names = [str(k) for k in values]
        means = [float(v) for v in values.values()]
        ranks = rank_features(means, names)
        feats = sorted((FeatureImportance(n, m, r, (n,)) for n, m, r in zip(names, means, ranks)),
                       key=lambda f: f.rank)
        return cls(method, tuple(feats), **fields)

    def ranking(self) -> list[str]:
        """Feature names from most to least important."""
        return [f.name for f in self.features]

    def top(self, k: int) -> list[str]:
        return self.ranking()[:k]

    def importances(self) -> dict[str, float]:
        return {f.name: f.mean for f in self.features}

    def feature(self, name: str) -> FeatureImportance:
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(name)

    def share_of_top(self) -> float:
        """The top feature's share of the total positive importance (NaN when none is > 0)."""
        positive = np.clip([f.mean for f in self.features], 0.0, None)
        total = float(positive.sum())
        return float(positive.max() / total) if total > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": SCHEMA_VERSION, "kind": "feature_importance",
                         "method": self.method,
                         "features": [f.to_dict() for f in self.features],
                         "model": dict(self.model), "options": dict(self.options),
                         "details": dict(self.details), "warnings": list(self.warnings)})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ImportanceResult:
        feats = tuple(FeatureImportance(f["name"], f["mean"], f["rank"], tuple(f["columns"]),
                                        f.get("std"), f.get("ci_low"), f.get("ci_high"),
                                        tuple(f.get("values") or ()))
                      for f in raw["features"])
        return cls(raw["method"], feats, raw.get("model", {}), raw.get("options", {}),
                   raw.get("details", {}), tuple(raw.get("warnings", ())))
