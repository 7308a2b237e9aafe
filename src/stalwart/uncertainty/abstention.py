"""Risk-coverage curves, their area (AURC), and an abstention rule with an error target.

Rows are ranked by an uncertainty score (lower = more confident); accepting the k most
confident rows gives coverage k / n and risk = their error rate. An abstention rule picks,
on a calibration split, the uncertainty threshold above which cases go to a person.

>>> import numpy as np
>>> curve = risk_coverage_curve([0.1, 0.2, 0.3, 0.4], [0, 0, 0, 1])
>>> curve.risk, round(curve.aurc, 4)
((0.0, 0.0, 0.0, 0.25), 0.0625)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import beta

from .._json import jsonable
from ..exceptions import DataError, ParameterError, StageError

__all__ = [
    "AbstentionResult",
    "AbstentionRule",
    "RiskCoverageCurve",
    "clopper_pearson_upper",
    "risk_coverage_curve",
]


def _scores_and_errors(uncertainty: Any, errors: Any, *, binary: bool) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    u = np.asarray(uncertainty, dtype=float)
    e = np.asarray(errors, dtype=float)
    if u.ndim != 1 or u.size == 0 or e.shape != u.shape:
        raise DataError("uncertainty and errors", expected="two 1-D arrays of equal length",
                        got=f"shapes {u.shape} and {e.shape}",
                        fix="pass one uncertainty score and one error (0/1) per row")
    if not np.all(np.isfinite(u)) or not np.all(np.isfinite(e)) or e.min() < 0:
        raise DataError("uncertainty and errors", expected="finite values, errors >= 0",
                        got="NaN, inf or negative errors", fix="drop or repair those rows")
    if binary and not np.all((e == 0) | (e == 1)):
        raise DataError("errors", expected="0/1 (or boolean) errors",
                        got="other values", fix="pass errors = (y_pred != y_true)")
    return u, e


@dataclass(frozen=True)
class RiskCoverageCurve:
    """One point per distinct uncertainty value: accept rows with uncertainty <= threshold."""

    thresholds: tuple[float, ...]
    coverage: tuple[float, ...]
    risk: tuple[float, ...]
    aurc: float
    n: int
    schema_version: int = 1

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "n": self.n,
                         "aurc": self.aurc, "thresholds": self.thresholds,
                         "coverage": self.coverage, "risk": self.risk})


def risk_coverage_curve(uncertainty: Any, errors: Any) -> RiskCoverageCurve:
    """Risk of the accepted rows at every coverage, and AURC = mean over k of risk(k).

    ``errors`` are 0/1 (or any non-negative loss). Rows with tied uncertainty are accepted
    together; inside a tie the AURC uses the expected risk under a random order (each tied
    row counts the tie's mean error), so it does not depend on how ties are sorted.
    """
    u, e = _scores_and_errors(uncertainty, errors, binary=False)
    order = np.argsort(u, kind="stable")
    u, e = u[order], e[order]
    values, start, size = np.unique(u, return_index=True, return_counts=True)
    tie_mean = np.add.reduceat(e, start) / size
    k = np.arange(1, u.size + 1)
    risk_each_k = np.cumsum(np.repeat(tie_mean, size)) / k
    ends = start + size - 1
    return RiskCoverageCurve(
        thresholds=tuple(float(v) for v in values),
        coverage=tuple(float(c) for c in (ends + 1) / u.size),
        risk=tuple(float(r) for r in risk_each_k[ends]),
        aurc=float(risk_each_k.mean()), n=int(u.size))


def clopper_pearson_upper(errors: Any, n: Any, delta: float) -> np.ndarray:
    """One-sided (1 - delta) Clopper-Pearson upper bound of a binomial error rate."""
    k = np.asarray(errors, dtype=float)
    m = np.asarray(n, dtype=float)
    full = k >= m
    bound = beta.ppf(1.0 - delta, k + 1.0, np.where(full, 1.0, m - k))
    return np.where(full, 1.0, bound)


@dataclass(frozen=True)
class AbstentionResult:
    """The rule's threshold and what it did on new data."""

    threshold: float
    target_error: float
    confidence: float | None
    feasible: bool
    n: int
    n_accepted: int
    coverage: float
    deferral_rate: float
    accepted_error: float | None
    meets_target: bool | None
    calibration_coverage: float
    calibration_error: float
    calibration_upper_bound: float | None
    schema_version: int = 1

    def to_dict(self) -> dict[str, Any]:
        return jsonable({f: getattr(self, f) for f in self.__dataclass_fields__})


class AbstentionRule:
    """Accept rows whose uncertainty is at most a threshold fitted for a target error.

    ``fit(uncertainty_cal, errors_cal)`` picks the largest coverage whose accepted error is
    at most ``target_error``. Without ``confidence`` the empirical error is used. With
    ``confidence`` (e.g. 0.95) the rule tests ``n_candidates`` coverage levels fixed in
    advance (1/m, 2/m, ..., 1 of the calibration rows, accepting the most confident) and
    keeps the largest whose one-sided Clopper-Pearson upper bound at level
    (1 - confidence) / m (Bonferroni over the levels) is at most the target; the chance
    that the chosen threshold's true error exceeds the target is then at most
    1 - confidence. If no level qualifies, every row is deferred and ``feasible`` is False.
    """

    def __init__(self, target_error: float, *, confidence: float | None = None,
                 n_candidates: int = 20) -> None:
        self.target_error = target_error
        self.confidence = confidence
        self.n_candidates = n_candidates

    def _check_params(self) -> None:
        if not 0 < self.target_error < 1:
            raise ParameterError("target_error", expected="a rate in (0, 1)",
                                 got=repr(self.target_error), fix="use e.g. 0.05")
        if self.confidence is not None and not 0 < self.confidence < 1:
            raise ParameterError("confidence", expected="None or a level in (0, 1)",
                                 got=repr(self.confidence), fix="use e.g. 0.95")
        if isinstance(self.n_candidates, bool) or not isinstance(
                self.n_candidates, (int, np.integer)) or self.n_candidates < 1:
            raise ParameterError("n_candidates", expected="an integer >= 1",
                                 got=repr(self.n_candidates), fix="use e.g. 20")

    def min_calibration_size(self) -> int:
        """Fewest rows for which zero errors would meet the target with ``confidence``."""
        self._check_params()
        if self.confidence is None:
            return 1
        delta = (1.0 - self.confidence) / self.n_candidates
        # zero errors in k rows: upper bound 1 - delta**(1/k) <= target
        return int(np.ceil(np.log(delta) / np.log1p(-self.target_error)))

    def fit(self, uncertainty: Any, errors: Any) -> AbstentionRule:
        self._check_params()
        u, e = _scores_and_errors(uncertainty, errors, binary=self.confidence is not None)
        order = np.argsort(u, kind="stable")
        u, e = u[order], e[order]
        cum = np.cumsum(e)
        upper = None
        if self.confidence is None:
            # every distinct threshold: accepting u <= u[i] keeps rows 0..last tie of u[i]
            ends = np.flatnonzero(np.r_[u[1:] != u[:-1], True])
            ok = cum[ends] / (ends + 1) <= self.target_error
        else:
            need = self.min_calibration_size()
            if u.size < need:
                raise DataError("calibration split", expected=f"at least {need} rows for "
                                f"error <= {self.target_error} with confidence "
                                f"{self.confidence}", got=f"{u.size} rows",
                                fix="hold out more rows, lower confidence or raise the target")
            delta = (1.0 - self.confidence) / self.n_candidates
            k = np.unique(np.ceil(np.arange(1, self.n_candidates + 1) / self.n_candidates
                                  * u.size).astype(int))
            # a threshold keeps whole ties, so move each level to the end of its tie
            ends = np.searchsorted(u, u[k - 1], side="right") - 1
            upper_all = clopper_pearson_upper(cum[ends], ends + 1, delta)
            ok = upper_all <= self.target_error
        self.feasible_ = bool(ok.any())
        if self.feasible_:
            best = ends[np.flatnonzero(ok)[-1]]
            self.threshold_ = float(u[best])
            self.calibration_coverage_ = (best + 1) / u.size
            self.calibration_error_ = float(cum[best] / (best + 1))
            if self.confidence is not None:
                upper = float(upper_all[np.flatnonzero(ok)[-1]])
        else:
            self.threshold_ = -np.inf
            self.calibration_coverage_ = 0.0
            self.calibration_error_ = 0.0
        self.calibration_upper_bound_ = upper
        return self

    def accept(self, uncertainty: Any) -> np.ndarray:
        """True for rows the model keeps, False for rows routed to a person."""
        if getattr(self, "threshold_", None) is None:
            raise StageError("AbstentionRule.accept() was called before fit(); call "
                             "fit(uncertainty_cal, errors_cal) on a calibration split first")
        u = np.asarray(uncertainty, dtype=float)
        if u.ndim != 1 or not np.all(np.isfinite(u)):
            raise DataError("uncertainty", expected="a 1-D array of finite scores",
                            got=f"shape {u.shape}", fix="pass one score per row")
        return u <= self.threshold_

    def evaluate(self, uncertainty: Any, errors: Any = None) -> AbstentionResult:
        """Share deferred on new data and, with labels' errors, the accepted error rate."""
        keep = self.accept(uncertainty)
        accepted_error = meets = None
        if errors is not None:
            _, e = _scores_and_errors(uncertainty, errors, binary=False)
            if keep.any():
                accepted_error = float(e[keep].mean())
                meets = accepted_error <= self.target_error
        n_acc = int(keep.sum())
        return AbstentionResult(
            threshold=self.threshold_, target_error=float(self.target_error),
            confidence=self.confidence, feasible=self.feasible_, n=int(keep.size),
            n_accepted=n_acc, coverage=n_acc / keep.size,
            deferral_rate=1.0 - n_acc / keep.size, accepted_error=accepted_error,
            meets_target=meets, calibration_coverage=float(self.calibration_coverage_),
            calibration_error=self.calibration_error_,
            calibration_upper_bound=self.calibration_upper_bound_)
