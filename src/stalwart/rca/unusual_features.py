"""How unusual each feature of one row is against the reference, ranked.

Numeric value ``v``: its reference percentile ``F(v)`` (share of reference values <= v), the
robust z-score ``(v - median) / (1.4826 * MAD)`` (the standard deviation when the MAD is 0)
and a two-sided tail probability ``2 * min(#{ref <= v} + 1, #{ref >= v} + 1) / (n + 1)``
(capped at 1; the +1 keeps a value beyond every reference value at ``2 / (n + 1)``, not 0).
Categorical value: its reference frequency and a tail probability, the share of reference
rows whose category is at most as frequent as this one, so an unseen category has tail
``1 / (n + 1)``. A missing value's tail is the reference's missing share (smoothed the same
way). Text in a numeric column is reported as ``not a number`` with tail ``1 / (n + 1)``.
Features are ranked by tail probability, smallest (most unusual) first; a feature is
*unusual* when its tail is at most ``tail``.

>>> import numpy as np, pandas as pd
>>> ref = pd.DataFrame({"x": np.arange(100.0), "c": ["a"] * 90 + ["b"] * 10})
>>> prof = FeatureReference().fit(ref)
>>> [(f["feature"], round(f["tail"], 3)) for f in prof.rank({"x": 500.0, "c": "a"})]
[('x', 0.02), ('c', 1.0)]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import StageError
from .neighbours import is_numeric_column

__all__ = ["FeatureReference"]


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class FeatureReference:
    """Sorted numeric values and category counts of the reference, for per-row lookups."""

    def __init__(self, *, tail: float = 0.01) -> None:
        self.tail = tail

    def fit(self, frame: pd.DataFrame) -> FeatureReference:
        self.n_ = int(len(frame))
        self.numeric_: dict[str, dict[str, Any]] = {}
        self.categorical_: dict[str, dict[str, Any]] = {}
        for col in frame.columns:
            s = frame[col]
            n_missing = int(s.isna().sum())
            if is_numeric_column(s):
                x = np.sort(s.to_numpy(dtype=float, na_value=np.nan))
                x = x[np.isfinite(x)]
                median = float(np.median(x)) if x.size else 0.0
                mad = 1.4826 * float(np.median(np.abs(x - median))) if x.size else 0.0
                spread = mad if mad > 0 else (float(np.std(x)) if x.size else 0.0)
                self.numeric_[str(col)] = {
                    "sorted": x, "median": median, "spread": spread if spread > 0 else 1.0,
                    "n_missing": n_missing, "min": float(x[0]) if x.size else None,
                    "max": float(x[-1]) if x.size else None}
            else:
                counts = s.dropna().astype(str).value_counts()
                freq = counts.to_numpy(dtype=float)
                # rows whose category is at most as frequent as a category of count c
                order = np.sort(freq)
                cum = np.cumsum(order)
                self.categorical_[str(col)] = {"counts": counts.to_dict(), "sorted": order,
                                               "cum": cum, "n_missing": n_missing}
        return self

    def _check(self) -> None:
        if getattr(self, "n_", None) is None:
            raise StageError("FeatureReference was used before fit(); call fit(reference)")

    def describe_value(self, column: str, value: Any) -> dict[str, Any]:
        """Percentile, robust z, frequency and tail probability of one value of one column."""
        self._check()
        n = self.n_
        if column in self.numeric_:
            ref = self.numeric_[column]
            base = {"feature": column, "kind": "numeric", "value": value,
                    "reference_median": ref["median"], "reference_min": ref["min"],
                    "reference_max": ref["max"]}
            if _is_missing(value):
                tail = min(1.0, (ref["n_missing"] + 1) / (n + 1))
                return {**base, "status": "missing", "percentile": None, "robust_z": None,
                        "frequency": ref["n_missing"] / n, "tail": tail}
            try:
                v = float(value)
            except (TypeError, ValueError):
                return {**base, "status": "not a number", "percentile": None,
                        "robust_z": None, "frequency": 0.0, "tail": 1 / (n + 1)}
            x = ref["sorted"]
            le = int(np.searchsorted(x, v, side="right"))
            ge = int(x.size - np.searchsorted(x, v, side="left"))
            tail = min(1.0, 2 * min(le + 1, ge + 1) / (x.size + 1))
            z = (v - ref["median"]) / ref["spread"]
            return {**base, "status": "present", "percentile": le / x.size if x.size else None,
                    "robust_z": z, "frequency": None, "tail": tail}
        ref = self.categorical_[column]
        base = {"feature": column, "kind": "categorical", "value": value,
                "reference_median": None, "reference_min": None, "reference_max": None,
                "percentile": None, "robust_z": None}
        if _is_missing(value):
            return {**base, "status": "missing", "frequency": ref["n_missing"] / n,
                    "tail": min(1.0, (ref["n_missing"] + 1) / (n + 1))}
        count = float(ref["counts"].get(str(value), 0))
        rarer = float(ref["cum"][np.searchsorted(ref["sorted"], count, side="right") - 1]
                      ) if count > 0 else 0.0
        status = "present" if count > 0 else "unseen category"
        return {**base, "status": status, "frequency": count / n,
                "tail": min(1.0, (rarer + 1) / (n + 1))}

    def rank(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Every feature of ``row`` described, most unusual first, with ``unusual`` set."""
        self._check()
        out = []
        for column in [*self.numeric_, *self.categorical_]:
            info = self.describe_value(column, row[column])
            info["unusual"] = bool(info["tail"] <= self.tail)
            out.append(info)
        out.sort(key=lambda f: (f["tail"], -abs(f["robust_z"] or 0.0), f["feature"]))
        return out
