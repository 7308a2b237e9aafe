"""Simulated distribution shift: what a given drift would do to a model, before it happens.

- :func:`covariate_shift`: biased resampling. Row *i* is drawn with weight
  ``exp(strength * z_i)``, ``z_i`` the row's standardised value of ``feature`` (summed over
  several features; negated for ``direction="decrease"``), so P(x) changes and P(y | x) does
  not. Rows are drawn by inverse transform from one set of seeded uniforms over the rows
  sorted by ``z``; a larger strength then moves every draw to a row with a larger ``z``, so
  the feature's mean rises monotonically with the strength for a given seed (the weights
  have a monotone likelihood ratio in ``z``). The achieved shift is reported in standard
  deviations, with the effective sample size ``(sum w)^2 / sum w^2`` of the weights (how
  many rows really support the shifted sample).
- :func:`label_shift`: resampling within classes to new class priors (``priors``) or with
  classes removed (``knock_out``), so P(y) changes and P(x | y) does not. Counts per class
  are ``n * prior`` rounded by largest remainder, so the achieved priors equal the requested
  ones to within ``1 / n``.
- :func:`concept_shift`: the labels of the rows in a ``region`` (a mask, a callable or a
  pandas query) are changed (binary labels swapped, several classes moved to the next one,
  or a mapping / function of your own), so P(y | x) changes there and nowhere else.
- :func:`temporal_split`: the rows before and after a cutoff time: train on the past, test
  on the future.

Each returns a :class:`ShiftedSample` (or a :class:`TemporalSplit`) with the achieved shift
in ``size``; :func:`~stalwart.perturb.robustness.shift_impact` scores a model on them.

>>> import numpy as np, pandas as pd
>>> X = pd.DataFrame({"age": np.arange(100.0)})
>>> s = covariate_shift(X, np.zeros(100), feature="age", strength=1.0, random_state=0)
>>> s.size["mean_shift_sd"]["age"] > 0.5
True
>>> y = np.r_[np.zeros(80), np.ones(20)]
>>> label_shift(X, y, priors={0.0: 0.5, 1.0: 0.5}).size["priors_after"]
{0.0: 0.5, 1.0: 0.5}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError

__all__ = ["ShiftedSample", "TemporalSplit", "concept_shift", "covariate_shift",
           "label_shift", "temporal_split"]


@dataclass(frozen=True)
class ShiftedSample:
    """Rows under a simulated shift: ``X`` and ``y``, the original positions they came
    from (``rows``), the positions whose label changed (``changed``, concept shift) and the
    achieved shift (``size``)."""

    kind: str
    name: str
    X: Any = field(repr=False)
    y: np.ndarray | None = field(repr=False)
    size: Mapping[str, Any]
    rows: np.ndarray | None = field(default=None, repr=False)
    changed: np.ndarray | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """What a result records (the rows themselves are left out)."""
        return jsonable({"kind": self.kind, "name": self.name, "n_rows": len(self.X),
                         "size": dict(self.size), "warnings": list(self.warnings)})


def _take(X: Any, rows: np.ndarray) -> Any:
    return X.iloc[rows].reset_index(drop=True) if isinstance(X, pd.DataFrame) else np.asarray(X)[rows]


def _column(X: Any, feature: Any) -> np.ndarray:
    if isinstance(X, pd.DataFrame):
        if feature not in X.columns:
            raise DataError(f"feature {feature!r}", expected="a column of X",
                            got=f"columns {list(X.columns)[:10]}", fix="name a column of X")
        values = X[feature]
    else:
        arr = np.asarray(X)
        if arr.ndim != 2 or not isinstance(feature, (int, np.integer)) \
                or not 0 <= feature < arr.shape[1]:
            raise DataError(f"feature {feature!r}", expected="a column index of the 2-D array X",
                            got=f"shape {arr.shape}", fix="pass a DataFrame or a valid index")
        values = pd.Series(arr[:, feature])
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataError(f"feature {feature!r}", expected="a numeric column to bias the "
                        "sampling on", got=f"dtype {values.dtype}",
                        fix="choose a numeric feature, or use concept_shift/label_shift with "
                            "a region of categories")
    return values.to_numpy(dtype=float)


def _n(n: Any, default: int) -> int:
    if n is None:
        return default
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError("n", expected="a positive number of rows or None (as many as X)",
                             got=repr(n), fix="pass n=None")
    return int(n)


def covariate_shift(X: Any, y: Any = None, *, feature: Any, strength: float = 1.0,
                    direction: str = "increase", n: int | None = None,
                    random_state: int | None = 0) -> ShiftedSample:
    """Resample ``X`` (and ``y``) with weights ``exp(strength * z)`` on ``feature`` (one
    name or several); see the module docstring. Missing values count as the mean (z=0)."""
    features = [feature] if isinstance(feature, (str, int, np.integer)) else list(feature)
    if not features:
        raise ParameterError("feature", expected="a column name (or several)", got="none",
                             fix="pass feature='age'")
    if isinstance(strength, bool) or not isinstance(strength, (int, float, np.number)) \
            or not np.isfinite(strength) or strength < 0:
        raise ParameterError("strength", expected="a finite number >= 0 (0: no shift)",
                             got=repr(strength), fix="pass e.g. strength=1.0")
    if direction not in ("increase", "decrease"):
        raise ParameterError("direction", expected="'increase' or 'decrease'",
                             got=repr(direction), fix="pass direction='increase'")
    if y is not None and (np.ndim(y) != 1 or len(y) != len(X)):
        raise DataError("y", expected=f"one label per row of X ({len(X)})",
                        got=f"shape {np.shape(y)}", fix="pass the labels of X's rows")
    sign = 1.0 if direction == "increase" else -1.0
    score = np.zeros(len(X))
    columns = {}
    for f in features:
        values = _column(X, f)
        # an all-missing column: nanstd would warn before the error below says so
        sd = np.nanstd(values) if np.isfinite(values).any() else np.nan
        if not np.isfinite(sd) or sd == 0:
            raise DataError(f"feature {f!r}", expected="a column that varies",
                            got="a constant (or empty) column", fix="choose another feature")
        columns[f] = (values, float(np.nanmean(values)), float(sd))
        score += np.nan_to_num((values - np.nanmean(values)) / sd)
    logw = sign * float(strength) * score
    w = np.exp(logw - logw.max())
    order = np.argsort(sign * score, kind="stable")  # ascending in the favoured direction
    cdf = np.cumsum(w[order]) / w.sum()
    u = np.random.default_rng(random_state).random(_n(n, len(X)))
    rows = order[np.minimum(np.searchsorted(cdf, u, side="right"), len(order) - 1)]
    ess = float(w.sum() ** 2 / np.sum(w ** 2))
    size = {"features": [str(f) for f in features], "strength": float(strength),
            "direction": direction, "effective_sample_size": ess,
            "mean_shift_sd": {str(f): float((np.nanmean(v[rows]) - m) / sd)
                              for f, (v, m, sd) in columns.items()},
            "distinct_rows": int(np.unique(rows).size)}
    warnings = () if ess >= 30 else (f"the weights rest on {ess:.1f} effective rows: the "
                                     "shifted sample repeats a handful of rows",)
    name = f"covariate {','.join(map(str, features))} {direction} x{strength:g}"
    return ShiftedSample("covariate", name, _take(X, rows),
                         None if y is None else np.asarray(y)[rows], size, rows, None, warnings)


def label_shift(X: Any, y: Any, *, priors: Mapping[Any, float] | None = None,
                knock_out: Sequence[Any] | None = None, n: int | None = None,
                random_state: int | None = 0) -> ShiftedSample:
    """Resample rows within classes to the class ``priors`` (every class of ``y`` named,
    summing to 1) or with the ``knock_out`` classes removed (the others keep their
    proportions)."""
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) != len(X) or len(labels) == 0:
        raise DataError("y", expected=f"one label per row of X ({len(X)})",
                        got=f"shape {labels.shape}", fix="pass the labels of X's rows")
    classes, counts = np.unique(labels, return_counts=True)
    before = {c.item() if hasattr(c, "item") else c: k / len(labels)
              for c, k in zip(classes, counts, strict=True)}
    if (priors is None) == (knock_out is None):
        raise ParameterError("label_shift", expected="exactly one of priors= or knock_out=",
                             got="both" if priors is not None else "neither",
                             fix="pass priors={class: share} or knock_out=[class]")
    if knock_out is not None:
        gone = list(knock_out) if isinstance(knock_out, (list, tuple, set)) else [knock_out]
        _known(gone, before, "knock_out")
        kept = {c: p for c, p in before.items() if c not in gone}
        if not kept:
            raise ParameterError("knock_out", expected="at least one class left",
                                 got=f"every class {list(before)}", fix="keep one class")
        total = sum(kept.values())
        priors = {c: (kept[c] / total if c in kept else 0.0) for c in before}
    priors = dict(priors)
    _known(list(priors), before, "priors")
    missing = [c for c in before if c not in priors]
    values = np.array([priors.get(c, 0.0) for c in before], dtype=float)
    if missing or np.any(values < 0) or not np.isclose(values.sum(), 1.0, atol=1e-6):
        raise ParameterError("priors", expected=f"a share >= 0 for every class {list(before)}, "
                             "summing to 1", got=repr(priors),
                             fix="name each class (0 to drop one) or use knock_out=")
    total_n = _n(n, len(labels))
    raw = values * total_n
    alloc = np.floor(raw).astype(int)
    extra = total_n - alloc.sum()
    alloc[np.argsort(-(raw - alloc), kind="stable")[:extra]] += 1  # largest remainder
    rng = np.random.default_rng(random_state)
    parts = []
    for c, k in zip(classes, alloc, strict=True):
        pool = np.flatnonzero(labels == c)
        if k:
            parts.append(rng.choice(pool, size=k, replace=bool(k > pool.size)))
    rows = rng.permutation(np.concatenate(parts))
    after = {c: int(k) / total_n for c, k in zip(before, alloc, strict=True)}
    size = {"priors_before": before, "priors_requested": {c: float(priors[c]) for c in before},
            "priors_after": after,
            "total_variation": 0.5 * float(sum(abs(after[c] - before[c]) for c in before))}
    warnings = tuple(f"class {c!r} has {int(np.sum(labels == c))} rows drawn {int(k)} times: "
                     "the shifted sample repeats them" for c, k in zip(classes, alloc, strict=True)
                     if k > 2 * np.sum(labels == c))
    name = ("label knock out " + ",".join(map(str, knock_out)) if knock_out is not None
            else "label priors " + ",".join(f"{c}:{after[c]:.2f}" for c in before))
    return ShiftedSample("label", name, _take(X, rows), labels[rows], size, rows, None, warnings)


def _known(named: list[Any], before: Mapping[Any, float], what: str) -> None:
    unknown = [c for c in named if c not in before]
    if unknown:
        raise DataError(what, expected=f"classes of y {list(before)}", got=f"{unknown}",
                        fix="name classes that occur in y")


def concept_shift(X: Any, y: Any, *, region: Any, flip: Any = None, share: float = 1.0,
                  random_state: int | None = 0) -> ShiftedSample:
    """Change the labels of the rows in ``region`` (a boolean mask, ``region(X) -> mask``,
    or a query string such as ``"age > 60"`` on a DataFrame); ``share`` of them (seeded)
    when below 1. ``flip``: None swaps two classes (several: each to the next, in sorted
    order), a mapping ``{old: new}``, or a function of the region's labels."""
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) != len(X):
        raise DataError("y", expected=f"one label per row of X ({len(X)})",
                        got=f"shape {labels.shape}", fix="pass the labels of X's rows")
    mask = _region(X, region)
    if not (isinstance(share, (int, float)) and not isinstance(share, bool) and 0 < share <= 1):
        raise ParameterError("share", expected="a number in (0, 1]", got=repr(share),
                             fix="pass share=1.0 to change every label in the region")
    inside = np.flatnonzero(mask)
    if inside.size == 0:
        raise DataError("region", expected="at least one row of X", got="no row",
                        fix="widen the region")
    if share < 1:
        k = max(1, int(round(share * inside.size)))
        inside = np.sort(np.random.default_rng(random_state).choice(inside, k, replace=False))
    flipped = _flipped(labels, labels[inside], flip)
    # widen the labels' dtype to hold the new ones ("<U1" would cut "other" to "o", an
    # integer array would cut 0.5 off a float label)
    new = labels.astype(np.result_type(labels, flipped)
                        if labels.dtype.kind in "biufU" and flipped.dtype.kind in "biufU"
                        and (labels.dtype.kind == "U") == (flipped.dtype.kind == "U")
                        else object)
    new[inside] = flipped
    changed = np.flatnonzero(new != labels)
    size = {"region_rows": int(mask.sum()), "region_share": float(mask.mean()),
            "changed_rows": int(changed.size), "changed_share": float(changed.size / len(labels))}
    warnings = () if changed.size else ("the flip left every label in the region as it was",)
    name = f"concept {region if isinstance(region, str) else 'region'}"
    return ShiftedSample("concept", name, X, new, size, None, changed, warnings)


