"""Stress a model: its metric, flip rate and confidence under every perturbation and
severity, and which column hurts most.

For each perturbation and severity the clean rows are perturbed once (the perturbation
fitted on the clean rows, or on ``reference``), the model is called once on them (plus once
for probabilities), and the outputs are compared with the model's outputs on the clean rows:

- **score** and **drop**: the metric on the perturbed rows and how much worse it is than on
  the clean rows (positive: a loss; see :mod:`._metrics`);
- **flip rate**: the share of rows whose predicted class changed (classifiers);
- **confidence shift**: mean largest class probability, perturbed minus clean;
- **prediction shift**: mean absolute change of the prediction (regressors).

With ``per_feature`` each tabular perturbation is also applied to one column at a time (the
perturbed column substituted into the clean table, the columns stacked into one model call,
or several on a wide table: at most 20 million cells a call), which shows the column whose corruption costs most: the worst case per feature. Where the
model raises on the whole perturbed table (missing values fed to a model without an imputer)
the columns are not tried one by one: the cell's error says what to fix. Where the model
takes each column's change but not the stacked batch, each column gets its own call.

Each cell has its own seed derived from ``random_state`` and the perturbation's name, so the
result does not depend on ``n_jobs`` or on the order of ``perturbations``.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from stalwart.perturb import Perturbation, PerturbationNote
>>> class Shift(Perturbation):
...     name, kind = "shift_doc", "tabular"
...     def __init__(self, *, severity=1, random_state=None):
...         self.severity, self.random_state = severity, random_state
...     def _transform(self, X):
...         self.notes_ = [PerturbationNote("x0", True)]
...         return X + np.array([self.severity, 0.0])
>>> X = np.c_[np.linspace(-3, 3, 60), np.zeros(60)]
>>> y = (X[:, 0] > 0).astype(int)
>>> r = stress_test(LogisticRegression().fit(X, y), X, y, perturbations=[Shift()],
...                 severities=(1, 3))
>>> r.clean_score, [round(c.drop, 2) for c in r.cells], r.worst_features()["shift_doc"].feature
(1.0, [0.17, 0.48], 'x0')
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ...models import wrap
from ..base import SEVERITIES, Perturbation
from ._inputs import (as_labels, check_n_jobs, check_seed, data_kind, resolve_perturbations,
                      resolve_severities, seed_for)
from ._metrics import Metric, resolve_metric
from .result import FeatureImpact, StressCell, StressResult

__all__ = ["stress_test"]

_SMALL = 30  # below this many rows one row moves the metric by more than 3 points
_BATCH_CELLS = 20_000_000  # cells per stacked per-feature batch (~160 MB of floats)


class _Outputs:
    """A model's predictions (and top probabilities) on a batch, or the error it raised."""

    def __init__(self, model: Any, X: Any, *, proba: bool) -> None:
        self.calls = 0
        self.task: str = model.task
        self.error: str | None = None
        self.pred: np.ndarray | None = None
        self.top: np.ndarray | None = None
        try:
            self.calls += 1
            self.pred = np.asarray(model.predict(X))
            if proba:
                self.calls += 1
                self.top = np.asarray(model.predict_proba(X), dtype=float).max(axis=1)
        except Exception as exc:  # noqa: BLE001 - a model failing on odd input is a finding
            self.error = f"{type(exc).__name__}: {exc}"[:300]
            self.pred = self.top = None


