"""Perturbations of numeric values: Gaussian noise, scaling, outliers and rounding.

Each is scaled to the column's robust spread ``s = IQR / 1.349`` learned in ``fit`` (the
standard deviation when the IQR is zero; see :func:`~.table.robust_spread`), so one
severity means the same for a column in metres and one in dollars. Severity levels 1..5:

============== ================================ ==========================================
perturbation    severity sets                    levels 1..5 (override option)
============== ================================ ==========================================
GaussianNoise   noise sd, in spreads             0.05, 0.1, 0.2, 0.3, 0.5 (``scale``)
Scaling         the factor values are multiplied 1.05, 1.1, 1.25, 1.5, 2 (``factor``)
Outliers        share of cells made outliers     0.005, 0.01, 0.02, 0.05, 0.1 (``share``)
Rounding        grid step, in spreads            0.02, 0.05, 0.1, 0.25, 0.5 (``step`` or
                                                 ``decimals``)
============== ================================ ==========================================

An outlier lies ``distance`` to ``2 x distance`` spreads beyond the training minimum or
maximum (side drawn at random). Noise and scaling change a ``share`` of rows (default 1).
A column constant in training has no spread: noise, outliers and spread-based rounding
say so in its note instead of adding nothing silently. Changed cells are clipped to a
declared range and rounded on integer columns (see :class:`~.constraints.Constraints`).

>>> import pandas as pd
>>> X = pd.DataFrame({"x": np.arange(100.0), "city": ["a", "b"] * 50})
>>> noise = GaussianNoise(severity=3, random_state=0).fit(X)
>>> out = noise.transform(X)
>>> round(noise.notes_[0].detail["sd"], 3), noise.notes_[1].reason
(7.339, 'categorical column: Gaussian noise needs numeric columns')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ..base import register_perturbation
from .table import TabularPerturbation, robust_spread

__all__ = ["GaussianNoise", "Outliers", "Rounding", "Scaling"]


def _positive(option: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value <= 0:
        raise ParameterError(option, expected="a positive finite number", got=repr(value),
                             fix=f"pass e.g. {option}=0.5, or leave it None to follow severity")
    return float(value)


def _series(values: np.ndarray, s: pd.Series) -> pd.Series:
    dtype = s.dtype if pd.api.types.is_float_dtype(s.dtype) else float
    return pd.Series(values, index=s.index, name=s.name).astype(dtype)


class _SpreadPerturbation(TabularPerturbation):
    """Learns each targeted column's robust spread and training range."""

    def _learn(self, frame: pd.DataFrame) -> None:
        self.spread_, self.range_ = {}, {}
        for c in self.targets_:
            x = self._numeric(frame[c])
            self.spread_[c] = robust_spread(x)
            finite = x[np.isfinite(x)]
            self.range_[c] = ((float(finite.min()), float(finite.max())) if finite.size
                              else (np.nan, np.nan))

    def _rows(self, n: int, rng: np.random.Generator) -> np.ndarray:
        share = self._level("share", getattr(self, "share", 1.0), (1.0,) * 5)
        return rng.random(n) < share


