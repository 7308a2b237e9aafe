"""Unit changes: current values that are an affine map ``x * scale + offset`` of the reference.

A column re-exported in Fahrenheit instead of Celsius, in centimetres instead of metres, or
as a percentage instead of a fraction keeps its shape and moves as a whole. The map is fitted
by least squares (:func:`scipy.stats.linregress`) on matched quantiles (q = 0.02 ... 0.98):
two samples of one population have matching quantiles, and the 2 % trimmed at each end keep a
few outliers from pulling the line. The fit is accepted only when

- the two columns differ (two-sample KS distance above the critical value ``ks_threshold``),
- the line is tight (``r2 >= min_r2``) and the mapped reference is KS-close to the current,
- the map is not the identity.

A known conversion (:data:`KNOWN_CONVERSIONS`) is named when its scale is within 5 % of the
fitted one and the reference mapped by the *table's* exact map is as KS-close to the current
as the fitted map needs to be. Several conversions share a factor (x1000: metres ->
millimetres, kilograms -> grams, seconds -> milliseconds); the first is named and the others
are listed as ``alternatives``. A fitted map with no known conversion is still returned
(``known_conversion=None``): with ``scale`` near 1 it is a location shift, otherwise an
unexplained rescaling (a wider spread from extra noise looks like this), neither a unit change.

>>> import numpy as np
>>> celsius = np.random.default_rng(0).normal(15, 8, 4000)
>>> fit = fit_unit_change(celsius, celsius * 1.8 + 32)
>>> round(fit.scale, 3), round(fit.offset, 2), fit.known_conversion
(1.8, 32.0, 'celsius -> fahrenheit')
>>> fit_unit_change(celsius, np.random.default_rng(1).normal(15, 8, 4000)) is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..._json import jsonable
from ...exceptions import DataError

__all__ = ["KNOWN_CONVERSIONS", "UnitChange", "fit_unit_change", "fit_unit_change_from_quantiles",
           "ks_statistic_sorted", "ks_threshold"]

#: (name, scale, offset) with current = reference * scale + offset
KNOWN_CONVERSIONS: tuple[tuple[str, float, float], ...] = (
    ("celsius -> fahrenheit", 1.8, 32.0),
    ("fahrenheit -> celsius", 1 / 1.8, -32.0 / 1.8),
    ("kelvin -> celsius", 1.0, -273.15),
    ("celsius -> kelvin", 1.0, 273.15),
    ("kelvin -> fahrenheit", 1.8, -459.67),
    ("fahrenheit -> kelvin", 1 / 1.8, 459.67 / 1.8),
    ("metres -> centimetres", 100.0, 0.0),
    ("fraction -> percent", 100.0, 0.0),
    ("dollars -> cents", 100.0, 0.0),
    ("centimetres -> metres", 0.01, 0.0),
    ("percent -> fraction", 0.01, 0.0),
    ("cents -> dollars", 0.01, 0.0),
    ("metres -> millimetres", 1000.0, 0.0),
    ("kilograms -> grams", 1000.0, 0.0),
    ("seconds -> milliseconds", 1000.0, 0.0),
    ("kilometres -> metres", 1000.0, 0.0),
    ("millimetres -> metres", 0.001, 0.0),
    ("grams -> kilograms", 0.001, 0.0),
    ("milliseconds -> seconds", 0.001, 0.0),
    ("metres -> kilometres", 0.001, 0.0),
    ("centimetres -> millimetres", 10.0, 0.0),
    ("millimetres -> centimetres", 0.1, 0.0),
    ("kilometres -> miles", 0.621371, 0.0),
    ("miles -> kilometres", 1.609344, 0.0),
    ("kilograms -> pounds", 2.20462, 0.0),
    ("pounds -> kilograms", 0.453592, 0.0),
    ("inches -> centimetres", 2.54, 0.0),
    ("centimetres -> inches", 1 / 2.54, 0.0),
    ("metres -> feet", 3.28084, 0.0),
    ("feet -> metres", 0.3048, 0.0),
    ("hours -> minutes", 60.0, 0.0),
    ("minutes -> seconds", 60.0, 0.0),
    ("minutes -> hours", 1 / 60, 0.0),
    ("seconds -> minutes", 1 / 60, 0.0),
    ("hours -> seconds", 3600.0, 0.0),
    ("seconds -> hours", 1 / 3600, 0.0),
    ("days -> hours", 24.0, 0.0),
    ("hours -> days", 1 / 24, 0.0),
    ("weeks -> days", 7.0, 0.0),
    ("days -> weeks", 1 / 7, 0.0),
    ("years -> months", 12.0, 0.0),
    ("months -> years", 1 / 12, 0.0),
    ("pounds -> ounces", 16.0, 0.0),
    ("ounces -> pounds", 1 / 16, 0.0),
    # clinical units: blood pressure, and glucose (molar mass 180.16 g/mol)
    ("mmHg -> kPa", 1 / 7.50062, 0.0),
    ("kPa -> mmHg", 7.50062, 0.0),
    ("glucose mg/dL -> mmol/L", 1 / 18.016, 0.0),
    ("glucose mmol/L -> mg/dL", 18.016, 0.0),
    ("radians -> degrees", 180 / np.pi, 0.0),
    ("degrees -> radians", np.pi / 180, 0.0),
    ("units -> thousands", 0.001, 0.0),
    ("thousands -> units", 1000.0, 0.0),
)

#: matched quantiles of the fit (the ends are trimmed: robust to a few outliers)
QUANTILES = np.linspace(0.02, 0.98, 49)
# relative: a table entry is considered within 5 % of the fitted scale (wider on small
# samples, see fit_unit_change_from_quantiles)
_SCALE_TOLERANCE = 0.05
_IDENTITY_SCALE = 0.02
_IDENTITY_OFFSET = 0.02  # of the reference's interquartile range


@dataclass(frozen=True)
class UnitChange:
    """A fitted map ``current ~ reference * scale + offset`` and the conversion it matches."""

    scale: float
    offset: float
    r2: float
    ks_before: float  # KS distance of the raw columns
    ks_after_mapping: float  # KS distance of the mapped reference to the current
    ks_threshold: float  # the critical distance both are compared with
    known_conversion: str | None = None
    alternatives: tuple[str, ...] = ()  # other conversions with the same factor
    ks_known: float | None = None  # KS distance after the table's exact map
    approximate: bool = False  # fitted from profile quantiles, not raw values

    @property
    def is_unit_change(self) -> bool:
        return self.known_conversion is not None

    @property
    def is_location_shift(self) -> bool:
        return self.known_conversion is None and abs(self.scale - 1.0) <= _IDENTITY_SCALE * 2.5

    def describe(self) -> str:
        sign = "+" if self.offset >= 0 else "-"
        return f"current ~ reference * {self.scale:.4g} {sign} {abs(self.offset):.4g}"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"scale": self.scale, "offset": self.offset, "r2": self.r2,
                         "ks_before": self.ks_before, "ks_after_mapping": self.ks_after_mapping,
                         "ks_threshold": self.ks_threshold,
                         "known_conversion": self.known_conversion,
                         "alternatives": list(self.alternatives), "ks_known": self.ks_known,
                         "approximate": self.approximate,
                         "is_unit_change": self.is_unit_change,
                         "is_location_shift": self.is_location_shift})


def ks_threshold(n_reference: int, n_current: int, *, alpha: float = 0.001,
                 floor: float = 0.05) -> float:
    """The asymptotic two-sample KS critical distance at ``alpha``, at least ``floor``.

    The floor keeps million-row columns from calling a tiny, harmless difference a change.

    >>> round(ks_threshold(1000, 1000), 4)
    0.0872
    """
    c = np.sqrt(-np.log(alpha / 2) / 2)
    return float(max(floor, c * np.sqrt((n_reference + n_current) / (n_reference * n_current))))


def ks_statistic_sorted(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample KS distance of two *sorted* samples (equal to scipy's ``ks_2samp``).

    Written by hand because the diagnosis holds every column sorted already and asks for
    several distances per column (mapped by ``scale > 0``, which keeps the order): scipy
    re-sorts both samples and computes a p-value on each call, 6x slower at a million rows.

    >>> from scipy import stats
    >>> a, b = np.sort(np.random.default_rng(0).normal(size=(2, 500)), axis=1)
    >>> bool(abs(ks_statistic_sorted(a, b) - stats.ks_2samp(a, b).statistic) < 1e-12)
    True
    """
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    gap = 0.0
    for points in (a, b):  # both CDFs are steps at the points of either sample
        fa = np.searchsorted(a, points, side="right") / len(a)
        fb = np.searchsorted(b, points, side="right") / len(b)
        gap = max(gap, float(np.abs(fa - fb).max()))
    return gap


