"""A worker for the concurrency test: run in a spawned process, ingest a range of events."""

from __future__ import annotations


def make_event(i: int, *, model: str = "churn") -> dict:
    return {"event_id": f"ev-{i:06d}", "timestamp": f"2026-01-{1 + i % 28:02d}T"
            f"{i % 24:02d}:{i % 60:02d}:00Z", "model": model, "model_version": "v1",
            "segment": f"c{i % 3}", "features": {"x": i * 0.5, "cat": "abc"[i % 3]},
            "outputs": {"prediction": i % 2, "proba": {"0": 0.25, "1": 0.75}},
            "latency_ms": 1.5, "metadata": {"i": i}}


def ingest_range(urls: list[str], lo: int, hi: int, batch: int) -> list[tuple[int, int]]:
    """Ingest events ``lo..hi`` into each store in ``urls``; (accepted, duplicates) per URL."""
    from stalwart.store import open_store
    out = []
    for url in urls:
        accepted = duplicates = 0
        with open_store(url) as store:
            for start in range(lo, hi, batch):
                res = store.ingest_events([make_event(i)
                                           for i in range(start, min(hi, start + batch))])
                accepted += res.accepted
                duplicates += res.duplicates
        out.append((accepted, duplicates))
    return out
