"""Row selection and stacking shared by the augmentation modules (arrays, frames, lists)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError

__all__ = ["check_xy", "stack_rows", "take_rows"]


def take_rows(items: Any, idx: np.ndarray) -> Any:
    """Rows ``idx`` (positions) of a DataFrame/Series, an array, a tensor or a list."""
    if hasattr(items, "iloc"):
        return items.iloc[idx]
    if isinstance(items, np.ndarray) or hasattr(items, "index_select"):
        return items[idx]
    return [items[i] for i in idx]


def stack_rows(parts: list[Any]) -> Any:
    """Parts of one type, one after the other."""
    first = parts[0]
    if isinstance(first, (pd.DataFrame, pd.Series)):
        return pd.concat(parts)
    if isinstance(first, np.ndarray):
        return np.concatenate(parts)
    if hasattr(first, "index_select"):  # a torch tensor
        import torch
        return torch.cat(parts)
    return [row for part in parts for row in part]


def check_xy(X: Any, y: Any) -> np.ndarray:
    """``y`` as a 1-D array with one label per row of ``X``."""
    try:
        n = len(X)
    except TypeError:
        raise DataError("X", expected="rows (a DataFrame, an array or a list)",
                        got=type(X).__name__, fix="pass the training rows") from None
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.shape[0] != n:
        raise DataError("y", expected=f"one label per row of X ({n})",
                        got=f"shape {labels.shape}", fix="pass y aligned with X")
    if n == 0:
        raise DataError("X", expected="at least one row", got="none",
                        fix="pass the training rows")
    if labels.dtype.kind == "f" and np.isnan(labels).any() or \
            labels.dtype == object and any(v is None for v in labels):
        raise DataError("y", expected="labels without missing values",
                        got="missing labels", fix="drop the unlabelled rows first")
    return labels
