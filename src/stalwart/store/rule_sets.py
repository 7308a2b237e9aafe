"""Versioned hot-fix rule sets of a model, and the rules' hit counters.

Each save of a model's rule layer is a new version (1, 2, ...); older versions stay
readable, so what was applied when can be shown. The document is stored as given: the rule
library (:mod:`stalwart.lifecycle`) owns its format; here it only has to be a JSON object.

Hit counters are running totals per rule: ``add_rule_hits`` adds to them atomically with
``INSERT ... ON CONFLICT DO UPDATE SET hits = hits + excluded.hits`` (one statement per
batch, rows in rule order), so concurrent writers on PostgreSQL and SQLite never lose a hit.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> store.save_rule_set("churn", {"rules": []}).version
1
>>> store.save_rule_set("churn", {"rules": [{"id": "r1"}]}, by="ana", note="ticket 42").version
2
>>> store.rule_set("churn").document, store.rule_set("churn", version=1).document
({'rules': [{'id': 'r1'}]}, {'rules': []})
>>> _ = store.add_rule_hits("churn", {"r1": {"hits": 3, "changed": 2}})
>>> c = store.add_rule_hits("churn", {"r1": {"hits": 1, "rejected": 1}})[0]
>>> (c.rule_id, c.hits, c.changed, c.rejected, c.routed)
('r1', 4, 2, 1, 0)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON
from ..exceptions import DataError, ParameterError
from .dialect import dialect_insert, rows_where_in
from .engine import utcnow, writing
from .events import to_utc
from .monitors import aware
from .references import _name
from .schema import RuleCounter, RuleSet

__all__ = ["COUNTER_FIELDS", "RuleCounterRecord", "RuleSetRecord", "add_rule_hits",
           "json_value", "rule_counters", "rule_set", "rule_sets", "save_rule_set"]

#: the counters of a rule; ``changed``, ``rejected`` and ``routed`` each count hits
COUNTER_FIELDS = ("hits", "changed", "rejected", "routed")


@dataclass(frozen=True)
class RuleSetRecord(FieldsJSON):
    model: str
    version: int
    document: dict[str, Any]
    created_at: dt.datetime
    created_by: str | None
    note: str | None


@dataclass(frozen=True)
class RuleCounterRecord(FieldsJSON):
    model: str
    rule_id: str
    hits: int
    changed: int
    rejected: int
    routed: int
    last_hit_at: dt.datetime | None


def _strict(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_value(value: Any, what: str, *, object_only: bool = False) -> Any:
    """``value`` as it will read back from the database: plain JSON (numpy scalars and
    datetimes converted), refusing what JSON cannot hold instead of storing a lossy copy
    (``stalwart._json.jsonable`` would turn NaN into null and objects into strings)."""
    if object_only and not isinstance(value, Mapping):
        raise ParameterError(what, expected="a JSON object (a dict)", got=type(value).__name__,
                             fix=f"pass {what} as a dict")
    try:
        return json.loads(json.dumps(value, allow_nan=False, default=_strict))
    except (TypeError, ValueError) as exc:
        raise ParameterError(what, expected="JSON-safe values (str, finite numbers, bool, "
                             "None, lists and dicts with string keys)", got=str(exc)[:120],
                             fix="convert the value, e.g. with result.to_dict()") from None


def _rule_set(row: Any) -> RuleSetRecord:
    return RuleSetRecord(row.model, row.version, row.document, aware(row.created_at),
                         row.created_by, row.note)


def save_rule_set(engine: Engine, model: str, document: Mapping[str, Any], *,
                  by: str | None = None, note: str | None = None) -> RuleSetRecord:
    """Store ``document`` as the next version of ``model``'s rule set (1 for the first)."""
    _name(model, "model name")
    doc = json_value(document, "rule set document", object_only=True)
    if by is not None:
        _name(by, "by (who saved it)")
    if note is not None and not isinstance(note, str):
        raise ParameterError("note", expected="a string or None", got=type(note).__name__,
                             fix="pass note='why'")
    r = RuleSet.__table__
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE already serialises
            # two savers would both read the same max(version): take turns per model
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                         {"k": f"stalwart.rule_set:{model}"})
        last = conn.execute(sa.select(sa.func.max(r.c.version)).where(r.c.model == model)
                            ).scalar_one_or_none()
        version = 1 if last is None else int(last) + 1
        conn.execute(r.insert().values(model=model, version=version, document=doc,
                                       created_at=utcnow(), created_by=by, note=note))
        row = conn.execute(sa.select(r).where(r.c.model == model, r.c.version == version)).one()
    return _rule_set(row)


