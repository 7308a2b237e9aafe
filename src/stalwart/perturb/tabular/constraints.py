"""Declared constraints a tabular perturbation honours: ranges, integer and immutable columns.

A perturbed row should still be a row the world can produce, unless the perturbation's
point is to break that. :class:`Constraints` declares, per column:

- ``ranges``: ``{column: (low, high)}`` — a changed value is clipped into ``[low, high]``;
- ``integer``: columns whose changed values are rounded to whole numbers (columns of an
  integer dtype are always treated so, which also keeps their dtype);
- ``immutable``: columns a perturbation leaves byte-equal (age, a customer's country).

:meth:`Constraints.from_schema` reads the declared ``min``/``max`` and ``integer`` of a
:class:`~stalwart.data.Schema`. Constraints are checked against the training table when a
perturbation is fitted: an unknown column, an empty range (``low > high``), an integer
column whose range holds no whole number, a range on a non-numeric column, or a selection
in which every column is immutable (nothing is left to perturb) is a clear error then,
never a silent no-op at transform time. Only cells a perturbation changed are clipped
or rounded: a value that was already outside a declared range stays as it came.

>>> import pandas as pd
>>> c = Constraints(ranges={"age": (0, 120)}, integer=["age"], immutable=["sex"])
>>> frame = pd.DataFrame({"age": [30, 40], "sex": ["f", "m"]})
>>> c.check(frame, ["age", "sex"]) is c
True
>>> c.enforce("age", pd.Series([-3.2, 130.6])).tolist()
[0.0, 120.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...data.schema import Schema
from ...exceptions import ParameterError

__all__ = ["Constraints"]


def _names(option: str, value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise ParameterError(f"constraints {option}", expected="a list of column names",
                             got=repr(value), fix=f"pass {option}=['col', ...]")
    return tuple(value)


def _ceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x


def _floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


@dataclass(frozen=True)
class Constraints:
    """Ranges, integer and immutable columns (see the module docstring)."""

    ranges: Mapping[Any, tuple[float, float]] = field(default_factory=dict)
    integer: Sequence[Any] = ()
    immutable: Sequence[Any] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.ranges, Mapping):
            raise ParameterError("constraints ranges", expected="a mapping column -> (low, high)",
                                 got=repr(self.ranges), fix="pass ranges={'age': (0, 120)}")
        clean = {}
        for col, bounds in self.ranges.items():
            try:
                low, high = (float(b) for b in bounds)
            except (TypeError, ValueError):
                raise ParameterError(f"constraints ranges[{col!r}]", expected="a pair (low, high)",
                                     got=repr(bounds), fix="pass ranges={'age': (0, 120)}") from None
            if math.isnan(low) or math.isnan(high) or low > high:
                raise ParameterError(f"constraints ranges[{col!r}]",
                                     expected="a non-empty range with low <= high",
                                     got=repr(bounds), fix="swap or correct the bounds: no "
                                     "value can satisfy an empty range")
            clean[col] = (low, high)
        object.__setattr__(self, "ranges", clean)
        object.__setattr__(self, "integer", _names("integer", self.integer))
        object.__setattr__(self, "immutable", _names("immutable", self.immutable))

    @classmethod
    def coerce(cls, value: Any) -> Constraints:
        """``None`` (no constraints), a :class:`Constraints`, or a dict of its fields."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            unknown = sorted(set(value) - {"ranges", "integer", "immutable"})
            if unknown:
                raise ParameterError("constraints", expected="keys ranges, integer, immutable",
                                     got=f"unknown keys {unknown}", fix="remove them")
            return cls(**value)
        if isinstance(value, Schema):
            return cls.from_schema(value)
        raise ParameterError("constraints", expected="None, a Constraints, a dict or a Schema",
                             got=type(value).__name__, fix="pass Constraints(ranges=..., "
                             "integer=..., immutable=...)")

    @classmethod
    def from_schema(cls, schema: Schema, *, immutable: Sequence[Any] = ()) -> Constraints:
        """The ranges (declared ``min``/``max``) and integer columns of a Schema; an open
        side of a range is unbounded."""
        ranges = {c.name: (-math.inf if c.min is None else c.min,
                           math.inf if c.max is None else c.max)
                  for c in schema if c.min is not None or c.max is not None}
        return cls(ranges=ranges, integer=[c.name for c in schema if c.integer],
                   immutable=list(immutable))

    # -- validation against the training table ---------------------------------------------
    def check(self, frame: pd.DataFrame, selected: Sequence[Any]) -> Constraints:
        """Raise a clear error for constraints that no perturbation can satisfy."""
        columns = list(frame.columns)
        for option, names in (("ranges", list(self.ranges)), ("integer", self.integer),
                              ("immutable", self.immutable)):
            unknown = [n for n in names if n not in columns]
            if unknown:
                raise ParameterError(f"constraints {option}", expected=f"columns of the data "
                                     f"{columns[:12]}", got=f"unknown columns {unknown}",
                                     fix="correct the column names")
        for col in list(self.ranges) + list(self.integer):
            s = frame[col]
            if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
                raise ParameterError(f"constraints on column {col!r}",
                                     expected="a numeric column for a range or integer "
                                     "constraint", got=f"dtype {s.dtype}",
                                     fix="constrain categorical columns with immutable only")
        for col, (low, high) in self.ranges.items():
            if self.is_integer(col, frame[col]) and _ceil(low) > _floor(high):
                raise ParameterError(f"constraints ranges[{col!r}]",
                                     expected="a range holding a whole number (the column "
                                     "is integer)", got=f"({low}, {high})",
                                     fix="widen the range or drop the integer constraint")
        if selected and all(c in self.immutable for c in selected):
            raise ParameterError("constraints immutable", expected="at least one perturbable "
                                 "column", got=f"every selected column is immutable "
                                 f"({list(selected)[:12]})", fix="select mutable columns or "
                                 "pass respect_constraints=False")
        return self

    # -- enforcement -----------------------------------------------------------------------
    def is_integer(self, col: Any, series: pd.Series) -> bool:
        return col in self.integer or pd.api.types.is_integer_dtype(series.dtype)

    def enforce(self, col: Any, values: pd.Series, *, integer: bool = False) -> pd.Series:
        """Clip ``values`` (float, changed cells only) into the column's range and round
        them when the column is integer; missing values stay missing."""
        out = values.astype(float)
        integer = integer or col in self.integer
        if integer:
            out = np.round(out)
        if col in self.ranges:
            low, high = self.ranges[col]
            if integer:
                low, high = _ceil(low), _floor(high)
            out = out.clip(low, high)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"ranges": {str(k): list(v) for k, v in self.ranges.items()},
                "integer": [str(c) for c in self.integer],
                "immutable": [str(c) for c in self.immutable]}
