"""Error analysis at scale: where, in all the labelled traffic of a window, the model errs.

Two views of the 0/1 error indicator (prediction != label) over the features:

- an **error tree** (:func:`stalwart.slicing.error_tree`): a shallow decision tree that
  predicts the errors; each node has its rows, its **error rate** (errors / rows) and its
  **error coverage** (its errors / all errors, so the leaves' coverages sum to 1);
- **heatmaps over pairs of features**: each feature is binned
  (:func:`stalwart.slicing.bin_column`: quantile bins for numbers, values for categories,
  ``(missing)`` as its own bin) and every cell of a pair gets its rows, errors, error rate
  and error coverage. Pairs are ranked by their hottest cell (highest error rate among cells
  of at least ``min_cell_rows`` rows, then coverage) and the first ``max_pairs`` are kept.

Input: a DataFrame with feature columns, ``y_true`` and ``y_pred`` (:func:`analyse_errors`),
or the labelled events of a model in a time window of the store
(:func:`analyse_errors_in_store`: features are the ``features.*`` columns, the label the
joined ``label`` column, the prediction ``outputs.prediction``; unlabelled events are left
out and counted).

>>> import numpy as np, pandas as pd
>>> x = np.repeat([0.0, 1.0], 50); c = np.tile(["a", "b"], 50)
>>> df = pd.DataFrame({"x": x, "c": c, "y_true": 1, "y_pred": 1})
>>> df.loc[(df.x == 1) & (df.c == "b"), "y_pred"] = 0     # 25 errors, all in one cell
>>> res = analyse_errors(df, min_samples_leaf=5)
>>> res.n_errors, res.error_rate, res.hottest["error_rate"], res.hottest["error_coverage"]
(25, 0.25, 1.0, 1.0)
>>> (res.hottest["x_feature"], res.hottest["x"], res.hottest["y_feature"], res.hottest["y"])
('x', '1', 'c', 'b')
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._json import FieldsJSON, jsonable
from ..checks.result import Chart
from ..exceptions import DataError, ParameterError, SchemaError
from ..slicing import BinnedColumn, ErrorTree, bin_column, error_tree
from ..reports.page import render_page

__all__ = ["ErrorAnalysis", "ErrorHeatmap", "analyse_errors", "analyse_errors_in_store"]


@dataclass(frozen=True)
class ErrorHeatmap(FieldsJSON):
    """One pair of binned features: rows, errors, error rate and coverage per cell.

    Cell ``[i][j]`` is ``y_feature`` bin ``y_labels[i]`` and ``x_feature`` bin ``x_labels[j]``;
    an empty cell's error rate is None.
    """

    x_feature: str
    y_feature: str
    x_labels: tuple[str, ...]
    y_labels: tuple[str, ...]
    rows: tuple[tuple[int, ...], ...]
    errors: tuple[tuple[int, ...], ...]
    error_rate: tuple[tuple[float | None, ...], ...]
    error_coverage: tuple[tuple[float, ...], ...]
    hottest: dict[str, Any] | None

    def charts(self) -> tuple[Chart, Chart]:
        base = {"x": list(self.x_labels), "y": list(self.y_labels)}
        return (Chart("heatmap", f"Error rate: {self.y_feature} × {self.x_feature}",
                      {**base, "z": [list(r) for r in self.error_rate]},
                      x_label=self.x_feature, y_label=self.y_feature),
                Chart("heatmap", f"Error coverage: {self.y_feature} × {self.x_feature}",
                      {**base, "z": [list(r) for r in self.error_coverage]},
                      x_label=self.x_feature, y_label=self.y_feature))


@dataclass(frozen=True)
class ErrorAnalysis:
    """The error tree and the ranked pair heatmaps of one batch of labelled predictions."""

    n_rows: int
    n_errors: int
    error_rate: float
    features: tuple[str, ...]
    tree: ErrorTree
    heatmaps: tuple[ErrorHeatmap, ...]
    options: dict[str, Any]
    source: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    schema_version: str = "1.0"

    @property
    def hottest(self) -> dict[str, Any] | None:
        """The hottest cell over every heatmap kept (highest error rate, then coverage)."""
        cells = [h.hottest for h in self.heatmaps if h.hottest is not None]
        if not cells:
            return None
        return max(cells, key=lambda c: (c["error_rate"], c["error_coverage"]))

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "n_rows": self.n_rows,
            "n_errors": self.n_errors, "error_rate": self.error_rate,
            "features": list(self.features), "tree": self.tree.to_dict(),
            "leaves": list(self.tree.leaves()),
            "heatmaps": [h.to_dict() for h in self.heatmaps], "hottest": self.hottest,
            "options": self.options, "source": self.source, "notes": list(self.notes)})

    def to_html(self) -> str:
        d = self.to_dict()
        facts = [(k, v) for k, v in d["source"].items()]
        facts += [("labelled rows", d["n_rows"]), ("errors", d["n_errors"]),
                  ("error rate", d["error_rate"]), ("features", list(d["features"]))]
        facts += [("note", n) for n in d["notes"]]
        leaf_cols = ["path", "rows", "error_rate", "error_coverage"]
        leaves = [[" and ".join(n["conditions"]) or "all rows", n["size"], n["error_rate"],
                   n["error_coverage"]] for n in d["leaves"]]
        node_cols = ["node", "depth", "rows", "error_rate", "error_coverage"]
        nodes = [["· " * n["depth"] + (n["conditions"][-1] if n["conditions"] else "all rows"),
                  n["depth"], n["size"], n["error_rate"], n["error_coverage"]]
                 for n in d["tree"]["nodes"]]
        hot_cols = ["y_feature", "y", "x_feature", "x", "rows", "errors", "error_rate",
                    "error_coverage"]
        hot = [[h["hottest"][c] for c in hot_cols] for h in d["heatmaps"] if h["hottest"]]
        charts = [c for h in self.heatmaps for c in h.charts()]
        return render_page("Error analysis", facts=facts, charts=charts,
                           tables=[("Error tree leaves (highest error rate first)", leaf_cols,
                                    leaves),
                                   ("Error tree (pre-order)", node_cols, nodes),
                                   ("Hottest cell of each feature pair", hot_cols, hot)])


def _integer(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(name, expected=f"an integer >= {low}", got=repr(value),
                             fix=f"pass {name}= an integer >= {low}")
    return int(value)


def _comparable(yt: pd.Series, yp: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predictions as comparable values: when one side holds text and the other
    numbers (a label typed as "1" against a predicted 1), both sides are compared as text,
    integral floats written without ".0"."""
    def is_text(s: pd.Series) -> bool:
        # infer_dtype scans in C: a Python test per value cost ~1 s per million rows
        return pd.api.types.infer_dtype(s, skipna=True) in ("string", "mixed",
                                                            "mixed-integer")

    def text(s: pd.Series) -> np.ndarray:
        return s.map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer()
                     else str(v)).to_numpy(dtype=object)

    if is_text(yt) != is_text(yp):
        return text(yt), text(yp)
    return yt.to_numpy(dtype=object), yp.to_numpy(dtype=object)


