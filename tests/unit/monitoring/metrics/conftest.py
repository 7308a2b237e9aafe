"""Synthetic events frames, shaped as the store returns them, for the window-metric tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

START = pd.Timestamp("2026-03-01", tz="UTC")


def make_events(rng: np.random.Generator, n: int, *, day: int = 0, shift: float = 0.0,
                start: pd.Timestamp = START, model: str = "churn",
                labelled: float = 1.0) -> pd.DataFrame:
    """``n`` events of one day: x1, x2 numeric, c categorical; a calibrated binary model
    P(y=1) = sigmoid(1.5 x1 - x2); ``shift`` moves x1 (covariate shift)."""
    x1 = rng.normal(shift, 1.0, n)
    x2 = rng.normal(0.0, 1.0, n)
    c = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    p = 1 / (1 + np.exp(-(1.5 * x1 - x2)))
    y = (rng.uniform(size=n) < p).astype(int)
    label = np.where(rng.uniform(size=n) < labelled, y.astype(float), np.nan)
    ts = start + pd.Timedelta(days=day) + pd.to_timedelta(np.sort(rng.uniform(0, 86_399, n)),
                                                          unit="s")
    return pd.DataFrame({
        "event_id": [f"{model}-{day}-{i}" for i in range(n)], "timestamp": ts, "model": model,
        "model_version": "1", "segment": rng.choice(["s1", "s2"], n),
        "latency_ms": rng.lognormal(3.0, 0.5, n), "label": label,
        "features.x1": x1, "features.x2": x2, "features.c": c,
        "outputs.proba.0": 1 - p, "outputs.proba.1": p,
        "outputs.prediction": (p >= 0.5).astype(int)})


def make_stream(seed: int, days: int, per_day: int, *, shift_day: int | None = None,
                shift: float = 1.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = [make_events(rng, per_day, day=d,
                         shift=shift if shift_day is not None and d >= shift_day else 0.0)
             for d in range(days)]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture
def reference() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return make_events(rng, 2000, day=-7)


@pytest.fixture
def stream_factory():
    return make_stream


@pytest.fixture
def events_factory():
    return make_events
