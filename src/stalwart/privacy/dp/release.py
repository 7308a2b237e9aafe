"""Differentially private releases of monitoring aggregates: counts, sums, means, histograms
and quantiles, each returned as a :class:`DPRelease` with its accuracy cost.

Neighbouring data sets differ by one person added or removed. Sensitivities:

* count: 1; histogram over declared bins or categories: 1 (one bin changes by one, in L1
  and in L2);
* sum of values clipped to declared ``[lower, upper]``: ``max(|lower|, |upper|)``;
* mean: half the budget on a noisy count, half on a noisy sum of values centred on the
  middle of the bounds (sensitivity ``(upper - lower) / 2``); the ratio is clipped to the
  bounds (post-processing, free);
* quantiles: a noisy histogram over ``n_bins`` equal bins of ``[lower, upper]``, negative
  counts set to zero, then linear interpolation of the cumulative counts (post-processing).

Bounds are declared by the user, never read from the data (that would leak the extremes);
values outside are clipped, unbounded releases are refused. Category lists are declared too:
releasing the categories seen would reveal rare values.

``DPRelease.to_dict()`` is what may be published: the released value, the budget and the
noise (scale, std, expected absolute error of the noise). ``to_dict(include_private=True)``
adds what only the data owner may see: the true value, the realised error, clipped counts
and data-dependent accuracy (the mean's and quantiles' expected error).

>>> import numpy as np
>>> r = dp_count(np.arange(1000), epsilon=1.0, random_state=0)
>>> r.statistic, r.accuracy["expected_abs_error"], abs(r.released - 1000) < 10
('count', 1.0, True)
>>> dp_mean([1.0, 2.0], epsilon=1.0)
Traceback (most recent call last):
...
stalwart.exceptions.ParameterError: bounds of a dp_mean: expected finite lower < upper declared by you (never read from the data); got lower=None, upper=None. Fix: pass lower= and upper=, the range the values can take (values outside are clipped)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import DataError, ParameterError
from .accountant import PrivacyAccountant
from .mechanisms import GaussianMechanism, LaplaceMechanism, as_generator

__all__ = ["DPRelease", "dp_count", "dp_histogram", "dp_mean", "dp_quantiles", "dp_sum",
           "make_mechanism"]

_MC_DRAWS = 200  # noise draws for the quantiles' data-dependent expected error


@dataclass(frozen=True)
class DPRelease:
    """One differentially private release and its accuracy cost."""

    statistic: str
    label: str
    released: Any  # a float, or a tuple of floats (histogram, quantiles)
    epsilon: float
    delta: float
    mechanisms: tuple[dict[str, Any], ...]
    accuracy: dict[str, Any]  # data-independent: noise scale, std, expected abs error
    options: dict[str, Any] = field(default_factory=dict)  # bounds, edges, categories, q
    private: dict[str, Any] = field(default_factory=dict)  # true value etc.: owner only
    schema_version: str = "1.0"

    def to_dict(self, *, include_private: bool = False) -> dict[str, Any]:
        out = {"schema_version": self.schema_version, "statistic": self.statistic,
               "label": self.label, "released": self.released, "epsilon": self.epsilon,
               "delta": self.delta, "mechanisms": list(self.mechanisms),
               "accuracy": self.accuracy, "options": self.options}
        if include_private:
            out["private"] = self.private
        return jsonable(out)


def make_mechanism(mechanism: str, epsilon: float, delta: float, sensitivity: float, *,
                   calibration: str = "classic") -> LaplaceMechanism | GaussianMechanism:
    """The named mechanism ('laplace' or 'gaussian') for one release."""
    if mechanism == "laplace":
        if delta:
            raise ParameterError("delta of a Laplace release", expected="0 (Laplace is pure "
                                 "epsilon-DP)", got=repr(delta),
                                 fix="drop delta, or use mechanism='gaussian'")
        return LaplaceMechanism(epsilon, sensitivity)
    if mechanism == "gaussian":
        return GaussianMechanism(epsilon, delta, sensitivity, calibration=calibration)
    raise ParameterError("mechanism", expected="'laplace' or 'gaussian'", got=repr(mechanism),
                         fix="pick one of the two")


def _values(values: Any, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise DataError(f"values of a {what}", expected="numbers", got="values that are not "
                        "numeric", fix="pass a numeric column (encode categories with "
                        "dp_histogram(categories=...))") from None
    return arr[~np.isnan(arr)]  # missing values are not counted


def _bounds(lower: Any, upper: Any, what: str) -> tuple[float, float]:
    ok = all(isinstance(b, (int, float, np.integer, np.floating)) and not isinstance(b, bool)
             and math.isfinite(float(b)) for b in (lower, upper))
    if not ok or float(lower) >= float(upper):
        raise ParameterError(f"bounds of a {what}", expected="finite lower < upper declared by "
                             "you (never read from the data)",
                             got=f"lower={lower!r}, upper={upper!r}",
                             fix="pass lower= and upper=, the range the values can take "
                             "(values outside are clipped)")
    return float(lower), float(upper)


def _spend(accountant: PrivacyAccountant | None, epsilon: float, delta: float, label: str,
           mechanism: str) -> None:
    if accountant is not None:
        accountant.spend(epsilon, delta, label=label, mechanism=mechanism)


def _accuracy(m: LaplaceMechanism | GaussianMechanism) -> dict[str, Any]:
    return {"noise_scale": m.scale, "noise_std": m.std, "expected_abs_error": m.expected_abs_error}


def dp_count(values: Any, *, epsilon: float, delta: float = 0.0, mechanism: str = "laplace",
             calibration: str = "classic", accountant: PrivacyAccountant | None = None,
             random_state: int | np.random.Generator = 0, label: str = "count") -> DPRelease:
    """The number of non-missing values, with noise (sensitivity 1)."""
    arr = _values(values, "dp_count")
    m = make_mechanism(mechanism, epsilon, delta, 1.0, calibration=calibration)
    _spend(accountant, epsilon, delta, label, mechanism)
    noisy = m.add_noise(float(arr.size), random_state=random_state)
    return DPRelease("count", label, noisy, float(epsilon), float(delta), (m.to_dict(),),
                     _accuracy(m), private={"true_value": int(arr.size),
                                            "abs_error": abs(noisy - arr.size)})


def dp_sum(values: Any, *, lower: float | None = None, upper: float | None = None,
           epsilon: float, delta: float = 0.0, mechanism: str = "laplace",
           calibration: str = "classic", accountant: PrivacyAccountant | None = None,
           random_state: int | np.random.Generator = 0, label: str = "sum") -> DPRelease:
    """The sum of values clipped to ``[lower, upper]``, with noise."""
    lo, hi = _bounds(lower, upper, "dp_sum")
    arr = _values(values, "dp_sum")
    m = make_mechanism(mechanism, epsilon, delta, max(abs(lo), abs(hi)), calibration=calibration)
    _spend(accountant, epsilon, delta, label, mechanism)
    clipped = np.clip(arr, lo, hi)
    true = float(clipped.sum())
    noisy = m.add_noise(true, random_state=random_state)
    return DPRelease("sum", label, noisy, float(epsilon), float(delta), (m.to_dict(),),
                     _accuracy(m), {"lower": lo, "upper": hi},
                     {"true_value": true, "abs_error": abs(noisy - true),
                      "n_clipped": int(np.sum((arr < lo) | (arr > hi)))})


def dp_mean(values: Any, *, lower: float | None = None, upper: float | None = None,
            epsilon: float, delta: float = 0.0, mechanism: str = "laplace",
            calibration: str = "classic", accountant: PrivacyAccountant | None = None,
            random_state: int | np.random.Generator = 0, label: str = "mean") -> DPRelease:
    """The mean of values clipped to ``[lower, upper]``: a noisy centred sum over a noisy
    count, each with half the budget."""
    lo, hi = _bounds(lower, upper, "dp_mean")
    arr = _values(values, "dp_mean")
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    m_sum = make_mechanism(mechanism, epsilon / 2, delta / 2, half, calibration=calibration)
    m_cnt = make_mechanism(mechanism, epsilon / 2, delta / 2, 1.0, calibration=calibration)
    _spend(accountant, epsilon, delta, label, mechanism)
    rng = as_generator(random_state)
    clipped = np.clip(arr, lo, hi)
    noisy_sum = m_sum.add_noise(float((clipped - mid).sum()), random_state=rng)
    noisy_n = m_cnt.add_noise(float(arr.size), random_state=rng)
    released = float(np.clip(mid + noisy_sum / max(noisy_n, 1.0), lo, hi))
    true = float(clipped.mean()) if arr.size else float("nan")
    n = max(arr.size, 1)
    # delta method for sum/count around the true values: the data-dependent part
    approx_std = math.sqrt(m_sum.std ** 2 + ((true - mid) if arr.size else 0.0) ** 2
                           * m_cnt.std ** 2) / n
    accuracy = {"sum_noise_std": m_sum.std, "count_noise_std": m_cnt.std,
                "note": "the mean's error depends on n: about "
                        "sqrt(sum_noise_std^2 + (mean - mid)^2 count_noise_std^2) / n"}
    private = {"true_value": true, "abs_error": abs(released - true) if arr.size else None,
               "n": int(arr.size), "approx_std": approx_std,
               "n_clipped": int(np.sum((arr < lo) | (arr > hi)))}
    return DPRelease("mean", label, released, float(epsilon), float(delta),
                     (m_sum.to_dict(), m_cnt.to_dict()), accuracy,
                     {"lower": lo, "upper": hi}, private)


def _edges(edges: Any) -> np.ndarray:
    arr = np.asarray(edges, dtype=float) if edges is not None else np.array([])
    if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)) or np.any(np.diff(arr) <= 0):
        raise ParameterError("histogram edges", expected="at least two finite, increasing "
                             "bin edges declared by you", got=repr(edges),
                             fix="pass edges=np.linspace(lower, upper, n_bins + 1), or "
                             "categories=[...] for a categorical column")
    return arr


def dp_histogram(values: Any, *, edges: Sequence[float] | None = None,
                 categories: Sequence[Any] | None = None, epsilon: float, delta: float = 0.0,
                 mechanism: str = "laplace", calibration: str = "classic",
                 accountant: PrivacyAccountant | None = None,
                 random_state: int | np.random.Generator = 0,
                 label: str = "histogram") -> DPRelease:
    """Noisy counts per declared bin (numeric ``edges``; values outside go to the edge bins)
    or per declared category (others are left out and counted privately)."""
    if (edges is None) == (categories is None):
        raise ParameterError("dp_histogram bins", expected="exactly one of edges= or "
                             "categories=", got=f"edges={edges!r}, categories={categories!r}",
                             fix="declare the bins: edges for numbers, categories for labels")
    m = make_mechanism(mechanism, epsilon, delta, 1.0, calibration=calibration)
    options: dict[str, Any]
    if edges is not None:
        e = _edges(edges)
        arr = _values(values, "dp_histogram")
        true = np.histogram(np.clip(arr, e[0], e[-1]), bins=e)[0].astype(float)
        outside = int(np.sum((arr < e[0]) | (arr > e[-1])))
        options = {"edges": e.tolist()}
    else:
        cats = [] if isinstance(categories, (str, bytes)) else list(dict.fromkeys(categories))
        if not cats:
            raise ParameterError("categories", expected="a non-empty list of declared "
                                 "categories", got=repr(categories),
                                 fix="list the categories to count, e.g. categories=['a', "
                                 "'b'] (a string is not a list of its characters)")
        import pandas as pd
        s = pd.Series(values, dtype=object).dropna()
        counts = s.value_counts()
        true = np.array([float(counts.get(c, 0)) for c in cats])
        outside = int(len(s) - true.sum())
        options = {"categories": cats}
    _spend(accountant, epsilon, delta, label, mechanism)
    noisy = m.add_noise(true, random_state=random_state)
    return DPRelease("histogram", label, tuple(float(v) for v in noisy), float(epsilon),
                     float(delta), (m.to_dict(),), _accuracy(m), options,
                     {"true_value": true.tolist(),
                      "abs_error": np.abs(noisy - true).tolist(), "n_outside": outside})


def _hist_quantiles(counts: np.ndarray, edges: np.ndarray, q: np.ndarray) -> np.ndarray:
    counts = np.clip(counts, 0.0, None)
    total = counts.sum()
    if total <= 0:
        return np.full(q.shape, (edges[0] + edges[-1]) / 2)
    cum = np.concatenate([[0.0], np.cumsum(counts)]) / total
    # the bin holding quantile q: cum[i] < q <= cum[i + 1] (q = 0: the first non-empty bin),
    # then linear within it. Empty bins are flat steps of cum and are never chosen, so a
    # quantile is never interpolated across an empty bin (np.interp over the kept points did)
    i = np.where(q > 0, np.searchsorted(cum, q, side="left"),
                 np.searchsorted(cum, q, side="right")) - 1
    i = np.clip(i, 0, counts.size - 1)
    width = cum[i + 1] - cum[i]
    frac = np.clip(np.divide(q - cum[i], width, out=np.zeros(q.shape), where=width > 0), 0, 1)
    return edges[i] + frac * (edges[i + 1] - edges[i])


def dp_quantiles(values: Any, q: Sequence[float], *, lower: float | None = None,
                 upper: float | None = None, n_bins: int = 64, epsilon: float,
                 delta: float = 0.0, mechanism: str = "laplace", calibration: str = "classic",
                 accountant: PrivacyAccountant | None = None,
                 random_state: int | np.random.Generator = 0,
                 label: str = "quantiles") -> DPRelease:
    """Quantiles read from a noisy histogram of ``n_bins`` equal bins over the bounds."""
    lo, hi = _bounds(lower, upper, "dp_quantiles")
    qs = np.asarray(q, dtype=float).ravel()
    if qs.size == 0 or np.any(~np.isfinite(qs)) or np.any((qs < 0) | (qs > 1)):
        raise ParameterError("q", expected="probabilities in [0, 1]", got=repr(q),
                             fix="pass q=[0.5] or q=[0.05, 0.5, 0.95]")
    if not isinstance(n_bins, (int, np.integer)) or isinstance(n_bins, bool) or n_bins < 2:
        raise ParameterError("n_bins", expected="an integer of at least 2", got=repr(n_bins),
                             fix="pass n_bins=64 (finer bins: more resolution, more noise)")
    edges = np.linspace(lo, hi, int(n_bins) + 1)
    m = make_mechanism(mechanism, epsilon, delta, 1.0, calibration=calibration)
    arr = _values(values, "dp_quantiles")
    _spend(accountant, epsilon, delta, label, mechanism)
    rng = as_generator(random_state)
    clipped = np.clip(arr, lo, hi)
    true_counts = np.histogram(clipped, bins=edges)[0].astype(float)
    released = _hist_quantiles(m.add_noise(true_counts, random_state=rng), edges, qs)
    true = np.quantile(clipped, qs) if arr.size else np.full(qs.shape, np.nan)
    # data-dependent accuracy, for the owner: noise redrawn on the true histogram
    draws = np.array([_hist_quantiles(m.add_noise(true_counts, random_state=rng), edges, qs)
                      for _ in range(_MC_DRAWS)])
    accuracy = {"per_bin": _accuracy(m), "bin_width": float(edges[1] - edges[0]),
                "note": "quantile error depends on the data; see private.expected_abs_error"}
    private = {"true_value": true.tolist(), "abs_error": np.abs(released - true).tolist(),
               "expected_abs_error": np.mean(np.abs(draws - true), axis=0).tolist(),
               "expected_abs_error_method": f"mean over {_MC_DRAWS} noise draws on the true "
                                            "histogram",
               "n_clipped": int(np.sum((arr < lo) | (arr > hi)))}
    return DPRelease("quantiles", label, tuple(float(v) for v in released), float(epsilon),
                     float(delta), (m.to_dict(),), accuracy,
                     {"q": qs.tolist(), "lower": lo, "upper": hi, "n_bins": int(n_bins)},
                     private)
