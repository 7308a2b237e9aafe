"""Root-cause analysis of one escalated prediction: :func:`analyse_prediction` -> RCAReport.

:class:`RootCauseAnalyser` does the per-reference work once in ``fit`` (the neighbour index,
per-feature reference values, the novelty detector, the model's reference predictions, the
reference weak segments and calibration) so that ``analyse`` of one escalation costs only:

- one kNN query and one novelty score for the row, ``(d + 1) * explanation_samples`` rows
  and ~``(2 d + n_neighbors + 16) * 12`` perturbed rows scored by the model;
- a production window of at most ``max_window_rows`` rows, read from the store with a
  time-bounded query ``[at - window, at + window_after)`` and a SQL ``LIMIT`` (never all
  events): diagnosis, drift tests, the blast radius on at most ``max_blast_rows`` sampled
  rows, and the labelled rows' predictions for label shift, concept shift, slices and
  calibration;
- the alerts and window results of the model's monitors (one query each).

So the cost grows with the window cap and the reference sample sizes, not with the number
of stored events. The decision is :func:`~.attribution.attribute`.

>>> from stalwart.testing.incidents import make_incident
>>> inc = make_incident("unit_change", seed=0)
>>> report = analyse_prediction(inc.model, inc.row, reference=inc.reference,
...                             target=inc.target, expected=inc.expected,
...                             production=inc.production)
>>> report.cause
'unit_change'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._json import jsonable
from ..drift.diagnosis import diagnose
from ..drift.univariate import detect_drift
from ..exceptions import DataError, ModelError, ParameterError, SchemaError, StageError
from ..models import ModelAdapter, wrap
from ..novelty import KNNNovelty
from . import evidence as ev
from .attribution import Attribution, Thresholds, attribute
from .labels import align_labels
from .local_explanation import explain_locally
from .neighbours import NeighbourIndex
from .report import RCAReport
from .unusual_features import FeatureReference

__all__ = ["RootCauseAnalyser", "analyse_prediction", "production_window"]


@dataclass(frozen=True)
class _Window:
    features: pd.DataFrame
    labels: np.ndarray | None  # aligned with features; None = no label column
    n_total: int
    source: str


def _as_row(row: Any) -> dict[str, Any]:
    if isinstance(row, pd.DataFrame):
        if len(row) != 1:
            raise DataError("row", expected="one row", got=f"{len(row)} rows",
                            fix="pass the escalated row alone")
        return {str(k): v for k, v in row.iloc[0].to_dict().items()}
    if isinstance(row, pd.Series):
        return {str(k): v for k, v in row.to_dict().items()}
    if isinstance(row, Mapping):
        return {str(k): v for k, v in row.items()}
    raise DataError("row", expected="a mapping of feature -> value, a Series or a one-row "
                    "DataFrame", got=type(row).__name__, fix="pass the escalated features")


def _utc(at: Any) -> dt.datetime | None:
    if at is None:
        return None
    ts = pd.Timestamp(at)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.to_pydatetime()


def production_window(store: Any, model_name: str, at: Any, *, window: dt.timedelta,
                      window_after: dt.timedelta, max_rows: int,
                      features: list[str]) -> tuple[_Window, dict[str, Any]]:
    """Events of ``model_name`` in ``[at - window, at + window_after)`` (at most ``max_rows``,
    the ones nearest to ``at``, by SQL LIMITs), and the alerts and window results of its
    monitors around ``at``."""
    t = _utc(at)
    if t is None:
        raise ParameterError("at", expected="the escalated prediction's time when a store is "
                             "given", got="None", fix="pass at=<timestamp of the prediction>")
    start, end = t - window, t + window_after
    # the rows nearest to ``at`` when the window holds more than max_rows: up to half the
    # cap after it, the rest the newest before it, so a cap never keeps only a far edge
    after = store.events(model_name, start=t, end=end, limit=max(1, max_rows // 2))
    room = max_rows - len(after)
    before = (store.events(model_name, start=start, end=t, limit=room, newest_first=True)
              if room > 0 else after.iloc[:0])
    frame = pd.concat([before, after], ignore_index=True) if len(after) else before
    cols = {c[len("features."):]: c for c in frame.columns if c.startswith("features.")}
    feats = pd.DataFrame({f: frame[cols[f]] if f in cols else np.nan for f in features}) \
        if len(frame) else pd.DataFrame(columns=features)
    extra = sorted(set(cols) - set(features))
    for name in extra:  # a renamed or new column stays visible to the diagnosis
        feats[name] = frame[cols[name]]
    labels = frame["label"].to_numpy(dtype=object) if "label" in frame.columns else None
    monitors = [m.name for m in store.monitors(model=model_name)]
    alerts, windows = [], []
    for name in monitors:
        for a in store.alerts(monitor=name):
            first, last = _utc(a.first_seen), _utc(a.last_seen)
            if first < end and last >= start:
                alerts.append(a.to_dict())
        for w in store.window_results(name, start=start, end=end):
            windows.append({"monitor": name, "window_start": w.window_start,
                            "window_end": w.window_end, "n_events": w.n_events,
                            "metrics": w.metrics})
    monitoring = {"model": model_name, "start": start, "end": end, "monitors": monitors,
                  "alerts": alerts, "windows": windows, "n_events_read": int(len(frame)),
                  "capped": bool(len(frame) >= max_rows)}
    return _Window(feats, labels, int(len(frame)), "store"), jsonable(monitoring)


class RootCauseAnalyser:
    """Prefit everything that depends only on the model and the reference; analyse rows.

    Keyword options are stored as given; ``fit(model, reference, target=...)`` returns self.
    """

    def __init__(self, *, n_neighbors: int = 15, thresholds: Thresholds | None = None,
                 explanation_samples: int = 50, max_reference_rows: int = 50_000,
                 max_window_rows: int = 50_000, max_blast_rows: int = 20_000,
                 min_labelled: int = 30, slice_min_size: int = 30,
                 slice_min_effect: float = 0.1, window: dt.timedelta = dt.timedelta(days=7),
                 window_after: dt.timedelta = dt.timedelta(hours=1),
                 random_state: int | None = 0) -> None:
        self.n_neighbors = n_neighbors
        self.thresholds = thresholds
        self.explanation_samples = explanation_samples
        self.max_reference_rows = max_reference_rows
        self.max_window_rows = max_window_rows
        self.max_blast_rows = max_blast_rows
        self.min_labelled = min_labelled
        self.slice_min_size = slice_min_size
        self.slice_min_effect = slice_min_effect
        self.window = window
        self.window_after = window_after
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def fit(self, model: Any, reference: pd.DataFrame, *, target: str) -> RootCauseAnalyser:
        self.model_ = model if isinstance(model, ModelAdapter) else wrap(model)
        if self.model_.task != "classification":
            raise ModelError("model", expected="a classifier (root-cause analysis compares "
                             "labels)", got=f"a {self.model_.task} model",
                             fix="pass a classification model")
        if not self.model_.can("predict_proba"):
            raise ModelError("model", expected="a classifier with predict_proba",
                             got=f"capabilities {sorted(self.model_.capabilities)}",
                             fix="wrap the model with its probabilities (proba=...)")
        if not isinstance(reference, pd.DataFrame) or len(reference) == 0:
            raise DataError("reference", expected="a non-empty DataFrame with labels",
                            got=type(reference).__name__ if not isinstance(
                                reference, pd.DataFrame) else "0 rows",
                            fix="pass the training data with its target column")
        if target not in reference.columns:
            shown = ", ".join(map(str, reference.columns[:10]))
            raise SchemaError("target", expected=f"a column of the reference ({shown})",
                              got=repr(target), fix="pass target=<the label column's name>")
        y = reference[target]
        if y.isna().all():
            raise DataError("reference labels", expected=f"labels in column {target!r}",
                            got="only missing values", fix="pass labelled training data")
        reference = reference[y.notna()]
        if len(reference) > self.max_reference_rows:
            reference = reference.sample(self.max_reference_rows,
                                         random_state=self.random_state)
        names = self.model_.feature_names
        self.features_ = ([str(c) for c in names] if names else
                          [str(c) for c in reference.columns if c != target])
        unknown = [c for c in self.features_ if c not in reference.columns]
        if unknown:
            raise SchemaError("reference", expected=f"the model's features {self.features_}",
                              got=f"missing {unknown}", fix="pass the training columns")
        self.target_ = target
        self.reference_ = reference[self.features_].reset_index(drop=True)
        self.labels_ = reference[target].to_numpy(dtype=object)
        self.thresholds_ = self.thresholds if self.thresholds is not None else Thresholds()
        self.index_ = NeighbourIndex(n_neighbors=self.n_neighbors,
                                     random_state=self.random_state).fit(self.reference_)
        self.values_ = FeatureReference(tail=0.01).fit(self.reference_)
        self.novelty_ = KNNNovelty(n_neighbors=5, false_flag_rate=self.thresholds_.novelty_rate,
                                   random_state=self.random_state).fit(self.index_.matrix_)
        self.proba_ = np.asarray(self.model_.predict_proba(self.reference_), dtype=float)
        self.classes_ = np.asarray(self.model_.classes_, dtype=object)
        self.predictions_ = self.classes_[self.proba_.argmax(axis=1)]
        self.labels_ = align_labels(self.labels_, self.classes_)
        t = self.thresholds_
        self.reference_slices_ = ev.slice_table(
            self.reference_, (self.predictions_ != self.labels_).astype(float),
            source="reference", min_size=self.slice_min_size,
            min_effect=self.slice_min_effect, alpha=t.alpha)
        return self

    def _check(self) -> None:
        if getattr(self, "model_", None) is None:
            raise StageError("RootCauseAnalyser.analyse() was called before fit(); call "
                             "fit(model, reference, target=...) first")

    # ------------------------------------------------------------------ analyse
    def analyse(self, row: Any, *, expected: Any = None, prediction: Any = None,
                production: pd.DataFrame | None = None, store: Any = None,
                model_name: str | None = None, at: Any = None) -> RCAReport:
        self._check()
        t = self.thresholds_
        notes: list[str] = []
        values = _as_row(row)
        missing = [c for c in self.features_ if c not in values]
        if missing:
            raise DataError("row", expected=f"every feature of the model ({self.features_})",
                            got=f"missing {missing}", fix="pass the escalated row's full input")
        unknown = [c for c in values if c not in self.features_ and c != self.target_]
        if unknown:
            raise SchemaError("row", expected=f"only the model's features ({self.features_})",
                              got=f"unknown columns {unknown}",
                              fix="drop them, or analyse with a reference that has them")
        frame = _row_frame(values, self.reference_)
        proba = np.asarray(self.model_.predict_proba(frame), dtype=float)[0]
        model_pred = self.classes_[int(proba.argmax())]
        if prediction is None:
            prediction = model_pred
        else:
            prediction = align_labels(np.array([prediction], dtype=object), self.classes_)[0]
            if prediction != model_pred:
                notes.append(f"the logged prediction {prediction!r} differs from the model's "
                             f"answer now ({model_pred!r}): was another version serving?")
        if expected is not None:
            expected = align_labels(np.array([expected], dtype=object), self.classes_)[0]
        window, monitoring = self._window(production, store, model_name, at, notes)

        facts: dict[str, Any] = {"prediction": prediction, "expected": expected,
                                 "wrong": None if expected is None else bool(
                                     expected != prediction)}
        unusual = self.values_.rank(values)
        facts["unusual"] = unusual
        facts["row_faults"] = ev.row_faults(unusual)
        facts["uncertainty"] = _uncertainty(proba)
        point = self.index_.encode(frame)[0]
        facts["novelty"] = self._novelty(point)
        nb = self._neighbours(frame, prediction)
        facts["neighbours"] = nb
        facts["flip"] = ev.flip_search(
            self.model_, frame, self.index_.encoder_.numeric_,
            self.reference_.iloc[nb["positions"]], prediction, spacing=self.index_.spacing_,
            random_state=self.random_state)
        blast = None
        if window is not None:
            facts.update(self._window_facts(window, values, point, prediction, expected, nb,
                                            notes))
            blast = facts["blast"]
        facts["slice"] = self._slice(window, values, notes)
        facts["calibration"] = self._calibration(window, proba.max())
        attribution = attribute(facts, thresholds=t)
        explanation = explain_locally(self.model_, frame, self.reference_,
                                      n_samples=self.explanation_samples,
                                      random_state=self.random_state)
        shown = {k: v for k, v in nb.items() if k != "positions"}
        kept = ("row_faults", "diagnosis", "unit_changes", "drift", "novelty", "flip",
                "label_shift", "concept", "calibration", "uncertainty", "wrong")
        return RCAReport(
            model=jsonable(self.model_.describe()), row=jsonable(values),
            prediction=jsonable(prediction), expected=jsonable(expected),
            probabilities={str(c): float(p) for c, p in zip(self.classes_, proba)},
            at=None if at is None else _utc(at).isoformat(),
            unusual_features=jsonable(unusual), neighbours=jsonable(shown),
            explanation=jsonable(explanation), monitoring=monitoring,
            blast_radius=jsonable(blast), slice=jsonable(facts["slice"]),
            attribution=Attribution.from_dict(jsonable(attribution.to_dict())),
            evidence=jsonable({k: facts.get(k) for k in kept}),
            options=jsonable(self._options()), notes=tuple(notes))

    # ------------------------------------------------------------------ pieces
    def _options(self) -> dict[str, Any]:
        return {"n_neighbors": self.n_neighbors, "explanation_samples": self.explanation_samples,
                "max_reference_rows": self.max_reference_rows,
                "max_window_rows": self.max_window_rows, "max_blast_rows": self.max_blast_rows,
                "min_labelled": self.min_labelled, "slice_min_size": self.slice_min_size,
                "slice_min_effect": self.slice_min_effect,
                "window_seconds": self.window.total_seconds(),
                "window_after_seconds": self.window_after.total_seconds(),
                "random_state": self.random_state, "thresholds": self.thresholds_.to_dict(),
                "neighbour_index": self.index_.describe()}

    def _window(self, production: Any, store: Any, model_name: str | None, at: Any,
                notes: list[str]) -> tuple[_Window | None, dict[str, Any] | None]:
        if production is not None and store is not None:
            raise ParameterError("production", expected="a production frame or a store, not "
                                 "both", got="both", fix="pass one source of production rows")
        if store is not None:
            if not model_name:
                raise ParameterError("model_name", expected="the model's name in the store",
                                     got=repr(model_name), fix="pass model_name=...")
            window, monitoring = production_window(
                store, model_name, at, window=self.window, window_after=self.window_after,
                max_rows=self.max_window_rows, features=self.features_)
            if monitoring["capped"]:
                notes.append(f"the window held more than {self.max_window_rows} events: the "
                             "ones nearest to the escalated prediction were read (raise "
                             "max_window_rows to read more)")
            return (window if window.n_total else None), monitoring
        if production is None:
            notes.append("no production window: shifts and unit changes were not examined")
            return None, None
        if not isinstance(production, pd.DataFrame):
            raise DataError("production", expected="a DataFrame of production rows",
                            got=type(production).__name__, fix="pass a pandas DataFrame")
        labels = None
        if self.target_ in production.columns:
            labels = production[self.target_].to_numpy(dtype=object)
        feats = production.drop(columns=[self.target_], errors="ignore").reset_index(drop=True)
        if len(production) > self.max_window_rows:
            idx = np.random.default_rng(self.random_state).choice(
                len(production), size=self.max_window_rows, replace=False)
            feats = feats.iloc[idx].reset_index(drop=True)
            labels = None if labels is None else labels[idx]
        return _Window(feats, labels, int(len(production)), "frame"), None

    def _novelty(self, point: np.ndarray) -> dict[str, Any]:
        res = self.novelty_.detect(point[None, :])
        dist, _ = self.index_.model_.kneighbors(point[None, :], n_neighbors=1)
        return {"method": res.method, "score": float(res.scores[0]),
                "p_value": float(res.p_values[0]), "flagged": bool(res.flags[0]),
                "threshold": res.threshold, "nearest_distance": float(dist[0, 0]),
                "spacing": self.index_.spacing_}

    def _neighbours(self, frame: pd.DataFrame, prediction: Any) -> dict[str, Any]:
        dist, idx = self.index_.kneighbors(frame)
        pos = idx[0]
        labels = self.labels_[pos]
        values, counts = np.unique(labels.astype(str), return_counts=True)
        order = np.argsort(-counts, kind="stable")
        majority_str = values[order[0]]
        majority = next(v for v in labels if str(v) == majority_str)
        examples = []
        for rank, (p, d) in enumerate(zip(pos[:5], dist[0][:5])):
            examples.append({"rank": rank + 1, "distance": float(d), "label": self.labels_[p],
                             "prediction": self.predictions_[p],
                             "features": self.reference_.iloc[int(p)].to_dict()})
        return {"k": int(pos.size), "positions": pos.tolist(),
                "label_counts": {str(values[i]): int(counts[i]) for i in order},
                "majority": majority, "majority_share": float(counts[order[0]] / pos.size),
                "share_as_predicted": float(np.mean(labels == prediction)),
                "same_prediction_share": float(np.mean(self.predictions_[pos] == prediction)),
                "radius": self.index_.radius_, "examples": examples}

    def _window_facts(self, w: _Window, values: dict[str, Any], point: np.ndarray,
                      prediction: Any, expected: Any, nb: dict[str, Any],
                      notes: list[str]) -> dict[str, Any]:
        t = self.thresholds_
        out: dict[str, Any] = {}
        shared = [c for c in self.features_ if c in w.features.columns
                  and w.features[c].notna().any()]
        absent = [c for c in self.features_ if c not in shared]
        if absent:
            notes.append(f"production rows lack {absent}: imputed for distances")
        if len(w.features) >= 20:
            diag = diagnose(self.reference_, w.features)
            out["diagnosis"] = [f.to_dict() for f in diag.findings]
            out["unit_changes"] = ev.unit_change_evidence(
                out["diagnosis"], values, self.values_.describe_value)
            drift = detect_drift(self.reference_[shared], w.features[shared])
            out["drift"] = {"drifted": list(drift.drifted),
                            "columns": [{"column": c.column, "method": c.method,
                                         "adjusted_p_value": c.adjusted_p_value,
                                         "effect_size": c.effect_size, "drifted": c.drifted}
                                        for c in drift.columns]}
        else:
            notes.append(f"the production window holds {len(w.features)} rows (< 20): no "
                         "diagnosis or drift test")
            out["diagnosis"], out["unit_changes"], out["drift"] = None, [], None
        out["blast"] = self._blast(w, point)
        labelled = self._labelled(w)
        if labelled is None:
            notes.append(f"fewer than {self.min_labelled} labelled production rows: label "
                         "and concept shift were not examined")
            out["label_shift"], out["concept"] = None, None
            return out
        x, y, enc = labelled
        ls = ev.label_shift_evidence(self.labels_, y, expected)
        ls["conditional"] = ev.class_conditional_drift(self.reference_[shared], self.labels_,
                                                       x[shared], y, alpha=t.alpha)
        out["label_shift"] = ls
        # twice the neighbourhood on both sides: Fisher's test on 15 + 15 rows has little power
        k = 2 * self.n_neighbors
        d = np.sqrt(((enc - point[None, :]) ** 2).sum(axis=1))
        near = np.argsort(d, kind="stable")[:k]
        near = near[d[near] <= 2 * self.index_.radius_]
        if near.size >= 5:
            _, train = self.index_.model_.kneighbors(point[None, :], n_neighbors=k)
            out["concept"] = ev.concept_evidence(self.labels_[train[0]], y[near], prediction)
            out["concept"]["max_distance"] = float(d[near].max())
        else:
            out["concept"] = None
            notes.append("fewer than 5 labelled production rows near the row: concept shift "
                         "was not examined")
        return out

    def _labelled(self, w: _Window) -> tuple[pd.DataFrame, np.ndarray, np.ndarray] | None:
        if w.labels is None:
            return None
        has = pd.notna(w.labels)
        if has.sum() < self.min_labelled:
            return None
        # production rows may lack a feature: imputed with the reference's typical value, as
        # for the distances, so the model can score the rows
        x = w.features.loc[has].reindex(columns=self.features_).reset_index(drop=True)
        for column in (c for c in self.features_ if c not in w.features.columns):
            ref = self.reference_[column]
            x[column] = (ref.median() if pd.api.types.is_numeric_dtype(ref)
                         else ref.mode().iloc[0])
        y = align_labels(w.labels[has], self.classes_)
        return x, y, self.index_.encode(x)

    def _blast(self, w: _Window, point: np.ndarray) -> dict[str, Any]:
        feats = w.features.reindex(columns=self.features_)
        n = len(feats)
        if n > self.max_blast_rows:
            idx = np.random.default_rng(self.random_state).choice(n, size=self.max_blast_rows,
                                                                  replace=False)
            feats = feats.iloc[idx]
        enc = self.index_.encode(feats)
        radius = self.index_.radius_
        count = self.index_.count_within(point, enc, radius)
        ref_count = self.index_.reference_count_within(point, radius)
        share = count / len(feats) if len(feats) else 0.0
        ref_share = ref_count / self.index_.n_reference_
        # is the production count more than the reference share predicts? (a ratio of two
        # near-zero counts means nothing; the binomial tail says how surprising the count is)
        p_value = float(stats.binom.sf(count - 1, len(feats),
                                       (ref_count + 1) / (self.index_.n_reference_ + 1))) \
            if len(feats) else 1.0
        # local density ratio with an adaptive radius: among the row's k nearest rows of
        # reference and production pooled, how many are production rows, against the
        # share production holds in the pool (binomial tail)
        k = 2 * self.n_neighbors
        ref_d, _ = self.index_.model_.kneighbors(point[None, :], n_neighbors=k)
        prod_d = np.sort(np.sqrt(((enc - point[None, :]) ** 2).sum(axis=1)))[:k]
        pooled = np.concatenate([ref_d[0], prod_d])
        from_prod = int(np.count_nonzero(np.argsort(pooled, kind="stable")[:k] >= k))
        n_ref, n_prod = self.index_.n_reference_, len(feats)
        q = n_prod / (n_prod + n_ref)
        ratio = ((from_prod + 1) / (n_prod + 1)) / ((k - from_prod + 1) / (n_ref + 1))
        density_p = float(stats.binom.sf(from_prod - 1, k, q)) if n_prod else 1.0
        return {"radius": radius, "n_window": w.n_total, "n_sampled": int(len(feats)),
                "density_neighbours": k, "density_from_production": from_prod,
                "density_p_value": density_p, "radius_count_p_value": p_value,
                "similar_in_sample": count, "share": share,
                "estimated_similar": share * w.n_total, "reference_similar": ref_count,
                "reference_share": ref_share, "density_ratio": ratio}

    def _slice(self, w: _Window | None, values: dict[str, Any],
               notes: list[str]) -> dict[str, Any]:
        t = self.thresholds_
        labelled = None if w is None else self._labelled(w)
        if labelled is not None and len(labelled[1]) >= 10 * self.slice_min_size:
            x, y, _ = labelled
            pred = self.classes_[np.asarray(self.model_.predict_proba(x)).argmax(axis=1)]
            table = ev.slice_table(x, (pred != y).astype(float), source="production",
                                   min_size=self.slice_min_size,
                                   min_effect=self.slice_min_effect, alpha=t.alpha)
            return ev.slice_evidence(table, values)
        return ev.slice_evidence(self.reference_slices_, values)

    def _calibration(self, w: _Window | None, confidence: float) -> dict[str, Any]:
        labelled = None if w is None else self._labelled(w)
        if labelled is not None and len(labelled[1]) >= 10 * self.slice_min_size:
            x, y, _ = labelled
            proba = np.asarray(self.model_.predict_proba(x), dtype=float)
            return ev.calibration_at(y, proba, self.classes_, float(confidence),
                                     source="production")
        return ev.calibration_at(self.labels_, self.proba_, self.classes_, float(confidence),
                                 source="reference")


def _row_frame(values: dict[str, Any], reference: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame({c: [values[c]] for c in reference.columns})
    for c in reference.columns:
        try:
            frame[c] = frame[c].astype(reference[c].dtype)
        except (TypeError, ValueError):
            pass  # a value of the wrong type stays as given: the analysis reports it
    return frame


def _uncertainty(proba: np.ndarray) -> dict[str, float]:
    top = np.sort(proba)[::-1]
    p = proba[proba > 0]
    return {"confidence": float(top[0]),
            "margin": float(top[0] - top[1]) if top.size > 1 else 1.0,
            "entropy": float(-(p * np.log(p)).sum())}


def analyse_prediction(model: Any, row: Any, *, reference: pd.DataFrame, target: str,
                       expected: Any = None, prediction: Any = None,
                       production: pd.DataFrame | None = None, store: Any = None,
                       model_name: str | None = None, at: Any = None,
                       **options: Any) -> RCAReport:
    """Analyse one escalated prediction: fit a :class:`RootCauseAnalyser` and run it.

    ``model``: a ``stalwart.models`` adapter or any scikit-learn-like classifier.
    ``row``: the escalated input (mapping, Series or one-row frame). ``reference``: the
    training data with its ``target`` column. ``production``: recent production rows (the
    ``target`` column holds labels where known), or ``store`` + ``model_name`` + ``at`` to
    read the window and the alerts from the monitoring store. ``options`` go to
    :class:`RootCauseAnalyser`. For many escalations, fit the analyser once and call
    ``analyse`` per row.
    """
    analyser = RootCauseAnalyser(**options).fit(model, reference, target=target)
    return analyser.analyse(row, expected=expected, prediction=prediction,
                            production=production, store=store, model_name=model_name, at=at)
