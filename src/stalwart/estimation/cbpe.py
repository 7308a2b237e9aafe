"""CBPE: confidence-based performance estimation of a classifier on unlabelled data.

The idea of NannyML's CBPE: if the model's probabilities are calibrated, each current row's
label is a draw from them, so the *expected* confusion matrix, and the metrics built from it,
follow from the probabilities alone (:mod:`stalwart.estimation.expected`). ``fit`` calibrates
the probabilities on labelled reference data with a calibrator of
:mod:`stalwart.uncertainty.calibrators` and measures the realised reference performance;
``estimate`` maps current probabilities through that calibrator and estimates every metric
per chunk of consecutive rows.

Predicted labels are the model's own: the positive class when its *raw* probability is at
least ``threshold`` (two classes), else the arg-max class; calibration changes only the
probabilities the labels are assumed to follow. Multiclass metrics are macro averages
one-vs-rest.

Intervals describe how far the realised metric of a chunk can fall from the estimate by
chance when the calibrated probabilities are right: for accuracy the number of correct rows
is Poisson-binomial, and the interval is the normal one with its exact variance
``sum q_i (1 - q_i) / n**2`` (``q_i`` the calibrated probability of the predicted class);
for the other metrics a parametric bootstrap draws ``n_bootstrap`` label vectors row by row
from the calibrated probabilities (seeded by ``random_state``) and takes the central
percentile interval of the metric. They do not include the error of the calibration map
itself, and nothing here can see a change of P(y | x) (concept shift): CBPE then keeps
reporting the performance the reference calibration implies.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> p_ref = rng.uniform(size=2000); y_ref = rng.uniform(size=2000) < p_ref
>>> est = CBPE(metrics=("accuracy", "roc_auc"), calibration="auto").fit(y_ref, p_ref)
>>> est.calibration_["used"]
'none'
>>> result = est.estimate(rng.uniform(0.3, 0.7, size=1000), chunks=500)
>>> len(result.chunks), round(result["accuracy"].value, 2)
(2, 0.6)
>>> result["accuracy"].reference_value > result["accuracy"].upper
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import norm

from ..exceptions import DataError, ModelError, ParameterError, StageError
from ..metrics.probabilities import check_proba
from ..uncertainty.calibration import encode_targets, expected_calibration_error
from ..uncertainty.calibrators import CALIBRATORS
from ._checks import (check_confidence, check_metrics, check_positive_int, chunk_bounds,
                      percentile_interval)
from ._draws import draw_labels, metrics_on_draws
from .expected import expected_metrics
from .result import ChunkEstimate, MetricEstimate, PerformanceEstimate

__all__ = ["CBPE", "CBPE_METRICS", "MIN_REFERENCE_ROWS"]

CBPE_METRICS = ("accuracy", "roc_auc", "f1", "precision", "recall")
#: fewer labelled reference rows than this cannot support a calibration map
MIN_REFERENCE_ROWS = 50
_SMALL_CHUNK = 30
_CONSISTENCY_DRAWS = 100
_CELLS = 2_000_000  # bootstrap draws x rows held in memory at once

CONCEPT_SHIFT_NOTE = ("CBPE assumes P(y | x) is unchanged since the reference and that the "
                      "reference calibration still holds; a drop caused by concept shift is "
                      "invisible to it")


class CBPE:
    """Estimate accuracy, ROC AUC, F1, precision and recall without labels.

    ``calibration``: "isotonic" (default), any name of
    :data:`stalwart.uncertainty.CALIBRATORS`, ``None`` (use raw probabilities) or "auto":
    keep the raw probabilities when their reference calibration error (classwise ECE) is no
    larger than the 95th percentile of the ECE that perfectly calibrated probabilities show
    on the same rows (labels redrawn from them, consistency resampling), else isotonic. The
    choice and both errors are recorded in ``calibration_`` and in each result.
    """

    def __init__(self, *, metrics: Any = CBPE_METRICS, calibration: str | None = "isotonic",
                 threshold: float = 0.5, confidence: float = 0.95, n_bootstrap: int = 500,
                 random_state: int = 0) -> None:
        self.metrics = metrics
        self.calibration = calibration
        self.threshold = threshold
        self.confidence = confidence
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    # ----------------------------------------------------------------------------- fit
    def fit(self, reference_y_true: Any, reference_proba: Any, *, classes: Any = None
            ) -> CBPE:
        """Calibrate on labelled reference rows and measure their realised performance.

        ``reference_proba``: (n, k) probabilities in ``classes`` order (sorted labels when
        not given), or a 1-D positive-class probability for two classes.
        """
        self._check_params()
        self.model_ = None
        p = check_proba(reference_proba, what="reference_proba", allow_1d=True)
        k = p.shape[1]
        codes = encode_targets(reference_y_true, k, classes)
        if codes.size != p.shape[0]:
            raise DataError("reference_y_true", expected=f"{p.shape[0]} labels (one per row)",
                            got=f"{codes.size}", fix="pass labels and probabilities of the "
                            "same reference rows")
        if codes.size < MIN_REFERENCE_ROWS:
            raise DataError("reference data", expected=f"at least {MIN_REFERENCE_ROWS} "
                            "labelled rows", got=f"{codes.size}",
                            fix="use a larger labelled reference set")
        seen = np.bincount(codes, minlength=k)
        if (seen == 0).any():
            raise DataError("reference_y_true", expected=f"every one of the {k} classes",
                            got=f"{int((seen > 0).sum())} class(es) present",
                            fix="use reference data in which every class occurs")
        self.n_classes_ = k
        self.classes_ = None if classes is None else np.asarray(classes)
        self.metrics_ = check_metrics(self.metrics, CBPE_METRICS)
        self.calibrator_, self.calibration_ = self._calibrate(p, codes)
        onehot = np.eye(k)[codes]
        self.reference_metrics_ = expected_metrics(onehot, self._predict(p), p, self.metrics_)
        self.n_reference_ = int(codes.size)
        self._z = float(norm.ppf(0.5 + self.confidence / 2))
        return self

    def fit_model(self, model: Any, reference_X: Any, reference_y_true: Any) -> CBPE:
        """``fit`` on the probabilities of ``model`` (anything ``stalwart.models.wrap`` takes)."""
        from ..models import wrap

        adapter = wrap(model)
        if adapter.task != "classification" or not adapter.can("predict_proba"):
            raise ModelError("model", expected="a classifier with predict_proba",
                             got=f"task {adapter.task!r}, capabilities "
                             f"{sorted(adapter.capabilities)}",
                             fix="use DLE for regression models")
        self.fit(reference_y_true, adapter.predict_proba(reference_X), classes=adapter.classes_)
        self.model_ = adapter
        return self

    def _check_params(self) -> None:
        check_confidence(self.confidence)
        check_positive_int("n_bootstrap", self.n_bootstrap, minimum=10, example=500)
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, (int, float, np.floating)) \
                or not 0 < t < 1:
            raise ParameterError("threshold", expected="a number strictly between 0 and 1",
                                 got=repr(t), fix="use e.g. threshold=0.5")
        allowed = ("auto", None, *CALIBRATORS)
        if self.calibration not in allowed:
            raise ParameterError("calibration", expected=f"one of {list(allowed)}",
                                 got=repr(self.calibration),
                                 fix="use 'isotonic', 'auto' or None (raw probabilities)")

    def _predict(self, p: np.ndarray) -> np.ndarray:
        if p.shape[1] == 2:
            return (p[:, 1] >= self.threshold).astype(np.int64)
        return p.argmax(axis=1)

    @staticmethod
    def _ece(codes: np.ndarray, p: np.ndarray) -> float:
        scored = p[:, 1] if p.shape[1] == 2 else p
        return expected_calibration_error(codes, scored, variant="classwise")

    def _calibrate(self, p: np.ndarray, codes: np.ndarray) -> tuple[Any, dict[str, Any]]:
        before = self._ece(codes, p)
        record: dict[str, Any] = {"requested": self.calibration, "ece_raw": before}
        method = self.calibration
        if method == "auto":
            rng = np.random.default_rng(self.random_state)
            null = [self._ece(draw, p) for draw in draw_labels(p, _CONSISTENCY_DRAWS, rng)]
            limit = float(np.percentile(null, 95))
            method = None if before <= limit else "isotonic"
            record["ece_if_calibrated_p95"] = limit
            record["reason"] = (
                f"raw reference ECE {before:.4f} {'<=' if method is None else '>'} {limit:.4f}"
                ", the 95th percentile of the ECE of perfectly calibrated probabilities on "
                "these rows (labels redrawn from them)")
        if method is None:
            record.update(used="none", ece_calibrated=before)
            return None, record
        calibrator = CALIBRATORS[method]().fit(p, codes)
        record.update(used=method, ece_calibrated=self._ece(codes, calibrator.transform(p)))
        return calibrator, record

    # ------------------------------------------------------------------------ estimate
    def estimate(self, current_proba: Any, *, chunks: int | None = None
                 ) -> PerformanceEstimate:
        """Estimate each metric on all current rows and per chunk of ``chunks`` rows."""
        if getattr(self, "calibration_", None) is None:
            raise StageError("CBPE.estimate() was called before fit(); call "
                             "fit(reference_y_true, reference_proba) on labelled reference data")
        p = check_proba(current_proba, what="current_proba", allow_1d=True)
        if p.shape[1] != self.n_classes_:
            raise DataError("current_proba", expected=f"{self.n_classes_} columns (as at fit)",
                            got=f"{p.shape[1]}", fix="pass the same model's predict_proba")
        bounds = chunk_bounds(p.shape[0], chunks)
        calibrated = p if self.calibrator_ is None else self.calibrator_.transform(p)
        predicted = self._predict(p)
        parts = (calibrated, predicted, p)
        overall = self._chunk(-1, 0, p.shape[0], parts)
        per_chunk = tuple(self._chunk(i, s, e, parts) for i, (s, e) in enumerate(bounds))
        if chunks is not None and len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < chunks:
            last = per_chunk[-1]
            per_chunk = per_chunk[:-1] + (ChunkEstimate(
                last.index, last.start, last.stop, last.n_rows, last.metrics,
                _join(last.note, f"last chunk: the remaining {last.n_rows} rows "
                      f"(fewer than chunks={chunks})")),)
        details = {"calibration": dict(self.calibration_),
                   "decision": (f"positive when raw probability >= {self.threshold}"
                                if self.n_classes_ == 2 else "arg-max class"),
                   "average": "binary" if self.n_classes_ == 2 else "macro",
                   "n_classes": self.n_classes_, "n_reference": self.n_reference_,
                   "n_bootstrap": self.n_bootstrap, "random_state": self.random_state,
                   "classes": None if self.classes_ is None else self.classes_.tolist(),
                   "chunk_size": chunks}
        if self.model_ is not None:
            details["model"] = self.model_.describe()
        return PerformanceEstimate("cbpe", "classification", self.metrics_,
                                   float(self.confidence), int(p.shape[0]), overall,
                                   per_chunk, dict(self.reference_metrics_), details,
                                   (CONCEPT_SHIFT_NOTE,))

    def estimate_model(self, current_X: Any, *, chunks: int | None = None
                       ) -> PerformanceEstimate:
        """``estimate`` on the probabilities of the model given to ``fit_model``."""
        if getattr(self, "model_", None) is None:
            raise StageError("CBPE.estimate_model() needs fit_model(model, X, y) first")
        return self.estimate(self.model_.predict_proba(current_X), chunks=chunks)

    def _chunk(self, index: int, start: int, stop: int,
               parts: tuple[np.ndarray, np.ndarray, np.ndarray]) -> ChunkEstimate:
        c, pred, p = (a[start:stop] for a in parts)
        n = stop - start
        values = expected_metrics(c, pred, p, self.metrics_)
        others = [m for m in self.metrics_ if m != "accuracy"]
        draws: dict[str, np.ndarray] = {}
        if others:
            rng = np.random.default_rng([self.random_state, index + 1])
            batch = max(1, _CELLS // n)
            batches = [metrics_on_draws(draw_labels(c, min(batch, self.n_bootstrap - done), rng),
                                       pred, p, others)
                      for done in range(0, self.n_bootstrap, batch)]
            draws = {m: np.concatenate([d[m] for d in batches]) for m in others}
        predicted_classes = np.unique(pred)
        out = []
        for m in self.metrics_:
            if m == "accuracy":
                q = c[np.arange(n), pred]
                half = self._z * np.sqrt(np.sum(q * (1 - q))) / n
                lo, hi = float(max(values[m] - half, 0.0)), float(min(values[m] + half, 1.0))
                how = "poisson_binomial_normal"
            else:
                lo, hi = percentile_interval(draws[m], self.confidence)
                how = "parametric_bootstrap"
            note = self._note(m, values[m], predicted_classes)
            if np.isfinite(values[m]) and not np.isfinite(lo):
                note = _join(note, "undefined in every bootstrap draw (too few rows of one "
                                   "class): no interval")
            out.append(MetricEstimate(m, values[m], lo, hi, self.reference_metrics_[m], how,
                                      note))
        note = f"only {n} rows: intervals are rough" if n < _SMALL_CHUNK else ""
        return ChunkEstimate(index, start, stop, n, tuple(out), note)

    def _note(self, metric: str, value: float, predicted_classes: np.ndarray) -> str:
        if metric == "roc_auc" and not np.isfinite(value):
            return "a class has no expected rows in this chunk: ROC AUC is undefined"
        k = self.n_classes_
        missing = 1 not in predicted_classes if k == 2 else predicted_classes.size < k
        if metric in ("precision", "f1") and missing:
            return ("a class is never predicted in this chunk: its precision counts as 0 "
                    "(zero_division=0)")
        return ""


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b