def _heatmap(bx: BinnedColumn, by: BinnedColumn, err: np.ndarray, total: float,
             min_cell_rows: int) -> ErrorHeatmap:
    nx, ny = len(bx.labels), len(by.labels)
    cell = by.codes * nx + bx.codes
    rows = np.bincount(cell, minlength=nx * ny).reshape(ny, nx)
    errors = np.bincount(cell, weights=err, minlength=nx * ny).reshape(ny, nx)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(rows > 0, errors / np.maximum(rows, 1), np.nan)
    coverage = errors / total if total > 0 else np.zeros_like(errors)
    eligible = np.argwhere(rows >= min_cell_rows)
    hottest = None
    if eligible.size:
        i, j = max(map(tuple, eligible), key=lambda ij: (rate[ij], coverage[ij], -ij[0], -ij[1]))
        hottest = {"x_feature": bx.name, "x": bx.labels[j], "y_feature": by.name,
                   "y": by.labels[i], "x_condition": bx.condition(j),
                   "y_condition": by.condition(i), "rows": int(rows[i, j]),
                   "errors": int(errors[i, j]), "error_rate": float(rate[i, j]),
                   "error_coverage": float(coverage[i, j])}
    return ErrorHeatmap(
        x_feature=bx.name, y_feature=by.name, x_labels=bx.labels, y_labels=by.labels,
        rows=tuple(tuple(int(v) for v in r) for r in rows),
        errors=tuple(tuple(int(v) for v in r) for r in errors),
        error_rate=tuple(tuple(None if np.isnan(v) else float(v) for v in r) for r in rate),
        error_coverage=tuple(tuple(float(v) for v in r) for r in coverage), hottest=hottest)


