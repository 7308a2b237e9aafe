"""Window metric ``latency``: latency percentiles of the window's events (numpy's linear
percentiles of the non-missing ``latency_ms`` values).

>>> import pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> m = WINDOW_METRICS.get("latency")
>>> out, _ = m.compute(None, pd.DataFrame({"latency_ms": [1.0, 2.0, 3.0, None]}),
...                    m.resolve({}), {})
>>> out["latency_p50"], out["latency_missing_share"]
(2.0, 0.25)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .registry import WindowMetric, register_window_metric

__all__: list[str] = []


def _keys(_state: Any, options: dict[str, Any]) -> tuple[str, ...]:
    return (*(f"latency_p{_fmt(q)}" for q in options["percentiles"]), "latency_mean",
            "latency_missing_share")


def _fmt(q: float) -> str:
    return str(int(q)) if float(q).is_integer() else str(q).replace(".", "_")


def _compute(_state: Any, frame: Any, options: dict[str, Any], _run: dict[str, Any]
             ) -> tuple[dict[str, float | None], dict[str, Any]]:
    col = frame["latency_ms"] if "latency_ms" in frame.columns else pd.Series([], dtype=float)
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    ok = values[np.isfinite(values)]
    out: dict[str, float | None] = {}
    for q in options["percentiles"]:
        out[f"latency_p{_fmt(q)}"] = float(np.percentile(ok, q)) if ok.size else None
    out["latency_mean"] = float(ok.mean()) if ok.size else None
    out["latency_missing_share"] = float(1 - ok.size / len(frame)) if len(frame) else None
    return out, {"n_with_latency": int(ok.size)}


register_window_metric(WindowMetric(
    name="latency", fit=lambda _r, _o: None, compute=_compute, keys=_keys,
    options={"percentiles": (50, 95, 99)},
    description="latency percentiles (numpy), mean and share of events without latency"))
