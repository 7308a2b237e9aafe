"""One validator for probability matrices, shared by metrics, calibration and conformal.

>>> check_proba([[0.2, 0.8], [1.0, 0.0]]).shape
(2, 2)
>>> check_proba([0.2, 0.9], allow_1d=True).tolist()
[[0.8, 0.2], [0.09999999999999998, 0.9]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import DataError

__all__ = ["check_proba"]


def check_proba(proba: Any, *, what: str = "probabilities", n_rows: int | None = None,
                n_classes: int | None = None, allow_1d: bool = False, atol: float = 1e-6,
                renormalise: bool = False) -> np.ndarray:
    """Return ``proba`` as a float (n, k) matrix, or raise a :class:`DataError` saying why.

    ``allow_1d`` reads a 1-D array as the positive-class probability of a binary problem;
    ``n_rows``/``n_classes`` pin the expected shape; rows must sum to 1 within ``atol``, and
    ``renormalise`` rescales rows that are off by float rounding only.
    """
    p = np.asarray(proba, dtype=float)
    if p.ndim == 1 and allow_1d and n_classes in (None, 2):
        p = np.column_stack([1.0 - p, p])
    if n_rows is not None or n_classes is not None:
        want = (n_rows if n_rows is not None else p.shape[0] if p.ndim else 0,
                n_classes if n_classes is not None else p.shape[-1] if p.ndim else 0)
        if p.ndim != 2 or p.shape != want:
            raise DataError(what, expected=f"shape ({want[0]}, {want[1]}): one column per class",
                            got=f"shape {p.shape}", fix="pass predict_proba output in classes order")
    if p.ndim != 2 or p.shape[1] < 2 or p.shape[0] == 0:
        shown = "a 1-D array of positive-class probabilities, " if allow_1d else ""
        raise DataError(what, expected=f"a non-empty 2-D array (n_rows, n_classes) with 2+ "
                        f"classes, or {shown}as predict_proba returns", got=f"shape {p.shape}",
                        fix="pass predict_proba output (a regression model has none)")
    if not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1:
        raise DataError(what, expected="finite values in [0, 1]", got="values outside [0, 1] or NaN",
                        fix="pass probabilities, not logits or decision scores (softmax them)")
    sums = p.sum(axis=1)
    off = np.abs(sums - 1.0)
    bad = off > atol
    if bad.any():
        raise DataError(what, expected="rows that sum to 1",
                        got=f"{int(bad.sum())} rows that do not (first sums to {sums[bad][0]:.6g})",
                        fix="normalise each row, or pass every class's column")
    if renormalise and off.max(initial=0.0) > np.sqrt(np.finfo(float).eps):
        p = p / sums[:, None]  # float32 rounding: scikit-learn would warn
    return p
