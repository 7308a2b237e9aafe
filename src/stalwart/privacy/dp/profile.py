"""Differentially private release of a stalwart profile (:mod:`stalwart.stats.profile`).

A profile holds exact counts and moments, so its count, mean and category counts can be
released with the same mechanisms as raw data (:mod:`.release`), without the raw rows:

* every column: the number of non-missing values (sensitivity 1);
* numeric columns with declared ``bounds``: the mean (half the column's share on the count,
  half on the centred sum). A profile keeps the exact sum of unclipped values, so values
  cannot be clipped afterwards: when the profile's min or max lies outside the declared
  bounds the release is refused (declare wider bounds, or clip before profiling);
* categorical, text and boolean columns with declared ``categories`` and exact counts: the
  counts of those categories. Sketched (approximate) counts are skipped: their error is not
  a sensitivity of one.

The total ``epsilon`` (and ``delta``) is split equally across the releases, by basic
composition; with an ``accountant`` the whole release is refused up front when it does not
fit. KLL quantiles are not released: their error under one person's change is not bounded
by a small sensitivity; use :func:`~stalwart.privacy.dp.release.dp_quantiles` on raw values.

>>> import pandas as pd
>>> from stalwart.stats.profile import profile
>>> p = profile(pd.DataFrame({"age": [30.0, 40.0, 50.0] * 100, "plan": ["a", "b", "b"] * 100}))
>>> r = dp_profile(p, epsilon=3.0, bounds={"age": (0, 100)}, categories={"plan": ["a", "b"]})
>>> [(x.label, x.statistic) for x in r.releases], r.epsilon_per_release
([('age.count', 'count'), ('age.mean', 'mean'), ('plan.count', 'count'), ('plan.counts', 'histogram')], 0.75)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import DataError, ParameterError
from ...stats.profile import ColumnProfile, DatasetProfile
from .accountant import PrivacyAccountant
from .mechanisms import as_generator
from .release import DPRelease, _accuracy, _bounds, make_mechanism

__all__ = ["DPProfileRelease", "dp_profile"]


@dataclass(frozen=True)
class DPProfileRelease:
    """The releases of one profile, the budget split and the columns left out (with why)."""

    releases: tuple[DPRelease, ...]
    epsilon: float
    delta: float
    epsilon_per_release: float
    skipped: tuple[tuple[str, str], ...]  # (column, reason)
    schema_version: str = "1.0"

    def to_dict(self, *, include_private: bool = False) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "epsilon": self.epsilon,
                         "delta": self.delta, "epsilon_per_release": self.epsilon_per_release,
                         "releases": [r.to_dict(include_private=include_private)
                                      for r in self.releases],
                         "skipped": [{"column": c, "reason": why} for c, why in self.skipped]})


def _plan(prof: DatasetProfile, names: Sequence[str], bounds: Mapping[str, Any],
          categories: Mapping[str, Sequence[Any]]) -> tuple[list[tuple[str, str]],
                                                            list[tuple[str, str]]]:
    planned, skipped = [], []
    for name in names:
        col = prof[name]
        planned.append((name, "count"))
        if col.kind == "numeric":
            if name in bounds:
                pair = bounds[name]
                if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") \
                        or len(pair) != 2:
                    raise ParameterError(f"bounds of {name!r}", expected="a pair (lower, upper)",
                                         got=repr(pair), fix=f"pass bounds={{{name!r}: (0, 100)}}")
                lo, hi = _bounds(*tuple(pair), f"mean of {name!r}")
                if col.n_values and (col.min < lo or col.max > hi):
                    raise DataError(f"bounds of {name!r}", expected="bounds holding every "
                                    "profiled value (a profile cannot clip afterwards)",
                                    got=f"({lo:g}, {hi:g}) while the profile's values reach "
                                    "outside them",
                                    fix="declare wider bounds, or clip the column before "
                                    "profiling it")
                planned.append((name, "mean"))
            else:
                skipped.append((name, "mean not released: no bounds declared"))
        elif col.kind in ("categorical", "text", "boolean"):
            if name not in categories:
                skipped.append((name, "category counts not released: no categories declared"))
            elif not col.counts_exact:
                skipped.append((name, "category counts not released: the profile's counts "
                                "are sketched (approximate), not exact"))
            else:
                planned.append((name, "counts"))
    return planned, skipped


def dp_profile(profile: DatasetProfile | ColumnProfile, *, epsilon: float, delta: float = 0.0,
               columns: Sequence[str] | None = None,
               bounds: Mapping[str, tuple[float, float]] | None = None,
               categories: Mapping[str, Sequence[Any]] | None = None,
               mechanism: str = "laplace", calibration: str = "classic",
               accountant: PrivacyAccountant | None = None,
               random_state: int | np.random.Generator = 0) -> DPProfileRelease:
    """Release a profile's counts, bounded means and declared category counts with DP."""
    if isinstance(profile, ColumnProfile):
        profile = DatasetProfile(profile.n_rows, {profile.name: profile})
    if not isinstance(profile, DatasetProfile):
        raise ParameterError("profile", expected="a DatasetProfile or ColumnProfile from "
                             "stalwart.stats.profile.profile", got=type(profile).__name__,
                             fix="build one with profile(frame)")
    bounds, categories = dict(bounds or {}), dict(categories or {})
    names = list(profile) if columns is None else [profile[c].name for c in columns]
    unknown = [c for c in list(bounds) + list(categories) if c not in profile]
    if unknown:
        raise ParameterError("bounds / categories", expected="profiled column names",
                             got=f"unknown {unknown}", fix=f"use names among {names[:12]}")
    planned, skipped = _plan(profile, names, bounds, categories)
    if not planned:
        raise DataError("profile", expected="at least one column", got="no column to release",
                        fix="profile some columns first")
    share_e, share_d = float(epsilon) / len(planned), float(delta) / len(planned)
    make_mechanism(mechanism, share_e, share_d, 1.0, calibration=calibration)  # validate
    if accountant is not None and not accountant.can_spend(epsilon, delta):
        accountant.spend(epsilon, delta, label="profile", mechanism=mechanism)  # raises
    rng = as_generator(random_state)
    releases = []
    for name, what in planned:
        col = profile[name]
        if accountant is not None:
            accountant.spend(share_e, share_d, label=f"{name}.{what}", mechanism=mechanism)
        releases.append(_release(col, what, share_e, share_d, mechanism, calibration,
                                 bounds.get(name), categories.get(name), rng))
    return DPProfileRelease(tuple(releases), float(epsilon), float(delta), share_e,
                            tuple(skipped))


