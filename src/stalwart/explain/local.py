"""A local explanation of one prediction: per-feature contributions, SHAP when available.

``method="shap"`` gives the row's SHAP values against ``reference`` as background (see
:func:`~stalwart.explain.shap_values`; additive: the contributions sum to the output minus
the base value). ``method="replacement"`` gives the one-feature-at-a-time replacement
contributions of :mod:`~stalwart.explain.replacement`, which need no optional dependency
and are not additive when features interact (the gap is reported). ``method="auto"`` takes
SHAP when the ``shap`` package is installed, else replacement, and records which and why.
A classifier's explanation is of the predicted class's probability.

>>> import numpy as np, pandas as pd
>>> from sklearn.linear_model import LinearRegression
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
>>> model = LinearRegression().fit(X, 3 * X["a"])
>>> ex = explain_prediction(model, {"a": 1.0, "b": 0.0}, reference=X, method="replacement")
>>> ex.contributions[0]["feature"], round(ex.prediction, 6)
('a', 3.0)
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from ._inputs import check_int, feature_frame, wrap_model
from .importance import SCHEMA_VERSION
from .replacement import explain_locally

__all__ = ["LocalExplanation", "explain_prediction"]

METHODS = ("auto", "shap", "replacement")


@dataclass(frozen=True)
class LocalExplanation:
    """Why the model gave this output for this row.

    ``contributions``: one dict per feature (``feature``, ``value``, ``contribution``),
    largest absolute contribution first; ``prediction`` the explained output (the
    predicted class's probability, or the regressor's value), ``base_value`` the expected
    output over the reference; ``additivity_gap`` is ``prediction - base_value - sum``
    (about 0 for SHAP; the interaction left out by replacement).
    """

    method: str
    reason: str
    explained_class: Any
    output: str
    prediction: float
    base_value: float
    contributions: tuple[dict[str, Any], ...]
    additivity_gap: float
    model: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": SCHEMA_VERSION, "kind": "local_explanation",
                         "method": self.method, "reason": self.reason,
                         "explained_class": self.explained_class, "output": self.output,
                         "prediction": self.prediction, "base_value": self.base_value,
                         "contributions": [dict(c) for c in self.contributions],
                         "additivity_gap": self.additivity_gap, "model": dict(self.model),
                         "options": dict(self.options)})


def explain_prediction(model: Any, row: Any, *, reference: Any, method: str = "auto",
                       max_background: int = 100, n_samples: int = 50,
                       random_state: int | None = 0) -> LocalExplanation:
    """Explain the model's output on one ``row`` (a one-row frame, a dict, a Series, a
    1-D array or a list of values) against ``reference`` rows (the training data, or a
    sample of it)."""
    if method not in METHODS:
        raise ParameterError("method", expected=f"one of {list(METHODS)}", got=repr(method),
                             fix="pass method='auto'")
    # checked here, under this function's names (explain_locally's own check speaks in the
    # words of root-cause analysis, its other caller)
    n_samples = check_int(n_samples, "n_samples", low=1, fix="pass n_samples=50")
    max_background = check_int(max_background, "max_background", low=1,
                               fix="pass max_background=100")
    adapter = wrap_model(model)
    frame = feature_frame(_one_row(row), adapter, what="row")
    if len(frame) != 1:
        raise DataError("row", expected="exactly one row", got=f"{len(frame)} rows",
                        fix="pass one row (frame.iloc[[i]])")
    ref = feature_frame(reference, adapter, what="reference")
    if list(ref.columns) != list(frame.columns):
        raise DataError("reference", expected=f"the row's columns {list(frame.columns)[:10]}",
                        got=f"{list(ref.columns)[:10]}", fix="pass rows of the same table")
    options = {"method": method, "max_background": max_background, "n_samples": n_samples,
               "random_state": random_state}
    if method == "auto":
        has_shap = importlib.util.find_spec("shap") is not None
        method = "shap" if has_shap else "replacement"
        reason = ("shap is installed: SHAP values" if has_shap else
                  "shap is not installed (pip install 'stalwart[explain]'): replacement")
    else:
        reason = "asked for"
    if method == "shap":
        return _by_shap(model, adapter, frame, ref, reason, max_background, random_state,
                        options)
    ex = explain_locally(adapter, frame, ref, n_samples=n_samples, random_state=random_state)
    gap = ex["probability"] - ex["baseline"] - ex["sum_of_contributions"]
    contributions = tuple({"feature": c["feature"], "value": c["value"],
                           "contribution": c["contribution"]} for c in ex["contributions"])
    return LocalExplanation("replacement", reason, ex["explained_class"],
                            "prediction" if adapter.task == "regression" else "probability",
                            ex["probability"], ex["baseline"], contributions, float(gap),
                            model=adapter.describe(), options=options)


def _one_row(row: Any) -> Any:
    if isinstance(row, Mapping):
        return pd.DataFrame({k: [v] for k, v in row.items()})
    if isinstance(row, pd.Series):
        return row.to_frame().T.infer_objects()
    if isinstance(row, (list, tuple)):
        row = np.asarray(row, dtype=object if any(isinstance(v, str) for v in row) else None)
    if isinstance(row, np.ndarray) and row.ndim == 1:
        return row.reshape(1, -1)
    return row


def _by_shap(model: Any, adapter: Any, frame: pd.DataFrame, ref: pd.DataFrame, reason: str,
             max_background: int, random_state: Any,
             options: dict[str, Any]) -> LocalExplanation:
    from .shap_values import shap_values

    r = shap_values(model, frame, background=ref, max_background=max_background,
                    random_state=random_state)
    if r.classes is None:
        values, base, cls = r.values[0], float(r.base_values[0]), None
    else:
        k = int(np.argmax(adapter.predict_proba(frame)[0]))
        values, base, cls = r.values[0, :, k], float(r.base_values[0, k]), r.classes[k]
    out = r.output
    prediction = base + float(values.sum())  # a raw margin has no other source
    if out != "log-odds":  # the model's own output, not the reconstructed one
        prediction = float(adapter.predict(frame)[0]) if cls is None \
            else float(adapter.predict_proba(frame)[0, k])
    contributions = sorted(({"feature": n, "value": frame[n].iloc[0], "contribution": float(v)}
                            for n, v in zip(r.feature_names, values)),
                           key=lambda c: (-abs(c["contribution"]), c["feature"]))
    return LocalExplanation(f"shap ({r.algorithm})", f"{reason}; {r.reason}", cls, out,
                            prediction, base, tuple(contributions),
                            float(prediction - base - values.sum()), model=adapter.describe(),
                            options=options)
