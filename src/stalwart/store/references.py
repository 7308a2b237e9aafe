"""Models, model versions and reference profiles (``DatasetProfile`` blobs).

>>> import pandas as pd
>>> from stalwart.store import open_store
>>> from stalwart.stats.profile import profile
>>> store = open_store("sqlite://")
>>> store.save_reference("churn", profile(pd.DataFrame({"x": [1.0, 2.0, 3.0]})))
>>> store.load_reference("churn")["x"].mean
2.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON, jsonable
from ..exceptions import DataError, ParameterError
from .dialect import dialect_insert, insert_ignore
from .engine import utcnow, writing
from .schema import Model, ModelVersion, ReferenceProfile

__all__ = ["ModelRecord", "VersionRecord", "load_reference", "models", "references",
           "register_model", "register_version", "save_reference", "versions"]


@dataclass(frozen=True)
class ModelRecord(FieldsJSON):
    name: str
    description: str | None
    created: Any


@dataclass(frozen=True)
class VersionRecord(FieldsJSON):
    model: str
    version: str
    metadata: dict[str, Any]
    created: Any


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ParameterError(what, expected="a non-empty string of at most 200 characters",
                             got=repr(value)[:80], fix=f"pass a {what}")
    return value


def register_model(engine: Engine, name: str, *, description: str | None = None) -> None:
    _name(name, "model name")
    m = Model.__table__
    with writing(engine) as conn:
        conn.execute(insert_ignore(conn, m, ["name"]),
                     {"name": name, "description": description, "created": utcnow()})
        if description is not None:
            conn.execute(m.update().where(m.c.name == name).values(description=description))


def register_version(engine: Engine, model: str, version: str, *,
                     metadata: dict[str, Any] | None = None) -> None:
    register_model(engine, model)
    _name(version, "model version")
    with writing(engine) as conn:
        stmt = dialect_insert(conn, ModelVersion.__table__)
        stmt = stmt.on_conflict_do_update(index_elements=["model", "version"],
                                          set_={"metadata": stmt.excluded.metadata})
        conn.execute(stmt, {"model": model, "version": version,
                            "metadata": jsonable(metadata or {}), "created": utcnow()})


def models(engine: Engine) -> tuple[ModelRecord, ...]:
    m = Model.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(m).order_by(m.c.name)).all()
    return tuple(ModelRecord(r.name, r.description, r.created) for r in rows)


def versions(engine: Engine, model: str) -> tuple[VersionRecord, ...]:
    v = ModelVersion.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(v).where(v.c.model == model)
                            .order_by(v.c.created, v.c.version)).all()
    return tuple(VersionRecord(r.model, r.version, r.metadata, r.created) for r in rows)


def save_reference(engine: Engine, model: str, profile: Any, *, name: str = "default") -> None:
    """Store (or replace) the reference profile ``name`` of ``model``."""
    _name(model, "model name")
    _name(name, "reference name")
    to_bytes = getattr(profile, "to_bytes", None)
    if not callable(to_bytes):
        raise ParameterError("reference profile", expected="a stalwart DatasetProfile",
                             got=type(profile).__name__,
                             fix="build one with stalwart.stats.profile.profile(frame)")
    register_model(engine, model)
    with writing(engine) as conn:
        stmt = dialect_insert(conn, ReferenceProfile.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["model", "name"],
            set_={"profile": stmt.excluded.profile, "created": stmt.excluded.created})
        conn.execute(stmt, {"model": model, "name": name, "profile": to_bytes(),
                            "created": utcnow()})


def load_reference(engine: Engine, model: str, *, name: str = "default") -> Any:
    from ..stats.profile import DatasetProfile
    r = ReferenceProfile.__table__
    with engine.connect() as conn:
        raw = conn.execute(sa.select(r.c.profile).where(r.c.model == model, r.c.name == name)
                           ).scalar_one_or_none()
    if raw is None:
        known = references(engine, model)
        raise DataError("reference profile", expected=f"a reference named {name!r} for model "
                        f"{model!r}", got=f"none (this model has: {list(known) or 'none'})",
                        fix="save one with store.save_reference(model, profile, name=...)")
    return DatasetProfile.from_bytes(bytes(raw))


def references(engine: Engine, model: str) -> tuple[str, ...]:
    r = ReferenceProfile.__table__
    with engine.connect() as conn:
        return tuple(conn.execute(sa.select(r.c.name).where(r.c.model == model)
                                  .order_by(r.c.name)).scalars())
