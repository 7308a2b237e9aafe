"""``Store.events(..., newest_first=True)`` reads the last ``limit`` events of a range (in
time order), and root-cause analysis reads the events nearest to the escalated prediction
when its window holds more than its cap."""

from __future__ import annotations

import datetime as dt

import pandas as pd

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


def _events(n: int) -> list[dict]:
    return [{"event_id": f"e{i:03d}", "timestamp": (T0 + dt.timedelta(hours=i)).isoformat(),
             "model": "m", "model_version": "1", "features": {"x": float(i)},
             "outputs": {"prediction": i % 2}} for i in range(n)]


def test_newest_first_gives_the_last_events_in_time_order(store):
    store.ingest_events(_events(50))
    last = store.events("m", limit=5, newest_first=True)
    assert last["event_id"].tolist() == [f"e{i:03d}" for i in range(45, 50)]
    ranged = store.events("m", start=T0, end=T0 + dt.timedelta(hours=20), limit=3,
                          newest_first=True)
    assert ranged["event_id"].tolist() == ["e017", "e018", "e019"]
    assert store.events("m", limit=3)["event_id"].tolist() == ["e000", "e001", "e002"]
    everything = store.events("m", newest_first=True)
    assert everything["event_id"].tolist() == sorted(everything["event_id"])
    assert everything["timestamp"].is_monotonic_increasing


def test_a_capped_rca_window_reads_the_events_nearest_to_the_prediction(store):
    from stalwart.rca.analysis import production_window
    store.ingest_events(_events(100))
    at = T0 + dt.timedelta(hours=60)
    window, monitoring = production_window(store, "m", at, window=dt.timedelta(days=5),
                                           window_after=dt.timedelta(days=5), max_rows=10,
                                           features=["x"])
    assert window.features["x"].tolist() == [float(i) for i in range(55, 65)]
    assert monitoring["capped"] and window.n_total == 10
    small, _ = production_window(store, "m", at, window=dt.timedelta(hours=3),
                                 window_after=dt.timedelta(hours=2), max_rows=10,
                                 features=["x"])
    assert small.features["x"].tolist() == [57.0, 58.0, 59.0, 60.0, 61.0]
    assert isinstance(small.features, pd.DataFrame)
