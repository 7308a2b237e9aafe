"""The demo's production story: replay six weeks of traffic into the store, monitor it daily,
raise the alerts, and say which fault each alert caught (and which alerts caught nothing).

The replay goes through the same calls a deployment makes: events and delayed labels are
ingested into the store (idempotent by event id, so running the demo twice stores nothing
twice), the model and its reference profile are registered, a daily monitor is saved and
evaluated on every day after the reference period, and its alerts are kept in the store,
where the server's API and dashboard read them.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._json import jsonable
from ..monitoring import MonitorSpec, ReviewPolicy, Rule, run_monitor
from ..stats.profile import profile
from .traffic import (DAYS, FAULTS, LABEL_DELAY_DAYS, MODEL_NAME, REFERENCE_DAYS, START,
                      simulate_traffic)

__all__ = ["MONITOR_NAME", "RULES", "Detection", "ProductionReplay", "monitor_spec",
           "replay_production"]

MONITOR_NAME = "diabetes-daily"
METRICS = ("data_drift", "data_quality", "data_changes", "novelty", "prediction",
           "performance", "estimated_performance", "latency")
#: the demo's alert rules: what a team would page on, with the reason in the name
RULES: tuple[Rule, ...] = (
    Rule.parse("unit_changes >= 1", name="unit change", severity="critical"),
    Rule.parse("schema_changes >= 1", name="schema change", severity="critical"),
    Rule.parse("new_category_share > 0.02", name="new categories", severity="warning"),
    Rule.parse("drift_alarm >= 1", name="feature drift", severity="warning"),
    Rule.parse("novel_p_value < 0.0001", name="unusual inputs", severity="warning"),
    Rule.parse("prediction_drift_p_value < 0.0001", name="prediction drift",
               severity="warning"),
    Rule.parse("accuracy < 0.6", name="accuracy drop", severity="critical"),
    Rule.parse("estimated_accuracy < 0.65", name="estimated accuracy drop",
               severity="warning"),
    Rule.parse("latency_p99 > 15", name="slow predictions", severity="critical"),
)
#: unlabelled predictions this close to the 0.5 cut-off go to a person
REVIEW = ReviewPolicy(max_proba_below=0.55)
#: retraining is requested when most features have drifted for three days in a row
RETRAIN_CONDITION = "drift_share > 0.5"
RETRAIN_WINDOWS = 3
# the retraining "job" of the demo: it files the alert context as a request in a folder
_FILE_REQUEST = ("import json, pathlib, sys; ctx = json.load(sys.stdin); "
                 "out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True); "
                 "day = str(ctx.get('window_start', 'now'))[:10]; "
                 "(out / f'retrain-{day}.json').write_text(json.dumps(ctx, indent=2))")


@dataclass(frozen=True)
class Detection:
    """For one injected fault: the alerts that fired during it (or the day after)."""

    fault: str
    first_day: int
    last_day: int
    description: str
    alerts: tuple[tuple[int, str], ...]  # (day fired, rule name)

    @property
    def detected(self) -> bool:
        return bool(self.alerts)

    @property
    def delay_days(self) -> int | None:
        return min(d for d, _ in self.alerts) - self.first_day if self.alerts else None


@dataclass(frozen=True)
class ProductionReplay:
    """What the replay stored and raised."""

    model: str
    monitor: str
    n_events: int
    n_labels: int
    n_windows: int
    detections: tuple[Detection, ...]
    false_alarms: tuple[tuple[int, str], ...]  # alerts fired outside every fault's days
    open_alerts: int
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "model": self.model,
            "monitor": self.monitor, "n_events": self.n_events, "n_labels": self.n_labels,
            "n_windows": self.n_windows, "open_alerts": self.open_alerts,
            "false_alarms": [{"day": d, "rule": r} for d, r in self.false_alarms],
            "detections": [{"fault": x.fault, "first_day": x.first_day,
                            "last_day": x.last_day, "description": x.description,
                            "detected": x.detected, "delay_days": x.delay_days,
                            "alerts": [{"day": d, "rule": r} for d, r in x.alerts]}
                           for x in self.detections]})


def _day_of(when: Any) -> int:
    stamp = pd.Timestamp(when)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int((stamp - pd.Timestamp(START)) / pd.Timedelta(days=1))


def monitor_spec(requests_dir: Path | None = None) -> MonitorSpec:
    """The demo's saved monitor: daily windows after the reference period, the alert rules,
    review routing, and (with ``requests_dir``) a retraining trigger that files a request
    there."""
    analysis_start = START + dt.timedelta(days=REFERENCE_DAYS)
    triggers = [] if requests_dir is None else [{
        "name": "retrain on broad drift", "condition": RETRAIN_CONDITION,
        "windows": RETRAIN_WINDOWS,
        "action": {"type": "command",
                   "argv": [sys.executable, "-c", _FILE_REQUEST, str(requests_dir)]}}]
    return MonitorSpec(name=MONITOR_NAME, model=MODEL_NAME, window="1D", metrics=list(METRICS),
                       reference={"start": START.isoformat(),
                                  "end": analysis_start.isoformat()},
                       rules=[r.to_dict() for r in RULES], triggers=triggers, review=REVIEW)


def replay_production(store: Any, model: Any, pool: pd.DataFrame, *, features: list[str],
                      train: pd.DataFrame, per_day: int = 240, random_state: int = 0,
                      requests_dir: Path | None = None,
                      echo: Callable[[str], Any] = print) -> ProductionReplay:
    """Replay the traffic of :mod:`stalwart.demo.traffic` for ``model`` (a fitted classifier
    with ``predict_proba``) into ``store``, monitor it and return what was caught
    (``requests_dir``: where the retraining trigger files its requests; None: no trigger)."""
    store.register_model(MODEL_NAME, description="logistic regression on the diabetes study")
    store.register_version(MODEL_NAME, "1", metadata={"trained_rows": len(train)})
    store.save_reference(MODEL_NAME, profile(train[features]))
    n_events = n_labels = 0
    for day in simulate_traffic(model.predict_proba, pool, features=features,
                                per_day=per_day, random_state=random_state):
        n_events += store.ingest_events(day.events).accepted
        n_labels += store.add_labels(day.labels).accepted if day.labels else 0
    echo(f"production: {DAYS} days of traffic for {MODEL_NAME} replayed into {store.url}: "
         f"{n_events} new events, {n_labels} new labels (they arrive {LABEL_DELAY_DAYS} "
         "days late)")

    analysis_start = START + dt.timedelta(days=REFERENCE_DAYS)
    end = START + dt.timedelta(days=DAYS)
    n_windows = len(store.window_results(MONITOR_NAME))
    if n_windows:
        echo(f"monitor {MONITOR_NAME!r} was evaluated before ({n_windows} windows in the "
             "store): its alerts are read back, not raised twice")
    else:
        spec = monitor_spec(requests_dir)
        store.save_monitor(MONITOR_NAME, MODEL_NAME, spec.to_dict())
        # the saved monitor, by name: fitted on its reference period, state persisted, as
        # the scheduler (stalwart serve, stalwart monitor run) will run it from now on
        run = run_monitor(store, MONITOR_NAME, start=analysis_start, now=end)
        n_windows = len(run.windows)
        for trig in run.trigger_runs:
            echo(f"retraining trigger {trig.trigger!r} ran ({'ok' if trig.ok else 'FAILED'})"
                 f" on {str((trig.context or {}).get('window_start', ''))[:10]}"
                 + (f": request filed in {requests_dir}" if trig.ok else
                    f": {trig.error or trig.stderr_tail}"))
        queued = run.review.get("queued", 0)
        echo(f"review queue: {queued} unlabelled predictions with P(top class) < "
             f"{REVIEW.max_proba_below} wait for a person")

    # an alert's first_seen is the end of the window that fired it
    fired = sorted((_day_of(a.first_seen) - 1, a.rule)
                   for a in store.alerts(monitor=MONITOR_NAME))
    detections = []
    for fault in FAULTS:
        # an alert fired on the fault's days, or on the day after (labels arrive late,
        # and a window ending at midnight reports the day before)
        caught = tuple((d, r) for d, r in fired if fault.first_day <= d <= fault.last_day + 1)
        detections.append(Detection(fault.name, fault.first_day, fault.last_day,
                                    fault.description, caught))
    explained = {a for x in detections for a in x.alerts}
    false_alarms = tuple(a for a in fired if a not in explained)
    open_alerts = len([a for a in store.alerts(monitor=MONITOR_NAME) if a.status == "open"])
    replay = ProductionReplay(MODEL_NAME, MONITOR_NAME, n_events, n_labels, n_windows,
                              tuple(detections), false_alarms, open_alerts)
    _echo_summary(replay, echo)
    return replay


def _echo_summary(replay: ProductionReplay, echo: Callable[[str], Any]) -> None:
    echo(f"monitor {replay.monitor!r}: {replay.n_windows} daily windows after a "
         f"{REFERENCE_DAYS}-day reference period; alerts:")
    for x in replay.detections:
        day = (START + dt.timedelta(days=x.first_day)).date()
        if x.detected:
            rules = ", ".join(sorted({r for _, r in x.alerts}))
            echo(f"  day {x.first_day} ({day}) {x.fault}: caught after {x.delay_days} "
                 f"day(s) by {rules}")
        else:
            echo(f"  day {x.first_day} ({day}) {x.fault}: NOT caught")
    echo(f"  {replay.open_alerts} alert(s) still open at the end of the replay")
    if replay.false_alarms:
        listed = ", ".join(f"day {d} {r}" for d, r in replay.false_alarms)
        echo(f"  alerts on days without an injected fault: {listed}")
    else:
        echo("  no alert on a day without an injected fault")
