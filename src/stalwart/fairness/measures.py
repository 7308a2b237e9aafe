"""Group rates from confusion counts, and the disparity measures between groups.

With ``n`` rows, ``P`` positive labels, ``S`` positive predictions and ``TP`` true positives
in a group: selection rate ``S/n``, true positive rate ``TPR = TP/P``, false positive rate
``FPR = (S-TP)/(n-P)``, ``FNR = 1 - TPR``, precision ``PPV = TP/S`` and accuracy
``(n - P - S + 2 TP)/n``. A rate whose denominator is 0 is undefined (NaN), never 0.

Disparities follow fairlearn's ``between_groups`` definitions: for a rate, the difference is
``max - min`` over groups and the ratio ``min / max``. Demographic parity uses the selection
rate, equal opportunity the TPR, predictive parity the PPV; equalized odds takes the larger
of the TPR and FPR differences and the smaller of their ratios (Hardt et al. 2016). Groups
where a rate is undefined are left out of that measure (the audit says which). All
functions work on arrays whose last axis is the groups, so bootstrap replicates are one call.

>>> import numpy as np
>>> r = rates_from_counts(n=np.array([10., 10.]), pos=np.array([5., 4.]),
...                       sel=np.array([4., 2.]), tp=np.array([3., 2.]))
>>> r["selection_rate"].tolist(), r["tpr"].tolist()
([0.4, 0.2], [0.6, 0.5])
>>> d = disparity(r, "equalized_odds", used=np.array([True, True]))
>>> round(float(d[0]), 12), round(float(d[1]), 12)
(0.2, 0.0)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["MEASURES", "RATES", "calibration_error", "disparity", "rates_from_counts", "spread"]

RATES = ("selection_rate", "tpr", "fpr", "fnr", "ppv", "accuracy")

#: measure -> the rates it compares
MEASURES: dict[str, tuple[str, ...]] = {
    "demographic_parity": ("selection_rate",),
    "equalized_odds": ("tpr", "fpr"),
    "equal_opportunity": ("tpr",),
    "predictive_parity": ("ppv",),
}


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    out = np.full(np.broadcast(a, b).shape, np.nan)
    np.divide(a, b, out=out, where=b != 0)
    return out


def rates_from_counts(*, n: np.ndarray, pos: np.ndarray, sel: np.ndarray,
                      tp: np.ndarray) -> dict[str, np.ndarray]:
    """The six rates of every group (NaN where a denominator is 0)."""
    tpr = _div(tp, pos)
    return {"selection_rate": _div(sel, n), "tpr": tpr, "fpr": _div(sel - tp, n - pos),
            "fnr": 1.0 - tpr, "ppv": _div(tp, sel), "accuracy": _div(n - pos - sel + 2 * tp, n)}


def spread(values: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(max - min, min / max)`` over the ``used`` groups (last axis).

    A replicate where a used group is NaN gives NaN (a skipped resample); fewer than two
    used groups, or a maximum of 0, give a NaN ratio.
    """
    v = np.asarray(values, dtype=float)[..., used]
    if v.shape[-1] < 2:
        nan = np.full(v.shape[:-1], np.nan)
        return nan, nan.copy()
    bad = np.isnan(v).any(axis=-1)
    lo = np.where(bad, np.nan, np.min(np.where(np.isnan(v), np.inf, v), axis=-1))
    hi = np.where(bad, np.nan, np.max(np.where(np.isnan(v), -np.inf, v), axis=-1))
    return hi - lo, _div(lo, hi)


def disparity(rates: Mapping[str, np.ndarray], measure: str,
              used: np.ndarray | Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(difference, ratio)`` of ``measure``; ``used`` masks the groups (one mask, or one
    per rate)."""
    diffs, ratios = [], []
    for rate in MEASURES[measure]:
        mask = used[rate] if isinstance(used, Mapping) else used
        d, r = spread(rates[rate], mask)
        diffs.append(d)
        ratios.append(r)
    # np.max/np.min propagate NaN: an undefined part makes the whole measure undefined
    return np.max(diffs, axis=0), np.min(ratios, axis=0)


def calibration_error(count: np.ndarray, sum_p: np.ndarray, sum_y: np.ndarray) -> np.ndarray:
    """ECE per group from per-bin sums (last axis: bins): ``sum_k |sum_y - sum_p| / n``,
    which is the bin-share-weighted ``|observed rate - mean probability|``."""
    return _div(np.abs(sum_y - sum_p).sum(axis=-1), count.sum(axis=-1))
