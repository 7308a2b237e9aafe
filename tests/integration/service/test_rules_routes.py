"""The rule layer over HTTP (SQLite and PostgreSQL): versioned documents (admin), applied by
the server (ingest) with the stored hit counters exact under a replay of seeded batches
(checked against first-match masks computed with numpy), routed rows queued for review, and
every bad request a 4xx that stores and counts nothing."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from stalwart.service import ServiceSettings, create_app

from .conftest import ADMIN, INGEST, READ, TOKENS

NOW = "2026-02-01"
RULES = {"version": 7, "rules": [
    {"id": "de-large", "condition": 'country == "DE" and amount > 10000',
     "action": "set prediction = 'deny'", "owner": "risk", "reason": "fraud ring",
     "ticket": "RISK-12"},
    {"id": "unsure", "condition": 'prediction == "approve" and proba_approve < 0.7',
     "action": "review", "owner": "ops", "reason": "low-confidence approvals"},
    {"id": "no-email", "condition": "email is missing", "action": "reject", "owner": "ops",
     "reason": "identity"},
    {"id": "stale", "condition": "amount > 0", "action": "set prediction = 'deny'",
     "owner": "risk", "reason": "old incident", "expires": "2026-01-15"}]}


@pytest.fixture
def c(store_url):
    with TestClient(create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)) as client:
        yield client


def _batch(seed: int, n: int) -> dict:
    rng = np.random.default_rng(seed)
    country = rng.choice(["DE", "FR", "IT"], n)
    amount = rng.integers(100, 30_000, n)
    email = np.where(rng.random(n) < 0.1, None, "x@y")
    p = rng.random(n).round(4)
    pred = np.where(p > 0.5, "approve", "deny")
    return {"rows": [{"country": str(a), "amount": int(b), "email": e}
                     for a, b, e in zip(country, amount, email)],
            "predictions": pred.tolist(),
            "proba": {"approve": p.tolist(), "deny": (1 - p).round(4).tolist()},
            "now": NOW}


def _expected(batch: dict) -> tuple[dict, list]:
    """First match wins, by hand: the masks of each rule, its counts, the final outputs."""
    rows = batch["rows"]
    country = np.array([r["country"] for r in rows])
    amount = np.array([r["amount"] for r in rows])
    missing = np.array([r["email"] is None for r in rows])
    pred = np.array(batch["predictions"], dtype=object)
    p = np.array(batch["proba"]["approve"])
    m1 = (country == "DE") & (amount > 10000)
    m2 = ~m1 & (pred == "approve") & (p < 0.7)
    m3 = ~m1 & ~m2 & missing
    counts = {"de-large": {"hits": int(m1.sum()), "changed": int((m1 & (pred != "deny")).sum()),
                           "rejected": 0, "routed": 0},
              "unsure": {"hits": int(m2.sum()), "changed": 0, "rejected": 0,
                         "routed": int(m2.sum())},
              "no-email": {"hits": int(m3.sum()), "changed": 0, "rejected": int(m3.sum()),
                           "routed": 0},
              "stale": {"hits": 0, "changed": 0, "rejected": 0, "routed": 0}}
    final = np.where(m1, "deny", pred).astype(object)
    final[m3] = None
    return counts, final.tolist()


def _versions(c, model="credit") -> list[int]:
    return [v["version"] for v in c.get(f"/api/v1/models/{model}/rules/versions",
                                        headers=READ).json()["versions"]]


def test_documents_are_versioned_by_the_store(c):
    assert c.get("/api/v1/models/credit/rules", headers=READ).status_code == 404
    r = c.put("/api/v1/models/credit/rules", json=RULES, params={"note": "first"},
              headers=ADMIN)
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["version"] == 1 and first["document"]["version"] == 1  # the sent 7 ignored
    assert first["created_by"].startswith("token:") and first["note"] == "first"
    assert [x["id"] for x in first["document"]["rules"]] == [
        "de-large", "unsure", "no-email", "stale"]
    fewer = {"rules": RULES["rules"][:2]}
    assert c.put("/api/v1/models/credit/rules", json=fewer, headers=ADMIN).json()["version"] == 2
    latest = c.get("/api/v1/models/credit/rules", headers=READ).json()
    assert latest["version"] == 2 and len(latest["document"]["rules"]) == 2
    old = c.get("/api/v1/models/credit/rules", params={"version": 1}, headers=READ).json()
    assert old == first
    listed = c.get("/api/v1/models/credit/rules/versions", headers=READ).json()["versions"]
    assert [(v["version"], v["n_rules"], v["note"]) for v in listed] == [
        (1, 4, "first"), (2, 2, None)]
    assert c.get("/api/v1/models/credit/rules", params={"version": 3},
                 headers=READ).status_code == 404
    assert c.put("/api/v1/models/credit/rules", json=RULES, headers=INGEST).status_code == 403


@pytest.mark.parametrize("rule,match", [
    ({"condition": "__import__('os').system('ls') > 0"}, "condition"),
    ({"condition": "x.__class__ == 1"}, "condition"),
    ({"action": "explode"}, "action"),
    ({"action": {"type": "override", "value": "deny", "proba": {"deny": 0.5}}}, "proba"),
    ({"owner": ""}, "owner"),
    ({"expires": "someday"}, "expires"),
])
def test_an_invalid_document_is_a_400_and_nothing_is_stored(c, rule, match):
    c.put("/api/v1/models/credit/rules", json=RULES, headers=ADMIN)
    bad = {"rules": [{**RULES["rules"][0], **rule}]}
    r = c.put("/api/v1/models/credit/rules", json=bad, headers=ADMIN)
    assert r.status_code == 400, r.text
    assert match in r.json()["detail"]
    assert _versions(c) == [1]


def test_duplicate_ids_and_unknown_keys_are_refused(c):
    twice = {"rules": [RULES["rules"][0], RULES["rules"][0]]}
    r = c.put("/api/v1/models/credit/rules", json=twice, headers=ADMIN)
    assert r.status_code == 400 and "each id once" in r.json()["detail"]
    extra = {"rules": [], "owner": "x"}
    assert c.put("/api/v1/models/credit/rules", json=extra, headers=ADMIN).status_code == 422
    assert _versions(c) == []


def test_counters_are_exact_under_a_replay_and_routed_rows_are_queued(c):
    c.put("/api/v1/models/credit/rules", json=RULES, headers=ADMIN)
    store = c.app.state.store
    batches = [_batch(seed, 150) for seed in range(3)]
    ids = [f"b0-{i}" for i in range(150)]
    store.ingest_events([{"event_id": e, "timestamp": "2026-02-01T10:00:00Z",
                          "model": "credit", "model_version": "1",
                          "features": batches[0]["rows"][i],
                          "outputs": {"prediction": batches[0]["predictions"][i]}}
                         for i, e in enumerate(ids)])
    totals = {k: dict.fromkeys(("hits", "changed", "rejected", "routed"), 0)
              for k in ("de-large", "unsure", "no-email", "stale")}
    sent = [(batches[0], ids), (batches[1], None), (batches[2], None), (batches[0], ids)]
    for call, (batch, event_ids) in enumerate(sent):
        body = batch if event_ids is None else {**batch, "event_ids": event_ids}
        r = c.post("/api/v1/models/credit/rules/apply", json=body, headers=INGEST)
        assert r.status_code == 200, r.text
        out = r.json()
        counts, final = _expected(batch)
        assert out["counts"] == counts and out["predictions"] == final
        assert out["active"] == ["de-large", "unsure", "no-email"]
        assert out["expired"] == ["stale"] and out["ruleset_version"] == 1
        n_routed = counts["unsure"]["routed"]
        assert len(out["routed"]) == n_routed > 0 and counts["no-email"]["hits"] > 0
        assert counts["de-large"]["changed"] > 0
        review = out["review"]
        if event_ids is None:
            assert review["without_event_id"] == n_routed and review["items"] == []
        elif call == 0:
            assert (review["queued"], review["refused"]) == (n_routed, 0)
        else:  # the same rows again: their items are open already
            assert (review["queued"], review["already_open"]) == (0, n_routed)
        for rid, cnt in counts.items():
            for key, value in cnt.items():
                totals[rid][key] += value
    counters = c.get("/api/v1/models/credit/rules/counters", headers=READ).json()
    got = {x["rule_id"]: {k: x[k] for k in ("hits", "changed", "rejected", "routed")}
           for x in counters["counters"]}
    assert got == totals and all(x["current"] for x in counters["counters"])
    assert totals["de-large"]["hits"] > 0 and totals["stale"]["hits"] == 0
    queued = c.get("/api/v1/review", params={"limit": 1000}, headers=READ).json()["items"]
    assert len(queued) == _expected(batches[0])[0]["unsure"]["routed"]
    assert {i["reason"] for i in queued} == {"rule unsure"}


def test_both_proba_forms_give_the_same_outputs(c):
    c.put("/api/v1/models/credit/rules", json=RULES, headers=ADMIN)
    batch = _batch(7, 40)
    as_rows = {**batch, "proba": [list(x) for x in zip(batch["proba"]["approve"],
                                                       batch["proba"]["deny"])],
               "classes": ["approve", "deny"]}
    a = c.post("/api/v1/models/credit/rules/apply", json=batch, headers=INGEST).json()
    b = c.post("/api/v1/models/credit/rules/apply", json=as_rows, headers=INGEST).json()
    assert a["predictions"] == b["predictions"] and a["counts"] == b["counts"]
    assert a["classes"] == b["classes"] == ["approve", "deny"]


def test_a_bad_batch_is_refused_and_counts_nothing(c):
    c.put("/api/v1/models/credit/rules", json=RULES, headers=ADMIN)
    c.put("/api/v1/models/typo/rules", json={"rules": [
        {"id": "inc", "condition": "income > 5", "action": "review", "owner": "o",
         "reason": "r"}]}, headers=ADMIN)
    c.put("/api/v1/models/maybe/rules", json={"rules": [
        {"id": "m", "condition": "amount > 5", "action": "set prediction = 'maybe'",
         "owner": "o", "reason": "r"}]}, headers=ADMIN)
    batch = _batch(1, 10)
    url = "/api/v1/models/{}/rules/apply"
    cases = [
        ("typo", batch, 400, "income"),  # the condition names a missing feature
        ("maybe", batch, 400, "classes"),  # the override is no class of the model
        ("credit", {**batch, "predictions": batch["predictions"][:3]}, 400, "one per"),
        ("credit", {**batch, "event_ids": ["a"]}, 400, "event_ids"),
        ("credit", {**batch, "proba": [[0.5, 0.5]] * 10}, 400, "class names"),
        ("credit", {**batch, "proba": {"approve": [0.5], "deny": [0.5] * 10}}, 400, "proba"),
        ("credit", {**batch, "now": "tomorrow"}, 400, "now"),
        ("credit", {**batch, "version": 9}, 404, "version"),
        ("nobody", batch, 404, "no rule set"),
        ("credit", {**batch, "rows": []}, 422, None),
        ("credit", {**batch, "rows": [{"x": {"nested": 1}}]}, 422, None),
    ]
    for model, body, status, match in cases:
        r = c.post(url.format(model), json=body, headers=INGEST)
        assert r.status_code == status, (model, match, r.text)
        if match:
            assert match in r.json()["detail"], (match, r.text)
    for model in ("credit", "typo", "maybe"):
        counters = c.get(f"/api/v1/models/{model}/rules/counters", headers=READ).json()
        assert all(x["hits"] == 0 for x in counters["counters"]), counters
    assert c.get("/api/v1/review", headers=READ).json()["items"] == []
    assert c.post(url.format("credit"), json=batch, headers=READ).status_code == 403
