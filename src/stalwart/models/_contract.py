"""What goes into and comes out of every adapter: input columns, option checks, output shapes.

Adapters call these so that every model, whatever its library, fails the same clear way on
a frame that lacks its columns or on outputs of the wrong shape.

>>> import numpy as np, pandas as pd
>>> frame = pd.DataFrame({"b": [1.0, 2.0], "a": [3.0, 4.0], "extra": [0, 0]})
>>> prepare_input(frame, feature_names=["a", "b"], n_features=None, model="m").columns.tolist()
['a', 'b']
>>> prepare_input(frame, feature_names=["a", "c"], n_features=None, model="m")
Traceback (most recent call last):
...
stalwart.exceptions.SchemaError: input of model 'm': expected the 2 columns the model was fitted on (a, c); got a frame missing 1 of them: ['c']. Fix: add the missing columns (with the same names as at fit time) or pass the frame the model was trained on
>>> as_probabilities(np.array([0.2, 0.9]), n_rows=2, classes=np.array([0, 1]), model="m")
array([[0.8, 0.2],
       [0.1, 0.9]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..data import to_pandas
from ..exceptions import DataError, ModelError, ParameterError, SchemaError
from .adapter import TASKS

__all__ = ["as_predictions", "as_probabilities", "normalise_options", "prepare_input"]

# probabilities are often float32 (ONNX): rows may miss 1 by a few ulps of float32
_PROBA_SUM_ATOL = 1e-4
_SHOWN = 20


def normalise_options(
    *, task: str | None, classes: Any, feature_names: Any
) -> tuple[str | None, np.ndarray | None, list[str] | None]:
    """Check the options every adapter takes and return them in canonical form."""
    if task is not None and task not in TASKS:
        raise ParameterError("task", expected=f"one of {list(TASKS)}", got=repr(task),
                             fix="pass task='classification' or task='regression'")
    if classes is not None:
        if task == "regression":
            raise ParameterError("classes", expected="no classes for a regression model",
                                 got=f"classes={list(classes)!r}",
                                 fix="drop classes= or pass task='classification'")
        arr = np.asarray(classes)
        if arr.ndim != 1 or len(arr) < 2 or len(pd.unique(arr)) != len(arr):
            raise ParameterError("classes", expected="a 1-D sequence of at least two distinct "
                                 "labels", got=repr(classes),
                                 fix="pass the class labels in the order of the model's "
                                 "probability columns, e.g. classes=[0, 1]")
        classes = arr
    if feature_names is not None:
        if isinstance(feature_names, str) or not all(isinstance(n, str) for n in feature_names):
            raise ParameterError("feature_names", expected="a list of column names (strings)",
                                 got=repr(feature_names), fix="pass feature_names=['a', 'b', ...]")
        feature_names = list(feature_names)
        if len(set(feature_names)) != len(feature_names):
            raise ParameterError("feature_names", expected="distinct names",
                                 got=repr(feature_names), fix="remove the repeated names")
    return task, classes, feature_names


def prepare_input(
    X: Any,
    *,
    feature_names: Sequence[str] | None,
    n_features: int | None,
    model: str,
    positional: bool = False,
) -> Any:
    """Return ``X`` in the form the model takes, after checking its columns.

    With ``feature_names`` a frame must hold those columns (they are selected in that
    order, extra columns are dropped); an array must have one column per name. Without
    names, ``n_features`` (when known) must match the column count. ``positional=True``
    returns a 2-D numpy array (models fitted on arrays, ONNX tensors); otherwise a
    DataFrame, or an array when no names are known.
    """
    what = f"input of model {model!r}"
    if isinstance(X, (list, tuple)):
        X = np.asarray(X)
    expected = len(feature_names) if feature_names is not None else n_features
    if isinstance(X, np.ndarray):
        if X.ndim != 2:
            raise DataError(what, expected="a 2-D array (rows x columns)",
                            got=f"an array of shape {X.shape}",
                            fix="reshape it: X.reshape(1, -1) for one row, "
                            "X.reshape(-1, 1) for one column")
        _check_width(X.shape[1], expected, what)
        _check_rows(X.shape[0], what)
        if feature_names is not None and not positional:
            return pd.DataFrame(X, columns=list(feature_names))
        return X
    frame = X if isinstance(X, pd.DataFrame) else to_pandas(X, what=what)
    _check_rows(len(frame), what)
    if feature_names is not None:
        missing = [c for c in feature_names if c not in frame.columns]
        if missing:
            names = ", ".join(map(str, feature_names[:_SHOWN]))
            more = ", ..." if len(feature_names) > _SHOWN else ""
            raise SchemaError(what, expected=f"the {len(feature_names)} columns the model was "
                              f"fitted on ({names}{more})",
                              got=f"a frame missing {len(missing)} of them: {missing[:_SHOWN]}",
                              fix="add the missing columns (with the same names as at fit "
                              "time) or pass the frame the model was trained on")
        if list(frame.columns) != list(feature_names):
            frame = frame.loc[:, list(feature_names)]
    else:
        _check_width(frame.shape[1], expected, what)
    return frame.to_numpy() if positional else frame


def _check_width(width: int, expected: int | None, what: str) -> None:
    if expected is not None and width != expected:
        raise SchemaError(what, expected=f"{expected} columns", got=f"{width} columns",
                          fix="pass the same columns, in the same order, as at fit time")


def _check_rows(n_rows: int, what: str) -> None:
    if n_rows == 0:
        raise DataError(what, expected="at least one row", got="0 rows",
                        fix="pass a non-empty table")


def as_predictions(raw: Any, *, n_rows: int, model: str) -> np.ndarray:
    """Predictions as a 1-D array with one value per row (an (n, 1) column is flattened)."""
    pred = np.asarray(raw)
    if pred.ndim == 2 and pred.shape[1] == 1:
        pred = pred.ravel()
    if pred.ndim != 1 or len(pred) != n_rows:
        raise ModelError(f"predictions of model {model!r}",
                         expected=f"one value per input row ({n_rows} values)",
                         got=f"an array of shape {pred.shape}",
                         fix="return a 1-D array with one prediction per row "
                         "(multi-output models are not supported)")
    return pred


def as_probabilities(raw: Any, *, n_rows: int, classes: np.ndarray, model: str) -> np.ndarray:
    """Probabilities as an (n_rows, n_classes) float array whose rows sum to 1.

    For two classes a 1-D array is read as the probability of ``classes[1]``.
    """
    what = f"probabilities of model {model!r}"
    try:
        proba = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise ModelError(what, expected="numbers", got=f"values of type {type(raw).__name__}",
                         fix="return an array of probabilities") from None
    if proba.ndim == 1 and len(classes) == 2:
        proba = np.column_stack([1.0 - proba, proba])
    if proba.shape != (n_rows, len(classes)):
        raise ModelError(what, expected=f"shape ({n_rows}, {len(classes)}): one row per input "
                         f"row, one column per class {list(classes)[:_SHOWN]}",
                         got=f"shape {proba.shape}",
                         fix="return one probability column per class, in classes_ order")
    sums = proba.sum(axis=1)
    bad = ~np.isclose(sums, 1.0, rtol=0.0, atol=_PROBA_SUM_ATOL) | (proba < 0).any(axis=1)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ModelError(what, expected="non-negative rows that sum to 1",
                         got=f"{int(bad.sum())} rows that do not (first: row {first}, "
                         f"{proba[first][:_SHOWN].round(6).tolist()})",
                         fix="return probabilities (apply a softmax to raw scores)")
    return proba
