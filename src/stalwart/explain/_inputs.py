"""What every explanation method checks first: the model, the feature frame, the target.

Explanations work on a pandas frame of the model's input columns (an array gets the model's
feature names, or ``x0, x1, ...``); the adapter turns it back into what the model takes.

>>> import numpy as np
>>> feature_frame(np.zeros((2, 3)), None).columns.tolist()
['x0', 'x1', 'x2']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import to_pandas
from ..exceptions import DataError, ParameterError
from ..models import ModelAdapter, wrap

__all__ = ["check_int", "check_target", "feature_frame", "wrap_model"]


def wrap_model(model: Any) -> ModelAdapter:
    """The adapter view of ``model`` (a fitted estimator, a function or an adapter)."""
    return wrap(model)


def feature_frame(X: Any, adapter: ModelAdapter | None, *, what: str = "X") -> pd.DataFrame:
    """``X`` as a frame of the model's input columns (narrowed and ordered when known)."""
    if isinstance(X, (list, tuple)):
        X = np.asarray(X)
    names = None if adapter is None else adapter.feature_names
    if isinstance(X, np.ndarray):
        if X.ndim != 2:
            raise DataError(what, expected="a 2-D table (rows x features)",
                            got=f"an array of shape {X.shape}",
                            fix="reshape it: X.reshape(1, -1) for one row")
        cols = list(names) if names is not None and len(names) == X.shape[1] \
            else [f"x{i}" for i in range(X.shape[1])]
        frame = pd.DataFrame(X, columns=cols)
    else:
        frame = X if isinstance(X, pd.DataFrame) else to_pandas(X, what=what)
        if names is not None:
            missing = [c for c in names if c not in frame.columns]
            if missing:
                raise DataError(what, expected=f"the model's input columns {list(names)[:10]}",
                                got=f"a frame missing {missing[:10]}",
                                fix="pass the columns the model was trained on")
            frame = frame.loc[:, list(names)]
    if len(frame) == 0 or frame.shape[1] == 0:
        raise DataError(what, expected="at least one row and one feature",
                        got=f"shape {frame.shape}", fix="pass a non-empty table")
    if len(set(map(str, frame.columns))) != frame.shape[1]:
        raise DataError(what, expected="distinct column names",
                        got=f"{list(frame.columns)[:10]}", fix="rename the repeated columns")
    return frame.reset_index(drop=True)


def check_target(y: Any, n_rows: int, adapter: ModelAdapter, *, what: str = "y") -> np.ndarray:
    """The target as a 1-D array with one finite label or number per row of ``X``."""
    arr = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1 or arr.size != n_rows:
        raise DataError(what, expected=f"one value per row of X ({n_rows})",
                        got=f"shape {arr.shape}", fix="pass the target column of the same rows")
    if adapter.task == "regression":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise DataError(what, expected="numbers for a regression model",
                            got=f"values such as {arr[:3].tolist()}",
                            fix="pass the numeric target") from None
        if not np.all(np.isfinite(arr)):
            raise DataError(what, expected="finite numbers", got="NaN or infinite values",
                            fix="drop the rows without a target")
        return arr
    if pd.isna(arr).any():
        raise DataError(what, expected="labels without missing values", got="missing labels",
                        fix="drop the rows without a label")
    classes = adapter.classes_
    if classes is not None:
        unknown = ~np.isin(arr, classes)
        if unknown.any():
            raise DataError(what, expected=f"classes the model knows {classes[:10].tolist()}",
                            got=f"{int(unknown.sum())} rows with other labels, e.g. "
                                f"{arr[unknown][:3].tolist()}",
                            fix="drop those rows or explain a model trained on them")
    return arr


def check_int(value: Any, name: str, *, low: int, fix: str, allow_none: bool = False) -> Any:
    """An integer option ``>= low`` (or None when allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(name, expected=f"an integer >= {low}"
                             + (" or None" if allow_none else ""), got=repr(value), fix=fix)
    return int(value)
