"""Noise mechanisms of differential privacy: Laplace and Gaussian.

A query whose answer changes by at most ``sensitivity`` when one person is added or removed
(its L1 sensitivity for Laplace, L2 for Gaussian) is released with random noise:

* **Laplace** (Dwork, McSherry, Nissim & Smith 2006): noise ``Laplace(0, b)`` with
  ``b = sensitivity / epsilon`` gives pure ``epsilon``-DP. Expected absolute error ``b``,
  standard deviation ``sqrt(2) * b``.
* **Gaussian**, ``calibration="classic"`` (Dwork & Roth 2014, theorem A.1): noise
  ``N(0, sigma^2)`` with ``sigma = sqrt(2 ln(1.25 / delta)) * sensitivity / epsilon`` gives
  ``(epsilon, delta)``-DP, proven only for ``epsilon < 1`` (larger values are refused).
* **Gaussian**, ``calibration="analytic"`` (Balle & Wang 2018, theorem 8): the smallest
  ``sigma`` with ``Phi(D/(2 sigma) - eps sigma/D) - e^eps Phi(-D/(2 sigma) - eps sigma/D)
  <= delta`` (``D`` the sensitivity), found by root finding; valid for every ``epsilon`` and
  never larger than the classic ``sigma``. Expected absolute error ``sigma * sqrt(2/pi)``.

Noise is drawn from a seeded :class:`numpy.random.Generator`. Floating-point Laplace noise
is not hardened against the least-significant-bit attack (Mironov 2012); the releases here
are for monitoring aggregates, not for adversarial public releases.

>>> m = LaplaceMechanism(epsilon=0.5, sensitivity=1.0)
>>> m.scale, m.expected_abs_error
(2.0, 2.0)
>>> g = GaussianMechanism(epsilon=0.5, delta=1e-5, sensitivity=1.0)
>>> round(g.sigma, 3), round(GaussianMechanism(epsilon=0.5, delta=1e-5, sensitivity=1.0,
...                                            calibration="analytic").sigma, 3)
(9.69, 7.032)
>>> float(m.add_noise(10.0, random_state=0)) != 10.0
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...exceptions import ParameterError

__all__ = ["GaussianMechanism", "LaplaceMechanism", "as_generator"]


def as_generator(random_state: int | np.random.Generator) -> np.random.Generator:
    """A numpy Generator from a seed or a Generator (used as is)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise ParameterError("random_state", expected="an integer seed or a numpy Generator",
                         got=repr(random_state), fix="pass random_state=0 or another integer")


def _positive(name: str, value: Any, fix: str) -> float:
    ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
          and math.isfinite(float(value)) and float(value) > 0)
    if not ok:
        raise ParameterError(name, expected="a finite number above 0", got=repr(value), fix=fix)
    return float(value)


def _noisy(value: Any, noise: np.ndarray) -> Any:
    out = np.asarray(value, dtype=float) + noise
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class LaplaceMechanism:
    """Pure ``epsilon``-DP: Laplace noise of scale ``sensitivity / epsilon`` (L1 sensitivity)."""

    epsilon: float
    sensitivity: float = 1.0

    def __post_init__(self) -> None:
        _positive("epsilon", self.epsilon, "pass a privacy loss such as epsilon=1.0 "
                  "(smaller is more private and noisier)")
        _positive("sensitivity", self.sensitivity, "pass the largest change one person can "
                  "make to the answer (1 for a count)")

    delta = 0.0
    name = "laplace"

    @property
    def scale(self) -> float:
        return float(self.sensitivity) / float(self.epsilon)

    @property
    def std(self) -> float:
        return math.sqrt(2.0) * self.scale

    @property
    def expected_abs_error(self) -> float:
        return self.scale

    def add_noise(self, value: Any, *, random_state: int | np.random.Generator = 0) -> Any:
        """``value`` (a number or an array) plus independent noise per element."""
        rng = as_generator(random_state)
        return _noisy(value, rng.laplace(0.0, self.scale, size=np.shape(value)))

    def to_dict(self) -> dict[str, Any]:
        return {"mechanism": self.name, "epsilon": float(self.epsilon), "delta": 0.0,
                "sensitivity": float(self.sensitivity), "scale": self.scale,
                "std": self.std, "expected_abs_error": self.expected_abs_error}


def _analytic_sigma(epsilon: float, delta: float, sensitivity: float) -> float:
    from scipy.optimize import brentq
    from scipy.stats import norm

    def excess(sigma: float) -> float:  # the privacy profile at sigma, minus delta
        a, b = sensitivity / (2 * sigma), epsilon * sigma / sensitivity
        # e^eps * Phi(x) in log space: Phi(-a-b) underflows long before e^eps overflows
        tail = math.exp(epsilon + norm.logcdf(-a - b))
        return float(norm.cdf(a - b) - tail - delta)

    low, high = 1e-6 * sensitivity, sensitivity
    while excess(high) > 0:  # the profile decreases in sigma: widen until it is below delta
        high *= 2.0
    return float(brentq(excess, low, high, xtol=1e-12 * sensitivity, rtol=1e-12))


@dataclass(frozen=True)
class GaussianMechanism:
    """``(epsilon, delta)``-DP: Gaussian noise calibrated to the L2 sensitivity."""

    epsilon: float
    delta: float
    sensitivity: float = 1.0
    calibration: str = "classic"

    name = "gaussian"

    def __post_init__(self) -> None:
        _positive("epsilon", self.epsilon, "pass a privacy loss such as epsilon=0.5")
        _positive("sensitivity", self.sensitivity, "pass the largest L2 change one person can "
                  "make to the answer (1 for a count)")
        d = self.delta
        if not (isinstance(d, (int, float, np.floating)) and not isinstance(d, bool)
                and 0 < float(d) < 1):
            raise ParameterError("delta", expected="a number strictly between 0 and 1",
                                 got=repr(d), fix="pass delta below 1/n, e.g. delta=1e-6")
        if self.calibration not in ("classic", "analytic"):
            raise ParameterError("calibration", expected="'classic' or 'analytic'",
                                 got=repr(self.calibration), fix="pick one of the two")
        if self.calibration == "classic" and float(self.epsilon) >= 1:
            raise ParameterError("epsilon of the classic Gaussian mechanism",
                                 expected="epsilon < 1 (the classic bound is proven only there)",
                                 got=repr(self.epsilon),
                                 fix="use calibration='analytic', valid for every epsilon")

    @property
    def sigma(self) -> float:
        eps, delta, sens = float(self.epsilon), float(self.delta), float(self.sensitivity)
        if self.calibration == "classic":
            return math.sqrt(2.0 * math.log(1.25 / delta)) * sens / eps
        return _analytic_sigma(eps, delta, sens)

    @property
    def scale(self) -> float:
        return self.sigma

    @property
    def std(self) -> float:
        return self.sigma

    @property
    def expected_abs_error(self) -> float:
        return self.sigma * math.sqrt(2.0 / math.pi)

    def add_noise(self, value: Any, *, random_state: int | np.random.Generator = 0) -> Any:
        """``value`` (a number or an array) plus independent noise per element."""
        rng = as_generator(random_state)
        return _noisy(value, rng.normal(0.0, self.sigma, size=np.shape(value)))

    def to_dict(self) -> dict[str, Any]:
        return {"mechanism": self.name, "epsilon": float(self.epsilon),
                "delta": float(self.delta), "sensitivity": float(self.sensitivity),
                "calibration": self.calibration, "sigma": self.sigma, "std": self.std,
                "expected_abs_error": self.expected_abs_error}
