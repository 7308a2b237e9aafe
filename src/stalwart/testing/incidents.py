"""Synthetic incidents: one escalated bad prediction per failure cause, with a planted cause.

Each generator returns an :class:`Incident`: a fitted scikit-learn classifier, its training
data (``reference``, labels in ``target``), a production window (``production``; labels in
the same column where known, NaN elsewhere), the escalated ``row``, the ``expected`` output
the customer reported and the ``cause`` that was planted. Tests check that root-cause
analysis finds the planted cause; the demo uses them to show an escalation end to end.

The world: ``temp`` (degrees Celsius), ``dist`` (kilometres), ``x3``, ``x4`` and a
``region``; ``y`` is drawn from a logistic model of them. What each generator changes:

===================  =========================================================================
cause                planted
===================  =========================================================================
unit_change          production ``temp`` arrives in Fahrenheit
schema_fault         production ``dist`` holds the placeholder -999 (even seeds) or ``region``
                     a category the training data never had (odd seeds)
covariate_shift      production ``x3`` moved by +2.5, where the true relation bends
label_shift          classes drawn with p(x | y) fixed, the positive share 0.5 -> 0.85
concept_shift        labels of ``region == east`` inverted in production
adversarial          a 1-nearest-neighbour model with 3 % flipped training labels; the row is
                     walked from a clean training row just across into a flipped row's cell
out_of_distribution  the row has ``x3`` and ``x4`` seven spreads away from the data
weak_slice           labels of ``region == west`` are coin flips, in training and production
miscalibration       an uncalibrated model: logistic regression with its logits sharpened x4
hard_case            a well-specified model; the row sits on its decision boundary
===================  =========================================================================

>>> inc = make_incident("schema_fault", seed=0)
>>> inc.row["dist"], inc.cause, bool(inc.expected != inc.model.predict(inc.row_frame())[0])
(-999.0, 'schema_fault', True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ..exceptions import DataError, ParameterError

__all__ = ["INCIDENT_KINDS", "Incident", "SharpenedClassifier", "make_incident"]

NUMERIC = ["temp", "dist", "x3", "x4"]
REGIONS = ("north", "south", "east", "west")
_REGION_P = (0.35, 0.3, 0.2, 0.15)
_REGION_EFFECT = {"north": 0.5, "south": -0.5, "east": 0.0, "west": 0.3}
TARGET = "y"


@dataclass(frozen=True)
class Incident:
    """One escalated prediction with the cause that was planted."""

    cause: str
    seed: int
    model: Any
    reference: pd.DataFrame
    target: str
    production: pd.DataFrame
    row: dict[str, Any]
    expected: Any
    description: str

    def row_frame(self) -> pd.DataFrame:
        """The escalated row as a one-row frame with the reference's columns and dtypes."""
        cols = [c for c in self.reference.columns if c != self.target]
        frame = pd.DataFrame({c: [self.row[c]] for c in cols})
        return frame.astype({c: self.reference[c].dtype for c in cols})


