"""Compare two model versions on labelled rows, overall and per customer or segment.

:func:`compare_versions` takes labels and both versions' predictions (arrays);
:func:`compare_frame` reads them from the columns of a table; :func:`compare_models` scores
two models on the same rows first. The result, a :class:`VersionComparison`, holds every
compatibility metric of :mod:`stalwart.lifecycle.compatibility` with a bootstrap interval,
the flip matrices, and the same for each segment; segments with fewer than
``min_group_rows`` rows are flagged and listed in ``warnings``. :func:`promotion_gate` runs
the promotion suite (``stalwart.checks.promotion``) on it.

The intervals resample the eight cell counts (old right?, new right?, output changed?)
from a multinomial, which is the row bootstrap exactly (every metric depends on the rows
only through those counts) at a cost independent of the number of rows.

>>> c = compare_versions(["a", "a", "b", "b"], ["a", "b", "b", "a"], ["a", "a", "b", "b"],
...                      segments=["x", "x", "y", "y"], n_boot=0)
>>> c.overall.metrics.accuracy_change, c.segment("y").metrics.positive_flip_rate
(0.5, 0.5)
>>> c.warnings[1]
"segment 'x' has 2 rows (fewer than 30): its rates are noisy, read their intervals"
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..data import Dataset, to_pandas
from ..exceptions import DataError, ParameterError, SchemaError
from ..metrics.bootstrap import (BootstrapInterval, check_bootstrap_options, fix_seed,
                                 percentile_interval)
from .compatibility import (METRIC_NAMES, CompatibilityMetrics, FlipMatrix, cell_counts,
                            flip_matrix, flip_outcomes, label_set, metrics_from_cells,
                            negative_flip_matrix, prediction_columns)

__all__ = ["SCHEMA_VERSION", "ScopeComparison", "VersionComparison", "compare_frame",
           "compare_models", "compare_versions", "gate_comparison", "promotion_gate"]

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class ScopeComparison:
    """The comparison on one scope: all rows (``segment`` None) or one segment's rows."""

    segment: Any
    metrics: CompatibilityMetrics
    intervals: Mapping[str, BootstrapInterval]
    flips: FlipMatrix | None
    negative_flips: FlipMatrix | None
    small: bool

    def to_dict(self) -> dict[str, Any]:
        return {"segment": jsonable(self.segment), "n_rows": self.metrics.n_rows,
                "small": self.small, "metrics": self.metrics.to_dict(),
                "intervals": {k: v.to_dict() for k, v in self.intervals.items()},
                "flips": None if self.flips is None else self.flips.to_dict(),
                "negative_flips": (None if self.negative_flips is None
                                   else self.negative_flips.to_dict())}


@dataclass(frozen=True)
class VersionComparison:
    """Two versions compared on the same labelled rows; see the module docstring."""

    old_name: str
    new_name: str
    task: str
    tolerance: float | None
    classes: tuple[Any, ...] | None
    segment_column: str | None
    overall: ScopeComparison
    segments: tuple[ScopeComparison, ...]
    warnings: tuple[str, ...]
    n_boot: int
    confidence: float
    min_group_rows: int
    random_state: int
    schema_version: str = SCHEMA_VERSION

    def segment(self, value: Any) -> ScopeComparison:
        """The comparison on one segment's rows (matched by value, then by its text)."""
        for scope in self.segments:
            if scope.segment == value:
                return scope
        for scope in self.segments:
            if str(scope.segment) == str(value):
                return scope
        known = [s.segment for s in self.segments][:20]
        raise ParameterError("segment", expected=f"one of {known}", got=repr(value),
                             fix="ask for a segment present in the data")

    def summary(self) -> str:
        m = self.overall.metrics
        return (f"{self.old_name} -> {self.new_name} on {m.n_rows} rows: accuracy "
                f"{m.old_accuracy:.4f} -> {m.new_accuracy:.4f} ({m.accuracy_change:+.4f}), churn "
                f"{m.churn:.4f}, negative flips {m.negative_flip_rate:.4f}, positive flips "
                f"{m.positive_flip_rate:.4f}, backward trust {_fmt(m.backward_trust_compatibility)}"
                f", backward error {_fmt(m.backward_error_compatibility)}")

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "kind": "version_comparison",
                "old_name": self.old_name, "new_name": self.new_name, "task": self.task,
                "tolerance": self.tolerance,
                "classes": None if self.classes is None else jsonable(list(self.classes)),
                "segment_column": self.segment_column, "summary": self.summary(),
                "overall": self.overall.to_dict(),
                "segments": [s.to_dict() for s in self.segments],
                "warnings": list(self.warnings), "n_boot": self.n_boot,
                "confidence": self.confidence, "min_group_rows": self.min_group_rows,
                "random_state": self.random_state}

    def to_html(self) -> str:
        """One self-contained HTML page (inline CSS and SVG, no external asset)."""
        return _page(self)


