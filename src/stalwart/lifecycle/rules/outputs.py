"""The names a condition reads: the input columns plus the model's outputs.

``prediction`` is the model's output, ``proba`` its top class probability and
``proba_<class>`` the probability of each class. :func:`rule_table` builds the columns the
conditions read (only those), :func:`table_kinds` what validation checks names against.

>>> import numpy as np, pandas as pd
>>> X = pd.DataFrame({"amount": [5.0, 50.0]})
>>> t = rule_table(X, np.array(["approve", "deny"]), np.array([[0.6, 0.4], [0.1, 0.9]]),
...                classes=("approve", "deny"), names={"amount", "proba", "proba_deny"})
>>> t["proba"].tolist(), t["proba_deny"].tolist()
([0.6, 0.9], [0.4, 0.9])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError, ModelError, SchemaError
from .condition import column_kinds

__all__ = ["PREDICTION", "PROBA", "as_frame", "as_proba", "column_kinds", "output_names",
           "rule_table", "table_kinds"]

PREDICTION = "prediction"
PROBA = "proba"


def output_names(classes: Sequence[Any] | None, *, has_proba: bool) -> list[str]:
    """``prediction``, and with probabilities ``proba`` and ``proba_<class>``."""
    if not has_proba:
        return [PREDICTION]
    return [PREDICTION, PROBA, *(f"{PROBA}_{c}" for c in (classes or ()))]


def as_frame(X: Any, feature_names: Sequence[str] | None = None) -> pd.DataFrame:
    """The inputs as a DataFrame (arrays take ``feature_names`` when known)."""
    if isinstance(X, pd.DataFrame):
        return X.reset_index(drop=True)
    array = np.asarray(X)
    if array.ndim != 2:
        raise DataError("rule inputs", expected="a table (DataFrame or 2-d array)",
                        got=f"an array of shape {array.shape}", fix="pass one row per input")
    names = list(feature_names) if feature_names is not None else [
        str(i) for i in range(array.shape[1])]
    if len(names) != array.shape[1]:
        raise DataError("rule inputs", expected=f"{len(names)} columns ({names[:5]}...)",
                        got=f"{array.shape[1]} columns", fix="pass the model's inputs")
    return pd.DataFrame(array, columns=names)


def as_proba(proba: Any, classes: Sequence[Any] | None, n: int
             ) -> tuple[np.ndarray | None, tuple[Any, ...] | None]:
    """Probabilities as an (n, k) float array and their classes (a DataFrame's columns
    name them; an array needs ``classes``)."""
    if proba is None:
        return None, None if classes is None else tuple(classes)
    if isinstance(proba, pd.DataFrame):
        given = tuple(proba.columns)
        if classes is not None and [str(c) for c in classes] != [str(c) for c in given]:
            raise DataError("proba columns", expected=f"the classes {list(classes)}",
                            got=f"{list(given)}", fix="order the columns as the classes")
        classes, proba = (tuple(classes) if classes is not None else given), proba.to_numpy()
    array = np.asarray(proba, dtype=float)
    if array.ndim != 2 or array.shape[0] != n:
        raise DataError("proba", expected=f"an array of shape ({n}, n_classes)",
                        got=f"shape {array.shape}", fix="pass one probability row per input")
    if classes is None or len(classes) != array.shape[1]:
        raise DataError("proba classes", expected=f"{array.shape[1]} class names",
                        got=repr(None if classes is None else list(classes)),
                        fix="pass classes=model.classes_ (or proba as a DataFrame)")
    return array, tuple(classes)


def table_kinds(columns: Mapping[str, str], classes: Sequence[Any] | None, *,
                prediction_kind: str | None, has_proba: bool) -> dict[str, str]:
    """Kinds of every readable name (``prediction_kind`` when known, else taken from the
    classes); an input column named like an output is refused."""
    clash = sorted(set(columns) & set(output_names(classes, has_proba=True)))
    if clash:
        raise SchemaError("input columns", expected="names different from the model's "
                          "outputs (prediction, proba, proba_<class>)", got=f"{clash}",
                          fix="rename those input columns")
    kinds = dict(columns)
    if prediction_kind is not None:
        kinds[PREDICTION] = prediction_kind
    elif classes and all(
            isinstance(c, (int, float, np.integer, np.floating)) and not isinstance(c, bool)
            for c in classes):
        kinds[PREDICTION] = "number"
    elif classes:
        kinds[PREDICTION] = "text" if all(isinstance(c, str) for c in classes) else "other"
    else:
        kinds[PREDICTION] = "other"
    for name in output_names(classes, has_proba=has_proba)[1:]:
        kinds[name] = "number"
    return kinds


def rule_table(X: pd.DataFrame, predictions: np.ndarray, proba: np.ndarray | None, *,
               classes: Sequence[Any] | None, names: Iterable[str]) -> dict[str, Any]:
    """The columns the conditions read (``names``), each one value per row."""
    table: dict[str, Any] = {}
    index = {f"{PROBA}_{c}": i for i, c in enumerate(classes or ())}
    for name in names:
        if name == PREDICTION:
            table[name] = pd.Series(predictions)
        elif name == PROBA or name in index:
            if proba is None:
                raise ModelError(f"condition name {name!r}", expected="class probabilities",
                                 got="none given (the model has no predict_proba, or proba="
                                 "None)", fix="pass proba=, or drop probabilities from the rule")
            table[name] = pd.Series(proba.max(axis=1) if name == PROBA
                                    else proba[:, index[name]])
        elif name in X.columns:
            table[name] = X[name].reset_index(drop=True)
        else:
            raise SchemaError(f"condition name {name!r}", expected=f"a column of the inputs "
                              f"({list(X.columns)[:20]}) or an output",
                              got="no such column", fix="check the rule against the data")
    return table

