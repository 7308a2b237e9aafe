"""Window metrics: one module per metric, all in :data:`WINDOW_METRICS`.

Built-ins: ``data_drift``, ``data_quality``, ``novelty``, ``prediction``, ``performance``,
``estimated_performance`` (CBPE, classifiers), ``estimated_regression`` (DLE, regressors),
``latency`` and ``kpis`` (user-defined business KPIs, see
:func:`register_kpi`).
"""

from .kpi import KPIS, register_kpi
from .registry import WINDOW_METRICS, WindowMetric, register_window_metric

__all__ = ["KPIS", "WINDOW_METRICS", "WindowMetric", "register_kpi", "register_window_metric"]
