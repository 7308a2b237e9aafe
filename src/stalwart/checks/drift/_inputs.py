"""What the drift checks share: the two sides to compare, as raw tables or as profiles.

A drift run is fed either two tables (exact statistics) or two
:class:`~stalwart.stats.profile.DatasetProfile` objects (approximate statistics, no raw rows;
see docs/profiles.md). :func:`drift_suite_run` puts the profiles in the run's cache under
:data:`PROFILES`; checks that need raw rows (a classifier, a novelty model) say so and skip.
"""

from __future__ import annotations

from typing import Any

from ..check import CheckContext

__all__ = ["PROFILES", "TARGET", "compared_sides", "needs_raw_rows"]

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