class SharpenedClassifier(ClassifierMixin, BaseEstimator):
    """A classifier whose probabilities are overconfident: logits multiplied by ``factor``
    (a model trained without calibration, e.g. boosted far past its best iteration)."""

    def __init__(self, estimator: Any = None, *, factor: float = 4.0) -> None:
        self.estimator = estimator
        self.factor = factor

    def fit(self, X: Any, y: Any) -> SharpenedClassifier:
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        p = np.clip(self.estimator_.predict_proba(X), 1e-12, 1.0)
        logits = np.log(p) * self.factor
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def _features(n: int, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame({"temp": rng.normal(15, 8, n), "dist": rng.gamma(4.0, 1.25, n),
                         "x3": rng.normal(0, 1, n), "x4": rng.normal(0, 1, n),
                         "region": rng.choice(REGIONS, n, p=_REGION_P)})


def _logit(x: pd.DataFrame, *, scale: float = 1.5, bend: bool = False) -> np.ndarray:
    z = (0.12 * (x["temp"] - 15) + 0.6 * (x["dist"] - 5) + 1.0 * x["x3"] - 0.8 * x["x4"]
         + x["region"].map(_REGION_EFFECT).astype(float))
    if bend:  # beyond x3 = 1.5 the truth turns down; training data barely reaches there
        z = z - 3.0 * np.maximum(x["x3"] - 1.5, 0.0)
    return scale * z.to_numpy(dtype=float)


def _draw(logit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return (rng.random(logit.size) < 1 / (1 + np.exp(-logit))).astype(int)


def _pipeline(estimator: Any) -> Pipeline:
    pre = ColumnTransformer([("num", StandardScaler(), NUMERIC),
                             ("cat", OneHotEncoder(handle_unknown="ignore"), ["region"])])
    return Pipeline([("pre", pre), ("model", estimator)])


def _with_labels(x: pd.DataFrame, y: np.ndarray, rng: np.random.Generator,
                 known: float = 0.7) -> pd.DataFrame:
    out = x.copy()
    out[TARGET] = np.where(rng.random(len(x)) < known, y.astype(float), np.nan)
    return out


def _pick_wrong(model: Any, x: pd.DataFrame, y: np.ndarray, candidates: np.ndarray,
                what: str, *, confidence: tuple[float, float] = (0.0, 1.0)) -> int:
    """Position of the first candidate row the model gets wrong within a confidence band."""
    idx = np.flatnonzero(candidates)
    if idx.size:
        proba = model.predict_proba(x.iloc[idx])
        pred = model.classes_[proba.argmax(axis=1)]
        conf = proba.max(axis=1)
        ok = (pred != y[idx]) & (conf >= confidence[0]) & (conf <= confidence[1])
        if ok.any():
            return int(idx[np.flatnonzero(ok)[0]])
    raise DataError(f"{what} incident", expected="a wrongly predicted candidate row",
                    got="none", fix="try another seed")


def _row(x: pd.DataFrame, i: int) -> dict[str, Any]:
    return {c: (float(v) if c in NUMERIC else str(v)) for c, v in x.iloc[i].items()}


def _base(seed: int, n_ref: int = 3000, *, scale: float = 1.5):
    rng = np.random.default_rng(seed)
    x = _features(n_ref, rng)
    y = _draw(_logit(x, scale=scale), rng)
    reference = x.assign(**{TARGET: y})
    return rng, x, y, reference


def _unit_change(seed: int) -> Incident:
    rng, x, y, reference = _base(seed)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px = _features(1500, rng)
    py = _draw(_logit(px), rng)
    px["temp"] = px["temp"] * 1.8 + 32  # the export switched to Fahrenheit
    i = _pick_wrong(model, px, py, np.ones(len(px), bool), "unit_change")
    return Incident("unit_change", seed, model, reference, TARGET, _with_labels(px, py, rng),
                    _row(px, i), int(py[i]), "production temp arrives in Fahrenheit")


def _schema_fault(seed: int) -> Incident:
    rng, x, y, reference = _base(seed)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px = _features(1500, rng)
    py = _draw(_logit(px), rng)
    broken = rng.random(len(px)) < 0.2
    if seed % 2 == 0:
        px.loc[broken, "dist"] = -999.0  # upstream fills unknown distances with -999
        what = "production dist holds the placeholder -999"
    else:
        px.loc[broken, "region"] = "central"  # a region the training data never had
        what = "production region holds the unseen category 'central'"
    i = _pick_wrong(model, px, py, broken, "schema_fault")
    return Incident("schema_fault", seed, model, reference, TARGET, _with_labels(px, py, rng),
                    _row(px, i), int(py[i]), what)


def _covariate_shift(seed: int) -> Incident:
    rng = np.random.default_rng(seed)
    x = _features(3000, rng)
    y = _draw(_logit(x, bend=True), rng)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px = _features(1500, rng)
    px["x3"] = px["x3"] + 2.5
    py = _draw(_logit(px, bend=True), rng)
    i = _pick_wrong(model, px, py, (px["x3"] > 2.5).to_numpy(), "covariate_shift")
    return Incident("covariate_shift", seed, model, x.assign(**{TARGET: y}), TARGET,
                    _with_labels(px, py, rng), _row(px, i), int(py[i]),
                    "production x3 moved by +2.5 into a region where the truth bends")


def _class_conditional(n: int, prior: float, rng: np.random.Generator
                       ) -> tuple[pd.DataFrame, np.ndarray]:
    y = (rng.random(n) < prior).astype(int)
    x = pd.DataFrame({"temp": rng.normal(12 + 6 * y, 8), "dist": rng.normal(4.5 + 1.0 * y, 2),
                      "x3": rng.normal(y - 0.5, 1), "x4": rng.normal(0.4 - 0.8 * y, 1)})
    p = np.where(y[:, None] == 1, [0.4, 0.2, 0.2, 0.2], [0.2, 0.4, 0.2, 0.2])
    u = rng.random(n)[:, None]
    x["region"] = np.array(REGIONS)[(u > np.cumsum(p, axis=1)).sum(axis=1)]
    return x, y


def _label_shift(seed: int) -> Incident:
    rng = np.random.default_rng(seed)
    x, y = _class_conditional(3000, 0.5, rng)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px, py = _class_conditional(1500, 0.85, rng)
    i = _pick_wrong(model, px, py, py == 1, "label_shift", confidence=(0.5, 0.8))
    return Incident("label_shift", seed, model, x.assign(**{TARGET: y}), TARGET,
                    _with_labels(px, py, rng), _row(px, i), int(py[i]),
                    "the positive share rose from 0.5 to 0.85 with p(x | y) unchanged")


def _concept_shift(seed: int) -> Incident:
    rng, x, y, reference = _base(seed, scale=3.0)  # a crisp concept, so its change shows
    model = _pipeline(LogisticRegression()).fit(x, y)
    px = _features(2000, rng)
    py = _draw(_logit(px, scale=3.0), rng)
    region = (px["region"] == "east").to_numpy()
    py = np.where(region, 1 - py, py)  # the meaning of the label changed in this region
    i = _pick_wrong(model, px, py, region, "concept_shift",
                    confidence=(0.8, 1.0))
    return Incident("concept_shift", seed, model, reference, TARGET,
                    _with_labels(px, py, rng, known=0.8), _row(px, i), int(py[i]),
                    "labels of region east inverted in production")


def _adversarial(seed: int) -> Incident:
    rng = np.random.default_rng(seed)
    x = _features(3000, rng)
    clean = _draw(_logit(x, scale=4.0), rng)
    flipped = rng.random(len(x)) < 0.03
    y = np.where(flipped, 1 - clean, clean)
    model = _pipeline(KNeighborsClassifier(n_neighbors=1)).fit(x, y)
    z = model.named_steps["pre"].transform(x)
    z = z.toarray() if hasattr(z, "toarray") else np.asarray(z)
    d = np.sqrt(((z[:, None, :] - z[None, flipped.nonzero()[0], :]) ** 2).sum(axis=2))
    for j, p in enumerate(np.flatnonzero(flipped)):
        near = np.argsort(d[:, j])[1:16]
        if np.mean(y[near] != y[p]) < 0.9:
            continue  # the flipped row must sit among rows of the other label
        q = int(near[0])
        if y[q] == y[p] or x.at[q, "region"] != x.at[p, "region"]:
            continue
        qx, px_ = x.iloc[[q]].copy(), x.iloc[[p]].copy()
        lo, hi = 0.0, 1.0  # bisect for the first step from q towards p that flips the model
        for _ in range(30):
            mid = (lo + hi) / 2
            probe = qx.copy()
            probe[NUMERIC] = qx[NUMERIC].to_numpy() + mid * (px_[NUMERIC].to_numpy()
                                                           - qx[NUMERIC].to_numpy())
            if model.predict(probe)[0] == y[p]:
                hi = mid
            else:
                lo = mid
        t = min(1.0, hi + 0.02)
        crafted = qx.copy()
        crafted[NUMERIC] = qx[NUMERIC].to_numpy() + t * (px_[NUMERIC].to_numpy()
                                                        - qx[NUMERIC].to_numpy())
        if model.predict(crafted)[0] != y[p]:
            continue
        prod = _features(1500, rng)
        pl = _draw(_logit(prod, scale=4.0), rng)
        return Incident("adversarial", seed, model, x.assign(**{TARGET: y}), TARGET,
                        _with_labels(prod, pl, rng), _row(crafted.reset_index(drop=True), 0),
                        int(y[q]), "an input walked from a clean training row just across "
                        "into the cell of a mislabelled one (1-NN model)")
    raise DataError("adversarial incident", expected="a flipped row among clean ones",
                    got="none", fix="try another seed")


def _out_of_distribution(seed: int) -> Incident:
    rng, x, y, reference = _base(seed)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px = _features(1500, rng)
    py = _draw(_logit(px), rng)
    row = _row(px, 0)
    row["x3"], row["x4"] = 7.3, -6.8
    pred = int(model.predict(pd.DataFrame([row]))[0])
    return Incident("out_of_distribution", seed, model, reference, TARGET,
                    _with_labels(px, py, rng), row, 1 - pred,
                    "x3 and x4 seven spreads away from anything seen")


def _weak_slice(seed: int) -> Incident:
    rng = np.random.default_rng(seed)

    def draw(n: int) -> tuple[pd.DataFrame, np.ndarray]:
        x = _features(n, rng)
        logit = np.where(x["region"] == "west", 0.0, _logit(x, scale=3.0))
        return x, _draw(logit, rng)

    x, y = draw(3000)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px, py = draw(1500)
    i = _pick_wrong(model, px, py, (px["region"] == "west").to_numpy(), "weak_slice")
    return Incident("weak_slice", seed, model, x.assign(**{TARGET: y}), TARGET,
                    _with_labels(px, py, rng), _row(px, i), int(py[i]),
                    "labels of region west are coin flips")


def _miscalibration(seed: int) -> Incident:
    rng, x, y, reference = _base(seed, scale=0.6)
    model = _pipeline(SharpenedClassifier(LogisticRegression(), factor=4.0)).fit(x, y)
    px = _features(1500, rng)
    py = _draw(_logit(px, scale=0.6), rng)
    i = _pick_wrong(model, px, py, np.ones(len(px), bool), "miscalibration",
                    confidence=(0.95, 1.0))
    return Incident("miscalibration", seed, model, reference, TARGET,
                    _with_labels(px, py, rng), _row(px, i), int(py[i]),
                    "an uncalibrated model: logits sharpened four times")


def _hard_case(seed: int) -> Incident:
    rng, x, y, reference = _base(seed)
    model = _pipeline(LogisticRegression()).fit(x, y)
    px = _features(1500, rng)
    py = _draw(_logit(px), rng)
    i = _pick_wrong(model, px, py, np.ones(len(px), bool), "hard_case",
                    confidence=(0.5, 0.56))
    return Incident("hard_case", seed, model, reference, TARGET, _with_labels(px, py, rng),
                    _row(px, i), int(py[i]), "a row on the decision boundary")


_GENERATORS: dict[str, Callable[[int], Incident]] = {
    "unit_change": _unit_change, "schema_fault": _schema_fault,
    "covariate_shift": _covariate_shift, "label_shift": _label_shift,
    "concept_shift": _concept_shift, "adversarial": _adversarial,
    "out_of_distribution": _out_of_distribution, "weak_slice": _weak_slice,
    "miscalibration": _miscalibration, "hard_case": _hard_case}

#: every cause a generator can plant (the names of ``stalwart.rca.CAUSES``)
INCIDENT_KINDS: tuple[str, ...] = tuple(_GENERATORS)


def make_incident(cause: str, *, seed: int = 0) -> Incident:
    """A synthetic incident whose failure was planted as ``cause`` (see the module table)."""
    if cause not in _GENERATORS:
        raise ParameterError("cause", expected="one of " + ", ".join(INCIDENT_KINDS),
                             got=repr(cause), fix="pick a kind of INCIDENT_KINDS")
    return _GENERATORS[cause](int(seed))
