"""The "publicity-hungry" error detector: confident mistakes on typical, easy inputs.

The errors that end up in the news are not the ones on strange inputs: they are the ones where
the model was **sure** of the wrong answer on an input that **looks ordinary** and that is
**easy** (anyone, or any other model, would get it right). A row is publicity-hungry when all
four hold:

- *mistake*: the prediction differs from the expected (true) label;
- *confident*: the model's confidence in its prediction is at least ``min_confidence``
  (default 0.9);
- *typical*: a :mod:`stalwart.novelty` detector fitted on the reference does **not** flag it
  (``novelty="knn"`` by default, calibrated so that at most ``atypical_rate`` = 10% of
  reference-like inputs are flagged: a typical input scores below that conformal threshold);
- *easy*: at least ``min_agreement`` (default 0.8) of its ``n_neighbors`` (default 10)
  nearest reference rows (standardised features) carry the expected label, **or** a second
  model's prediction (``second_opinion``) equals the expected label.

A confident mistake on an outlier is a robustness problem, an unconfident mistake is an
honest doubt: neither is flagged. :func:`raise_publicity` raises an escalation whose verdict
is publicity-hungry to the top severity (``critical``), with the evidence in its analysis.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(400, 2)); y = (X[:, 0] > 0).astype(int)
>>> det = PublicityDetector().fit(X, y)
>>> v = det.assess([2.0, 0.0], expected=1, prediction=0, confidence=0.97)
>>> v.publicity_hungry, v.severity, v.neighbour_agreement
(True, 'critical', 1.0)
>>> det.assess([9.0, 9.0], expected=1, prediction=0, confidence=0.97).typical
False
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from .._json import FieldsJSON, jsonable
from ..data.dataset import to_pandas
from ..exceptions import DataError, ParameterError, StageError
from ..novelty import NOVELTY_DETECTORS, BaseNovelty
from ..reports.page import render_page
from .escalation import Escalation, SLAPolicy
from .labels import align_labels

__all__ = ["PublicityDetector", "PublicityScan", "PublicityVerdict", "raise_publicity"]


@dataclass(frozen=True)
class PublicityVerdict(FieldsJSON):
    """One row judged: the four tests, their evidence, and the verdict."""

    index: int
    prediction: Any
    expected: Any
    mistake: bool
    confidence: float
    confident: bool
    novelty_score: float | None
    novelty_threshold: float | None
    novelty_p_value: float | None
    typical: bool | None
    neighbour_agreement: float | None
    neighbour_labels: Mapping[str, int] | None
    second_opinion: Any
    second_opinion_agrees: bool | None
    easy: bool | None
    publicity_hungry: bool
    reasons: tuple[str, ...]

    @property
    def severity(self) -> str | None:
        """``"critical"`` for a publicity-hungry error, else None (no change)."""
        return "critical" if self.publicity_hungry else None


@dataclass(frozen=True)
class PublicityScan:
    """A batch of labelled rows scanned: counts and every confident mistake judged."""

    n_rows: int
    n_errors: int
    confident_mistakes: tuple[PublicityVerdict, ...]
    thresholds: Mapping[str, Any]
    novelty_method: str
    schema_version: str = "1.0"

    @property
    def cases(self) -> tuple[PublicityVerdict, ...]:
        """The publicity-hungry errors, most confident first."""
        return tuple(v for v in self.confident_mistakes if v.publicity_hungry)

    @property
    def indices(self) -> list[int]:
        return [v.index for v in self.cases]

    def to_dict(self) -> dict[str, Any]:
        cases = self.cases
        return jsonable({
            "schema_version": self.schema_version, "n_rows": self.n_rows,
            "n_errors": self.n_errors, "n_confident_mistakes": len(self.confident_mistakes),
            "n_publicity_hungry": len(cases),
            "n_atypical": sum(v.typical is False for v in self.confident_mistakes),
            "n_hard": sum(v.typical is True and v.easy is False
                          for v in self.confident_mistakes),
            "thresholds": dict(self.thresholds), "novelty_method": self.novelty_method,
            "cases": [v.to_dict() for v in cases],
            "confident_mistakes": [v.to_dict() for v in self.confident_mistakes]})

    def to_html(self) -> str:
        d = self.to_dict()
        facts = [("rows", d["n_rows"]), ("errors", d["n_errors"]),
                 ("confident mistakes", d["n_confident_mistakes"]),
                 ("publicity-hungry", d["n_publicity_hungry"]),
                 ("confident mistakes on atypical inputs", d["n_atypical"]),
                 ("confident mistakes on hard inputs", d["n_hard"]),
                 ("thresholds", ", ".join(f"{k}={v}" for k, v in d["thresholds"].items()))]
        cols = ["index", "prediction", "expected", "confidence", "novelty_p_value",
                "neighbour_agreement", "second_opinion", "publicity_hungry", "reasons"]
        rows = [[v[c] for c in cols] for v in d["confident_mistakes"]]
        return render_page("Publicity-hungry errors", facts=facts,
                           tables=[("Confident mistakes (publicity-hungry first)", cols, rows)])


def _fraction(name: str, value: Any, *, low_open: bool = False) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (
        0.0 < value < 1.0 if low_open else 0.0 <= value <= 1.0)
    if not ok:
        rng = "(0, 1)" if low_open else "[0, 1]"
        raise ParameterError(name, expected=f"a number in {rng}", got=repr(value),
                             fix=f"pass {name}= a share such as 0.9")
    return float(value)


class PublicityDetector:
    """Judge labelled predictions against a labelled reference (see the module docstring).

    ``novelty`` is a registered numeric novelty detector's name (``"knn"``, ``"gmm"``,
    ``"mahalanobis"``, ``"isolation_forest"``) or an unfitted detector instance (copied, then
    fitted on the reference).
    """

    def __init__(self, *, min_confidence: float = 0.9, atypical_rate: float = 0.1,
                 novelty: str | BaseNovelty = "knn", n_neighbors: int = 10,
                 min_agreement: float = 0.8, random_state: int | None = 0) -> None:
        self.min_confidence = min_confidence
        self.atypical_rate = atypical_rate
        self.novelty = novelty
        self.n_neighbors = n_neighbors
        self.min_agreement = min_agreement
        self.random_state = random_state

    def _thresholds(self) -> dict[str, Any]:
        return {"min_confidence": self.min_confidence, "atypical_rate": self.atypical_rate,
                "n_neighbors": self.n_neighbors, "min_agreement": self.min_agreement}

    def fit(self, reference: Any, y_reference: Any) -> PublicityDetector:
        """Fit the novelty detector and the neighbour index on the labelled reference."""
        _fraction("min_confidence", self.min_confidence)
        _fraction("min_agreement", self.min_agreement)
        rate = _fraction("atypical_rate", self.atypical_rate, low_open=True)
        frame = to_pandas(reference, what="reference")
        labels = np.asarray(y_reference, dtype=object)
        if labels.ndim != 1 or labels.size != len(frame):
            raise DataError("reference labels", expected=f"{len(frame)} labels, one per "
                            "reference row", got=f"shape {labels.shape}",
                            fix="pass y_reference aligned with the reference rows")
        if pd.isna(pd.Series(labels)).any():
            raise DataError("reference labels", expected="no missing labels",
                            got="missing labels", fix="drop the unlabelled reference rows")
        k = self.n_neighbors
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(frame):
            raise ParameterError("n_neighbors", expected=f"an integer in [1, {len(frame)}]",
                                 got=repr(k), fix="pass n_neighbors=10")
        if isinstance(self.novelty, BaseNovelty):
            detector = copy.deepcopy(self.novelty)
        else:
            detector = NOVELTY_DETECTORS.get(self.novelty)(false_flag_rate=rate,
                                                           random_state=self.random_state)
        self.novelty_ = detector.fit(frame)
        # the novelty detector validated the columns (numeric, no missing values)
        self.columns_ = list(self.novelty_.table_.columns_)
        x = frame.loc[:, self.columns_].to_numpy(dtype=float)
        self.scaler_ = StandardScaler().fit(x)
        self.index_ = NearestNeighbors(n_neighbors=k).fit(self.scaler_.transform(x))
        self.labels_ = labels
        return self

    def _check_fitted(self, caller: str) -> None:
        if getattr(self, "index_", None) is None:
            raise StageError(f"PublicityDetector.{caller}() was called before fit(); call "
                             "fit(reference, y_reference) first")

    def scan(self, X: Any, *, y_true: Any, y_pred: Any, confidence: Any,
             second_opinion: Any = None) -> PublicityScan:
        """Judge every labelled row of ``X``; only confident mistakes are scored further."""
        self._check_fitted("scan")
        frame = to_pandas(X, columns=self.columns_ if isinstance(X, np.ndarray) else None,
                          what="data")
        n = len(frame)
        # labels as the reference's own objects: a JSON "1" is the class 1
        classes = pd.unique(pd.Series(self.labels_))
        yt = align_labels(np.asarray(y_true, dtype=object), classes)
        yp = align_labels(np.asarray(y_pred, dtype=object), classes)
        conf = np.asarray(confidence, dtype=float)
        second = (None if second_opinion is None
                  else align_labels(np.asarray(second_opinion, dtype=object), classes))
        for name, arr in (("y_true", yt), ("y_pred", yp), ("confidence", conf),
                          ("second_opinion", second)):
            if arr is not None and arr.shape != (n,):
                raise DataError(name, expected=f"{n} values, one per row", got=f"shape "
                                f"{arr.shape}", fix=f"pass {name} aligned with the rows")
        if not np.all(np.isfinite(conf)) or np.any((conf < 0) | (conf > 1)):
            raise DataError("confidence", expected="the model's probability of its prediction, "
                            "in [0, 1]", got="values outside [0, 1] or missing",
                            fix="pass predict_proba(X).max(axis=1)")
        mistake = yt != yp
        chosen = np.flatnonzero(mistake & (conf >= self.min_confidence))
        verdicts: list[PublicityVerdict] = []
        if chosen.size:
            rows = frame.iloc[chosen]
            found = self.novelty_.detect(rows)
            scores, p_values, flagged = found.scores, found.p_values, found.flags
            z = self.scaler_.transform(rows.loc[:, self.columns_].to_numpy(dtype=float))
            _, neighbours = self.index_.kneighbors(z)
            for j, i in enumerate(chosen):
                verdicts.append(self._verdict(int(i), yp[i], yt[i], float(conf[i]),
                                              float(scores[j]), float(p_values[j]),
                                              not bool(flagged[j]), neighbours[j],
                                              None if second is None else second[i]))
        verdicts.sort(key=lambda v: (not v.publicity_hungry, -v.confidence, v.index))
        return PublicityScan(n_rows=n, n_errors=int(mistake.sum()),
                             confident_mistakes=tuple(verdicts), thresholds=self._thresholds(),
                             novelty_method=self.novelty_.method)

    def _verdict(self, index: int, pred: Any, expected: Any, conf: float, score: float,
                 p_value: float, typical: bool, neighbours: np.ndarray,
                 second: Any) -> PublicityVerdict:
        labels = self.labels_[neighbours]
        agreement = float(np.mean(labels == expected))
        counts = {str(k): int(v) for k, v in Counter(labels.tolist()).most_common()}
        second_agrees = None if second is None else bool(second == expected)
        easy = agreement >= self.min_agreement or bool(second_agrees)
        threshold = float(self.novelty_.threshold_)
        reasons = [f"confident: {conf:.3g} >= {self.min_confidence:g} on the wrong class "
                   f"({pred!r}, expected {expected!r})"]
        reasons.append(f"{'typical' if typical else 'atypical'}: novelty score {score:.4g} "
                       f"{'<=' if typical else '>'} threshold {threshold:.4g} "
                       f"(p-value {p_value:.3g})")
        easy_why = f"{agreement:.0%} of the {labels.size} nearest reference rows say " \
                   f"{expected!r} (needed {self.min_agreement:.0%})"
        if second is not None:
            easy_why += f"; a second model says {second!r}"
        reasons.append(("easy: " if easy else "hard: ") + easy_why)
        return PublicityVerdict(
            index=index, prediction=pred, expected=expected, mistake=True, confidence=conf,
            confident=True, novelty_score=score, novelty_threshold=threshold,
            novelty_p_value=p_value, typical=typical, neighbour_agreement=agreement,
            neighbour_labels=counts, second_opinion=second, second_opinion_agrees=second_agrees,
            easy=easy, publicity_hungry=typical and easy, reasons=tuple(reasons))

    def assess(self, row: Any, *, expected: Any, prediction: Any, confidence: float,
               second_opinion: Any = None) -> PublicityVerdict:
        """Judge one escalated prediction (``row``: a mapping of features or a sequence)."""
        self._check_fitted("assess")
        if isinstance(row, Mapping):
            frame = pd.DataFrame([dict(row)])
        else:
            frame = pd.DataFrame([list(np.asarray(row, dtype=float).ravel())],
                                 columns=self.columns_)
        scan = self.scan(frame, y_true=[expected], y_pred=[prediction],
                         confidence=[confidence],
                         second_opinion=None if second_opinion is None else [second_opinion])
        if scan.confident_mistakes:
            return scan.confident_mistakes[0]
        mistake = bool(np.asarray([prediction], dtype=object)[0] != expected)
        why = ("not a mistake: the prediction equals the expected output" if not mistake else
               f"not confident: {float(confidence):.3g} < {self.min_confidence:g}")
        return PublicityVerdict(
            index=0, prediction=prediction, expected=expected, mistake=mistake,
            confidence=float(confidence), confident=float(confidence) >= self.min_confidence,
            novelty_score=None, novelty_threshold=None, novelty_p_value=None, typical=None,
            neighbour_agreement=None, neighbour_labels=None, second_opinion=second_opinion,
            second_opinion_agrees=None, easy=None, publicity_hungry=False, reasons=(why,))


def raise_publicity(escalation: Escalation, verdict: PublicityVerdict, *,
                    policy: SLAPolicy | None = None) -> Escalation:
    """The escalation with the verdict in its analysis (``analysis["publicity"]``); a
    publicity-hungry one is raised to ``critical`` and gets the critical SLA clock, counted
    from ``reported_at`` under ``policy`` (never lowered: other verdicts keep the severity)."""
    policy = SLAPolicy() if policy is None else policy
    analysis = {**dict(escalation.analysis or {}), "publicity": verdict.to_dict()}
    if not verdict.publicity_hungry:
        return escalation.with_changes(analysis=analysis)
    return escalation.with_changes(
        severity="critical", analysis=analysis,
        due_at=min(escalation.due_at, policy.due_at("critical", escalation.reported_at)))