def stress_test(model: Any, X: Any, y: Any = None, *, perturbations: Any = None,
                severities: Any = SEVERITIES, metric: Any = None, per_feature: Any = True,
                reference: Any = None, random_state: int | None = 0,
                n_jobs: int | None = None) -> StressResult:
    """Run ``model`` on ``X`` perturbed by each of ``perturbations`` (registry names,
    classes or instances; None: every registered perturbation of the data's kind) at each
    of ``severities``, and compare with its outputs on the clean ``X``.

    ``y`` (optional) gives the metric and its drop; without it only flips and confidence are
    measured. ``per_feature``: True for every tabular perturbation, a list of names for
    those, False for none. ``reference`` (clean training rows) is what the perturbations
    learn their scales from; default ``X``. ``n_jobs`` runs cells in threads.
    """
    start = time.perf_counter()
    check_n_jobs(n_jobs)
    check_seed(random_state)
    adapter = wrap(model)
    kind = data_kind(X)
    if len(X) == 0:
        from ...exceptions import DataError
        raise DataError("X", expected="at least one row", got="no rows", fix="pass rows")
    labels = as_labels(y, len(X), task=adapter.task, classes=adapter.classes_)
    levels = resolve_severities(severities)
    templates = resolve_perturbations(perturbations, kind)
    scorer = resolve_metric(metric, task=adapter.task) if labels is not None else None
    by_feature = _per_feature_names(per_feature, templates, kind)
    use_proba = adapter.task == "classification" and adapter.can("predict_proba")

    clean = _Outputs(adapter, X, proba=use_proba)
    if clean.error is not None:
        from ...exceptions import ModelError
        raise ModelError("model", expected="predictions on the clean rows",
                         got=f"an error: {clean.error}",
                         fix="pass rows in the form the model was trained on")
    clean_score = None if scorer is None else scorer.score(labels, clean.pred)
    fit_on = X if reference is None else reference

    def run_cell(template: Perturbation, severity: int) -> tuple[StressCell, list[FeatureImpact], int]:
        pert = _configured(template, severity, random_state).fit(fit_on)
        Xp = pert.transform(X)
        notes = tuple(n.to_dict() for n in pert.notes_)
        applied = any(n.applied for n in pert.notes_)
        out = _Outputs(adapter, Xp, proba=use_proba)
        cell = _cell(pert, severity, out, clean, labels, scorer, clean_score, notes, applied)
        impacts: list[FeatureImpact] = []
        calls = out.calls
        if pert.name in by_feature and cell.error is None:  # a crash is not ranked by column
            impacts, more = _features(adapter, X, Xp, pert.name, severity, clean, labels,
                                      scorer, clean_score)
            calls += more
        return cell, impacts, calls

    jobs = [(t, s) for t in templates for s in levels]
    if n_jobs in (None, 1):
        done = [run_cell(t, s) for t, s in jobs]
    else:
        from joblib import Parallel, delayed
        done = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(run_cell)(t, s)
                                                         for t, s in jobs)
    cells = tuple(c for c, _, _ in done)
    features = tuple(f for _, fs, _ in done for f in fs)
    n_calls = clean.calls + sum(k for _, _, k in done)
    return StressResult(
        task=adapter.task, metric=None if scorer is None else scorer.name,
        greater_is_better=True if scorer is None else scorer.greater_is_better,
        n_rows=len(X), clean_score=clean_score, severities=levels,
        perturbations=tuple(t.name for t in templates), cells=cells, features=features,
        model=adapter.describe(), random_state=random_state, n_model_calls=n_calls,
        duration_s=time.perf_counter() - start,
        warnings=_warnings(cells, templates, labels, len(X), use_proba, adapter.task))


def _per_feature_names(per_feature: Any, templates: list[Perturbation], kind: str) -> set[str]:
    names = [t.name for t in templates]
    if per_feature is True:
        return set(names) if kind == "tabular" else set()
    if per_feature is False or per_feature is None:
        return set()
    chosen = [per_feature] if isinstance(per_feature, str) else list(per_feature)
    unknown = [n for n in chosen if n not in names]
    if unknown or kind != "tabular":
        raise ParameterError("per_feature", expected="True, False or names among the run's "
                             f"tabular perturbations {names}",
                             got=repr(per_feature) + ("" if kind == "tabular"
                                                      else f" on {kind} data"),
                             fix="pass per_feature=True, or names of perturbations in the run")
    return set(chosen)


def _configured(template: Perturbation, severity: int, random_state: int | None) -> Perturbation:
    from sklearn.base import clone
    pert = clone(template).set_params(severity=severity)
    if template.random_state is None:
        pert.set_params(random_state=seed_for(random_state, template.name, severity))
    return pert


def _cell(pert: Perturbation, severity: int, out: _Outputs, clean: _Outputs,
          labels: np.ndarray | None, scorer: Metric | None, clean_score: float | None,
          notes: tuple[dict[str, Any], ...], applied: bool) -> StressCell:
    if out.error is not None or out.pred is None or len(out.pred) != len(clean.pred):
        error = out.error or (f"the model returned {len(out.pred)} predictions for "
                              f"{len(clean.pred)} rows")
        return StressCell(pert.name, pert.kind, severity, None, None, None, None, None,
                          applied, notes, error)
    score = drop = None
    if scorer is not None:
        score = scorer.score(labels, out.pred)
        drop = scorer.drop(clean=clean_score, perturbed=score)
    flip = conf = shift = None
    if pert_task(clean) == "classification":
        flip = float(np.mean(out.pred != clean.pred))
        if out.top is not None:
            conf = float(out.top.mean() - clean.top.mean())
    else:
        shift = float(np.mean(np.abs(out.pred.astype(float) - clean.pred.astype(float))))
    return StressCell(pert.name, pert.kind, severity, score, drop, flip, conf, shift,
                      applied, notes)


