"""Window metric ``data_quality``: missing values, values of an unexpected type, new
categories, each against what the reference showed.

- ``missing_share_max``: the largest share of missing values over the features
  (per feature in the details, beside the reference's share)
- ``unexpected_type_share``: share of non-missing values of numeric reference features
  that are not numbers (a string in a numeric column), over all such values
- ``new_category_share``: share of non-missing values of categorical reference features
  never seen in the reference

>>> import pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> m = WINDOW_METRICS.get("data_quality")
>>> ref = pd.DataFrame({"features.x": [1.0, 2.0], "features.c": ["a", "b"]})
>>> cur = pd.DataFrame({"features.x": [1.0, "oops", None, 2.0], "features.c": list("abzz")})
>>> out, _ = m.compute(m.fit(ref, {}), cur, {}, {})
>>> out
{'missing_share_max': 0.25, 'unexpected_type_share': 0.3333333333333333, 'new_category_share': 0.5}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._columns import feature_columns, require_reference
from .registry import WindowMetric, register_window_metric

__all__ = ["KEYS"]

KEYS = ("missing_share_max", "unexpected_type_share", "new_category_share")


def _is_numeric(col: pd.Series) -> bool:
    non_missing = col.dropna()
    if col.dtype.kind in "iuf":
        return True
    if col.dtype.kind == "b" or non_missing.empty:
        return False
    return bool(pd.to_numeric(non_missing, errors="coerce").notna().all()) and not any(
        isinstance(v, (str, bool, np.bool_)) for v in non_missing)


def _fit(reference: Any, _options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "data_quality")
    numeric, categories, missing = [], {}, {}
    for c in feature_columns(ref):
        missing[c] = float(ref[c].isna().mean())
        if _is_numeric(ref[c]):
            numeric.append(c)
        else:
            categories[c] = {str(v) for v in ref[c].dropna().unique()}
    return {"numeric": numeric, "categories": categories, "missing": missing}


def _compute(state: dict[str, Any], frame: Any, _options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    columns = [*state["numeric"], *state["categories"]]
    absent = [c for c in columns if c not in frame.columns]
    missing = {c: (1.0 if c in absent else float(frame[c].isna().mean())) for c in columns}
    n_num = n_bad = n_cat = n_new = 0
    bad: dict[str, int] = {}
    new: dict[str, list[str]] = {}
    for c in state["numeric"]:
        if c in absent:
            continue
        values = frame[c].dropna()
        if values.dtype.kind in "iuf":
            n_num += len(values)
            continue
        wrong = pd.to_numeric(values, errors="coerce").isna() | values.map(
            lambda v: isinstance(v, (str, bool, np.bool_)) and not _number_string(v))
        n_num += len(values)
        n_bad += int(wrong.sum())
        if wrong.any():
            bad[c] = int(wrong.sum())
    for c, seen in state["categories"].items():
        if c in absent:
            continue
        values = frame[c].dropna().map(str)
        unseen = ~values.isin(seen)
        n_cat += len(values)
        n_new += int(unseen.sum())
        if unseen.any():
            new[c] = sorted(values[unseen].unique().tolist())[:20]
    metrics = {"missing_share_max": max(missing.values()) if missing else None,
               "unexpected_type_share": n_bad / n_num if n_num else None,
               "new_category_share": n_new / n_cat if n_cat else None}
    details = {"missing_share": missing, "reference_missing_share": state["missing"],
               "absent_columns": absent, "unexpected_type_counts": bad,
               "new_categories": new}
    return metrics, details


def _number_string(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return False
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


register_window_metric(WindowMetric(
    name="data_quality", fit=_fit, compute=_compute, keys=lambda _s, _o: KEYS,
    needs_reference=True,
    description="missing share (max over features), unexpected types, new categories"))
