"""DLE: direct loss estimation of a regressor's MAE and RMSE on unlabelled data.

NannyML's idea: on labelled reference rows, learn the model's loss from what is known at
prediction time (the features and the prediction itself); on current rows, average the
predicted losses. One loss model predicts the absolute error (its mean estimates the MAE),
another the squared error (the square root of its mean estimates the RMSE). When current
rows move into a region where the model errs more (heteroscedastic noise, a harder part of
the feature space seen in the reference), the predicted losses follow.

Intervals describe how far the realised metric of a chunk can fall from the estimate by
chance: a residual bootstrap writes each row's absolute error as ``m(x) * u`` with ``m`` the
absolute-error model and ``u`` drawn from the reference ratios ``|e_j| / m_oof(x_j)``
(``m_oof`` out of sample: the forest's out-of-bag predictions for the default loss
model, three-fold cross-fitting for another estimator); ``n_bootstrap``
such chunks give the spread of the realised MAE and RMSE, added around the estimate
(percentile deviations from the bootstrap mean). The error distribution is assumed to keep
its shape and change only in scale across the feature space; the error of the loss models
themselves is not included.

The default loss model is a small random forest (60 trees, leaves of >= 20 rows, one
thread) whose out-of-bag predictions give the out-of-sample ratios for free; on 2 busy cores
scikit-learn's HistGradientBoosting was over 20x slower on small data (thread start-up).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = rng.uniform(-1, 1, size=(1000, 1)); y = x[:, 0] + rng.normal(0, 0.1 + x[:, 0] ** 2)
>>> dle = DLE().fit(x, y, x[:, 0])
>>> x_cur = rng.uniform(0.7, 1, size=(500, 1))
>>> result = dle.estimate(x_cur, x_cur[:, 0])
>>> result["mae"].value > 1.5 * result["mae"].reference_value
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import KFold, cross_val_predict

from ..exceptions import DataError, ModelError, StageError
from ._checks import check_confidence, check_metrics, check_positive_int, chunk_bounds
from .cbpe import MIN_REFERENCE_ROWS
from .result import ChunkEstimate, MetricEstimate, PerformanceEstimate

__all__ = ["DLE", "DLE_METRICS", "default_loss_model"]

DLE_METRICS = ("mae", "rmse")
_CELLS = 2_000_000  # bootstrap draws x rows held in memory at once
_SMALL_CHUNK = 30

ASSUMPTION_NOTE = ("DLE assumes P(y | x) is unchanged since the reference and predicts the "
                   "loss from reference regions only: a drop caused by concept shift, or "
                   "errors far outside the reference feature range, are invisible to it")


def default_loss_model(random_state: int = 0) -> RandomForestRegressor:
    """The loss model used when ``estimator=None``."""
    return RandomForestRegressor(n_estimators=60, min_samples_leaf=20, max_features=1.0,
                                 oob_score=True, n_jobs=1, random_state=random_state)


class DLE:
    """Estimate MAE and RMSE of a regressor without labels (direct loss estimation).

    ``estimator``: any scikit-learn regressor (cloned; one copy per loss); ``None`` uses
    :func:`default_loss_model`.
    """

    def __init__(self, *, metrics: Any = DLE_METRICS, estimator: Any = None,
                 confidence: float = 0.95, n_bootstrap: int = 500,
                 random_state: int = 0) -> None:
        self.metrics = metrics
        self.estimator = estimator
        self.confidence = confidence
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    def _base(self) -> Any:
        if self.estimator is None:
            return default_loss_model(self.random_state)
        return clone(self.estimator)

    def fit(self, reference_X: Any, reference_y_true: Any, reference_y_pred: Any) -> DLE:
        """Learn the absolute and squared errors of ``reference_y_pred`` from the features."""
        check_confidence(self.confidence)
        check_positive_int("n_bootstrap", self.n_bootstrap, minimum=10, example=500)
        self.metrics_ = check_metrics(self.metrics, DLE_METRICS)
        self.model_ = None
        features = self._features(reference_X, reference_y_pred, "reference")
        y = _vector(reference_y_true, "reference_y_true", features.shape[0])
        if features.shape[0] < MIN_REFERENCE_ROWS:
            raise DataError("reference data", expected=f"at least {MIN_REFERENCE_ROWS} "
                            "labelled rows", got=f"{features.shape[0]}",
                            fix="use a larger labelled reference set")
        self.n_features_ = features.shape[1] - 1
        error = y - features[:, -1]
        absolute = np.abs(error)
        self.abs_model_ = self._base().fit(features, absolute)
        self.sq_model_ = self._base().fit(features, error ** 2)
        out_of_fold = getattr(self.abs_model_, "oob_prediction_", None)
        if out_of_fold is None or not np.all(np.isfinite(out_of_fold)):
            folds = KFold(3, shuffle=True, random_state=self.random_state)
            out_of_fold = cross_val_predict(self._base(), features, absolute, cv=folds)
        usable = out_of_fold > 1e-12 * max(float(absolute.mean()), 1e-300)
        self.ratios_ = absolute[usable] / out_of_fold[usable]
        self.reference_metrics_ = {"mae": float(absolute.mean()),
                                   "rmse": float(np.sqrt(np.mean(error ** 2)))}
        self.n_reference_ = int(y.size)
        return self

    def fit_model(self, model: Any, reference_X: Any, reference_y_true: Any) -> DLE:
        """``fit`` on the predictions of ``model`` (anything ``stalwart.models.wrap`` takes)."""
        from ..models import wrap

        adapter = wrap(model)
        if adapter.task != "regression":
            raise ModelError("model", expected="a regressor", got=f"task {adapter.task!r}",
                             fix="use CBPE for classifiers")
        self.fit(reference_X, reference_y_true, adapter.predict(reference_X))
        self.model_ = adapter
        return self

    def estimate_model(self, current_X: Any, *, chunks: int | None = None
                       ) -> PerformanceEstimate:
        """``estimate`` on the predictions of the model given to ``fit_model``."""
        if getattr(self, "model_", None) is None:
            raise StageError("DLE.estimate_model() needs fit_model(model, X, y) first")
        return self.estimate(current_X, self.model_.predict(current_X), chunks=chunks)

    def _features(self, X: Any, y_pred: Any, role: str) -> np.ndarray:
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
        if frame.ndim != 2 or frame.shape[0] == 0 or frame.shape[1] == 0:
            raise DataError(f"{role}_X", expected="a non-empty 2-D table of features",
                            got=f"shape {np.shape(X)}", fix="pass one row per prediction")
        text = [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        if text:
            raise DataError(f"{role}_X", expected="numeric feature columns",
                            got=f"non-numeric columns {text[:5]}",
                            fix="encode categorical features as numbers first")
        values = frame.to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            raise DataError(f"{role}_X", expected="finite feature values",
                            got="NaN or infinite values", fix="impute missing values first")
        pred = _vector(y_pred, f"{role}_y_pred", values.shape[0])
        return np.column_stack([values, pred])

    def estimate(self, current_X: Any, current_y_pred: Any, *, chunks: int | None = None
                 ) -> PerformanceEstimate:
        """Estimate MAE and RMSE on all current rows and per chunk of ``chunks`` rows."""
        if getattr(self, "abs_model_", None) is None:
            raise StageError("DLE.estimate() was called before fit(); call fit(reference_X, "
                             "reference_y_true, reference_y_pred) on labelled reference data")
        features = self._features(current_X, current_y_pred, "current")
        if features.shape[1] - 1 != self.n_features_:
            raise DataError("current_X", expected=f"{self.n_features_} feature columns (as "
                            "at fit)", got=f"{features.shape[1] - 1}",
                            fix="pass the same features as the reference")
        bounds = chunk_bounds(features.shape[0], chunks)
        loss_abs = np.maximum(self.abs_model_.predict(features), 0.0)
        loss_sq = np.maximum(self.sq_model_.predict(features), 0.0)
        overall = self._chunk(-1, 0, features.shape[0], loss_abs, loss_sq)
        per_chunk = tuple(self._chunk(i, s, e, loss_abs, loss_sq)
                          for i, (s, e) in enumerate(bounds))
        details = {"loss_model": type(self.abs_model_).__name__,
                   "n_reference": self.n_reference_, "n_bootstrap": self.n_bootstrap,
                   "random_state": self.random_state, "chunk_size": chunks,
                   "features": "reference features + the prediction"}
        if self.model_ is not None:
            details["model"] = self.model_.describe()
        return PerformanceEstimate("dle", "regression", self.metrics_, float(self.confidence),
                                   int(features.shape[0]), overall, per_chunk,
                                   {m: self.reference_metrics_[m] for m in self.metrics_},
                                   details, (ASSUMPTION_NOTE,))

    def _chunk(self, index: int, start: int, stop: int, loss_abs: np.ndarray,
               loss_sq: np.ndarray) -> ChunkEstimate:
        scale = loss_abs[start:stop]
        n = stop - start
        values = {"mae": float(scale.mean()), "rmse": float(np.sqrt(loss_sq[start:stop].mean()))}
        rng = np.random.default_rng([self.random_state, index + 1])
        mae, rmse = [], []
        batch = max(1, _CELLS // n)
        for done in range(0, self.n_bootstrap, batch):
            size = min(batch, self.n_bootstrap - done)
            loss = scale[None, :] * self.ratios_[rng.integers(self.ratios_.size,
                                                              size=(size, n))]
            mae.append(loss.mean(axis=1))
            rmse.append(np.sqrt((loss ** 2).mean(axis=1)))
        draws = {"mae": np.concatenate(mae), "rmse": np.concatenate(rmse)}
        tail = 100 * (1 - self.confidence) / 2
        out = []
        for m in self.metrics_:
            d = draws[m]
            q_lo, q_hi = np.percentile(d, [tail, 100 - tail]) - d.mean()
            out.append(MetricEstimate(m, values[m], float(max(values[m] + q_lo, 0.0)),
                                      float(values[m] + q_hi), self.reference_metrics_[m],
                                      "residual_bootstrap"))
        note = f"only {n} rows: intervals are rough" if n < _SMALL_CHUNK else ""
        return ChunkEstimate(index, start, stop, n, tuple(out), note)


def _vector(values: Any, what: str, n_rows: int) -> np.ndarray:
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DataError(what, expected="numbers", got="values that are not numeric",
                        fix="pass numeric targets and predictions") from None
    if v.ndim != 1 or v.size != n_rows or not np.all(np.isfinite(v)):
        raise DataError(what, expected=f"{n_rows} finite numbers (one per row)",
                        got=f"shape {v.shape}" + ("" if np.all(np.isfinite(v)) else
                                                  " with NaN or infinite values"),
                        fix="pass one finite value per row")
    return v