def _clean(values: Any, what: str) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64).ravel()
    x = x[np.isfinite(x)]
    if len(x) < 2:
        raise DataError(what, expected="at least 2 finite numbers", got=f"{len(x)}",
                        fix="pass a numeric column with values")
    return x


def fit_unit_change(reference_values: Any, current_values: Any, *, min_r2: float = 0.99,
                    alpha: float = 0.001) -> UnitChange | None:
    """Fit ``current ~ reference * scale + offset`` on raw values (exact KS distances).

    Returns None when the columns do not differ, when no tight affine map explains the
    difference, or when the map is the identity.
    """
    ref = np.sort(_clean(reference_values, "reference values"))
    cur = np.sort(_clean(current_values, "current values"))

    def ks(scale: float, offset: float) -> float:
        return ks_statistic_sorted(ref * scale + offset, cur)  # scale > 0 keeps the order

    return fit_unit_change_from_quantiles(
        np.quantile(ref, QUANTILES), np.quantile(cur, QUANTILES), ks,
        n_reference=len(ref), n_current=len(cur), min_r2=min_r2, alpha=alpha)


def fit_unit_change_from_quantiles(ref_q: np.ndarray, cur_q: np.ndarray,
                                   ks: Callable[[float, float], float], *, n_reference: int,
                                   n_current: int, min_r2: float = 0.99, alpha: float = 0.001,
                                   slack: float = 0.0, approximate: bool = False
                                   ) -> UnitChange | None:
    """The shared core: ``ref_q`` / ``cur_q`` are quantiles at :data:`QUANTILES`, ``ks(scale,
    offset)`` the KS distance of the mapped reference to the current (exact on raw values,
    from sketches on profiles, where ``slack`` adds the sketches' rank error)."""
    threshold = ks_threshold(n_reference, n_current, alpha=alpha) + slack
    ks_before = ks(1.0, 0.0)
    if ks_before <= threshold:
        return None  # nothing to explain
    spread = float(ref_q[-12] - ref_q[12]) if len(ref_q) > 24 else float(np.ptp(ref_q))
    if not np.isfinite(spread) or spread <= 0 or np.ptp(cur_q) <= 0:
        return None  # a (nearly) constant column has no shape to match
    fit = stats.linregress(ref_q, cur_q)
    scale, offset, r2 = float(fit.slope), float(fit.intercept), float(fit.rvalue ** 2)
    if scale <= 0 or r2 < min_r2:
        return None
    if abs(scale - 1) <= _IDENTITY_SCALE and abs(offset) <= _IDENTITY_OFFSET * spread:
        return None
    ks_after = ks(scale, offset)
    if ks_after > threshold:
        return None
    # the fitted slope of two samples' quantiles is off by ~1/sqrt(n) (relative), so the
    # table is searched that wide on small samples; the exact map must still pass the KS test
    tolerance = max(_SCALE_TOLERANCE, 3.0 / np.sqrt(max(min(n_reference, n_current), 1)))
    name, alternatives, ks_known = _known(scale, ks, threshold, tolerance)
    return UnitChange(scale, offset, r2, ks_before, ks_after, threshold, name, alternatives,
                      ks_known, approximate)


def _known(scale: float, ks: Callable[[float, float], float], threshold: float,
           tolerance: float = _SCALE_TOLERANCE
           ) -> tuple[str | None, tuple[str, ...], float | None]:
    """The table entry whose exact map fits best, if it fits within ``threshold``."""
    best: tuple[float, float, float] | None = None
    scored: list[tuple[float, str, float, float]] = []
    for name, s, o in KNOWN_CONVERSIONS:
        if abs(np.log(scale / s)) > np.log1p(tolerance):
            continue
        if best is None or (s, o) != best[:2]:
            best = (s, o, ks(s, o))
        scored.append((best[2], name, s, o))
    fitting = [t for t in scored if t[0] <= threshold]
    if not fitting:
        return None, (), None
    fitting.sort(key=lambda t: t[0])  # stable: table order among equal maps
    top = fitting[0]
    same = tuple(t[1] for t in fitting[1:] if (t[2], t[3]) == (top[2], top[3]))
    return top[1], same, top[0]