def _release(col: ColumnProfile, what: str, eps: float, delta: float, mechanism: str,
             calibration: str, bounds: Any, cats: Any, rng: np.random.Generator) -> DPRelease:
    def mech(e: float, d: float, sensitivity: float) -> Any:
        return make_mechanism(mechanism, e, d, sensitivity, calibration=calibration)

    if what == "count":
        m = mech(eps, delta, 1.0)
        noisy = m.add_noise(float(col.count), random_state=rng)
        return DPRelease("count", f"{col.name}.count", noisy, eps, delta, (m.to_dict(),),
                         _accuracy(m), private={"true_value": col.count,
                                                "abs_error": abs(noisy - col.count)})
    if what == "mean":
        lo, hi = float(bounds[0]), float(bounds[1])
        mid = (lo + hi) / 2
        m_sum, m_cnt = mech(eps / 2, delta / 2, (hi - lo) / 2), mech(eps / 2, delta / 2, 1.0)
        n = col.n_values
        centred = (col.sum or 0.0) - mid * n
        noisy_sum = m_sum.add_noise(centred, random_state=rng)
        noisy_n = m_cnt.add_noise(float(n), random_state=rng)
        released = float(np.clip(mid + noisy_sum / max(noisy_n, 1.0), lo, hi))
        true = col.mean
        return DPRelease("mean", f"{col.name}.mean", released, eps, delta,
                         (m_sum.to_dict(), m_cnt.to_dict()),
                         {"sum_noise_std": m_sum.std, "count_noise_std": m_cnt.std},
                         {"lower": lo, "upper": hi},
                         {"true_value": true, "n": n,
                          "abs_error": None if true is None else abs(released - true)})
    m = mech(eps, delta, 1.0)
    counts = col.counts()
    true_counts = np.array([float(counts.get(str(c), 0)) for c in cats])
    noisy = m.add_noise(true_counts, random_state=rng)
    return DPRelease("histogram", f"{col.name}.counts", tuple(float(v) for v in noisy), eps,
                     delta, (m.to_dict(),), _accuracy(m), {"categories": list(cats)},
                     {"true_value": true_counts.tolist(),
                      "abs_error": np.abs(noisy - true_counts).tolist()})
