"""Per-row uncertainty scores: higher means less sure.

From probabilities: predictive entropy, margin (1 - (top1 - top2)) and least confidence
(1 - top1). From an ensemble (bagging, random forest, extra trees): the spread of its
members, as variance or disagreement. MC-dropout is not offered: it needs a torch model with
dropout layers, and comes with the torch extra in a later release.

>>> import numpy as np
>>> p = np.array([[0.5, 0.5], [0.9, 0.1]])
>>> least_confidence(p).round(3).tolist(), margin_uncertainty(p).round(3).tolist()
([0.5, 0.1], [1.0, 0.2])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..exceptions import ModelError, ParameterError
from ..models import wrap
from .calibration import as_proba

__all__ = [
    "SCORES",
    "ensemble_spread",
    "least_confidence",
    "margin_uncertainty",
    "predictive_entropy",
    "uncertainty_score",
]


def predictive_entropy(proba: Any, *, normalize: bool = False) -> np.ndarray:
    """Shannon entropy of each row in nats (divided by log(n_classes) if ``normalize``)."""
    p = as_proba(proba)
    logs = np.log(p, out=np.zeros_like(p), where=p > 0)  # 0 log 0 = 0
    h = -np.sum(p * logs, axis=1)
    return h / np.log(p.shape[1]) if normalize else h


def margin_uncertainty(proba: Any) -> np.ndarray:
    """1 - (largest - second largest probability): 1 for a tie, 0 for certainty."""
    p = as_proba(proba)
    top2 = np.sort(p, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def least_confidence(proba: Any) -> np.ndarray:
    """1 - the largest probability."""
    return 1.0 - as_proba(proba).max(axis=1)


SCORES: dict[str, Callable[[Any], np.ndarray]] = {
    "entropy": predictive_entropy,
    "margin": margin_uncertainty,
    "least_confidence": least_confidence,
}


def uncertainty_score(proba: Any, *, method: str = "entropy") -> np.ndarray:
    """One of :data:`SCORES` by name."""
    if method not in SCORES:
        raise ParameterError("method", expected=f"one of {sorted(SCORES)}", got=repr(method),
                             fix="use 'entropy', 'margin' or 'least_confidence'")
    return SCORES[method](proba)


def _members(model: Any) -> tuple[Any, list[Any]]:
    raw = getattr(model, "model", model) if hasattr(model, "capabilities") else model
    members = getattr(raw, "estimators_", None)
    if members is None:
        raise ModelError("model", expected="a fitted ensemble with estimators_ (bagging, "
                         "random forest, extra trees)", got=type(raw).__name__,
                         fix="use predictive_entropy or margin_uncertainty on its "
                             "probabilities instead")
    if isinstance(members, np.ndarray) and members.ndim == 2:
        raise ModelError("model", expected="an ensemble whose members vote",
                         got=f"{type(raw).__name__} (boosting stages)",
                         fix="boosting stages are not independent members: use a "
                             "probability-based score instead")
    return raw, list(members)


def _member_inputs(raw: Any, X: Any) -> list[np.ndarray]:
    names = getattr(raw, "feature_names_in_", None)
    if names is not None and hasattr(X, "columns"):
        X = X[list(names)]
    data = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=float)
    subsets = getattr(raw, "estimators_features_", None)  # bagging draws feature subsets
    n = len(raw.estimators_)
    return [data[:, subsets[i]] if subsets is not None else data for i in range(n)]


def _member_proba(member: Any, X: np.ndarray, n_classes: int) -> np.ndarray:
    if not callable(getattr(member, "predict_proba", None)):
        raise ModelError("ensemble member", expected="members with predict_proba",
                         got=type(member).__name__, fix="use kind='disagreement' only with "
                         "probabilistic members, or a probability-based score")
    # members are fitted on encoded labels 0..k-1 and may have seen only some classes
    cols = np.asarray(member.classes_).astype(int)
    out = np.zeros((X.shape[0], n_classes))
    out[:, cols] = member.predict_proba(X)
    return out


def ensemble_spread(model: Any, X: Any, *, kind: str = "variance") -> np.ndarray:
    """Spread of an ensemble's members on each row of ``X``.

    Classification: ``"variance"`` is the variance across members of the class
    probabilities, summed over classes; ``"disagreement"`` is the share of members whose
    predicted class differs from the ensemble's majority vote. Regression: ``"variance"``
    of member predictions (disagreement is not defined). Members are read from
    ``estimators_`` (with ``estimators_features_`` for bagging); a model without them, or
    a boosting model, raises ModelError.
    """
    if kind not in ("variance", "disagreement"):
        raise ParameterError("kind", expected="'variance' or 'disagreement'",
                             got=repr(kind), fix="use kind='variance'")
    adapter = wrap(model)
    raw, members = _members(model)
    inputs = _member_inputs(raw, X)
    if adapter.task == "regression":
        if kind != "variance":
            raise ParameterError("kind", expected="'variance' for a regression ensemble",
                                 got=repr(kind), fix="use kind='variance'")
        preds = np.stack([np.asarray(m.predict(x), dtype=float).reshape(-1)
                          for m, x in zip(members, inputs)])
        return preds.var(axis=0)
    k = len(adapter.classes_)
    if kind == "variance":
        probs = np.stack([_member_proba(m, x, k) for m, x in zip(members, inputs)])
        return probs.var(axis=0).sum(axis=1)
    votes = np.stack([np.asarray(m.predict(x)).astype(int) for m, x in zip(members, inputs)])
    counts = np.stack([(votes == c).sum(axis=0) for c in range(k)])
    return 1.0 - counts.max(axis=0) / len(members)