def _fmt(value: float) -> str:
    return "undefined" if value != value else f"{value:.4f}"


def _scope(outcomes: Any, mask: np.ndarray | None, *, segment: Any, n_boot: int,
           confidence: float, seed: int, small: bool, flips: tuple[FlipMatrix, FlipMatrix] | None
           ) -> ScopeComparison:
    cells = cell_counts(outcomes, mask)
    metrics = CompatibilityMetrics.from_cells(cells)
    intervals: dict[str, BootstrapInterval] = {}
    if n_boot:
        n = int(cells.sum())
        draws = np.random.default_rng(seed).multinomial(n, cells / n, size=n_boot)
        replicates = metrics_from_cells(draws)
        intervals = {k: percentile_interval(getattr(metrics, k), replicates[k],
                                            confidence=confidence) for k in METRIC_NAMES}
    return ScopeComparison(segment, metrics, intervals, None if flips is None else flips[0],
                           None if flips is None else flips[1], small)


def compare_versions(y_true: Any, old: Any, new: Any, *, segments: Any = None,
                     classes: Sequence[Any] | None = None, task: str = "classification",
                     tolerance: float | None = None, n_boot: int = 200,
                     confidence: float = 0.95, min_group_rows: int = 30,
                     random_state: Any = 0, old_name: str = "old", new_name: str = "new",
                     segment_column: str | None = None) -> VersionComparison:
    """Compare ``new`` predictions with ``old`` ones on labels ``y_true``.

    ``segments`` (one value per row, e.g. the customer) adds the comparison per segment;
    ``classes`` lists every class either version may predict (default: the labels' values,
    so a version predicting a class the labels never show is an error naming it).
    Regression needs ``task='regression'`` and a ``tolerance`` (see the compatibility
    module). ``n_boot=0`` turns the intervals off.
    """
    check_bootstrap_options(n_boot, confidence)
    if (not isinstance(min_group_rows, (int, np.integer)) or isinstance(min_group_rows, bool)
            or min_group_rows < 1):
        raise ParameterError("min_group_rows", expected="an integer >= 1",
                             got=repr(min_group_rows), fix="pass for example min_group_rows=30")
    seed = fix_seed(random_state)
    outcomes = flip_outcomes(y_true, old, new, task=task, tolerance=tolerance, classes=classes)
    labels = label_set(y_true, old, new, classes=classes) if task == "classification" else None
    y, h1, h2 = prediction_columns(y_true, old, new)

    def matrices(mask: np.ndarray | None) -> tuple[FlipMatrix, FlipMatrix] | None:
        if labels is None:
            return None
        rows = slice(None) if mask is None else mask
        return (flip_matrix(h1[rows], h2[rows], classes=labels),
                negative_flip_matrix(y[rows], h1[rows], h2[rows], classes=labels))

    overall = _scope(outcomes, None, segment=None, n_boot=n_boot, confidence=confidence,
                     seed=seed, small=len(outcomes) < min_group_rows, flips=matrices(None))
    scopes: list[ScopeComparison] = []
    warnings: list[str] = []
    if len(outcomes) < min_group_rows:
        warnings.append(f"only {len(outcomes)} rows in all (fewer than {min_group_rows}): "
                        "every rate is noisy, read the intervals")
    if segments is not None:
        seg = _segments(segments, len(outcomes))
        for i, value in enumerate(_ordered(pd.unique(seg))):
            mask = seg == value
            n = int(mask.sum())
            small = n < min_group_rows
            if small:
                warnings.append(f"segment {value!r} has {n} rows (fewer than {min_group_rows}):"
                                " its rates are noisy, read their intervals")
            scopes.append(_scope(outcomes, mask, segment=value, n_boot=n_boot,
                                 confidence=confidence, seed=seed + 1 + i, small=small,
                                 flips=matrices(mask)))
    return VersionComparison(
        old_name=old_name, new_name=new_name, task=task, tolerance=tolerance, classes=labels,
        segment_column=segment_column if segments is not None else None, overall=overall,
        segments=tuple(scopes), warnings=tuple(warnings), n_boot=int(n_boot),
        confidence=float(confidence), min_group_rows=int(min_group_rows), random_state=seed)


