"""What the drift checks share: the two sides to compare, as raw tables or as profiles.

A drift run is fed either two tables (exact statistics) or two
:class:`~stalwart.stats.profile.DatasetProfile` objects (approximate statistics, no raw rows;
see docs/profiles.md). :func:`drift_suite_run` puts the profiles in the run's cache under
:data:`PROFILES`; checks that need raw rows (a classifier, a novelty model) say so and skip.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..check import CheckContext

__all__ = ["PROFILES", "TARGET", "compared_sides", "needs_raw_rows", "numeric_as_in_reference"]

#: cache key of the ``(reference, current)`` profiles when a run was given profiles
PROFILES = "drift:profiles"
#: cache key of the target's name in a profile run (profiles carry no column roles)
TARGET = "drift:target"


def compared_sides(ctx: CheckContext) -> tuple[Any, Any]:
    """``(reference, current)``: the two profiles of a profile run, else the two frames."""
    profiles = ctx.cache.get(PROFILES)
    if profiles is not None:
        return profiles
    assert ctx.reference is not None  # checked by the "reference" need
    return ctx.reference.frame, ctx.data.frame


def needs_raw_rows(ctx: CheckContext) -> list[str]:
    """The missing-needs entry of a check that cannot work from profiles."""
    if ctx.cache.get(PROFILES) is not None:
        return ["raw rows (this run compared profiles, which keep no rows)"]
    return []


def numeric_as_in_reference(ctx: CheckContext, frame: pd.DataFrame, *, drop_rows: bool
                            ) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` (current rows) with every column the reference holds as numbers read as
    numbers again: values that are not numbers (``"pending"`` in a numeric column) become
    missing, or with ``drop_rows`` their rows are left out (a model cannot score them).
    The type change itself is the schema-changes check's finding; here it must not stop
    the comparison of everything else. Returns the frame and one note per column."""
    assert ctx.reference is not None
    ref_schema = ctx.reference.schema
    out, notes = frame, []
    bad_rows = np.zeros(len(frame), dtype=bool)
    for name in frame.columns:
        if name not in ref_schema or ref_schema[name].kind.value != "numeric":
            continue
        col = frame[name]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        as_number = pd.to_numeric(col, errors="coerce")
        broken = (as_number.isna() & col.notna()).to_numpy()
        if not broken.any():
            out = out.assign(**{name: as_number.astype(float)})
            continue
        example = col[broken].iloc[0]
        out = out.assign(**{name: as_number.astype(float)})
        bad_rows |= broken
        action = "their rows are left out" if drop_rows else "treated as missing"
        notes.append(f"{name}: {int(broken.sum())} current values are not numbers (e.g. "
                     f"{example!r}), {action}")
    if drop_rows:
        # a model trained on a column that was never missing cannot be assumed to accept a
        # missing value there (a broken join upstream): those rows are left out too
        ref_frame = ctx.reference.frame
        for name in out.columns:
            if name in ref_frame and not ref_frame[name].isna().any():
                gaps = out[name].isna().to_numpy() & ~bad_rows
                if gaps.any():
                    bad_rows |= gaps
                    notes.append(f"{name}: {int(gaps.sum())} current rows are missing a value "
                                 "the training data always had; their rows are left out")
        if bad_rows.all():
            from ...exceptions import DataError
            raise DataError("current data", expected="rows the model can score",
                            got="every row has a value the model cannot take ("
                            + "; ".join(notes) + ")", fix="repair the upstream export")
        out = out.loc[~bad_rows]
    return out, notes