def rule_set(engine: Engine, model: str, *, version: int | None = None) -> RuleSetRecord:
    """The latest rule set of ``model``, or the given ``version``."""
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ParameterError("rule set version", expected="an integer >= 1 or None (latest)",
                             got=repr(version), fix="pass version=1")
    r = RuleSet.__table__
    query = sa.select(r).where(r.c.model == model)
    query = (query.order_by(r.c.version.desc()).limit(1) if version is None
             else query.where(r.c.version == version))
    with engine.connect() as conn:
        row = conn.execute(query).one_or_none()
    if row is None:
        known = [s.version for s in rule_sets(engine, model)]
        raise DataError(f"rule set of model {model!r}",
                        expected="a saved version" if version is None
                        else f"one of the saved versions {known}",
                        got="no rule set saved" if not known else f"version {version!r}",
                        fix="save one with store.save_rule_set(model, document)"
                        if not known else f"pass one of {known}, or version=None for the latest")
    return _rule_set(row)


def rule_sets(engine: Engine, model: str) -> tuple[RuleSetRecord, ...]:
    """Every saved version of ``model``'s rule set, oldest first."""
    r = RuleSet.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(r).where(r.c.model == model).order_by(r.c.version)).all()
    return tuple(_rule_set(x) for x in rows)


def _count(value: Any, where: str) -> int:
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer))
            or value < 0):
        raise ParameterError(where, expected="an integer >= 0", got=repr(value),
                             fix="pass counts such as {'hits': 3, 'changed': 1}")
    return int(value)


def _increments(hits: Any) -> list[dict[str, Any]]:
    if not isinstance(hits, Mapping):
        raise ParameterError("rule hits", expected="a mapping rule_id -> {hits, changed, "
                             "rejected, routed}", got=type(hits).__name__,
                             fix="pass {'r1': {'hits': 3, 'changed': 1}}")
    rows = []
    for rule_id in sorted(hits, key=str):  # one lock order: no deadlock between writers
        _name(rule_id, "rule_id")
        counts = hits[rule_id]
        if not isinstance(counts, Mapping) or set(counts) - set(COUNTER_FIELDS):
            raise ParameterError(f"counts of rule {rule_id!r}",
                                 expected=f"a mapping with keys among {list(COUNTER_FIELDS)}",
                                 got=repr(counts)[:80],
                                 fix="pass {'hits': 3, 'changed': 1, 'rejected': 0, "
                                 "'routed': 0}")
        row = {f: _count(counts.get(f, 0), f"{rule_id}.{f}") for f in COUNTER_FIELDS}
        over = [f for f in COUNTER_FIELDS[1:] if row[f] > row["hits"]]
        if over:
            raise ParameterError(f"counts of rule {rule_id!r}",
                                 expected="changed, rejected and routed each at most hits",
                                 got=repr(row), fix="count each outcome among the hits")
        row["rule_id"] = rule_id
        rows.append(row)
    return rows


def add_rule_hits(engine: Engine, model: str, hits: Mapping[str, Mapping[str, int]], *,
                  at: Any = None) -> tuple[RuleCounterRecord, ...]:
    """Add ``hits`` (rule_id -> counts) to ``model``'s counters, atomically; ``at`` (default
    now) becomes ``last_hit_at`` of rules with hits (never moving it back). Returns the
    updated counters of those rules. A bad entry refuses the whole batch."""
    _name(model, "model name")
    rows = _increments(hits)
    if not rows:
        return ()
    when = utcnow() if at is None else to_utc(at, "at")
    for row in rows:
        row["model"] = model
        row["last_hit_at"] = when if row["hits"] > 0 else None
    c = RuleCounter.__table__
    with writing(engine) as conn:
        stmt = dialect_insert(conn, c)
        new = stmt.excluded
        later = sa.case((new.last_hit_at.is_(None), c.c.last_hit_at),
                        (c.c.last_hit_at.is_(None), new.last_hit_at),
                        (new.last_hit_at > c.c.last_hit_at, new.last_hit_at),
                        else_=c.c.last_hit_at)
        stmt = stmt.on_conflict_do_update(
            index_elements=["model", "rule_id"],
            set_={**{f: c.c[f] + new[f] for f in COUNTER_FIELDS}, "last_hit_at": later})
        conn.execute(stmt, rows)
    return rule_counters(engine, model, rule_ids=[r["rule_id"] for r in rows])


def rule_counters(engine: Engine, model: str, *,
                  rule_ids: list[str] | None = None) -> tuple[RuleCounterRecord, ...]:
    """The counters of ``model``'s rules (optionally only ``rule_ids``), by rule id."""
    c = RuleCounter.__table__
    query = sa.select(c).where(c.c.model == model)
    with engine.connect() as conn:
        if rule_ids is None:
            rows = conn.execute(query.order_by(c.c.rule_id)).all()
        else:
            rows = sorted(rows_where_in(conn, query, c.c.rule_id, sorted(set(rule_ids))),
                          key=lambda r: r.rule_id)
    return tuple(RuleCounterRecord(r.model, r.rule_id, r.hits, r.changed, r.rejected, r.routed,
                                   aware(r.last_hit_at)) for r in rows)
