"""Window metric ``data_drift``: the univariate drift engine on the feature columns, with an
alarm budget over the windows.

Each window is compared with the reference by a fitted
:class:`stalwart.drift.univariate.UnivariateDrift` (``drift_share`` = share of features
drifted, ``n_drifted``; per-feature effect sizes and p-values in the details). For the alarm,
the window's p-value is the Bonferroni minimum ``min(1, m * min_j p_j)`` over the ``m``
tested features (valid whatever their dependence), and it is fed to a
:class:`stalwart.drift.sequential.AlarmBudget`: ``drift_alarm`` is 1 when the budget says
alarm, so over a stream that never changes P(any false alarm) <= ``alarm_rate`` (open-ended
alpha spending; with ``alarm_horizon=N``: per block of N windows). Windows with fewer than
``min_events`` events are not tested (no budget spent).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"features.x": rng.normal(size=500)})
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> m = WINDOW_METRICS.get("data_drift")
>>> opts = m.resolve({})
>>> state, run = m.fit(ref, opts), {}
>>> out, _ = m.compute(state, pd.DataFrame({"features.x": rng.normal(2, 1, 300)}), opts, run)
>>> out["drift_share"], out["drift_alarm"]
(1.0, 1.0)
"""

from __future__ import annotations

from typing import Any

from ...drift.sequential import AlarmBudget
from ...drift.univariate import UnivariateDrift
from ...exceptions import DataError
from ._columns import FEATURE, feature_columns, require_reference
from .registry import WindowMetric, register_window_metric

__all__ = ["KEYS"]

KEYS = ("drift_share", "n_drifted", "drift_p_value", "drift_alarm")


def _strip(frame: Any, columns: list[str]) -> Any:
    return frame[columns].rename(columns=lambda c: c[len(FEATURE):])


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "data_drift")
    cols = feature_columns(ref)
    if not cols:
        raise DataError("reference", expected="feature columns named 'features.<name>'",
                        got=f"columns {list(ref.columns)[:10]}",
                        fix="pass the events frame as the store returns it")
    detector = UnivariateDrift(method=options["method"], correction=options["correction"],
                               alpha=options["alpha"],
                               columns=[c[len(FEATURE):] for c in cols])
    return {"columns": cols, "detector": detector.fit(_strip(ref, cols))}


def _budget(options: dict[str, Any], run: dict[str, Any]) -> AlarmBudget:
    if "budget" not in run:
        run["budget"] = AlarmBudget(rate=options["alarm_rate"],
                                    horizon=options["alarm_horizon"],
                                    consecutive=options["consecutive"]).reset()
    return run["budget"]


def _compute(state: dict[str, Any], frame: Any, options: dict[str, Any],
             run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    budget = _budget(options, run)
    if len(frame) < options["min_events"]:
        budget.update(None, note=f"{len(frame)} events < min_events={options['min_events']}")
        return (dict.fromkeys(KEYS),
                {"alarm": budget.decisions[-1].to_dict()})
    present = [c for c in state["columns"] if c in frame.columns]
    report = state["detector"].detect(_strip(frame, present))
    tested = [c for c in report.columns if c.tested]
    p_values = [c.p_value for c in report.columns if c.p_value is not None]
    n_drifted = sum(bool(c.drifted) for c in report.columns)
    p_window = min(1.0, len(p_values) * min(p_values)) if p_values else None
    budget.update(p_window, note="no feature could be tested")
    decision = budget.decisions[-1]
    features = {c.column: {"method": c.method, "p_value": c.p_value,
                           "adjusted_p_value": c.adjusted_p_value,
                           "effect_name": c.effect_name, "effect_size": c.effect_size,
                           "drifted": c.drifted, "note": c.note} for c in report.columns}
    metrics = {"drift_share": n_drifted / len(tested) if tested else None,
               "n_drifted": float(n_drifted), "drift_p_value": p_window,
               "drift_alarm": 1.0 if decision.alarm else 0.0}
    return metrics, {"features": features, "drifted": list(report.drifted),
                     "alarm": decision.to_dict(), "guarantee": budget.guarantee}


register_window_metric(WindowMetric(
    name="data_drift", fit=_fit, compute=_compute, keys=lambda _s, _o: KEYS,
    needs_reference=True,
    options={"method": "auto", "correction": "bh", "alpha": 0.05, "alarm_rate": 0.05,
             "alarm_horizon": None, "consecutive": 1, "min_events": 30},
    description="univariate drift of the features; alarm within a false-alarm budget"))
