"""A seeded store for the dashboard browser test (and for the screenshot in the docs):
three weeks of a churn model's events whose feature ``x`` shifts in the third week, labels
for half of them, a saved monitor run over every day (windows and alerts), a saved monitor
never run, a stored reference profile, review items, and a feature whose name is markup."""

from __future__ import annotations

import numpy as np

HOSTILE = "<img src=x onerror=alert(1)>"
DAYS, PER_DAY, DRIFT_DAY = 21, 60, 14
RULES = ("drift_share > 0.3", "latency_p99 > 60")


def seed(store) -> dict:
    from stalwart.monitoring import MonitorSpec, Rule, run_monitor
    from stalwart.stats.profile import profile

    rng = np.random.default_rng(11)
    events = []
    for d in range(DAYS):
        shift = 1.5 if d >= DRIFT_DAY else 0.0
        for i in range(PER_DAY):
            x = float(rng.normal(shift, 1.0))
            p1 = float(1 / (1 + np.exp(-x)))
            events.append({
                "event_id": f"churn-{d:02d}-{i:02d}", "model": "churn",
                "model_version": "1" if d < 10 else "2",
                "timestamp": f"2026-03-{d + 1:02d}T{i % 24:02d}:{i:02d}:00Z",
                "features": {"x": round(x, 4),
                             "plan": str(rng.choice(["basic", "pro", "team"],
                                                    p=[0.5, 0.3, 0.2] if d < DRIFT_DAY
                                                    else [0.2, 0.3, 0.5])),
                             HOSTILE: round(float(rng.normal(3, 1)), 4)},
                "outputs": {"prediction": int(p1 > 0.5), "proba": {"0": 1 - p1, "1": p1}},
                "latency_ms": float(rng.gamma(2.0, 6.0 if d < 18 else 12.0))})
    events += [{"event_id": f"fraud-{i}", "model": "fraud", "model_version": "a",
                "timestamp": f"2026-03-{1 + i % 5:02d}T08:00:00Z", "features": {"amount": i},
                "outputs": {"prediction": 0}} for i in range(10)]
    assert store.ingest_events(events).accepted == len(events)
    labels = [{"event_id": e["event_id"],
               "label": int(e["features"]["x"] + rng.normal(0, 0.7) > 0)}
              for e in events[:DAYS * PER_DAY:2]]
    store.add_labels(labels)
    reference = store.events("churn", end="2026-03-08")
    feats = reference[[c for c in reference.columns if c.startswith("features.")]]
    store.save_reference("churn", profile(feats))
    spec = MonitorSpec(name="churn-daily", model="churn", window="1D")
    store.save_monitor("churn-daily", "churn", spec.to_dict())
    idle = MonitorSpec(name="fraud-daily", model="fraud", window="1D")  # never run
    store.save_monitor("fraud-daily", "fraud", idle.to_dict())
    rules = [Rule.parse(RULES[0], severity="critical"), Rule.parse(RULES[1])]
    run = run_monitor(store, spec, reference=reference, start="2026-03-08", rules=rules)
    for event_id, reason in (("churn-20-05", "customer complaint"),
                             ("churn-19-33", "low confidence"),
                             ("churn-16-07", "novel input")):
        store.enqueue_review(event_id, reason)
    return {"run": run, "n_windows": len(run.windows)}