def _region(X: Any, region: Any) -> np.ndarray:
    if isinstance(region, str):
        if not isinstance(X, pd.DataFrame):
            raise ParameterError("region", expected="a mask or a callable for an array X",
                                 got=repr(region), fix="pass a DataFrame to use a query")
        try:
            mask = X.eval(region)
        except Exception as exc:  # noqa: BLE001 - pandas raises many kinds here
            raise ParameterError("region", expected="a pandas query such as 'age > 60'",
                                 got=f"{region!r} ({type(exc).__name__}: {exc})"[:200],
                                 fix="name columns of X in the query") from None
    elif callable(region):
        mask = region(X)
    else:
        mask = region
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (len(X),):
        raise ParameterError("region", expected=f"one True/False per row of X ({len(X)})",
                             got=f"dtype {mask.dtype}, shape {mask.shape}",
                             fix="pass a boolean mask, a callable returning one, or a query")
    return mask


def _flipped(labels: np.ndarray, part: np.ndarray, flip: Any) -> np.ndarray:
    if callable(flip):
        out = np.asarray(flip(part.copy()))
        if out.shape != part.shape:
            raise ParameterError("flip", expected=f"{part.size} new labels", got=f"shape "
                                 f"{out.shape}", fix="return one label per region row")
        return out
    if isinstance(flip, Mapping):
        out = [flip.get(v.item() if hasattr(v, "item") else v, v) for v in part]
        return np.array(out, dtype=labels.dtype if labels.dtype == object else None)
    if flip is not None:
        raise ParameterError("flip", expected="None, a mapping {old: new} or a function",
                             got=repr(flip)[:80], fix="pass flip={0: 1, 1: 0}")
    classes = np.unique(labels)
    if labels.dtype.kind == "f" and not np.all(classes == np.round(classes)) \
            or classes.size < 2:
        raise ParameterError("flip", expected="a function for a numeric target (or labels "
                             "with at least two classes)", got=f"{classes.size} distinct values",
                             fix="pass flip=lambda v: v * 1.2, or a mapping")
    nxt = {c: classes[(i + 1) % classes.size] for i, c in enumerate(classes)}
    return np.array([nxt[v] for v in part], dtype=labels.dtype)


