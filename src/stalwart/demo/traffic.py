"""Six weeks of simulated production traffic for the demo model, with faults on known days.

Each day's patients are drawn from the diabetes study (a bootstrap with a 2% jitter on the
measurements, so no two events are the same row), routed to one of three clinics (the
segment), scored by the model (prediction, class probabilities and latency) and logged as
prediction events; the true outcome arrives as a label ``LABEL_DELAY_DAYS`` later. The
first ``REFERENCE_DAYS`` days are clean: they are the monitor's reference period. Then the
faults of :data:`FAULTS` are injected on their days, each one a thing that happens to
deployed medical models:

>>> [(f.name, f.first_day, f.last_day) for f in FAULTS]  # doctest: +NORMALIZE_WHITESPACE
[('unit_change', 16, 18), ('new_category', 21, 22), ('covariate_shift', 25, 28),
 ('label_shift', 31, 34), ('odd_inputs', 37, 37), ('slow_model', 40, 41)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .data import TARGET

__all__ = ["CLINICS", "DAYS", "FAULTS", "LABEL_DELAY_DAYS", "MODEL_NAME", "REFERENCE_DAYS",
           "START", "Fault", "DayTraffic", "simulate_traffic"]

MODEL_NAME = "diabetes-logreg"
START = dt.datetime(2026, 9, 7, tzinfo=dt.timezone.utc)  # a Monday
DAYS = 42
REFERENCE_DAYS = 14
LABEL_DELAY_DAYS = 7
CLINICS = ("north", "south", "east")
NUMERIC = ("age", "bmi", "bp", "tc", "ldl", "hdl", "tch", "ltg", "glu")


@dataclass(frozen=True)
class Fault:
    """One injected fault: its days (``first_day`` to ``last_day``, counted from START, both
    included) and what a person would be told."""

    name: str
    first_day: int
    last_day: int
    description: str

    def covers(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day


FAULTS: tuple[Fault, ...] = (
    Fault("unit_change", 16, 18, "glucose (glu) arrives in mmol/L instead of mg/dL: an upstream "
          "lab system switched units"),
    Fault("new_category", 21, 22, "sex arrives as 'U' for a quarter of patients: a new "
          "registration form"),
    Fault("covariate_shift", 25, 28, "older, heavier patients from a new clinic ('west'): "
          "covariate shift"),
    Fault("label_shift", 31, 34, "three times the share of high-progression patients: a "
          "referral change (label shift)"),
    Fault("odd_inputs", 37, 37, "a burst of malformed rows: three measurements scaled 3-8x "
          "in 30% of the day's rows"),
    Fault("slow_model", 40, 41, "a slower model server: every prediction takes three times "
          "as long (still going on when the replay ends)"),
)


@dataclass(frozen=True)
class DayTraffic:
    """One day's events (the event contract's dicts) and the labels that arrive for them."""

    day: int
    events: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    faults: tuple[str, ...]


def _weights(pool: pd.DataFrame, day: int) -> np.ndarray:
    w = np.ones(len(pool))
    if FAULTS[2].covers(day):
        z = lambda c: (pool[c] - pool[c].mean()) / pool[c].std()  # noqa: E731
        w = np.exp(1.2 * z("bmi") + 0.8 * z("age")).to_numpy()
    if FAULTS[3].covers(day):
        w = np.where(pool[TARGET].to_numpy() == 1, 3.0, 1.0)
    return w / w.sum()


def _day_rows(pool: pd.DataFrame, day: int, n: int, rng: np.random.Generator) -> pd.DataFrame:
    rows = pool.iloc[rng.choice(len(pool), size=n, p=_weights(pool, day))].reset_index(drop=True)
    for col in NUMERIC:
        rows[col] = rows[col] * (1 + rng.normal(0, 0.02, n))
    rows["age"] = rows["age"].round().clip(18, 90)
    rows[list(NUMERIC[1:])] = rows[list(NUMERIC[1:])].round(2)
    if FAULTS[0].covers(day):
        rows["glu"] = (rows["glu"] / 18.016).round(2)
    if FAULTS[1].covers(day):
        rows.loc[rng.random(n) < 0.25, "sex"] = "U"
    if FAULTS[4].covers(day):
        odd = np.flatnonzero(rng.random(n) < 0.3)
        for i in odd:
            cols = rng.choice(NUMERIC[1:], size=3, replace=False)
            rows.loc[i, list(cols)] = (rows.loc[i, list(cols)] * rng.uniform(3, 8)).round(2)
    clinics = list(CLINICS) + (["west"] if FAULTS[2].covers(day) else [])
    rows["clinic"] = rng.choice(clinics, size=n)
    return rows


def simulate_traffic(predict_proba: Callable[[pd.DataFrame], np.ndarray], pool: pd.DataFrame,
                     *, features: list[str], per_day: int = 240, random_state: int = 0
                     ) -> Iterator[DayTraffic]:
    """Yield :data:`DAYS` days of events scored by ``predict_proba`` (columns ``features``
    of ``pool``; classes 0 and 1), with labels for every day whose labels have arrived by the
    end of the last day. Deterministic for a given ``random_state``."""
    rng = np.random.default_rng(random_state)
    for day in range(DAYS):
        n = int(rng.poisson(per_day))
        rows = _day_rows(pool, day, n, rng)
        proba = np.asarray(predict_proba(rows[features]), dtype=float)
        seconds = np.sort(rng.uniform(0, 86_400, n))
        latency = rng.lognormal(np.log(4.0), 0.35, n) * (3 if FAULTS[5].covers(day) else 1)
        day_start = START + dt.timedelta(days=day)
        events, labels = [], []
        labelled = day + LABEL_DELAY_DAYS < DAYS
        records = rows[features].to_dict("records")
        for i in range(n):
            event_id = f"demo-d{day:02d}-{i:04d}"
            when = day_start + dt.timedelta(seconds=float(seconds[i]))
            events.append({
                "event_id": event_id, "timestamp": when.isoformat(), "model": MODEL_NAME,
                "model_version": "1", "segment": rows.at[i, "clinic"],
                "features": records[i],
                "outputs": {"prediction": int(proba[i, 1] >= 0.5),
                            "proba": {"0": float(proba[i, 0]), "1": float(proba[i, 1])}},
                "latency_ms": round(float(latency[i]), 3)})
            if labelled:
                labels.append({"event_id": event_id, "label": int(rows.at[i, TARGET]),
                               "timestamp": (when + dt.timedelta(days=LABEL_DELAY_DAYS)
                                             ).isoformat()})
        yield DayTraffic(day, events, labels, tuple(f.name for f in FAULTS if f.covers(day)))
