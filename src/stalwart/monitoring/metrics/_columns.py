"""Column conventions of the events frame (``features.<name>``, ``outputs.proba.<class>``...).

>>> import pandas as pd
>>> f = pd.DataFrame(columns=["timestamp", "features.x", "outputs.proba.a", "outputs.proba.b",
...                           "outputs.prediction", "label"])
>>> feature_columns(f), proba_columns(f)
(['features.x'], ['outputs.proba.a', 'outputs.proba.b'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError

__all__ = ["FEATURE", "PREDICTION", "PROBA", "classes_of", "feature_columns", "infer_task",
           "labels_as_str", "proba_columns", "require_reference"]

FEATURE = "features."
PROBA = "outputs.proba."
PREDICTION = "outputs.prediction"
LABEL = "label"


def feature_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if str(c).startswith(FEATURE)]


def proba_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if str(c).startswith(PROBA)]


def classes_of(columns: list[str]) -> list[str]:
    return [c[len(PROBA):] for c in columns]


def infer_task(frame: pd.DataFrame, task: str = "auto") -> str:
    """``"classification"`` when there are probability columns or the predictions look like
    labels (not floats), else ``"regression"``."""
    if task != "auto":
        return task
    if proba_columns(frame):
        return "classification"
    if PREDICTION in frame.columns:
        col = frame[PREDICTION].dropna()
        if col.dtype.kind == "f" and not np.all(np.mod(col.to_numpy(), 1) == 0):
            return "regression"
        if col.dtype.kind in "iuf" and col.nunique() > 20:
            return "regression"
    return "classification"


def require_reference(reference: Any, metric: str) -> pd.DataFrame:
    if reference is None or not isinstance(reference, pd.DataFrame) or len(reference) == 0:
        raise DataError("reference", expected=f"a non-empty reference events frame for the "
                        f"{metric!r} metric", got="none" if reference is None
                        else f"{type(reference).__name__} with no rows",
                        fix="pass reference=<events frame> or drop that metric from the spec")
    return reference


def labels_as_str(values: Any) -> np.ndarray:
    """Labels as strings, so they match class names taken from column names."""
    def one(v: Any) -> str:
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)
    return np.asarray([one(v) for v in values], dtype=object)
