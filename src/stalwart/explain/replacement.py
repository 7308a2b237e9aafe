"""A local, model-agnostic explanation of one prediction: per-feature replacement.

For the predicted class ``c`` and the row ``x``, the contribution of feature ``j`` is

    phi_j = p_c(x) - mean over reference rows r of p_c(x with x_j replaced by r_j)

(for a regressor, ``p_c`` is the predicted value and there is no explained class)

on ``n_samples`` reference rows drawn once (seeded): how much of the row's probability for
its predicted class rests on the value of ``j`` compared with values the model saw in
training (an interventional occlusion, the one-feature-at-a-time term of the SHAP family).
The contributions do not add up to ``p_c(x) - E[p_c]`` when features interact; both the
baseline ``E[p_c]`` over the same reference rows and the sum are reported, so the gap is
visible. All ``d * n_samples`` perturbed rows are scored in one ``predict_proba`` call.
It needs no optional dependency; :func:`~stalwart.explain.explain_prediction` uses it when
``shap`` is not installed (root-cause analysis uses it directly).

>>> import numpy as np, pandas as pd
>>> from sklearn.linear_model import LogisticRegression
>>> from stalwart.models import wrap
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
>>> model = wrap(LogisticRegression().fit(X, (X["a"] > 0).astype(int)))
>>> ex = explain_locally(model, pd.DataFrame({"a": [2.0], "b": [0.0]}), X)
>>> ex["contributions"][0]["feature"], ex["contributions"][0]["contribution"] > 0.3
('a', True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ..models import ModelAdapter

__all__ = ["explain_locally"]


def explain_locally(model: ModelAdapter, row: pd.DataFrame, reference: pd.DataFrame, *,
                    n_samples: int = 50, random_state: int | None = 0) -> dict[str, Any]:
    """Per-feature replacement contributions to the predicted class's probability of ``row``
    (a regressor's predicted value).

    ``row`` is a one-row frame with the reference's feature columns; ``model`` a wrapped
    classifier with ``predict_proba``, or a regressor.
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) \
            or n_samples < 1:
        raise ParameterError("explanation_samples", expected="an integer >= 1",
                             got=repr(n_samples), fix="pass explanation_samples=50")
    rng = np.random.default_rng(random_state)
    m = min(int(n_samples), len(reference))
    donors = reference.iloc[rng.choice(len(reference), size=m, replace=False)]
    donors = donors.reset_index(drop=True)
    columns = list(reference.columns)
    regression = model.task == "regression"
    if regression:
        base_proba = np.asarray(model.predict(row[columns]), dtype=float)
        cls = 0
    else:
        base_proba = model.predict_proba(row[columns])[0]
        cls = int(np.argmax(base_proba))
    blocks = [donors[columns]]  # the baseline: the model on the reference rows themselves
    for col in columns:
        block = pd.DataFrame({c: np.repeat(row[c].to_numpy(), m) for c in columns})
        block[col] = donors[col].to_numpy()
        blocks.append(block)
    batch = pd.concat(blocks, ignore_index=True)
    for col in columns:  # keep the reference dtypes (concat of object blocks may widen them)
        if batch[col].dtype != reference[col].dtype:
            try:
                batch[col] = batch[col].astype(reference[col].dtype)
            except (TypeError, ValueError):
                pass
    scored = np.asarray(model.predict(batch), dtype=float) if regression \
        else model.predict_proba(batch)[:, cls]
    proba = scored.reshape(len(columns) + 1, m)
    baseline = float(proba[0].mean())
    p = float(base_proba[cls])
    contributions = [{"feature": col, "value": row[col].iloc[0],
                      "contribution": p - float(proba[i + 1].mean()),
                      "replaced_mean": float(proba[i + 1].mean())}
                     for i, col in enumerate(columns)]
    contributions.sort(key=lambda c: (-abs(c["contribution"]), c["feature"]))
    classes = model.classes_
    return {"method": "per-feature replacement with reference values",
            "explained_class": None if regression else
            classes[cls] if classes is not None else cls,
            "probability": p, "baseline": baseline,
            "sum_of_contributions": float(sum(c["contribution"] for c in contributions)),
            "n_samples": m, "contributions": contributions}
