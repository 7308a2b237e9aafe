"""What the model checks share: the evaluation rows, the model's outputs on them, cached.

Every model check of one run scores the same rows, so predictions are computed once and
kept in ``ctx.cache``. Rows with a missing label are dropped (a metric cannot score them);
above ``ctx.max_rows_for_model_checks`` rows a seeded sample is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...data import Dataset
from ...exceptions import DataError
from ..check import CheckContext

__all__ = ["ModelOutputs", "features_of", "model_features", "model_outputs"]


@dataclass(frozen=True)
class ModelOutputs:
    """Inputs, labels and the model's predictions (and probabilities) on the same rows."""

    X: pd.DataFrame
    y: np.ndarray
    pred: np.ndarray
    proba: np.ndarray | None
    classes: np.ndarray | None
    task: str
    n_dropped: int


def features_of(ctx: CheckContext, data: Dataset) -> list[str]:
    """The model's input columns when it names them, else the data's feature columns."""
    return model_features(ctx.model, data)


def model_features(model: Any, data: Dataset) -> list[str]:
    """The input columns of ``model`` (a model adapter) in ``data``, or a clear error."""
    names = getattr(model, "feature_names", None)
    if names:
        missing = [c for c in names if c not in data.frame.columns]
        if missing:
            raise DataError("model input columns", expected=f"columns {list(names)[:10]}",
                            got=f"missing {missing[:10]}",
                            fix="pass data with every column the model was trained on")
        return list(names)
    return list(data.features)


def _labelled(ctx: CheckContext, data: Dataset, key: str) -> tuple[pd.DataFrame, np.ndarray, int]:
    frame = data.frame
    y = frame[data.target]
    keep = y.notna().to_numpy()
    n_dropped = int((~keep).sum())
    frame = frame.loc[keep]
    cap = ctx.max_rows_for_model_checks
    if len(frame) > cap:
        frame = frame.sample(n=cap, random_state=ctx.random_state)
    if len(frame) == 0:
        raise DataError(f"target {data.target!r} of the {key}", expected="labelled rows",
                        got="no row with a label", fix="pass data whose target is filled in")
    return frame, frame[data.target].to_numpy(), n_dropped


def model_outputs(ctx: CheckContext) -> ModelOutputs:
    """The model's outputs on the labelled evaluation rows (cached for the run)."""
    return ctx.cached("evaluation:outputs", lambda: _outputs(ctx))


def _outputs(ctx: CheckContext) -> ModelOutputs:
    frame, y, n_dropped = _labelled(ctx, ctx.data, "data")
    X = frame[features_of(ctx, ctx.data)]
    model = ctx.model
    pred = np.asarray(model.predict(X))
    proba = None
    classes = None
    if model.task == "classification":
        classes = None if model.classes_ is None else np.asarray(model.classes_)
        if model.can("predict_proba"):
            proba = np.asarray(model.predict_proba(X), dtype=float)
        if classes is not None:
            unknown = ~np.isin(y, classes)
            if unknown.any():
                raise DataError(f"labels of {ctx.data.target!r}",
                                expected=f"classes the model knows {classes[:10].tolist()}",
                                got=f"{int(unknown.sum())} rows with other labels, e.g. "
                                    f"{y[unknown][:3].tolist()}",
                                fix="drop those rows or evaluate a model trained on them")
    else:
        y = _numeric(y, ctx.data.target)
    return ModelOutputs(X=X, y=y, pred=pred, proba=proba, classes=classes, task=model.task,
                        n_dropped=n_dropped)


def _numeric(y: np.ndarray, target: str) -> np.ndarray:
    try:
        out = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"target {target!r}", expected="numbers for a regression model",
                        got=f"values such as {y[:3].tolist()}",
                        fix="pass the numeric target the model predicts") from None
    if not np.all(np.isfinite(out)):
        raise DataError(f"target {target!r}", expected="finite numbers",
                        got="infinite values", fix="drop rows with an infinite target")
    return out


def reference_labels(ctx: CheckContext) -> np.ndarray | None:
    """The reference (training) labels, when the reference has the target column."""
    ref = ctx.reference
    target = ctx.data.target
    if ref is None or target is None or target not in ref.frame.columns:
        return None
    y = ref.frame[target].dropna().to_numpy()
    return y if y.size else None
