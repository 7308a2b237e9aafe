"""Diagnose drift: say *what* changed between reference and current data, not only that it did.

:func:`diagnose` takes raw data on both sides (anything :meth:`stalwart.data.Dataset.from_any`
reads) or two :class:`~stalwart.stats.profile.DatasetProfile` objects; a profile on one side
and raw data on the other profiles the raw side. Both paths build one
:class:`~.summary.ColumnView` per column and share every check after that; the raw path is
exact and reuses :func:`stalwart.quality.invalid_values` (ranges),
:func:`stalwart.quality.missing_values` (disguised missing) and
:func:`stalwart.quality.mixed_types` (type examples); the profile path is approximate (KLL
rank error, stated in the evidence as ``approximate`` and an error bound).

Checks: missing / new / renamed columns, kind / type / dtype changes, new and vanished
categories, sentinel values, range violations, missing-share changes, and unit changes
(:func:`~.unit_change.fit_unit_change`), with location shifts and unexplained rescaling
reported apart from unit changes.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"temp": rng.normal(20, 5, 3000), "city": rng.choice(["a", "b"], 3000)})
>>> cur = pd.DataFrame({"temp": rng.normal(20, 5, 3000) * 1.8 + 32,
...                     "town": rng.choice(["a", "b"], 3000)})
>>> d = diagnose(ref, cur)
>>> [f.message for f in d.by_kind("renamed_column")]
["column 'city' looks renamed: city -> town (same values)"]
>>> d.by_kind("unit_change")[0].evidence["known_conversion"]
'celsius -> fahrenheit'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..._registry import Registry
from ...data import Dataset
from ...data.schema import Schema
from ...exceptions import DataError
from ...quality import mixed_types
from ...stats.profile import DatasetProfile, profile
from .categories import category_changes
from .ranges import missing_share_changes, range_violations
from .result import Diagnosis, Finding, sort_findings
from .schema_changes import column_changes, ks_distance, type_changes
from .sentinels import sentinel_values
from .summary import ColumnView
from .unit_change import QUANTILES, fit_unit_change_from_quantiles

__all__ = ["DIAGNOSIS_CHECKS", "CheckInput", "diagnose", "shape_changes"]


@dataclass(frozen=True)
class _Side:
    views: dict[str, ColumnView]
    n_rows: int
    frame: pd.DataFrame | None  # raw path only


def _from_profile(prof: DatasetProfile, what: str) -> _Side:
    if prof.n_rows == 0:
        raise DataError(what, expected="a profile of at least one row", got="0 rows",
                        fix="profile a non-empty window")
    views = {name: ColumnView.from_profile(col) for name, col in prof.columns.items()}
    return _Side(views, int(prof.n_rows), None)


def _from_raw(data: Any, what: str) -> _Side:
    ds = Dataset.from_any(data, name=what)
    frame = ds.frame
    views = {spec.name: ColumnView.from_series(frame[spec.name], spec.kind.value)
             for spec in ds.schema}
    return _Side(views, len(frame), frame)


def _sides(reference: Any, current: Any) -> tuple[_Side, _Side, str]:
    ref_prof = isinstance(reference, DatasetProfile)
    cur_prof = isinstance(current, DatasetProfile)
    if not ref_prof and not cur_prof:
        return _from_raw(reference, "reference"), _from_raw(current, "current"), "exact"
    if not ref_prof:
        reference = profile(Dataset.from_any(reference, name="reference").frame)
    if not cur_prof:
        current = profile(Dataset.from_any(current, name="current").frame)
    return _from_profile(reference, "reference"), _from_profile(current, "current"), "profile"


def shape_changes(ref: dict[str, ColumnView], cur: dict[str, ColumnView],
                  shared: list[str]) -> list[Finding]:
    """Unit changes, location shifts and rescaling of the numeric columns both sides hold."""
    out = []
    for name in shared:
        r, c = ref[name], cur[name]
        if not (r.kind == c.kind == "numeric" and r.numeric and c.numeric):
            continue
        if r.count < 20 or c.count < 20:
            continue  # 49 matched quantiles need more than a handful of values

        def ks(scale: float, offset: float, r: ColumnView = r, c: ColumnView = c) -> float:
            return ks_distance(r, c, scale, offset)

        fit = fit_unit_change_from_quantiles(
            r.quantiles(QUANTILES), c.quantiles(QUANTILES), ks, n_reference=r.count,
            n_current=c.count, slack=r.rank_error + c.rank_error,
            approximate=not (r.exact and c.exact))
        if fit is None:
            continue
        if fit.is_unit_change:
            also = f" (or {', '.join(fit.alternatives)})" if fit.alternatives else ""
            out.append(Finding("unit_change", (name,), "fail",
                               f"column {name!r} looks converted: {fit.known_conversion}{also};"
                               f" {fit.describe()}", fit.to_dict()))
        elif fit.is_location_shift:
            # the intercept trades off with the slope; the move of the median is what a
            # person reads as "the shift"
            median = float(r.quantiles([0.5])[0])
            shift = fit.scale * median + fit.offset - median
            out.append(Finding("location_shift", (name,), "warn",
                               f"column {name!r} shifted by {shift:+.4g} at the median (no "
                               f"known unit conversion); {fit.describe()}",
                               {**fit.to_dict(), "shift_at_median": shift}))
        else:
            out.append(Finding("scale_change", (name,), "warn",
                               f"column {name!r} rescaled: {fit.describe()} (no known unit "
                               "conversion; extra noise widens a column like this)",
                               fit.to_dict()))
    return out


def _with_type_examples(findings: list[Finding], frame: pd.DataFrame) -> list[Finding]:
    """Attach mixed_types' value kinds and example rows to raw-path type changes."""
    names = [f.column for f in findings if f.kind == "type_change"]
    if not names:
        return findings
    mixes = {m.column: m for m in mixed_types(frame, names).columns}
    out = []
    for f in findings:
        m = mixes.get(f.column) if f.kind == "type_change" else None
        if m is not None:
            f = dataclasses.replace(f, evidence={**f.evidence, "current_value_kinds": m.counts,
                                                 "examples": m.examples})
        out.append(f)
    return out


