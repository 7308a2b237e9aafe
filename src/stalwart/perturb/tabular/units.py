"""Unit changes: an upstream system starts sending a column in another unit.

A unit change is an exact affine map ``x -> a * x + b``, given as a pair ``(a, b)`` or by
name from :data:`UNIT_MAPS` (``"celsius->fahrenheit"`` is ``(1.8, 32)``, ``"m->cm"`` is
``(100, 0)``, ``"mmhg->kpa"`` is ``(0.133322387415, 0)``; names are case-insensitive), for
every selected numeric column or per column with a mapping ``{column: map}``.

Severity does not bend the map: it sets the share of *rows* converted, drawn once per call
and shared by every converted column, as when one upstream source among several switches
units: 0.05, 0.1, 0.25, 0.5, 1 for levels 1..5 (``share`` overrides).

Constraints: a unit change leaves a declared range by design, so with
``respect_constraints=True`` (the default) a column with a declared range is left as it is
with a note saying so, and immutable columns are untouched; integer columns get whole
numbers in the new unit (an integer field stays integer upstream) and keep their dtype.
Pass ``respect_constraints=False`` to convert every selected column exactly, whatever was
declared.

>>> import pandas as pd
>>> X = pd.DataFrame({"temp": [0.0, 37.0, 100.0]})
>>> UnitChange(units="celsius->fahrenheit", share=1.0).fit(X).transform(X)["temp"].tolist()
[32.0, 98.60000000000001, 212.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ..base import register_perturbation
from .table import TabularPerturbation

__all__ = ["UNIT_MAPS", "UnitChange"]

_MMHG_KPA = 0.133322387415  # 1 mmHg = 133.322387415 Pa (ISO 80000-4)
_LB_KG = 0.45359237         # the international avoirdupois pound
_FT_M = 0.3048              # the international foot

#: name -> (a, b) of the exact map ``a * x + b``
UNIT_MAPS: dict[str, tuple[float, float]] = {
    "celsius->fahrenheit": (1.8, 32.0),
    "fahrenheit->celsius": (1 / 1.8, -32.0 / 1.8),
    "celsius->kelvin": (1.0, 273.15),
    "kelvin->celsius": (1.0, -273.15),
    "m->cm": (100.0, 0.0),
    "cm->m": (0.01, 0.0),
    "m->mm": (1000.0, 0.0),
    "km->m": (1000.0, 0.0),
    "m->ft": (1 / _FT_M, 0.0),
    "ft->m": (_FT_M, 0.0),
    "in->cm": (2.54, 0.0),
    "cm->in": (1 / 2.54, 0.0),
    "kg->lb": (1 / _LB_KG, 0.0),
    "lb->kg": (_LB_KG, 0.0),
    "kg->g": (1000.0, 0.0),
    "g->kg": (0.001, 0.0),
    "mmhg->kpa": (_MMHG_KPA, 0.0),
    "kpa->mmhg": (1 / _MMHG_KPA, 0.0),
    "hours->minutes": (60.0, 0.0),
    "days->hours": (24.0, 0.0),
    "s->ms": (1000.0, 0.0),
    "fraction->percent": (100.0, 0.0),
    "percent->fraction": (0.01, 0.0),
    "thousands->units": (1000.0, 0.0),
}


def resolve_map(units: Any, where: str = "units") -> tuple[float, float, str]:
    """``(a, b, label)`` for a map name or an ``(a, b)`` pair."""
    if isinstance(units, str):
        key = units.strip().lower().replace(" ", "")
        if key not in UNIT_MAPS:
            raise ParameterError(where, expected=f"a unit map among {sorted(UNIT_MAPS)} or a "
                                 "pair (a, b) for a * x + b", got=repr(units),
                                 fix="pass units=(a, b) for a map not in the table")
        a, b = UNIT_MAPS[key]
        return a, b, key
    try:
        a, b = (float(v) for v in units)
    except (TypeError, ValueError):
        raise ParameterError(where, expected="a unit map name or a pair (a, b) for a * x + b",
                             got=repr(units), fix="pass units='m->cm' or units=(100, 0)") from None
    if not (np.isfinite(a) and np.isfinite(b)) or a == 0:
        raise ParameterError(where, expected="finite a != 0 and b", got=repr(units),
                             fix="a map with a = 0 erases the column: use FeatureDropout")
    return a, b, f"{a:g} * x + {b:g}"


@register_perturbation
class UnitChange(TabularPerturbation):
    """Convert a share of rows of numeric columns with an exact affine map."""

    name, title = "unit_change", "a unit change"
    breaks_ranges = True
    LEVELS = (0.05, 0.1, 0.25, 0.5, 1.0)

    def __init__(self, *, units: Any = "celsius->fahrenheit", share: float | None = None,
                 columns: Any = None, constraints: Any = None, respect_constraints: bool = True,
                 severity: int = 1, random_state: Any = None) -> None:
        self.units, self.share, self.columns = units, share, columns
        self.constraints, self.respect_constraints = constraints, respect_constraints
        self.severity, self.random_state = severity, random_state

    def _wanted(self) -> Any:
        if isinstance(self.units, Mapping):
            if self.columns is not None:
                raise ParameterError("columns", expected="None when units maps columns",
                                     got=repr(self.columns), fix="name columns in units only")
            return list(self.units)
        return self.columns

    def _learn(self, frame: pd.DataFrame) -> None:
        if isinstance(self.units, Mapping):
            self.maps_ = {c: resolve_map(m, f"units[{c!r}]") for c, m in self.units.items()}
        else:
            one = resolve_map(self.units)
            self.maps_ = {c: one for c in self.selected_}
        self._level("share", self.share, self.LEVELS)

    def _begin(self, frame: pd.DataFrame, rng: np.random.Generator) -> None:
        share = self._level("share", self.share, self.LEVELS)
        self._rows_now = rng.random(len(frame)) < share

    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        a, b, label = self.maps_[col]
        x = self._numeric(s)
        rows = self._rows_now & np.isfinite(x)
        values = np.where(rows, a * x + b, x)
        dtype = s.dtype if pd.api.types.is_float_dtype(s.dtype) else float
        return (pd.Series(values, index=s.index, name=s.name).astype(dtype), rows,
                {"map": label, "a": a, "b": b, "share_changed": float(rows.mean())})
