"""Window metric ``estimated_regression``: a regressor's MAE and RMSE estimated before labels
arrive (DLE, direct loss estimation).

:class:`stalwart.estimation.DLE` is fitted once on the reference's labelled events: from the
numeric features (``features.<name>``; option ``features`` to choose) and the prediction
(``outputs.prediction``) it learns the absolute and squared errors. Each window's predicted
losses give ``estimated_mae`` and ``estimated_rmse`` with their intervals (``_lower`` /
``_upper``), comparable with the realised ``mae``/``rmse`` of the ``performance`` metric once
labels arrive. Like NannyML's DLE it assumes P(y | x) is unchanged: it sees the model err
more where the reference says it errs more (covariate shift into a harder region), not a
concept shift. Rows with a missing feature or prediction are left out (counted in the
details).

>>> import numpy as np, pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> rng = np.random.default_rng(0)
>>> x = rng.uniform(-1, 1, 1500)
>>> ref = pd.DataFrame({"features.x": x, "outputs.prediction": x,
...                     "label": x + rng.normal(0, 0.1 + x ** 2)})
>>> m = WINDOW_METRICS.get("estimated_regression")
>>> opts = m.resolve({"n_bootstrap": 100})
>>> cur = pd.DataFrame({"features.x": rng.uniform(0.7, 1, 400)})
>>> cur["outputs.prediction"] = cur["features.x"]
>>> out, details = m.compute(m.fit(ref, opts), cur, opts, {})
>>> out["estimated_mae"] > 1.5 * details["reference_mae"]
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...estimation import DLE
from ...exceptions import DataError
from ._columns import LABEL, PREDICTION, feature_columns, require_reference
from .registry import WindowMetric, register_window_metric

__all__ = ["KEYS"]

KEYS = ("estimated_mae", "estimated_mae_lower", "estimated_mae_upper", "estimated_rmse",
        "estimated_rmse_lower", "estimated_rmse_upper")


def _numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].apply(pd.to_numeric, errors="coerce")


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "estimated_regression")
    chosen = options["features"]
    if chosen is None:
        columns = [c for c in feature_columns(ref)
                   if _numeric(ref, [c])[c].notna().any()]
    else:
        columns = [c if str(c).startswith("features.") else f"features.{c}" for c in chosen]
        missing = [c for c in columns if c not in ref.columns]
        if missing:
            raise DataError("estimated_regression features", expected="feature columns of "
                            "the reference", got=f"missing {missing}",
                            fix="name logged features, or pass features=None for all numeric")
    if not columns or PREDICTION not in ref.columns or LABEL not in ref.columns:
        raise DataError("reference", expected="numeric features, 'outputs.prediction' and "
                        "labels of a regressor", got=f"columns {list(ref.columns)[:10]}",
                        fix="use a labelled reference of a regression model")
    table = _numeric(ref, columns + [PREDICTION, LABEL]).dropna()
    dle = DLE(confidence=options["confidence"], n_bootstrap=options["n_bootstrap"],
              random_state=options["random_state"])
    dle.fit(table[columns], table[LABEL].to_numpy(float), table[PREDICTION].to_numpy(float))
    return {"columns": columns, "dle": dle, "n_reference": int(len(table))}


def _compute(state: dict[str, Any], frame: Any, _options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    columns = state["columns"]
    absent = [c for c in columns + [PREDICTION] if c not in frame.columns]
    if absent:
        return dict.fromkeys(KEYS), {"notes": [f"columns absent from the window: {absent}"]}
    table = _numeric(frame, columns + [PREDICTION])
    usable = table.notna().all(axis=1) & np.isfinite(table.to_numpy(float)).all(axis=1)
    table = table[usable]
    if len(table) == 0:
        return dict.fromkeys(KEYS), {"notes": ["no rows with every feature and a prediction"]}
    result = state["dle"].estimate(table[columns], table[PREDICTION].to_numpy(float))
    out: dict[str, float | None] = {}
    for name in ("mae", "rmse"):
        est = result[name]
        out.update({f"estimated_{name}": est.value, f"estimated_{name}_lower": est.lower,
                    f"estimated_{name}_upper": est.upper})
    return out, {"reference_mae": result["mae"].reference_value,
                 "reference_rmse": result["rmse"].reference_value,
                 "n_estimated": int(len(table)), "n_left_out": int((~usable).sum()),
                 "interval": result["mae"].interval_method, "notes": list(result.notes)}


register_window_metric(WindowMetric(
    name="estimated_regression", fit=_fit, compute=_compute, keys=lambda _s, _o: KEYS,
    needs_reference=True,
    options={"features": None, "confidence": 0.95, "n_bootstrap": 500, "random_state": 0},
    description="DLE estimated MAE and RMSE (with intervals) of a regressor before labels "
                "arrive"))
