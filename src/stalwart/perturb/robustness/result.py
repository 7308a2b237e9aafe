"""What a stress run found: one cell per perturbation and severity, the per-feature worst
cases, and the degradation curves drawn from them.

Each :class:`StressCell` holds the metric on the perturbed rows, its *drop* from the clean
rows (positive: worse), the share of predictions that flipped against the clean
predictions, the mean shift in confidence (the largest class probability; negative: less
sure), and the perturbation's notes (which columns it changed, which it could not and why).
A model that raised on the perturbed rows gives a cell with ``error`` set and no numbers:
that is a finding, not a crash of the run.

>>> cell = StressCell("noise", "tabular", 2, score=0.9, drop=0.05, flip_rate=0.04,
...                   confidence_shift=-0.02, prediction_shift=None, applied=True)
>>> r = StressResult(task="classification", metric="accuracy", greater_is_better=True,
...                  n_rows=100, clean_score=0.95, severities=(2,), perturbations=("noise",),
...                  cells=(cell,), features=(), model={}, random_state=0, n_model_calls=3,
...                  duration_s=0.0, warnings=())
>>> r.cell("noise", 2).drop, r.curves()["series"]
(0.05, {'noise': [0.9]})
>>> StressResult.from_dict(r.to_dict()) == r
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._json import jsonable
from ...exceptions import ParameterError

__all__ = ["FeatureImpact", "StressCell", "StressResult"]

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class StressCell:
    """The model under one perturbation at one severity."""

    perturbation: str
    kind: str
    severity: int
    score: float | None
    drop: float | None
    flip_rate: float | None
    confidence_shift: float | None
    prediction_shift: float | None
    applied: bool
    notes: tuple[dict[str, Any], ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({k: getattr(self, k) for k in _CELL_FIELDS})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> StressCell:
        values = {k: raw[k] for k in _CELL_FIELDS}
        values["notes"] = tuple(dict(n) for n in raw["notes"])
        return cls(**values)


_CELL_FIELDS = ("perturbation", "kind", "severity", "score", "drop", "flip_rate",
                "confidence_shift", "prediction_shift", "applied", "notes", "error")


@dataclass(frozen=True)
class FeatureImpact:
    """One tabular perturbation applied to one column only (the others left clean)."""

    perturbation: str
    severity: int
    feature: str
    score: float | None
    drop: float | None
    flip_rate: float | None
    error: str | None = None

    @property
    def harm(self) -> float:
        """The drop, or the flip rate when there are no labels; -inf when it errored."""
        value = self.drop if self.drop is not None else self.flip_rate
        return float("-inf") if value is None else float(value)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({k: getattr(self, k) for k in _FEATURE_FIELDS})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FeatureImpact:
        return cls(**{k: raw[k] for k in _FEATURE_FIELDS})


_FEATURE_FIELDS = ("perturbation", "severity", "feature", "score", "drop", "flip_rate",
                   "error")


@dataclass(frozen=True)
class StressResult:
    """The outcome of :func:`~stalwart.perturb.robustness.stress_test`."""

    task: str
    metric: str | None
    greater_is_better: bool
    n_rows: int
    clean_score: float | None
    severities: tuple[int, ...]
    perturbations: tuple[str, ...]
    cells: tuple[StressCell, ...]
    features: tuple[FeatureImpact, ...]
    model: Mapping[str, Any]
    random_state: Any
    n_model_calls: int
    duration_s: float
    warnings: tuple[str, ...] = ()
    schema_version: str = SCHEMA_VERSION
    _index: dict[tuple[str, int], StressCell] = field(default_factory=dict, init=False,
                                                      repr=False, compare=False)

    def cell(self, perturbation: str, severity: int) -> StressCell:
        """The cell of ``perturbation`` at ``severity``; a clear error when not run."""
        if not self._index:
            self._index.update({(c.perturbation, c.severity): c for c in self.cells})
        try:
            return self._index[(perturbation, int(severity))]
        except (KeyError, TypeError, ValueError):
            raise ParameterError("stress cell", expected=f"a perturbation among "
                                 f"{list(self.perturbations)} and a severity among "
                                 f"{list(self.severities)}",
                                 got=f"{perturbation!r} at severity {severity!r}",
                                 fix="run stress_test with that perturbation and "
                                     "severity") from None

    def curves(self, value: str = "score") -> dict[str, Any]:
        """Degradation curves as line-chart data: ``x`` the severities, one series per
        perturbation that changed something (``value``: score, drop, flip_rate or
        confidence_shift; a severity that errored is a gap)."""
        if value not in ("score", "drop", "flip_rate", "confidence_shift", "prediction_shift"):
            raise ParameterError("curve value", expected="score, drop, flip_rate, "
                                 "confidence_shift or prediction_shift", got=repr(value),
                                 fix="pick one of those")
        series = {}
        for name in self.perturbations:
            cells = [self.cell(name, s) for s in self.severities]
            if any(c.applied for c in cells):
                series[name] = [getattr(c, value) for c in cells]
        return {"x": list(self.severities), "series": series}

    def worst_features(self) -> dict[str, FeatureImpact]:
        """Per perturbation run column by column, the column that hurts most (largest drop,
        or flip rate without labels) over all severities. Columns on which the model raised
        are not ranked (they are in ``features`` with their error)."""
        out: dict[str, FeatureImpact] = {}
        for f in self.features:
            if f.error is not None:
                continue
            best = out.get(f.perturbation)
            if best is None or f.harm > best.harm:
                out[f.perturbation] = f
        return out

    def to_dict(self) -> dict[str, Any]:
        worst = self.worst_features()
        return jsonable({
            "schema_version": self.schema_version, "task": self.task, "metric": self.metric,
            "greater_is_better": self.greater_is_better, "n_rows": self.n_rows,
            "clean_score": self.clean_score, "severities": list(self.severities),
            "perturbations": list(self.perturbations),
            "cells": [c.to_dict() for c in self.cells],
            "features": [f.to_dict() for f in self.features],
            "worst_features": {k: v.to_dict() for k, v in worst.items()},
            "curves": self.curves("score") if self.clean_score is not None else None,
            "model": dict(self.model), "random_state": self.random_state,
            "n_model_calls": self.n_model_calls, "duration_s": round(self.duration_s, 6),
            "warnings": list(self.warnings)})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> StressResult:
        return cls(task=raw["task"], metric=raw["metric"],
                   greater_is_better=raw["greater_is_better"], n_rows=raw["n_rows"],
                   clean_score=raw["clean_score"], severities=tuple(raw["severities"]),
                   perturbations=tuple(raw["perturbations"]),
                   cells=tuple(StressCell.from_dict(c) for c in raw["cells"]),
                   features=tuple(FeatureImpact.from_dict(f) for f in raw["features"]),
                   model=raw["model"], random_state=raw["random_state"],
                   n_model_calls=raw["n_model_calls"], duration_s=raw["duration_s"],
                   warnings=tuple(raw["warnings"]),
                   schema_version=raw.get("schema_version", SCHEMA_VERSION))
