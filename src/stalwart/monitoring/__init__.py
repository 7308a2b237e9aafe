"""Production monitoring: the logging client, windows and their metrics, alerts.

- :class:`Monitor` logs predictions in-process with background batching to a sink (the
  server over HTTP, a store, memory), never blocking the caller and never dropping what it
  accepted (a spill file holds what could not be sent); ``monitor.wrap(model)`` logs every
  prediction with its latency;
- :class:`MonitorSpec` declares what a monitor computes per window (drift, quality, novelty,
  prediction distribution, performance with or without labels, latency, business KPIs);
  :func:`evaluate_windows` computes it over a frame of logged events, and
  :func:`run_monitor` runs it against the store (windows stored, alerts kept, notified;
  a saved monitor's alert and trigger state persisted between runs), and the
  :class:`Scheduler` runs every saved monitor when its schedule is due; a
  :class:`ReviewPolicy` routes uncertain predictions to the human review queue;
- :mod:`stalwart.monitoring.alerts`: rules on window metrics, deduplicated alerts, channels
  (log, webhook, e-mail) and retraining triggers;
- what the dashboard reads: :func:`models_overview` (per-model aggregates),
  :func:`review_queue` (items with their events) and :func:`feature_distribution` (one
  feature's reference against current data, with its drift test).

The store (:mod:`stalwart.store`) and the server (:mod:`stalwart.service`) live beside it.
"""

from .alerts import (CHANNELS, AlertEngine, AlertEvents, CommandAction, EmailChannel,
                     LogChannel, Notification, RetrainTrigger, Rule, WebhookAction,
                     WebhookChannel, dispatch)
from .client import Monitor
from .distributions import FeatureDistribution, feature_distribution, model_features
from .evaluate import evaluate_window, evaluate_windows
from .metrics import KPIS, WINDOW_METRICS, WindowMetric, register_kpi, register_window_metric
from .private_release import release_window
from .overview import (ModelSummary, ModelsOverview, ReviewEntry, models_overview,
                       review_queue)
from .result import WindowResult
from .review import ReviewPolicy
from .runner import MonitorRun, run_monitor
from .scheduler import Scheduler, SchedulerRun, run_due
from .sinks import HttpSink, MemorySink, StoreSink
from .spec import DEFAULT_METRICS, FittedMonitor, MonitorSpec
from .windows import assign_windows
from .wrap import MonitoredModel

__all__ = [
    "AlertEngine",
    "AlertEvents",
    "CHANNELS",
    "CommandAction",
    "DEFAULT_METRICS",
    "EmailChannel",
    "FeatureDistribution",
    "FittedMonitor",
    "HttpSink",
    "KPIS",
    "LogChannel",
    "MemorySink",
    "ModelSummary",
    "ModelsOverview",
    "Monitor",
    "MonitorRun",
    "MonitorSpec",
    "MonitoredModel",
    "Notification",
    "RetrainTrigger",
    "ReviewEntry",
    "ReviewPolicy",
    "Rule",
    "Scheduler",
    "SchedulerRun",
    "StoreSink",
    "WINDOW_METRICS",
    "WebhookAction",
    "WebhookChannel",
    "WindowMetric",
    "WindowResult",
    "assign_windows",
    "dispatch",
    "evaluate_window",
    "evaluate_windows",
    "feature_distribution",
    "model_features",
    "models_overview",
    "register_kpi",
    "register_window_metric",
    "release_window",
    "review_queue",
    "run_due",
    "run_monitor",
]
