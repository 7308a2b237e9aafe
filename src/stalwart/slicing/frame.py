"""Metrics by group, in the shape of fairlearn's ``MetricFrame`` (written here, no dependency).

Any metric ``f(y_true, y_pred)`` is computed overall and on every group of one or more
columns (numeric columns are cut into quantile bins, see :mod:`.binning`). ``y_pred`` may be
labels, scores or an (n, k) probability matrix: rows are selected, the metric sees the rest.
The summary per metric follows fairlearn: ``difference`` is max - min over groups,
``difference_to_overall`` the largest ``|group - overall|``, ``ratio`` min / max and
``ratio_to_overall`` the smallest of ``group / overall`` and ``overall / group``.

>>> import numpy as np, pandas as pd
>>> from sklearn.metrics import accuracy_score
>>> y = np.array([1, 1, 0, 0, 1, 0])
>>> p = np.array([1, 0, 0, 0, 1, 1])
>>> mf = metric_frame(y, p, by=pd.Series(list("aaabbb"), name="g"),
...                   metrics={"acc": accuracy_score}, min_group_size=1)
>>> mf.by_group()["acc"].round(3).tolist()
[0.667, 0.667]
>>> mf.summary["acc"]["difference"]
0.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from .binning import bin_column

__all__ = ["GroupMetrics", "SliceMetrics", "group_frame", "metric_frame"]


@dataclass(frozen=True)
class GroupMetrics:
    """One group: its labels (one per column), its size and the metric values."""

    key: tuple[str, ...]
    size: int
    values: dict[str, float]


@dataclass(frozen=True)
class SliceMetrics:
    """Metrics overall and by group, with a per-metric summary and the small groups."""

    columns: tuple[str, ...]
    metrics: tuple[str, ...]
    overall: dict[str, float]
    groups: tuple[GroupMetrics, ...]
    summary: dict[str, dict[str, Any]]
    min_group_size: int
    small_groups: tuple[tuple[str, ...], ...]
    warnings: tuple[str, ...] = field(default=())
    schema_version: int = 1

    def by_group(self) -> pd.DataFrame:
        """One row per group (index: the grouping columns), one column per metric + size."""
        index = pd.MultiIndex.from_tuples([g.key for g in self.groups], names=self.columns)
        rows = [{**g.values, "size": g.size} for g in self.groups]
        return pd.DataFrame(rows, index=index, columns=[*self.metrics, "size"])

    def chart(self) -> dict[str, Any]:
        """Data for a grouped bar chart: labels, sizes and one series per metric."""
        return {"labels": [" & ".join(g.key) for g in self.groups],
                "sizes": [g.size for g in self.groups],
                "series": {m: [g.values[m] for g in self.groups] for m in self.metrics},
                "overall": dict(self.overall)}

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "columns": self.columns,
                         "metrics": self.metrics, "overall": self.overall,
                         "groups": [{"key": g.key, "size": g.size, "values": g.values}
                                    for g in self.groups],
                         "summary": self.summary, "min_group_size": self.min_group_size,
                         "small_groups": self.small_groups, "warnings": self.warnings,
                         "chart": self.chart()})


def group_frame(by: Any, n_rows: int, *, name: str = "by",
                default: str = "group") -> pd.DataFrame:
    """The grouping columns ``by`` (a DataFrame, Series, mapping of columns or 1-D array) as
    a DataFrame of ``n_rows`` rows with a fresh index, or a :class:`DataError` that names
    the argument ``name``; an unnamed Series or array becomes the column ``default``."""
    if isinstance(by, pd.DataFrame):
        frame = by
    elif isinstance(by, pd.Series):
        frame = by.to_frame(name=by.name if by.name is not None else default)
    elif isinstance(by, Mapping):
        frame = pd.DataFrame(dict(by))
    else:
        arr = np.asarray(by, dtype=object)
        if arr.ndim != 1:
            raise DataError(name, expected="a Series, DataFrame, dict of columns or 1-D "
                            "array", got=f"an array of shape {arr.shape}",
                            fix="pass a DataFrame to group by several columns")
        frame = pd.DataFrame({default: np.asarray(by)})
    if frame.shape[1] == 0 or len(frame) != n_rows:
        raise DataError(name, expected=f"at least one column with {n_rows} rows (one per "
                        "label)", got=f"{frame.shape[1]} columns of {len(frame)} rows",
                        fix="pass grouping columns aligned with the labels (same rows)")
    return frame.reset_index(drop=True)


def _metric_dict(metrics: Any) -> dict[str, Callable[..., Any]]:
    if callable(metrics):
        return {getattr(metrics, "__name__", "metric"): metrics}
    if isinstance(metrics, Mapping) and metrics and all(callable(f) for f in metrics.values()):
        return {str(k): f for k, f in metrics.items()}
    raise ParameterError("metrics", expected="a callable f(y_true, y_pred) or a non-empty "
                         "dict of them", got=repr(metrics),
                         fix="pass metrics={'accuracy': sklearn.metrics.accuracy_score}")


def _summarise(overall: float, values: np.ndarray, keys: list[tuple[str, ...]],
               greater_is_better: bool) -> dict[str, Any]:
    ok = np.isfinite(values)
    if not ok.any():
        return {"group_min": None, "group_max": None, "difference": None,
                "difference_to_overall": None, "ratio": None, "ratio_to_overall": None,
                "worst_group": None, "worst_value": None, "greater_is_better": greater_is_better}
    v = values[ok]
    lo, hi = float(v.min()), float(v.max())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = lo / hi if hi != 0 else (1.0 if lo == 0 else float("nan"))
        to_overall = (np.minimum(v / overall, overall / v) if overall != 0
                      else np.full_like(v, np.nan))
    worst = int(np.flatnonzero(ok)[np.argmin(v) if greater_is_better else np.argmax(v)])
    return {"group_min": lo, "group_max": hi, "difference": hi - lo,
            "difference_to_overall": float(np.max(np.abs(v - overall))),
            "ratio": float(ratio),
            "ratio_to_overall": float(np.min(to_overall)) if overall != 0 else float("nan"),
            "worst_group": list(keys[worst]), "worst_value": float(values[worst]),
            "greater_is_better": greater_is_better}


def metric_frame(y_true: Any, y_pred: Any, *, by: Any,
                 metrics: Callable[..., Any] | Mapping[str, Callable[..., Any]],
                 greater_is_better: bool | Mapping[str, bool] = True, n_bins: int = 5,
                 min_group_size: int = 30, max_categories: int = 20) -> SliceMetrics:
    """Compute ``metrics`` overall and on every observed group of the columns in ``by``.

    ``greater_is_better`` (one flag or one per metric) decides which group is the worst.
    Groups smaller than ``min_group_size`` are still computed but listed in
    ``small_groups`` with a warning in the result, as their values are noisy. Warnings a
    metric emits on a group are recorded in the result's ``warnings``; a metric that raises
    ``ValueError`` on a group is NaN there; the summary uses the groups with a value.
    """
    yt = np.asarray(y_true)
    yp = np.asarray(y_pred)
    if yt.ndim != 1 or yt.size == 0 or yp.shape[:1] != yt.shape:
        raise DataError("y_true / y_pred", expected="a non-empty 1-D y_true and a y_pred "
                        "with one row per label", got=f"shapes {yt.shape} and {yp.shape}",
                        fix="pass aligned arrays (probabilities as an (n, k) matrix)")
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, (int, np.integer)) \
            or min_group_size < 1:
        raise ParameterError("min_group_size", expected="an integer >= 1",
                             got=repr(min_group_size), fix="pass min_group_size=30")
    funcs = _metric_dict(metrics)
    if isinstance(greater_is_better, Mapping):
        unknown = set(greater_is_better) - set(funcs)
        if unknown:
            raise ParameterError("greater_is_better", expected="keys among the metric names "
                                 f"{sorted(funcs)}", got=repr(sorted(unknown)),
                                 fix="use the names given in metrics=")
        gib = {m: bool(greater_is_better.get(m, True)) for m in funcs}
    else:
        gib = {m: bool(greater_is_better) for m in funcs}
    frame = group_frame(by, yt.size)
    binned = [bin_column(frame[c], n_bins=n_bins, max_categories=max_categories, name=str(c))
              for c in frame.columns]
    codes = np.column_stack([b.codes for b in binned])
    uniq, inverse = np.unique(codes, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    overall = {m: float(f(yt, yp)) for m, f in funcs.items()}
    groups, keys, undefined = [], [], []
    for g, row in enumerate(uniq):
        idx = np.flatnonzero(inverse == g)
        key = tuple(b.labels[c] for b, c in zip(binned, row))
        keys.append(key)
        values = {}
        for m, f in funcs.items():
            # A metric that warns or raises on one group (ROC AUC on a single class) should
            # not stop the others: the message goes into the result, the value is NaN.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    values[m] = float(f(yt[idx], yp[idx]))
                except ValueError as exc:
                    values[m] = float("nan")
                    undefined.append(f"{m} is undefined on group {key}: {exc}")
            undefined += [f"{m} on group {key}: {w.message}" for w in caught]
        groups.append(GroupMetrics(key, int(idx.size), values))
    summary = {m: _summarise(overall[m], np.array([g.values[m] for g in groups]), keys, gib[m])
               for m in funcs}
    small = tuple(g.key for g in groups if g.size < min_group_size)
    warns = tuple(undefined) + (() if not small else (
        f"{len(small)} of {len(groups)} groups have fewer than {min_group_size} rows; their "
        "metric values are noisy and may drive the worst group, difference and ratio",))
    return SliceMetrics(tuple(b.name for b in binned), tuple(funcs), overall, tuple(groups),
                        summary, int(min_group_size), small, warns)