@dataclass(frozen=True)
class TemporalSplit:
    """The rows before ``cutoff`` (``before``: train on them) and from it on (``after``)."""

    before: pd.DataFrame = field(repr=False)
    after: pd.DataFrame = field(repr=False)
    cutoff: Any
    size: Mapping[str, Any]

    def sample(self, target: str, *, features: Sequence[str] | None = None) -> ShiftedSample:
        """The later rows as a :class:`ShiftedSample` for ``shift_impact``."""
        if target not in self.after.columns:
            raise DataError(f"target {target!r}", expected="a column of the frame",
                            got=f"columns {list(self.after.columns)[:10]}", fix="name the label")
        unknown = [] if features is None else [c for c in features
                                                 if c not in self.after.columns]
        if unknown:
            raise DataError("features", expected="columns of the frame",
                            got=f"unknown {unknown[:10]}", fix="name columns of the frame")
        cols = list(features) if features is not None else [
            c for c in self.after.columns if c not in (target, self.size["time_column"])]
        return ShiftedSample("temporal", f"temporal from {self.cutoff}", self.after[cols],
                             self.after[target].to_numpy(), dict(self.size))

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"cutoff": str(self.cutoff), "size": dict(self.size)})


def temporal_split(frame: pd.DataFrame, *, time_column: str, cutoff: Any) -> TemporalSplit:
    """Split ``frame`` at ``cutoff`` on ``time_column``; rows without a time are left out and
    counted."""
    if not isinstance(frame, pd.DataFrame) or time_column not in frame.columns:
        raise DataError(f"time column {time_column!r}", expected="a column of a DataFrame",
                        got=f"{type(frame).__name__}" + (f" with columns {list(frame.columns)[:10]}"
                                                         if isinstance(frame, pd.DataFrame)
                                                         else ""),
                        fix="pass the frame and the name of its time column")
    times = frame[time_column]
    if pd.api.types.is_datetime64_any_dtype(times) and not isinstance(cutoff, pd.Timestamp):
        try:
            cutoff = pd.Timestamp(cutoff)
        except (TypeError, ValueError):
            raise ParameterError("cutoff", expected="a time", got=repr(cutoff),
                                 fix="pass e.g. cutoff='2024-06-01'") from None
    known = times.notna().to_numpy()
    try:
        early = (times < cutoff).to_numpy() & known
    except TypeError:
        raise ParameterError("cutoff", expected=f"a value comparable with {time_column!r} "
                             f"({times.dtype})", got=repr(cutoff),
                             fix="pass a cutoff of the column's type") from None
    late = known & ~early
    if not early.any() or not late.any():
        raise DataError("temporal split", expected="rows on both sides of the cutoff",
                        got=f"{int(early.sum())} before and {int(late.sum())} after {cutoff}",
                        fix="choose a cutoff inside the column's range")
    before, after = frame.loc[early], frame.loc[late]
    size = {"time_column": time_column, "n_before": int(early.sum()),
            "n_after": int(late.sum()), "n_missing_time": int((~known).sum()),
            "before_range": [str(before[time_column].min()), str(before[time_column].max())],
            "after_range": [str(after[time_column].min()), str(after[time_column].max())]}
    return TemporalSplit(before, after, cutoff, size)
