"""Model aliases and per-customer pins: which registered version answers whom.

An **alias** names a version of a model: ``champion`` (the version that answers customers
without a pin), ``challenger`` (the candidate being evaluated) and ``shadow`` (scored on live
traffic, never answering) are the documented ones; any other name is allowed. A **pin**
keeps one customer on one version until it chooses to move. Both must name a version
registered with ``store.register_version`` (checked, and a foreign key keeps it so).

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> for v in ("1", "2"):
...     store.register_version("churn", v)
>>> store.set_alias("churn", "champion", "1", by="ana").version
'1'
>>> store.pin_customer("churn", "acme", "1", note="validated on v1").version
'1'
>>> store.promote_version("churn", "2")  # returns the alias's previous version
'1'
>>> {a.alias: a.version for a in store.aliases("churn")}
{'champion': '2'}
>>> store.customer_pin("churn", "acme").version  # a pinned customer stays
'1'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .._json import FieldsJSON
from ..exceptions import DataError, ParameterError
from .dialect import dialect_insert, rows_where_in
from .engine import utcnow, writing
from .monitors import aware
from .references import _name
from .schema import CustomerPin, ModelAlias, ModelVersion

__all__ = ["DOCUMENTED_ALIASES", "AliasRecord", "PinRecord", "alias", "aliases",
           "customer_pin", "customer_pins", "delete_alias", "pin_customer", "promote_version",
           "set_alias", "unpin_customer"]

#: the aliases the lifecycle tools read; any other non-empty name may be set as well
DOCUMENTED_ALIASES = ("champion", "challenger", "shadow")


@dataclass(frozen=True)
class AliasRecord(FieldsJSON):
    model: str
    alias: str
    version: str
    updated_at: dt.datetime
    updated_by: str | None


@dataclass(frozen=True)
class PinRecord(FieldsJSON):
    model: str
    customer: str
    version: str
    pinned_at: dt.datetime
    pinned_by: str | None
    note: str | None


def _alias(row: Any) -> AliasRecord:
    return AliasRecord(row.model, row.alias, row.version, aware(row.updated_at), row.updated_by)


def _pin(row: Any) -> PinRecord:
    return PinRecord(row.model, row.customer, row.version, aware(row.pinned_at), row.pinned_by,
                     row.note)


def _by(value: Any) -> str | None:
    return None if value is None else _name(value, "by (who made the change)")


def _note(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ParameterError("note", expected="a string or None", got=type(value).__name__,
                             fix="pass note='why'")
    return value


def _check_version(conn: Connection, model: str, version: str, what: str) -> None:
    """Refuse a version that ``register_version`` never stored (saying which exist)."""
    v = ModelVersion.__table__
    known = list(conn.execute(sa.select(v.c.version).where(v.c.model == model)
                              .order_by(v.c.created, v.c.version)).scalars())
    if version not in known:
        shown = ", ".join(repr(k) for k in known[:20]) or "none"
        raise DataError(what, expected=f"a registered version of model {model!r} ({shown})",
                        got=repr(version),
                        fix=f"register it first: store.register_version({model!r}, {version!r})")


def set_alias(engine: Engine, model: str, alias_name: str, version: str, *,
              by: str | None = None) -> AliasRecord:
    """Point ``alias_name`` of ``model`` at ``version`` (created or moved)."""
    _name(model, "model name")
    _name(alias_name, "alias")
    _name(version, "model version")
    values = {"model": model, "alias": alias_name, "version": version, "updated_at": utcnow(),
              "updated_by": _by(by)}
    with writing(engine) as conn:
        _check_version(conn, model, version, f"version for alias {alias_name!r}")
        _upsert_alias(conn, values)
    return alias(engine, model, alias_name)


def _upsert_alias(conn: Connection, values: dict[str, Any]) -> None:
    stmt = dialect_insert(conn, ModelAlias.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["model", "alias"],
        set_={k: stmt.excluded[k] for k in ("version", "updated_at", "updated_by")})
    conn.execute(stmt, values)


def promote_version(engine: Engine, model: str, version: str, *, alias_name: str = "champion",
                    by: str | None = None,
                    release: Iterable[str] = ("challenger", "shadow")) -> str | None:
    """Point ``alias_name`` at ``version`` and, in the same transaction, drop the aliases in
    ``release`` that pointed at ``version`` (a challenger promoted to champion stops being
    the challenger). Returns the version the alias named before (None when new)."""
    _name(model, "model name")
    _name(alias_name, "alias")
    _name(version, "model version")
    release = [_name(r, "released alias") for r in release if r != alias_name]
    a = ModelAlias.__table__
    with writing(engine) as conn:
        _check_version(conn, model, version, f"version to promote to {alias_name!r}")
        before = conn.execute(sa.select(a.c.version).where(a.c.model == model,
                                                             a.c.alias == alias_name)
                              ).scalar_one_or_none()
        _upsert_alias(conn, {"model": model, "alias": alias_name, "version": version,
                             "updated_at": utcnow(), "updated_by": _by(by)})
        if release:
            conn.execute(a.delete().where(a.c.model == model, a.c.version == version,
                                          a.c.alias.in_(release)))
    return before


def alias(engine: Engine, model: str, alias_name: str) -> AliasRecord:
    """The alias ``alias_name`` of ``model``; a DataError naming the set ones if absent."""
    a = ModelAlias.__table__
    with engine.connect() as conn:
        row = conn.execute(sa.select(a).where(a.c.model == model, a.c.alias == alias_name)
                           ).one_or_none()
    if row is None:
        known = [r.alias for r in aliases(engine, model)]
        raise DataError(f"alias {alias_name!r} of model {model!r}", expected="a set alias",
                        got=f"none (set: {', '.join(known) or 'none'})",
                        fix=f"set it with store.set_alias({model!r}, {alias_name!r}, version)")
    return _alias(row)


def aliases(engine: Engine, model: str) -> tuple[AliasRecord, ...]:
    a = ModelAlias.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(a).where(a.c.model == model).order_by(a.c.alias)).all()
    return tuple(_alias(r) for r in rows)


def delete_alias(engine: Engine, model: str, alias_name: str) -> bool:
    a = ModelAlias.__table__
    with writing(engine) as conn:
        return conn.execute(a.delete().where(a.c.model == model, a.c.alias == alias_name)
                            ).rowcount > 0


def pin_customer(engine: Engine, model: str, customer: str, version: str, *,
                 by: str | None = None, note: str | None = None) -> PinRecord:
    """Keep ``customer`` on ``version`` of ``model`` (a new pin, or the pin moved)."""
    _name(model, "model name")
    _name(customer, "customer")
    _name(version, "model version")
    values = {"model": model, "customer": customer, "version": version,
              "pinned_at": utcnow(), "pinned_by": _by(by), "note": _note(note)}
    p = CustomerPin.__table__
    with writing(engine) as conn:
        _check_version(conn, model, version, f"version to pin customer {customer!r} to")
        stmt = dialect_insert(conn, p)
        stmt = stmt.on_conflict_do_update(
            index_elements=["model", "customer"],
            set_={k: stmt.excluded[k] for k in ("version", "pinned_at", "pinned_by", "note")})
        conn.execute(stmt, values)
        row = conn.execute(sa.select(p).where(p.c.model == model, p.c.customer == customer)
                           ).one()
    return _pin(row)


def unpin_customer(engine: Engine, model: str, customer: str) -> bool:
    """Release ``customer`` (it follows the champion again); True if it was pinned."""
    p = CustomerPin.__table__
    with writing(engine) as conn:
        return conn.execute(p.delete().where(p.c.model == model, p.c.customer == customer)
                            ).rowcount > 0


def customer_pin(engine: Engine, model: str, customer: str) -> PinRecord | None:
    """The pin of ``customer``, or None (not pinned)."""
    p = CustomerPin.__table__
    with engine.connect() as conn:
        row = conn.execute(sa.select(p).where(p.c.model == model, p.c.customer == customer)
                           ).one_or_none()
    return None if row is None else _pin(row)


def customer_pins(engine: Engine, model: str, *, version: str | None = None,
                  customers: Iterable[str] | None = None) -> tuple[PinRecord, ...]:
    """The pins of ``model`` by customer, optionally only those on ``version`` or of the
    given ``customers`` (looked up in chunks, one query each)."""
    p = CustomerPin.__table__
    query = sa.select(p).where(p.c.model == model)
    if version is not None:
        query = query.where(p.c.version == version)
    with engine.connect() as conn:
        if customers is None:
            rows = conn.execute(query.order_by(p.c.customer)).all()
        else:
            wanted = sorted({str(c) for c in customers})
            rows = sorted(rows_where_in(conn, query, p.c.customer, wanted),
                          key=lambda r: r.customer)
    return tuple(_pin(r) for r in rows)
