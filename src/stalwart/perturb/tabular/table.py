"""What every tabular perturbation shares: tables in and out, column choice, notes, constraints.

:class:`TabularPerturbation` turns its input into a DataFrame (a 2-D numpy array becomes
one with columns ``0..p-1``), reads each column's kind with :meth:`Schema.infer
<stalwart.data.Schema.infer>` (numeric, categorical, boolean, datetime, text, other), and
in ``transform`` walks every column of a *copy*: a column outside ``columns``, of a kind the
perturbation cannot take, or immutable under the declared :class:`Constraints` is left as it
is with a note saying why; every other column is perturbed, the changed cells are clipped to
their declared range and rounded when the column is integer (``respect_constraints=True``,
the default), and the note records what changed. The output has the input's type: a
DataFrame with the same columns and index, or a numpy array.

Subclasses set ``name``, ``accepts`` (the column kinds they can take), ``title`` (for the
notes), optionally ``_learn`` (per-column statistics from clean data) and ``_begin``
(draws shared by the columns of one call), and implement ``_perturb(col, series, rng)``
returning ``(new_series, changed_mask, detail)`` or a reason string when the column cannot
take it.

The robust spread used by the noise, outlier and rounding perturbations is
``IQR / 1.349`` (the standard deviation of normal data; Huber & Ronchetti, 2009), falling
back to the standard deviation when the IQR is zero:

>>> round(robust_spread(np.arange(101.0)), 3)
37.064
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...data.schema import Schema
from ...exceptions import DataError, ParameterError
from ..base import Perturbation, PerturbationNote
from .constraints import Constraints

__all__ = ["TabularPerturbation", "check_share", "robust_spread"]

_NUMERIC = frozenset({"numeric"})


def robust_spread(values: Any) -> float:
    """IQR / 1.349 of the finite values, else their standard deviation, else 0."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size < 2:
        return 0.0
    q1, q3 = np.quantile(v, [0.25, 0.75])
    if q3 > q1:
        return float((q3 - q1) / 1.349)
    return float(v.std(ddof=1))


