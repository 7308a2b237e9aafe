"""The scheduler: run every saved monitor whose schedule is due, persisting its state.

A saved monitor (``store.save_monitor(name, model, MonitorSpec(..., schedule=...).to_dict())``)
is **due** when its schedule says so (:mod:`stalwart.monitoring.saved`):

- a period (``"1h"``): it never ran, or ``now`` is at least that long after its last run;
- ``"every N events"``: at least N events of its model arrived after its last evaluated
  window.

Monitors without a schedule run only on demand (:meth:`Scheduler.run_monitor`, the server's
``POST /api/v1/monitors/{name}/run``, ``stalwart monitor run --name``). A due monitor is run
with :func:`~stalwart.monitoring.runner.run_monitor` and ``persist=True``: only complete
windows not yet evaluated, results and state stored, alerts raised and delivered to the saved
channels, triggers run, uncertain events routed to review. One failing monitor never stops the
others: its error is returned in the :class:`SchedulerRun`, kept in its stored state
(``last_error``, until a run succeeds) and the next tick retries it.

Each tick also turns escalations past their SLA into alerts in the store (sent once to the
saved channels, resolved when the escalation is; :meth:`stalwart.rca.EscalationDesk
.raise_sla_alerts`). Each run holds the monitor's lease in the store (:func:`stalwart.store.state.acquire_lease`),
so schedulers in several server workers, hosts or cron jobs sharing one database never run a
monitor twice at once: the others list it as ``busy``. ``run_forever(interval=...)`` ticks in
a daemon thread until :meth:`Scheduler.stop`; ``now`` is explicit everywhere for
deterministic tests (leases use the real clock).

>>> from stalwart.store import open_store
>>> from stalwart.monitoring import MonitorSpec
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": str(i), "timestamp": f"2026-01-01T0{i}:30Z",
...     "model": "m", "model_version": "1", "features": {}, "outputs": {"prediction": 1},
...     "latency_ms": 10.0 * i} for i in range(1, 5)])
>>> _ = store.save_monitor("lat", "m", MonitorSpec(name="lat", model="m", window="1h",
...     metrics=["latency"], schedule="2h").to_dict())
>>> first = run_due(store, now="2026-01-01T03:10Z")
>>> first.ran, [w.n_events for w in first.runs[0].windows]
(('lat',), [1, 1])
>>> run_due(store, now="2026-01-01T04:00Z").ran  # ran 50 minutes ago: not due
()
>>> [w.n_events for w in run_due(store, now="2026-01-01T05:10Z").runs[0].windows]
[1, 1]
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._json import jsonable
from ..exceptions import ParameterError, StageError
from .runner import MonitorRun, load_monitor, run_monitor
from .saved import parse_schedule

__all__ = ["Scheduler", "SchedulerRun", "is_due", "run_due"]

log = logging.getLogger("stalwart.scheduler")
_SLA_LEASE = "escalations:sla"


def _utc(value: Any) -> pd.Timestamp:
    try:
        ts = pd.Timestamp.now(tz="UTC") if value is None else pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = None
    if ts is None or ts is pd.NaT:
        raise ParameterError("now", expected="an ISO-8601 date-time such as "
                             "2026-01-31T12:00:00Z", got=repr(value),
                             fix="pass the time to run as of, or None for now")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


@dataclass(frozen=True)
class SchedulerRun:
    """One tick: the monitors that ran (with their runs), those not due, those ``busy``
    (another runner holds their lease) and the errors (``{monitor: "ErrorType: message"}``)
    of those that failed."""

    at: Any
    runs: tuple[MonitorRun, ...] = ()
    not_due: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)
    busy: tuple[str, ...] = ()
    sla: Any = None  # the escalation desk's SLAAlerts of this tick, when the store has them
    schema_version: str = "1.0"

    @property
    def ran(self) -> tuple[str, ...]:
        return tuple(r.monitor for r in self.runs)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "at": self.at,
                         "ran": list(self.ran), "not_due": list(self.not_due),
                         "busy": list(self.busy), "errors": dict(self.errors),
                         "runs": [r.to_dict() for r in self.runs],
                         "sla": None if self.sla is None else self.sla.to_dict()})


def is_due(store: Any, name: str, schedule: Any, *, now: Any = None) -> bool:
    """Whether the saved monitor ``name`` with ``schedule`` is due at ``now``."""
    every = parse_schedule(schedule)
    if every is None:
        return False
    state = store.monitor_state(name)
    if isinstance(every, pd.Timedelta):
        return state.last_run is None or _utc(now) >= _utc(state.last_run) + every
    model = store.monitor(name).model
    after = state.last_window_end
    frame = store.events(model, start=after, end=_utc(now), with_labels=False,
                         limit=every + 1_000)
    if after is not None and len(frame):
        frame = frame[pd.to_datetime(frame["timestamp"], utc=True) > _utc(after)]
    return len(frame) >= every


class Scheduler:
    """Runs the store's saved monitors when due (see the module docstring)."""

    def __init__(self, store: Any, *, lease_seconds: float = 600.0) -> None:
        self.store = store
        self.lease_seconds = lease_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: SchedulerRun | None = None

    def run_monitor(self, name: str, *, now: Any = None) -> MonitorRun:
        """Run one saved monitor now (due or not), persisting its state.

        Raises :class:`~stalwart.exceptions.StageError` when another runner (a scheduler in
        another process or host) holds the monitor's lease."""
        run = self._try_run(name, _utc(now))
        if run is None:
            raise StageError(f"monitor {name!r} is being run by another scheduler (its "
                             "lease is taken); retry when that run has finished")
        return run

    def _try_run(self, name: str, at: pd.Timestamp) -> MonitorRun | None:
        """The run, or None when another runner holds the lease."""
        with self._lock:  # a tick and an on-demand run never evaluate a window twice
            if not self.store.acquire_lease(name, self.owner, seconds=self.lease_seconds):
                return None
            try:
                return run_monitor(self.store, name, persist=True, now=at)
            finally:
                self.store.release_lease(name, self.owner)

    def run_due(self, *, now: Any = None) -> SchedulerRun:
        """Run every due saved monitor once; errors are recorded, never raised."""
        at = _utc(now)
        runs: list[MonitorRun] = []
        not_due: list[str] = []
        busy: list[str] = []
        errors: dict[str, str] = {}
        for record in self.store.monitors():
            name = record.name
            try:
                spec = load_monitor(self.store, name)
                if not is_due(self.store, name, spec.schedule, now=at):
                    not_due.append(name)
                    continue
                run = self._try_run(name, at)
                if run is None:
                    busy.append(name)  # another runner has it: not an error of the monitor
                else:
                    runs.append(run)
            except Exception as exc:  # noqa: BLE001 - one monitor must not stop the others
                errors[name] = f"{type(exc).__name__}: {exc}"
                log.warning("monitor %r failed: %s", name, errors[name])
                self._record_error(name, at, errors[name])
        sla = self._sla_alerts(at, errors)
        self.last = SchedulerRun(at, tuple(runs), tuple(not_due), errors, tuple(busy), sla)
        return self.last

    def _sla_alerts(self, at: pd.Timestamp, errors: dict[str, str]) -> Any:
        """Escalations past their SLA become alerts (sent once) on every tick, under a
        lease so several schedulers on one database never notify twice."""
        if not callable(getattr(self.store, "escalations", None)):
            return None  # a store without escalation support (not a stalwart Store)
        from ..rca.desk import EscalationDesk  # rca sits beside monitoring: import late

        if not self.store.acquire_lease(_SLA_LEASE, self.owner, seconds=self.lease_seconds):
            return None
        try:
            return EscalationDesk(self.store).raise_sla_alerts(at.to_pydatetime())
        except Exception as exc:  # noqa: BLE001 - a broken channel must not stop the ticks
            errors[_SLA_LEASE] = f"{type(exc).__name__}: {exc}"
            log.warning("escalation SLA check failed: %s", errors[_SLA_LEASE])
            return None
        finally:
            self.store.release_lease(_SLA_LEASE, self.owner)

    def _record_error(self, name: str, at: pd.Timestamp, error: str) -> None:
        """Keep the failure in the monitor's state (``last_error``) until a run succeeds."""
        try:
            state = self.store.monitor_state(name).state
            self.store.save_monitor_state(name, {**state, "last_error": {
                "at": at.isoformat(), "error": error}})
        except Exception:  # noqa: BLE001 - the store itself may be what failed
            log.exception("could not record the failure of monitor %r", name)

    def run_forever(self, *, interval: float) -> threading.Thread:
        """Tick every ``interval`` seconds in a daemon thread (returned) until :meth:`stop`."""
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) \
                or not interval > 0:
            raise ParameterError("schedule interval", expected="seconds > 0",
                                 got=repr(interval), fix="pass interval=60")
        if self._thread is not None and self._thread.is_alive():
            raise ParameterError("scheduler", expected="one running loop",
                                 got="run_forever() already running",
                                 fix="call stop() before starting it again")
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.run_due()
                except Exception:  # noqa: BLE001 - e.g. the database is briefly unreachable
                    log.exception("scheduler tick failed")
                self._stop.wait(float(interval))

        self._thread = threading.Thread(target=loop, name="stalwart-scheduler", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, *, timeout: float | None = 30.0) -> None:
        """Stop the loop after the monitor it is running, and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def run_due(store: Any, *, now: Any = None) -> SchedulerRun:
    """Run every saved monitor of ``store`` that is due at ``now`` (default: the time now)."""
    return Scheduler(store).run_due(now=now)