@dataclass(frozen=True)
class CheckInput:
    """What every registered check receives: both sides' views keyed by the current column
    names, the columns to compare, the raw frames (None on the profile path), the schema."""

    reference: dict[str, ColumnView]
    current: dict[str, ColumnView]
    columns: list[str]
    frames: tuple[pd.DataFrame, pd.DataFrame] | None
    schema: Schema | None


def _types(x: CheckInput) -> list[Finding]:
    found = type_changes(x.reference, x.current, x.columns)
    return _with_type_examples(found, x.frames[1]) if x.frames is not None else found


#: the per-column checks run by :func:`diagnose`, with what they find and need
DIAGNOSIS_CHECKS: Registry[Callable[[CheckInput], list[Finding]]] = Registry("diagnosis check")
DIAGNOSIS_CHECKS.register("types", _types, findings=("kind_change", "type_change",
                                                     "dtype_change"),
                          from_profile=True, raw_only=("dtype_change", "value examples"))
DIAGNOSIS_CHECKS.register(
    "categories", lambda x: category_changes(x.reference, x.current, x.columns),
    findings=("new_categories", "vanished_categories"), from_profile=True, raw_only=())
DIAGNOSIS_CHECKS.register(
    "sentinels", lambda x: sentinel_values(x.reference, x.current, x.columns),
    findings=("sentinel_value",), from_profile=True, raw_only=())
DIAGNOSIS_CHECKS.register(
    "ranges", lambda x: range_violations(x.reference, x.current, x.columns, schema=x.schema,
                                         frames=x.frames),
    findings=("range_violation",), from_profile=True, raw_only=("p-values of exact counts",))
DIAGNOSIS_CHECKS.register(
    "missing", lambda x: missing_share_changes(x.reference, x.current, x.columns,
                                               frames=x.frames),
    findings=("missing_share_change",), from_profile=True,
    raw_only=("disguised missing tokens",))
DIAGNOSIS_CHECKS.register(
    "shapes", lambda x: shape_changes(x.reference, x.current, x.columns),
    findings=("unit_change", "location_shift", "scale_change"), from_profile=True, raw_only=())


def diagnose(reference: Any, current: Any, *, schema: Schema | None = None) -> Diagnosis:
    """List what changed from ``reference`` to ``current``, worst first.

    ``schema`` adds declared ranges (``min`` / ``max``) and allowed values to the range
    check (by column name). A renamed column is checked like a shared one, under
    its current name. Raises :class:`~stalwart.exceptions.DataError` for empty data;
    reference and current data without a shared column give a ``no_shared_columns`` finding.
    """
    ref, cur, method = _sides(reference, current)
    shared = [c for c in ref.views if c in cur.views]
    findings = column_changes(ref.views, cur.views)
    # a renamed column is compared under its current name like any shared column
    renames = {f.evidence["from"]: f.evidence["to"] for f in findings
               if f.kind == "renamed_column"}
    frames = None
    if ref.frame is not None and cur.frame is not None:
        frames = (ref.frame.rename(columns=renames) if renames else ref.frame, cur.frame)
    given = CheckInput({renames.get(k, k): v for k, v in ref.views.items()}, cur.views,
                       shared + list(renames.values()), frames, schema)
    for _, check in DIAGNOSIS_CHECKS:
        findings += check(given)
    return Diagnosis(sort_findings(findings), n_reference=ref.n_rows, n_current=cur.n_rows,
                     method=method, shared_columns=tuple(shared))