def _segments(values: Any, n: int) -> np.ndarray:
    seg = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values,
                     dtype=object)
    if seg.ndim != 1 or seg.size != n:
        raise DataError("segments", expected=f"one value per row ({n})",
                        got=f"{seg.size} value(s) of shape {seg.shape}",
                        fix="pass the segment (e.g. customer) of every compared row")
    missing = pd.isna(seg)
    if missing.any():
        raise DataError("segments", expected="a segment on every row",
                        got=f"{int(missing.sum())} missing", fix="fill in the missing segments "
                        "(e.g. with 'unknown') or drop those rows")
    return np.array([v.item() if isinstance(v, np.generic) else v for v in seg], dtype=object)


def _ordered(values: Any) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _columns(frame: pd.DataFrame, **names: str | None) -> None:
    for role, name in names.items():
        if name is not None and name not in frame.columns:
            raise SchemaError(f"{role} column", expected="a column of the data",
                              got=repr(name), fix=f"pass one of {list(frame.columns)[:20]}")


def compare_frame(data: Any, *, target: str = "y_true", old: str = "old", new: str = "new",
                  segment: str | None = None, **options: Any) -> VersionComparison:
    """:func:`compare_versions` on the columns of a table (pandas, polars, pyarrow, a mapping
    of columns or a CSV/Parquet path): labels ``target``, predictions ``old`` and ``new``,
    optionally ``segment`` (e.g. ``customer``)."""
    frame = to_pandas(data, what="compared predictions")
    _columns(frame, target=target, old=old, new=new, segment=segment)
    options.setdefault("old_name", old)
    options.setdefault("new_name", new)
    return compare_versions(frame[target], frame[old], frame[new],
                            segments=None if segment is None else frame[segment],
                            segment_column=segment, **options)


def compare_models(old_model: Any, new_model: Any, data: Any, *, target: str,
                   segment: str | None = None, features: Sequence[str] | None = None,
                   **options: Any) -> VersionComparison:
    """Score both models on ``data`` and compare them on its ``target``. The inputs are
    ``features``, else the columns each model names, else every column but the target and
    the segment."""
    from ..models import wrap

    frame = to_pandas(data, what="comparison data")
    _columns(frame, target=target, segment=segment)
    predictions = []
    for model in (old_model, new_model):
        adapter = wrap(model)
        cols = list(features or getattr(adapter, "feature_names", None) or
                    [c for c in frame.columns if c not in (target, segment)])
        _columns(frame, **{f"model input {c!r}": c for c in cols})
        predictions.append(np.asarray(adapter.predict(frame[cols])))
    if "classes" not in options and getattr(wrap(old_model), "task", None) == "classification":
        known = [getattr(wrap(m), "classes_", None) for m in (old_model, new_model)]
        if all(k is not None for k in known):
            options["classes"] = _ordered({_scalar(v) for k in known for v in k}
                                          | {_scalar(v) for v in frame[target].dropna()})
    return compare_versions(frame[target], predictions[0], predictions[1],
                            segments=None if segment is None else frame[segment],
                            segment_column=segment, **options)