@register_perturbation
class GaussianNoise(_SpreadPerturbation):
    """Add N(0, (scale x spread)^2) noise to a share of rows of each numeric column."""

    name, title = "gaussian_noise", "Gaussian noise"
    LEVELS = (0.05, 0.1, 0.2, 0.3, 0.5)

    def __init__(self, *, scale: float | None = None, share: float = 1.0, columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.scale, self.share, self.columns = scale, share, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        super()._learn(frame)
        if self.scale is not None:
            _positive("scale", self.scale)
        self._level("share", self.share, (1.0,) * 5)

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        level = self.LEVELS[self.severity - 1] if self.scale is None else float(self.scale)
        sd = level * self.spread_[col]
        x = self._numeric(s)
        rows = self._rows(len(x), rng) & np.isfinite(x)
        noise = rng.normal(0.0, 1.0, len(x)) * sd
        if sd == 0:
            return "constant in training (spread 0): noise scaled to it would add nothing"
        return (_series(np.where(rows, x + noise, x), s), rows,
                {"sd": sd, "scale_in_spreads": level, "spread": self.spread_[col],
                 "share_changed": float(rows.mean())})


@register_perturbation
class Scaling(_SpreadPerturbation):
    """Multiply a share of rows of each numeric column by ``factor``."""

    name, title = "scaling", "scaling"
    LEVELS = (1.05, 1.1, 1.25, 1.5, 2.0)

    def __init__(self, *, factor: float | None = None, share: float = 1.0, columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.factor, self.share, self.columns = factor, share, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        if self.factor is not None:
            _positive("factor", self.factor)
        self._level("share", self.share, (1.0,) * 5)

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        factor = self.LEVELS[self.severity - 1] if self.factor is None else float(self.factor)
        x = self._numeric(s)
        rows = self._rows(len(x), rng) & np.isfinite(x)
        return (_series(np.where(rows, x * factor, x), s), rows,
                {"factor": factor, "share_changed": float(rows.mean())})


@register_perturbation
class Outliers(_SpreadPerturbation):
    """Replace a share of cells by values ``distance``-``2 x distance`` spreads outside the
    training range."""

    name, title = "outliers", "outlier injection"
    LEVELS = (0.005, 0.01, 0.02, 0.05, 0.1)

    def __init__(self, *, share: float | None = None, distance: float = 5.0, columns: Any = None,
                 constraints: Any = None, respect_constraints: bool = True, severity: int = 1,
                 random_state: Any = None) -> None:
        self.share, self.distance, self.columns = share, distance, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        super()._learn(frame)
        _positive("distance", self.distance)
        self._level("share", self.share, self.LEVELS)

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        share = self._level("share", self.share, self.LEVELS)
        distance = float(self.distance)
        x = self._numeric(s)
        rows = rng.random(len(x)) < share
        upper = rng.random(len(x)) < 0.5
        beyond = distance * (1.0 + rng.random(len(x))) * self.spread_[col]
        if self.spread_[col] == 0:
            return "constant in training (spread 0): no scale to place outliers at"
        lo, hi = self.range_[col]
        values = np.where(rows, np.where(upper, hi + beyond, lo - beyond), x)
        return (_series(values, s), rows,
                {"share_changed": float(rows.mean()), "distance_in_spreads": distance,
                 "spread": self.spread_[col], "training_range": [lo, hi]})


@register_perturbation
class Rounding(_SpreadPerturbation):
    """Round each numeric column to a coarser grid: ``decimals``, ``step``, or a step of a
    severity-dependent share of the spread."""

    name, title = "rounding", "rounding"
    LEVELS = (0.02, 0.05, 0.1, 0.25, 0.5)

    def __init__(self, *, decimals: int | None = None, step: float | None = None,
                 columns: Any = None, constraints: Any = None, respect_constraints: bool = True,
                 severity: int = 1, random_state: Any = None) -> None:
        self.decimals, self.step, self.columns = decimals, step, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _learn(self, frame: pd.DataFrame) -> None:
        super()._learn(frame)
        if self.decimals is not None and self.step is not None:
            raise ParameterError("decimals/step", expected="at most one of them",
                                 got=f"decimals={self.decimals!r}, step={self.step!r}",
                                 fix="pass decimals (round to 10**-decimals) or step")
        if self.decimals is not None and (isinstance(self.decimals, bool) or not isinstance(
                self.decimals, (int, np.integer))):
            raise ParameterError("decimals", expected="an integer (may be negative: -2 rounds "
                                 "to hundreds)", got=repr(self.decimals), fix="pass decimals=1")
        if self.step is not None:
            _positive("step", self.step)

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        x = self._numeric(s)
        if self.decimals is not None:
            values, detail = np.round(x, int(self.decimals)), {"decimals": int(self.decimals)}
        else:
            step = self.step if self.step is not None \
                else self.LEVELS[self.severity - 1] * self.spread_[col]
            if step == 0:
                return "constant in training (spread 0): no grid step to round to"
            values, detail = np.round(x / step) * step, {"step": float(step)}
        changed = np.isfinite(x) & (values != x)
        return _series(values, s), changed, {**detail, "share_changed": float(changed.mean())}