def pert_task(clean: _Outputs) -> str:
    """The model's own task (a classifier without predict_proba trained on float labels
    still predicts classes: its changes are flips, not a mean absolute shift)."""
    return clean.task


def _features(adapter: Any, X: Any, Xp: Any, name: str, severity: int, clean: _Outputs,
              labels: np.ndarray | None, scorer: Metric | None,
              clean_score: float | None) -> tuple[list[FeatureImpact], int]:
    frame, pframe = _frame(X), _frame(Xp)
    changed = [c for c in frame.columns
               if not frame[c].reset_index(drop=True).equals(pframe[c].reset_index(drop=True))]
    if not changed:
        return [], 0
    n = len(frame)

    def substituted(col: Any) -> pd.DataFrame:
        copy = frame.copy()
        copy[col] = pframe[col].to_numpy()
        return copy

    def back(table: pd.DataFrame) -> Any:
        return table if isinstance(X, pd.DataFrame) else table.to_numpy()

    calls = 0
    preds: dict[Any, tuple[np.ndarray | None, str | None]] = {}
    # the stacked batch holds n rows per changed column: cap it at _BATCH_CELLS cells (a
    # single batch of 100k rows x 40 columns took 3 GB), so wide tables take several calls
    per_batch = max(1, _BATCH_CELLS // max(1, n * frame.shape[1]))
    for start in range(0, len(changed), per_batch):
        group = changed[start:start + per_batch]
        batch = _Outputs(adapter, back(pd.concat([substituted(c) for c in group],
                                                 ignore_index=True)), proba=False)
        calls += batch.calls
        if batch.error is None and len(batch.pred) == n * len(group):
            for k, c in enumerate(group):
                preds[c] = (batch.pred[k * n:(k + 1) * n], None)
            continue
        for c in group:  # one column's odd values sink the batch: one call per column
            one = _Outputs(adapter, back(substituted(c)), proba=False)
            calls += one.calls
            preds[c] = (one.pred, one.error)
    impacts = []
    classification = pert_task(clean) == "classification"
    for c in changed:
        pred, error = preds[c]
        score = drop = flip = None
        if error is None:
            if scorer is not None:
                score = scorer.score(labels, pred)
                drop = scorer.drop(clean=clean_score, perturbed=score)
            flip = float(np.mean(pred != clean.pred)) if classification else None
        impacts.append(FeatureImpact(name, severity, str(c), score, drop, flip, error))
    return impacts, calls


def _frame(X: Any) -> pd.DataFrame:
    """A table as a frame; an array's columns are named x0, x1, ... (scikit-learn's names)."""
    if isinstance(X, pd.DataFrame):
        return X
    values = np.asarray(X)
    return pd.DataFrame(values, columns=[f"x{j}" for j in range(values.shape[1])])


def _warnings(cells: tuple[StressCell, ...], templates: list[Perturbation],
              labels: np.ndarray | None, n: int, use_proba: bool, task: str) -> tuple[str, ...]:
    out = []
    if labels is None:
        out.append("no labels (y): the metric and its drop are not measured, only flips "
                   "and confidence")
    elif n < _SMALL:
        out.append(f"only {n} rows: one row moves the metric by {1 / n:.3f}")
    if task == "classification" and not use_proba:
        out.append("the model has no predict_proba: confidence shifts are not measured")
    for t in templates:
        mine = [c for c in cells if c.perturbation == t.name]
        if not any(c.applied for c in mine):
            reasons = sorted({n["reason"] for c in mine for n in c.notes if n["reason"]})
            out.append(f"{t.name} changed nothing at any severity"
                       + (f": {'; '.join(reasons)[:200]}" if reasons else ""))
        failed = [c for c in mine if c.error]
        if failed:
            levels = ", ".join(str(c.severity) for c in failed)
            out.append(f"the model raised on {t.name} at severity {levels} (no per-column "
                       f"impact there): {failed[0].error.splitlines()[0][:160]}")
    return tuple(out)