def _scalar(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def gate_comparison(comparison: VersionComparison, *, pinned: Sequence[Any] = (),
                    max_negative_flip_rate: float = 0.05, min_backward_trust: float = 0.95,
                    min_accuracy_change: float = 0.0, checks: Sequence[str] | None = None,
                    data: Dataset | None = None, settings: Any = None) -> Any:
    """Run the promotion suite on a comparison: each check holds overall and for every
    ``pinned`` segment value (customer); returns a ``SuiteResult`` with an exit code."""
    from ..checks.promotion import promotion_suite, run_promotion_suite

    suite = promotion_suite(pinned=pinned, max_negative_flip_rate=max_negative_flip_rate,
                            min_backward_trust=min_backward_trust,
                            min_accuracy_change=min_accuracy_change, checks=checks)
    return run_promotion_suite(suite, comparison.to_dict(), data=data, settings=settings)


def promotion_gate(data: Any, *, target: str = "y_true", old: str = "old", new: str = "new",
                   segment: str | None = None, pinned: Sequence[Any] = (),
                   max_negative_flip_rate: float = 0.05, min_backward_trust: float = 0.95,
                   min_accuracy_change: float = 0.0, checks: Sequence[str] | None = None,
                   settings: Any = None, **options: Any) -> Any:
    """Compare the ``old`` and ``new`` columns of ``data`` (:func:`compare_frame`) and run
    the promotion gate (:func:`gate_comparison`) on the result."""
    if pinned and segment is None:
        raise ParameterError("pinned", expected="a segment column naming the customers",
                             got=f"pinned={list(pinned)[:10]} without segment",
                             fix="pass segment='customer' (the column the pins refer to)")
    frame = to_pandas(data, what="compared predictions")
    comparison = compare_frame(frame, target=target, old=old, new=new, segment=segment,
                               **options)
    used = [c for c in (target, old, new, segment) if c is not None]
    dataset = Dataset.from_any(frame[used], target=target, name="compared predictions")
    return gate_comparison(comparison, pinned=pinned,
                           max_negative_flip_rate=max_negative_flip_rate,
                           min_backward_trust=min_backward_trust,
                           min_accuracy_change=min_accuracy_change, checks=checks,
                           data=dataset, settings=settings)


# -- the HTML page: lays out numbers of the result, computes none ----------------------------
_STYLE = ("body{font:14px/1.5 system-ui,sans-serif;color:#1f2328;margin:24px auto;"
          "max-width:1100px;padding:0 16px}table{border-collapse:collapse;margin:8px 0 20px}"
          "th,td{border-bottom:1px solid #d1d9e0;padding:4px 10px;text-align:left}"
          "td.n{text-align:right;font-variant-numeric:tabular-nums}.small{color:#8a5a00}"
          ".warn{background:#fff4c7;padding:8px 12px;border-radius:6px}svg{max-width:100%}")
_SHOWN = ("accuracy_change", "churn", "negative_flip_rate", "positive_flip_rate",
          "backward_trust_compatibility", "backward_error_compatibility")


def _page(result: VersionComparison) -> str:
    from markupsafe import escape

    from ..checks.result import Chart
    from ..reports._format import fmt_value
    from ..reports.svg import render_svg

    def cell(value: Any) -> str:
        return f'<td class="n">{escape(fmt_value(jsonable(value)))}</td>'

    title = f"{result.old_name} \u2192 {result.new_name}"
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
             f"{escape(title)} \u00b7 version comparison</title><style>{_STYLE}</style></head>"
             f"<body><h1>Version comparison: {escape(title)}</h1>"
             f"<p>{escape(result.summary())}</p>"]
    parts += [f'<p class="warn">{escape(w)}</p>' for w in result.warnings]
    level = f"{result.confidence:.0%}"
    rows = "".join(
        f"<tr><th>{escape(k)}</th>{cell(getattr(result.overall.metrics, k))}"
        + (cell(result.overall.intervals[k].low) + cell(result.overall.intervals[k].high)
           if k in result.overall.intervals else "<td></td><td></td>") + "</tr>"
        for k in METRIC_NAMES)
    parts.append(f"<h2>Overall</h2><table><tr><th>metric</th><th>estimate</th>"
                 f"<th>low ({level})</th><th>high</th></tr>{rows}</table>")
    if result.segments:
        head = "".join(f"<th>{escape(k)}</th>" for k in ("rows", "accuracy change", "churn",
                                                          "NFR", "PFR", "BTC", "BEC"))
        body = "".join(
            f"<tr{' class=small' if s.small else ''}><th>{escape(str(s.segment))}"
            f"{' (few rows)' if s.small else ''}</th>{cell(s.metrics.n_rows)}"
            + "".join(cell(getattr(s.metrics, k)) for k in _SHOWN) + "</tr>"
            for s in result.segments)
        parts.append(f"<h2>Per {escape(result.segment_column or 'segment')}</h2><table>"
                     f"<tr><th>{escape(result.segment_column or 'segment')}</th>{head}</tr>"
                     f"{body}</table>")
        names = [str(s.segment) for s in result.segments]
        for key, label in (("negative_flip_rate", "Negative flip rate"),
                           ("backward_trust_compatibility", "Backward trust compatibility")):
            values = [getattr(s.metrics, key) for s in result.segments]
            column = result.segment_column or "segment"
            parts.append(render_svg(Chart("bar", f"{label} per {column}",
                                          {"labels": names, "values": values},
                                          x_label=column, y_label=key)))
    for matrix in (result.overall.flips, result.overall.negative_flips):
        if matrix is None:
            continue
        labels = [str(v) for v in matrix.labels]
        parts.append(f"<h2>{escape(matrix.rows[:1].upper() + matrix.rows[1:])} "
                     f"({matrix.total})</h2>")
        parts.append(render_svg(Chart("heatmap", "old prediction (rows) \u00d7 new (columns)",
                                      {"x": labels, "y": labels,
                                       "z": [list(r) for r in matrix.counts]},
                                      x_label=f"{result.new_name} prediction",
                                      y_label=f"{result.old_name} prediction")))
    parts.append(f"<p>schema {escape(result.schema_version)}; {result.n_boot} bootstrap "
                 f"resamples; seed {result.random_state}</p></body></html>")
    return "".join(parts)