def check_share(option: str, value: Any, *, upper: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0.0 < float(value) <= upper:
        raise ParameterError(option, expected=f"a number in (0, {upper:g}]", got=repr(value),
                             fix=f"pass e.g. {option}=0.1, or leave it None to follow severity")
    return float(value)


def _as_frame(X: Any, what: str) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        frame = X
    elif isinstance(X, np.ndarray) and X.ndim == 2:
        frame = pd.DataFrame(X)
    else:
        shape = getattr(X, "shape", None)
        raise DataError(what, expected="a DataFrame or a 2-D numpy array",
                        got=f"{type(X).__name__}" + (f" of shape {shape}" if shape else ""),
                        fix="pass a table (reshape a single column with X.reshape(-1, 1))")
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise DataError(what, expected="at least one row and one column",
                        got=f"shape {frame.shape}", fix="pass a non-empty table")
    if not frame.columns.is_unique:
        raise DataError(what, expected="unique column names",
                        got=f"duplicates in {list(frame.columns)[:12]}", fix="rename them")
    return frame


class TabularPerturbation(Perturbation):
    """Base of the tabular perturbations (see the module docstring)."""

    kind: ClassVar[str] = "tabular"
    accepts: ClassVar[frozenset[str]] = _NUMERIC
    title: ClassVar[str] = "this perturbation"
    #: True when the perturbation cannot honour a declared range (a unit change)
    breaks_ranges: ClassVar[bool] = False
    columns: Any = None
    constraints: Any = None
    respect_constraints: bool = True

    # -- fit -------------------------------------------------------------------------------
    def _fit(self, X: Any) -> None:
        frame = _as_frame(X, "training data")
        if not isinstance(self.respect_constraints, bool):
            raise ParameterError("respect_constraints", expected="True or False",
                                 got=repr(self.respect_constraints),
                                 fix="pass respect_constraints=False to break constraints")
        self.columns_in_ = list(frame.columns)
        self.kinds_ = {spec.name: spec.kind.value for spec in Schema.infer(frame)}
        self.selected_ = self._select(frame)
        self.targets_ = [c for c in self.selected_ if self.kinds_[c] in self.accepts]
        constraints = Constraints.coerce(self.constraints)
        self.constraints_ = constraints.check(
            frame, self.targets_ if self.respect_constraints else [])
        self._learn(frame)

    def _wanted(self) -> Any:
        """The columns asked for (default: the ``columns`` option)."""
        return self.columns

    def _select(self, frame: pd.DataFrame) -> list[Any]:
        cols = self._wanted()
        if cols is None:
            return list(frame.columns)
        if isinstance(cols, (str, int, np.integer)):
            cols = [cols]
        if not isinstance(cols, (list, tuple)) or not cols:
            raise ParameterError("columns", expected="None (every column) or a non-empty list "
                                 "of column names", got=repr(cols),
                                 fix="pass columns=['a', 'b'] (positions for numpy arrays)")
        unknown = [c for c in cols if c not in frame.columns]
        if unknown:
            raise ParameterError("columns", expected=f"columns of the data "
                                 f"{list(frame.columns)[:12]}", got=f"unknown {unknown}",
                                 fix="correct the names (numpy arrays: positions 0..p-1)")
        return list(cols)

    def _learn(self, frame: pd.DataFrame) -> None:
        """Learn per-column statistics from the clean table (default: nothing)."""

    # -- transform -------------------------------------------------------------------------
    def _transform(self, X: Any) -> Any:
        frame = _as_frame(X, "data to perturb")
        if list(frame.columns) != self.columns_in_:
            raise DataError("data to perturb", expected=f"the fitted columns "
                            f"{self.columns_in_[:12]}", got=f"{list(frame.columns)[:12]}",
                            fix="pass a table with the columns the perturbation was fitted on")
        frame = frame.copy(deep=True)
        rng = self.rng()
        self._begin(frame, rng)
        notes = []
        for col in frame.columns:
            reason = self._why_not(col)
            out = reason or self._perturb(col, frame[col], rng)
            if isinstance(out, str):
                notes.append(PerturbationNote(str(col), False, reason=out))
                continue
            new, changed, detail = out
            if self.respect_constraints:
                new = self._constrain(col, frame[col], new, np.asarray(changed, dtype=bool))
            frame[col] = new
            notes.append(PerturbationNote(str(col), True, detail=detail))
        self.notes_ = notes
        return frame if isinstance(X, pd.DataFrame) else frame.to_numpy()

    def _begin(self, frame: pd.DataFrame, rng: np.random.Generator) -> None:
        """Draws shared by every column of one call (default: none)."""

    @abstractmethod
    def _perturb(self, col: Any, s: pd.Series, rng: np.random.Generator) -> Any:
        """The perturbed column ``s`` (a Series) and, optionally, what changed."""

    def _why_not(self, col: Any) -> str:
        kind = self.kinds_[col]
        if col not in self.selected_:
            return f"not selected (columns={list(self.selected_)[:12]})"
        if kind not in self.accepts:
            return f"{kind} column: {self.title} needs {' or '.join(sorted(self.accepts))} columns"
        if self.respect_constraints and col in self.constraints_.immutable:
            return "immutable (declared constraint): left untouched"
        if self.respect_constraints and self.breaks_ranges and col in self.constraints_.ranges:
            return (f"declared range {list(self.constraints_.ranges[col])}: {self.title} would "
                    "leave it; pass respect_constraints=False to apply it anyway")
        return ""

    def _constrain(self, col: Any, old: pd.Series, new: pd.Series,
                   changed: np.ndarray) -> pd.Series:
        """Clip and round the changed numeric cells; keep an integer dtype when possible."""
        if not pd.api.types.is_numeric_dtype(new) or pd.api.types.is_bool_dtype(new):
            return new
        integer = self.constraints_.is_integer(col, old)
        values = new.astype(float)
        if changed.any() and (integer or col in self.constraints_.ranges):
            values[changed] = self.constraints_.enforce(col, values[changed], integer=integer)
        elif not pd.api.types.is_integer_dtype(old.dtype):
            return new
        # a nullable integer dtype (Int64) holds missing values: keep it; numpy int cannot
        if pd.api.types.is_integer_dtype(old.dtype) and (
                not values.isna().any() or isinstance(old.dtype, pd.api.extensions.ExtensionDtype)):
            return values.astype(old.dtype)
        return values

    # -- helpers for subclasses ------------------------------------------------------------
    def _level(self, option: str, value: Any, levels: tuple[float, ...]) -> float:
        """The option when given (checked as a share), else the severity's level."""
        if value is None:
            return levels[int(self.severity) - 1]
        return check_share(option, value)

    def _numeric(self, s: pd.Series) -> np.ndarray:
        return s.to_numpy(dtype=float, na_value=np.nan)
