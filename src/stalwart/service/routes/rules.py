"""The hot-fix rule layer of a model: save a new version (admin), read it and its versions
and counters (read), and apply it to a batch (ingest) for serving stacks that are not Python.

A saved document is checked with :meth:`RuleSet.from_dict`: ids, conditions (parsed against
the whitelist of the condition language), actions, owners, dates. What needs data is checked
when the rules are applied: a condition naming a column the rows do not have, an override
to a class the probabilities do not name; such a batch is a 400 and nothing is counted.

The store numbers the versions (1, 2, ...): the ``version`` of a document sent is ignored,
and every document read back carries the store's version.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query

from ..._json import jsonable
from ...exceptions import DataError
from ...lifecycle.rules import RuleApplication, RuleSet
from ...store import Store
from ..deps import get_store, require_scope
from ..schemas import RuleSetIn, RulesApplyIn
from .events import FastJSONRoute

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["rules"], route_class=FastJSONRoute)


def _document(record: Any) -> dict[str, Any]:
    """A stored rule set as served: the document under the store's version number."""
    return {"model": record.model, "version": record.version,
            "created_at": jsonable(record.created_at), "created_by": record.created_by,
            "note": record.note, "document": {**record.document, "version": record.version}}


def _saved(store: Store, model: str, version: int | None) -> Any:
    try:
        return store.rule_set(model, version=version)
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None


@router.put("/models/{model}/rules", summary="Save a rule set document as a new version")
def save_rules(model: str, body: RuleSetIn,
               note: str | None = Query(None, max_length=2000, description="Why it changed."),
               store: Store = Depends(get_store),
               principal: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    """400 with the reason for an invalid document (nothing stored); the document stored is
    the validated one (``RuleSet.to_dict()``)."""
    rules = RuleSet.from_dict(body.model_dump(exclude_none=True))
    record = store.save_rule_set(model, rules.to_dict(), by=principal, note=note)
    return _document(record)


@router.get("/models/{model}/rules", summary="The latest rule set (or a given version)")
def get_rules(model: str, version: int | None = Query(None, ge=1, le=2**31 - 1),
              store: Store = Depends(get_store),
              _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return _document(_saved(store, model, version))


@router.get("/models/{model}/rules/versions", summary="Every saved version, oldest first")
def rule_versions(model: str, store: Store = Depends(get_store),
                  _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    return {"model": model, "versions": [
        {"version": r.version, "created_at": jsonable(r.created_at),
         "created_by": r.created_by, "note": r.note,
         "n_rules": len(r.document.get("rules", []))} for r in store.rule_sets(model)]}


@router.get("/models/{model}/rules/counters", summary="Hit counters of the model's rules")
def rule_counters(model: str, store: Store = Depends(get_store),
                  _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    """Running totals per rule id; the rules of the latest version that never fired are
    listed with zeros, and ``current`` says whether a rule is in the latest version."""
    stored = {c.rule_id: c.to_dict() for c in store.rule_counters(model)}
    sets = store.rule_sets(model)
    current = [r.get("id") for r in sets[-1].document.get("rules", [])] if sets else []
    for rule_id in current:
        stored.setdefault(rule_id, {"model": model, "rule_id": rule_id, "hits": 0,
                                    "changed": 0, "rejected": 0, "routed": 0,
                                    "last_hit_at": None})
    counters = [{**stored[k], "current": k in current} for k in sorted(stored)]
    return {"model": model, "ruleset_version": sets[-1].version if sets else None,
            "counters": counters}


def _proba(body: RulesApplyIn) -> tuple[Any, list[Any] | None]:
    """The probabilities as ``RuleSet.apply`` takes them: a frame whose columns are the
    classes (from ``{class: [...]}``), or the rows with ``classes``."""
    if isinstance(body.proba, dict):
        lengths = {len(v) for v in body.proba.values()}
        if len(lengths) > 1 or (lengths and lengths != {len(body.rows)}):
            raise DataError("proba", expected=f"one list of {len(body.rows)} probabilities "
                            "per class", got=f"lists of lengths {sorted(lengths)}",
                            fix="send one probability per row for every class")
        return pd.DataFrame(body.proba), body.classes
    if body.proba is not None and len({len(r) for r in body.proba}) > 1:
        raise DataError("proba", expected="rows of equal length (one per class)",
                        got="rows of different lengths", fix="send one value per class")
    return body.proba, body.classes


def _queue(store: Store, app: RuleApplication, event_ids: list[str | None] | None
           ) -> dict[str, Any]:
    """Queue the routed rows that carry an event id; the reason names the rule."""
    items = [{"event_id": event_ids[i], "reason": f"rule {app.fired[i]}"}
             for i in app.routed if event_ids is not None and event_ids[i] is not None]
    outcomes = store.enqueue_reviews(items) if items else ()
    counts = {s: sum(o.status == s for o in outcomes)
              for s in ("queued", "already_open", "refused")}
    return {**counts, "without_event_id": len(app.routed) - len(items),
            "items": [o.to_dict() for o in outcomes]}


@router.post("/models/{model}/rules/apply", summary="Apply the rule layer to a batch; the "
                                                    "hits are added to the counters")
def apply_rules(model: str, body: RulesApplyIn, store: Store = Depends(get_store),
                _: str = Depends(require_scope("ingest"))) -> dict[str, Any]:
    """The final output of each row, the rule that decided it, the changed / routed /
    rejected rows and the hit counts of this batch (added to the stored counters); routed
    rows with an event id are queued for review. A ``reject and raise`` rule's rows are
    listed in ``rejected`` like the others: the caller decides to raise."""
    n = len(body.rows)
    if body.event_ids is not None and len(body.event_ids) != n:
        raise DataError("event_ids", expected=f"one per row ({n}), null where none",
                        got=f"{len(body.event_ids)}", fix="align event_ids with rows")
    record = _saved(store, model, body.version)
    rules = RuleSet.from_dict({**record.document, "version": record.version})
    proba, classes = _proba(body)
    predictions = np.array(body.predictions, dtype=object)
    if len(body.predictions) and all(isinstance(p, (int, float)) and not isinstance(p, bool)
                                     for p in body.predictions):
        predictions = np.asarray(body.predictions)  # numbers compare as numbers
    app = rules.apply(pd.DataFrame(body.rows), predictions, proba, classes=classes,
                      now=body.now)
    hits = {rid: c for rid, c in app.counts.items() if c["hits"]}
    counters = store.add_rule_hits(model, hits) if hits else ()
    out = app.to_dict()
    out["model"] = model
    out["review"] = _queue(store, app, body.event_ids)
    out["counters"] = [c.to_dict() for c in counters]
    return out
