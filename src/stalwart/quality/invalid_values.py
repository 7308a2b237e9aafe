"""Invalid values: values that break the schema, or that the reference data never showed.

Declared rules come from each :class:`~stalwart.data.ColumnSpec` (``min``, ``max``,
``allowed``, ``integer``, ``nullable``) plus ``±inf`` in numeric columns, which no model
reads. With reference data, numeric values outside the reference's observed range (widened
by a tolerance, see :func:`reference_bounds`) and categories the reference never showed
are reported too.

Fresh values from the reference's own population fall outside its range now and then.
Whatever the population (for continuous values; fewer for discrete ones), the number of
``m`` fresh values above the largest of ``n`` reference values follows the beta-binomial
distribution ``BetaBinom(m, 1, n)``: the share of the population above the reference's
max is ``Beta(1, n)``, and each fresh value lands there independently given that share.
Each range violation carries the p-value of its count under that law, so a small
reference (a few fresh values past the max of 75 rows) can be told from a real breach (a
unit change puts every value outside).

>>> import pandas as pd
>>> from stalwart.data import Schema
>>> frame = pd.DataFrame({"age": [25.0, -3.0, 40.0, 130.0], "plan": ["a", "b", "a", "z"]})
>>> schema = (Schema.infer(frame).override("age", min=0, max=120)
...           .override("plan", allowed=("a", "b")))
>>> [(v.column, v.rule, v.count) for v in invalid_values(frame, schema).violations]
[('age', 'below_min', 1), ('age', 'above_max', 1), ('plan', 'not_allowed', 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..data.schema import ColumnSpec, Kind, Role, Schema

__all__ = ["REFERENCE_RULES", "SCHEMA_RULES", "InvalidValuesResult", "Violation",
           "invalid_values", "reference_bounds"]

#: rules checked against the schema (and ``±inf``, which breaks any schema of numbers)
SCHEMA_RULES: tuple[str, ...] = ("missing_not_nullable", "not_numeric", "infinite", "below_min",
                                 "above_max", "not_integer", "not_allowed")
#: rules checked against the reference data
REFERENCE_RULES: tuple[str, ...] = ("below_reference_range", "above_reference_range",
                                    "new_category")
# roles whose values a model reads, so the reference's values say what is valid
_REFERENCE_ROLES = (Role.FEATURE, Role.TARGET, Role.SENSITIVE, Role.SEGMENT)
_N_EXAMPLES = 5


@dataclass(frozen=True)
class Violation:
    """Values of one column that break one rule."""

    column: str
    rule: str
    count: int
    share: float  # of all rows
    detail: str  # the rule with its bound, e.g. "< min 0"
    examples: tuple[Any, ...] = ()  # most frequent offending values (none for missing)
    example_rows: tuple[Any, ...] = ()  # index labels of the first offending rows
    p_value: float | None = None  # range rules: chance of so many from the same population

    @property
    def source(self) -> str:
        return "reference" if self.rule in REFERENCE_RULES else "schema"

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "rule": self.rule, "source": self.source,
                "count": self.count, "share": self.share, "detail": self.detail,
                "examples": list(self.examples), "example_rows": list(self.example_rows),
                "p_value": self.p_value}


@dataclass(frozen=True)
class InvalidValuesResult:
    violations: tuple[Violation, ...]
    n_rows: int
    n_columns_checked: int
    unexamined: tuple[tuple[str, str], ...] = ()  # (column, reason)
    not_applied: tuple[tuple[str, str], ...] = ()  # (column, why a rule did not apply)

    def to_dict(self) -> dict[str, Any]:
        return {"violations": [v.to_dict() for v in self.violations], "n_rows": self.n_rows,
                "n_columns_checked": self.n_columns_checked,
                "unexamined": [{"column": c, "reason": r} for c, r in self.unexamined],
                "not_applied": [{"column": c, "reason": r} for c, r in self.not_applied]}


def invalid_values(frame: pd.DataFrame, schema: Schema, *,
                   reference: pd.DataFrame | None = None,
                   columns: Sequence[str] | None = None,
                   range_tolerance: float = 0.05,
                   max_categories: int = 1000) -> InvalidValuesResult:
    """Check each column against its spec and, when given, against the reference's values.

    ``range_tolerance`` widens the reference's numeric range by that fraction of its width
    on each side, so a value just past the largest one seen in training is not reported
    (see :func:`reference_bounds`). New categories are reported only where the reference
    defines a domain: at most ``max_categories`` distinct values, each seen twice on
    average (an e-mail or free-text column would make every fresh value "new").
    """
    names = schema.names if columns is None else list(columns)
    found: list[Violation] = []
    unexamined: list[tuple[str, str]] = []
    not_applied: list[tuple[str, str]] = []
    n = len(frame)
    for name in names:
        spec = schema[name]
        s = frame[name]
        column = _Column(name, s, n, found)
        try:
            numbers = _declared(spec, column)
            if reference is not None and spec.role in _REFERENCE_ROLES:
                note = _against_reference(spec, column, numbers, reference[name],
                                          range_tolerance, max_categories)
                if note:
                    not_applied.append((name, note))
        except (TypeError, ValueError) as exc:
            unexamined.append((name, f"could not compare its values: {type(exc).__name__}: {exc}"))
    return InvalidValuesResult(tuple(found), n_rows=n,
                               n_columns_checked=len(names) - len(unexamined),
                               unexamined=tuple(unexamined), not_applied=tuple(not_applied))


class _Column:
    """One column under examination; ``report`` appends a violation when the mask has any."""

    def __init__(self, name: str, s: pd.Series, n: int, out: list[Violation]) -> None:
        self.name, self.s, self.n, self.out = name, s, n, out

    def report(self, rule: str, mask: np.ndarray, detail: str, *, values: bool = True,
               chance: tuple[int, int] | None = None) -> None:
        """``chance`` = (fresh values, reference values): attach the p-value of the count
        of values past one end of the reference's range (see the module docstring)."""
        count = int(np.count_nonzero(mask))
        if count == 0:
            return
        p_value = None
        if chance is not None:
            p_value = float(stats.betabinom.sf(count - 1, chance[0], 1, chance[1]))
        positions = np.flatnonzero(mask)
        rows = tuple(_plain(v) for v in self.s.index[positions[:_N_EXAMPLES]])
        examples: tuple[Any, ...] = ()
        if values:
            top = self.s.iloc[positions].value_counts(dropna=True).index[:_N_EXAMPLES]
            examples = tuple(_plain(v) for v in top)
        self.out.append(Violation(self.name, rule, count, count / self.n if self.n else 0.0,
                                  detail, examples, rows, p_value))


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _as_numbers(spec: ColumnSpec, column: _Column) -> np.ndarray | None:
    """Float values of a numeric column (NaN where missing), or None when not numeric."""
    s = column.s
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return None
    if pd.api.types.is_numeric_dtype(dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    if spec.kind is not Kind.NUMERIC:
        return None
    # a column declared numeric that pandas holds as objects or strings: parse it, and
    # report what does not parse (mixed_types says more about those values)
    parsed = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    column.report("not_numeric", np.isnan(parsed) & s.notna().to_numpy(),
                  "not a number in a numeric column")
    return parsed


def _declared(spec: ColumnSpec, column: _Column) -> np.ndarray | None:
    s = column.s
    if not spec.nullable:
        column.report("missing_not_nullable", s.isna().to_numpy(), "missing in a non-nullable "
                      "column", values=False)
    x = _as_numbers(spec, column)
    if x is not None:
        column.report("infinite", np.isinf(x), "±inf")
        if spec.min is not None:
            column.report("below_min", x < spec.min, f"< min {spec.min:g}")
        if spec.max is not None:
            column.report("above_max", x > spec.max, f"> max {spec.max:g}")
        if spec.integer and not pd.api.types.is_integer_dtype(s.dtype):
            finite = np.isfinite(x)
            column.report("not_integer", finite & (x != np.floor(np.where(finite, x, 0.0))),
                          "not a whole number in an integer column")
    elif spec.min is not None or spec.max is not None:
        raise TypeError(f"min/max are declared but the column holds {s.dtype} values")
    if spec.allowed is not None:
        allowed = list(spec.allowed)
        bad = s.notna().to_numpy() & ~s.isin(allowed).to_numpy()
        column.report("not_allowed", bad, f"not in allowed {_preview(allowed)}")
    return x


def _against_reference(spec: ColumnSpec, column: _Column, x: np.ndarray | None,
                       ref: pd.Series, tolerance: float, max_categories: int) -> str:
    """Report values outside what the reference showed; return why a rule did not apply."""
    if spec.kind is Kind.NUMERIC and x is not None:
        r = _as_numbers(spec, _Column(column.name, ref, len(ref), []))
        if r is None:
            return ""
        r = r[np.isfinite(r)]
        if len(r) == 0:
            return "the reference has no finite values to take a range from"
        lo, hi = reference_bounds(r, tolerance)
        finite = np.isfinite(x)  # ±inf is reported once, as "infinite"
        chance = (int(finite.sum()), len(r))
        column.report("below_reference_range", (x < lo) & finite,
                      f"< {lo:g}, the reference's min less the tolerance", chance=chance)
        column.report("above_reference_range", (x > hi) & finite,
                      f"> {hi:g}, the reference's max plus the tolerance", chance=chance)
    elif spec.kind is Kind.CATEGORICAL:
        present = ref.dropna()
        seen = pd.unique(present)
        if len(seen) > max_categories or 2 * len(seen) > len(present):
            return (f"new categories not checked: the reference's {len(seen):,} distinct "
                    f"values in {len(present):,} rows do not define a domain")
        s = column.s
        new = s.notna().to_numpy() & ~s.isin(seen).to_numpy()
        column.report("new_category", new, f"not among the reference's {len(seen)} categories")
    return ""


def reference_bounds(values: np.ndarray, tolerance: float = 0.05) -> tuple[float, float]:
    """The reference's observed range, widened by ``tolerance`` of its width on each side.

    >>> reference_bounds(np.array([0.0, 50.0, 100.0]), tolerance=0.05)
    (-5.0, 105.0)
    """
    lo, hi = float(values.min()), float(values.max())
    margin = tolerance * (hi - lo)
    return lo - margin, hi + margin


def _preview(values: list[Any], limit: int = 8) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return "{" + shown + (", ..." if len(values) > limit else "") + "}"