def analyse_errors(data: pd.DataFrame, *, y_true: str = "y_true", y_pred: str = "y_pred",
                   features: Sequence[str] | None = None, max_depth: int = 3,
                   min_samples_leaf: int = 30, n_bins: int = 5, max_categories: int = 20,
                   pairs: Sequence[tuple[str, str]] | None = None, max_pairs: int = 6,
                   min_cell_rows: int = 10, sample: int | None = None, random_state: int = 0,
                   source: dict[str, Any] | None = None) -> ErrorAnalysis:
    """Error tree and pair heatmaps of ``data`` (features, ``y_true`` and ``y_pred``).

    ``features`` defaults to every other column; ``pairs`` to every pair of features, of
    which the ``max_pairs`` with the hottest cells are kept. ``sample=N`` analyses a seeded
    random sample of at most N rows (said in ``notes``): fitting the tree dominates the cost
    (about 11 s for 1M rows x 8 features), so very large windows may prefer it.
    """
    if not isinstance(data, pd.DataFrame) or len(data) == 0:
        raise DataError("error analysis data", expected="a non-empty DataFrame of features, "
                        f"{y_true!r} and {y_pred!r}", got=type(data).__name__ if not
                        isinstance(data, pd.DataFrame) else "0 rows",
                        fix="pass the labelled predictions of the window")
    missing = [c for c in (y_true, y_pred) if c not in data.columns]
    if missing:
        raise SchemaError("error analysis columns", expected=f"columns {y_true!r} (label) and "
                          f"{y_pred!r} (prediction)", got=f"missing {missing}; columns "
                          f"{list(map(str, data.columns))[:12]}",
                          fix="pass y_true= and y_pred= naming the label and prediction")
    names = ([c for c in data.columns if c not in (y_true, y_pred)] if features is None
             else list(features))
    absent = [c for c in names if c not in data.columns]
    if not names or absent:
        raise SchemaError("error analysis features", expected="at least one feature column "
                          "of the data", got=f"missing {absent}" if absent else "none",
                          fix="pass features= with columns of the data")
    options = {"max_depth": _integer("max_depth", max_depth, 1),
               "min_samples_leaf": _integer("min_samples_leaf", min_samples_leaf, 1),
               "n_bins": _integer("n_bins", n_bins, 2),
               "max_categories": _integer("max_categories", max_categories, 2),
               "max_pairs": _integer("max_pairs", max_pairs, 0),
               "min_cell_rows": _integer("min_cell_rows", min_cell_rows, 1),
               "random_state": random_state}
    notes = []
    frame = data.reset_index(drop=True)
    if sample is not None:
        _integer("sample", sample, 1)
        if len(frame) > sample:
            keep = np.sort(np.random.default_rng(random_state).choice(len(frame), sample,
                                                                      replace=False))
            notes.append(f"a random sample of {sample:,} of {len(frame):,} rows "
                         f"(random_state={random_state})")
            frame = frame.iloc[keep].reset_index(drop=True)
    options["sample"] = sample
    if frame[y_true].isna().any() or frame[y_pred].isna().any():
        raise DataError("labels and predictions", expected="a label and a prediction on every "
                        "row", got=f"{int(frame[y_true].isna().sum())} missing labels, "
                        f"{int(frame[y_pred].isna().sum())} missing predictions",
                        fix="drop the unlabelled rows first")
    yt, yp = _comparable(frame[y_true], frame[y_pred])
    err = (yt != yp).astype(float)
    total = float(err.sum())
    X = frame.loc[:, names]
    X.columns = [str(c) for c in names]
    tree = error_tree(X, err, max_depth=max_depth, min_samples_leaf=min_samples_leaf,
                      max_categories=max_categories, random_state=random_state)
    binned = {c: bin_column(X[c], n_bins=n_bins, max_categories=max_categories, name=c)
              for c in X.columns}
    if pairs is None:
        chosen = list(itertools.combinations(X.columns, 2))
    else:
        chosen = [(str(a), str(b)) for a, b in pairs]
        bad = sorted({c for p in chosen for c in p} - set(binned))
        if bad:
            raise SchemaError("heatmap pairs", expected="pairs of feature columns",
                              got=f"unknown {bad}", fix=f"pick among {list(binned)[:12]}")
    maps = [_heatmap(binned[a], binned[b], err, total, min_cell_rows) for a, b in chosen]

    def heat(h: ErrorHeatmap) -> tuple[float, float]:
        return ((h.hottest["error_rate"], h.hottest["error_coverage"]) if h.hottest
                else (-1.0, -1.0))

    maps = sorted(maps, key=heat, reverse=True)[:max_pairs]  # stable: ties keep pair order
    if len(X.columns) < 2:
        notes.append("one feature only: no pair heatmaps")
    return ErrorAnalysis(n_rows=len(frame), n_errors=int(total), error_rate=total / len(frame),
                         features=tuple(X.columns), tree=tree, heatmaps=tuple(maps),
                         options=options, source=dict(source or {}), notes=tuple(notes))


