"""Window metric ``novelty``: share of the window's events an isolation forest fitted on the
reference's numeric features calls novel, against its calibrated rate.

:class:`stalwart.novelty.IsolationForestNovelty` is calibrated split-conformally to flag
``false_flag_rate`` of reference-like events, so ``novel_share`` near that rate is normal;
``novel_ratio`` = share / expected rate, and ``novel_p_value`` is the one-sided binomial
p-value of the window's count at that rate. Missing numeric values are filled with the
reference medians (the number filled is in the details).

>>> import numpy as np, pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> rng = np.random.default_rng(0)
>>> m = WINDOW_METRICS.get("novelty")
>>> opts = m.resolve({})
>>> state = m.fit(pd.DataFrame({"features.x": rng.normal(size=1000)}), opts)
>>> out, _ = m.compute(state, pd.DataFrame({"features.x": rng.normal(6, 1, 200)}), opts, {})
>>> out["novel_share"] > 0.9
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ...exceptions import DataError
from ...novelty import IsolationForestNovelty
from ._columns import FEATURE, feature_columns, require_reference
from .registry import WindowMetric, register_window_metric

__all__ = ["KEYS"]

KEYS = ("novel_share", "novel_expected", "novel_ratio", "novel_p_value")


def _numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        col = frame[c] if c in frame.columns else pd.Series(np.nan, index=frame.index)
        out[c[len(FEATURE):]] = pd.to_numeric(col, errors="coerce").astype(float)
    return out


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "novelty")
    cols = [c for c in feature_columns(ref) if ref[c].dtype.kind in "iuf"]
    if not cols:
        raise DataError("reference", expected="numeric feature columns for the novelty "
                        "detector", got="none", fix="drop 'novelty' from the spec's metrics")
    x = _numeric(ref, cols)
    medians = x.median().fillna(0.0)
    detector = IsolationForestNovelty(false_flag_rate=options["false_flag_rate"],
                                      n_estimators=options["n_estimators"],
                                      random_state=options["random_state"])
    return {"columns": cols, "medians": medians, "detector": detector.fit(x.fillna(medians))}


def _compute(state: dict[str, Any], frame: Any, options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    x = _numeric(frame, state["columns"])
    n_filled = int(x.isna().sum().sum())
    flags = np.asarray(state["detector"].predict(x.fillna(state["medians"])), dtype=bool)
    n, k = flags.size, int(flags.sum())
    rate = float(options["false_flag_rate"])
    share = k / n
    p_value = float(stats.binom.sf(k - 1, n, rate))
    return ({"novel_share": share, "novel_expected": rate, "novel_ratio": share / rate,
             "novel_p_value": p_value},
            {"n_novel": k, "n_filled_missing": n_filled,
             "columns": [c[len(FEATURE):] for c in state["columns"]]})


register_window_metric(WindowMetric(
    name="novelty", fit=_fit, compute=_compute, keys=lambda _s, _o: KEYS,
    needs_reference=True,
    options={"false_flag_rate": 0.01, "n_estimators": 100, "random_state": 0},
    description="share of novel events (isolation forest) against the calibrated rate"))
