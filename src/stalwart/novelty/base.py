"""Split-conformal thresholds shared by every novelty detector.

``fit(reference)`` splits the reference at random into a *training* part (the model learns
from it) and a held-out *calibration* part (scored by that model). With ``n`` calibration
scores and a chosen false-flag rate ``a``, the threshold is the ``k``-th smallest calibration
score, ``k = ceil((n + 1)(1 - a))``, and a sample is flagged when its score is *above* the
threshold. If new samples are exchangeable with the reference (drawn like it), then
``P(flagged) = (n + 1 - k) / (n + 1) <= a`` (Vovk et al. 2005; Lei et al. 2018). It needs
``k <= n``, i.e. ``n >= 1 / a - 1`` calibration rows; fewer is a :class:`ParameterError` that
names the minimum.

The model is **not** refitted on the whole reference after calibration: calibration rows
would then be training rows, their scores would be optimistically low, and the guarantee
would be lost. The cost is a model trained on ``1 - calibration_size`` of the reference.

Conformal p-values ``(1 + #{calibration scores >= s}) / (n + 1)`` are reported beside flags.

>>> import numpy as np
>>> cal = np.arange(1.0, 100.0)          # 99 calibration scores: the minimum for a = 0.01
>>> conformal_threshold(cal, 0.01)
99.0
>>> conformal_p_values(cal, np.array([0.5, 99.5])).round(3).tolist()
[1.0, 0.01]
>>> min_calibration_size(0.001)
999
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from ..exceptions import DataError, ParameterError, StageError
from .result import NoveltyResult

__all__ = ["BaseNovelty", "conformal_p_values", "conformal_threshold", "expected_flag_rate",
           "min_calibration_size", "take"]


def min_calibration_size(rate: float) -> int:
    """Fewest calibration scores for which a threshold at false-flag ``rate`` exists."""
    return max(1, math.ceil(1.0 / rate - 1.0 - 1e-9))


def _rank(n: int, rate: float) -> int:
    # the 1e-9 keeps (n + 1)(1 - a) = integer from rounding up through float error
    return math.ceil((n + 1) * (1.0 - rate) - 1e-9)


def conformal_threshold(calibration: np.ndarray, rate: float) -> float:
    """The ``ceil((n+1)(1-rate))``-th smallest calibration score (split-conformal)."""
    cal = np.sort(np.asarray(calibration, dtype=float))
    n = cal.size
    k = _rank(n, rate)
    if n == 0 or k > n:
        need = min_calibration_size(rate)
        raise ParameterError(
            "false_flag_rate", expected=f"at least {need} calibration rows for rate {rate:g}",
            got=f"{n} calibration rows",
            fix=f"give more reference rows (>= {need} held out for calibration), raise "
                "calibration_size, or choose a larger false_flag_rate")
    return float(cal[k - 1])


def expected_flag_rate(n: int, rate: float) -> float:
    """Exact expected flagged share on exchangeable data for continuous scores (<= rate)."""
    return (n + 1 - _rank(n, rate)) / (n + 1)


def conformal_p_values(calibration: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """``(1 + #{calibration >= s}) / (n + 1)`` for each score ``s``."""
    cal = np.sort(np.asarray(calibration, dtype=float))
    s = np.asarray(scores, dtype=float)
    at_least = cal.size - np.searchsorted(cal, s, side="left")
    return (1.0 + at_least) / (cal.size + 1.0)


def take(items: Any, idx: np.ndarray) -> Any:
    """Rows ``idx`` of a DataFrame, an array or a list."""
    if hasattr(items, "iloc"):
        return items.iloc[idx]
    if isinstance(items, np.ndarray):
        return items[idx]
    return [items[i] for i in idx]


def _check_rate(rate: float) -> float:
    if not isinstance(rate, (int, float)) or not 0.0 < float(rate) < 1.0:
        raise ParameterError("false_flag_rate", expected="a number strictly between 0 and 1",
                             got=repr(rate), fix="use e.g. false_flag_rate=0.01")
    return float(rate)


class BaseNovelty(ABC):
    """Shared fit / score / predict / detect; subclasses give the data handling and model.

    Subclass hooks: ``_ingest(data, fitting)`` -> items (rows as a DataFrame, an array or a
    list), ``_fit_model(items)``, ``_score_items(items)`` -> scores, and optionally
    ``_details(items, scores)`` -> per-sample dicts and ``_params()``.
    """

    method = "base"

    def __init__(self, *, false_flag_rate: float = 0.01, calibration_size: float = 0.3,
                 random_state: int | None = 0, top_k: int = 10) -> None:
        self.false_flag_rate = false_flag_rate
        self.calibration_size = calibration_size
        self.random_state = random_state
        self.top_k = top_k

    # -- hooks ----------------------------------------------------------------------------
    @abstractmethod
    def _ingest(self, data: Any, *, fitting: bool) -> Any:
        """Validate ``data`` and return the items (rows) the model works on."""

    @abstractmethod
    def _fit_model(self, items: Any) -> None:
        """Learn the scoring model from training items."""

    @abstractmethod
    def _score_items(self, items: Any) -> np.ndarray:
        """Novelty scores of ``items`` (higher = more unusual)."""

    def _details(self, items: Any, scores: np.ndarray) -> list[dict[str, Any]] | None:
        return None

    def _params(self) -> dict[str, Any]:
        return {}

    def _calibrate(self, cal_scores: np.ndarray) -> None:
        """Set ``threshold_`` and ``expected_false_flag_rate_`` from calibration scores."""
        self.threshold_ = conformal_threshold(cal_scores, self.false_flag_rate)
        self.expected_false_flag_rate_ = expected_flag_rate(cal_scores.size,
                                                            self.false_flag_rate)

    # -- public ---------------------------------------------------------------------------
    def _split(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        rate = _check_rate(self.false_flag_rate)
        size = self.calibration_size
        if isinstance(size, float) and 0.0 < size < 1.0:
            n_cal = int(round(n * size))
        elif isinstance(size, int) and not isinstance(size, bool) and 0 < size < n:
            n_cal = size
        else:
            raise ParameterError("calibration_size", expected="a fraction in (0, 1) or a row "
                                 f"count in [1, {n - 1}]", got=repr(size),
                                 fix="use e.g. calibration_size=0.3")
        need = self._min_calibration(rate)
        if n_cal < need:
            frac = self.calibration_size if isinstance(size, float) else n_cal / n
            raise ParameterError(
                "false_flag_rate", expected=f"at least {need} calibration rows for rate "
                f"{rate:g} (so at least {math.ceil(need / frac)} reference rows with "
                f"calibration_size={size!r})",
                got=f"{n} reference rows, {n_cal} held out for calibration",
                fix="give more reference rows, raise calibration_size, or choose a larger "
                    "false_flag_rate")
        if n - n_cal < 2:
            raise DataError("reference", expected="at least 2 training rows besides the "
                            "calibration rows", got=f"{n - n_cal}",
                            fix="give more reference rows or lower calibration_size")
        perm = np.random.default_rng(self.random_state).permutation(n)
        return np.sort(perm[n_cal:]), np.sort(perm[:n_cal])

    def _min_calibration(self, rate: float) -> int:
        return min_calibration_size(rate)

    def fit(self, reference: Any) -> BaseNovelty:
        """Learn the model on part of ``reference`` and calibrate the threshold on the rest."""
        items = self._ingest(reference, fitting=True)
        train_idx, cal_idx = self._split(len(items))
        self._fit_model(take(items, train_idx))
        cal = np.sort(np.asarray(self._score_items(take(items, cal_idx)), dtype=float))
        self._calibrate(cal)
        self.calibration_scores_ = cal
        self.n_train_, self.n_calibration_ = int(train_idx.size), int(cal_idx.size)
        return self

    def _check_fitted(self, caller: str) -> None:
        if getattr(self, "calibration_scores_", None) is None:
            raise StageError(f"{type(self).__name__}.{caller}() was called before fit(); "
                             "call fit(reference) first")

    def score(self, X: Any) -> np.ndarray:
        """Novelty score of each sample: higher = more unusual."""
        self._check_fitted("score")
        return np.asarray(self._score_items(self._ingest(X, fitting=False)), dtype=float)

    def _flag(self, scores: np.ndarray) -> np.ndarray:
        return scores > self.threshold_

    def predict(self, X: Any) -> np.ndarray:
        """True for the samples flagged as unusual."""
        return self._flag(self.score(X))

    def _p_values(self, items: Any, scores: np.ndarray) -> np.ndarray:
        return conformal_p_values(self.calibration_scores_, scores)

    def detect(self, X: Any) -> NoveltyResult:
        """Scores, flags, conformal p-values and the most unusual samples of ``X``."""
        self._check_fitted("detect")
        items = self._ingest(X, fitting=False)
        scores = np.asarray(self._score_items(items), dtype=float)
        flags = self._flag(scores)
        p_values = self._p_values(items, scores)
        details = self._details(items, scores) or [{} for _ in range(scores.size)]
        order = np.argsort(-scores, kind="stable")[: max(0, int(self.top_k))]
        top = tuple({"index": int(i), "score": float(scores[i]),
                     "p_value": float(p_values[i]), "flagged": bool(flags[i]), **details[i]}
                    for i in order)
        params = {"false_flag_rate": self.false_flag_rate,
                  "calibration_size": self.calibration_size,
                  "random_state": self.random_state, **self._params()}
        return NoveltyResult(
            method=self.method, scores=scores, flags=flags, p_values=p_values,
            threshold=float(self.threshold_), false_flag_rate=float(self.false_flag_rate),
            expected_false_flag_rate=float(self.expected_false_flag_rate_),
            n_train=self.n_train_, n_calibration=self.n_calibration_, top=top,
            details=tuple(details), params=params,
            notes=tuple(getattr(self, "notes_", ())) + tuple(getattr(self, "_run_notes", ())))