def analyse_errors_in_store(store: Any, model: str, start: Any, end: Any, *,
                            prediction: str = "outputs.prediction",
                            features: Sequence[str] | None = None,
                            **options: Any) -> ErrorAnalysis:
    """:func:`analyse_errors` on the labelled events of ``model`` in ``[start, end)``.

    ``features`` names feature keys without the ``features.`` prefix (default: all of them);
    ``options`` are those of :func:`analyse_errors`.
    """
    events = store.events(model, start=start, end=end, with_labels=True)
    labelled = events[events["label"].notna()] if len(events) else events
    source = {"model": model, "start": str(start), "end": str(end),
              "events": len(events), "unlabelled events left out": len(events) - len(labelled)}
    if len(labelled) == 0:
        raise DataError(f"labelled events of model {model!r}", expected=f"at least one labelled "
                        f"event in [{start}, {end})", got=f"{len(events)} events, none labelled",
                        fix="add labels (store.add_labels / POST /labels) or widen the window")
    if prediction not in labelled.columns:
        outs = [c for c in labelled.columns if c.startswith("outputs.")]
        raise SchemaError("prediction column", expected=f"{prediction!r} among the events' "
                          "outputs", got=f"outputs {outs[:12]}",
                          fix="pass prediction= naming the predicted label's column")
    cols = {c[len("features."):]: c for c in labelled.columns if c.startswith("features.")}
    wanted = list(cols) if features is None else list(features)
    absent = [f for f in wanted if f not in cols]
    if absent or not wanted:
        raise SchemaError("error analysis features", expected="feature keys of the events",
                          got=f"missing {absent}" if absent else "no features logged",
                          fix=f"pick among {sorted(cols)[:12]}")
    frame = labelled.loc[:, [cols[f] for f in wanted]].copy()
    frame.columns = wanted
    frame["__label"] = labelled["label"].to_numpy()
    frame["__prediction"] = labelled[prediction].to_numpy()
    return analyse_errors(frame, y_true="__label", y_pred="__prediction", features=wanted,
                          source=source, **options)
