"""The store's tables: one SQLAlchemy 2 model for SQLite and PostgreSQL.

Timestamps are stored as naive UTC (``DateTime`` without a time zone) on both dialects,
so comparisons and ordering agree; the Python API hands back UTC-aware values.

>>> sorted(metadata.tables)[:3]
['alerts', 'channels', 'customer_pins']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, BigInteger, DateTime, Float, ForeignKey, ForeignKeyConstraint, Index,
                        Integer, LargeBinary, MetaData, String, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Alert", "Base", "Channel", "CustomerPin", "Escalation", "Event", "Label", "Model",
           "ModelAlias", "ModelVersion", "Monitor", "MonitorState", "ReferenceProfile",
           "ReviewItem", "RuleCounter", "RuleSet", "WindowResult", "metadata"]

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, dt.datetime: DateTime(timezone=False)}


metadata = Base.metadata


class Model(Base):
    __tablename__ = "models"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    description: Mapped[str | None] = mapped_column(Text)
    created: Mapped[dt.datetime]


class ModelVersion(Base):
    __tablename__ = "model_versions"
    model: Mapped[str] = mapped_column(String(200), ForeignKey("models.name"), primary_key=True)
    version: Mapped[str] = mapped_column(String(200), primary_key=True)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    created: Mapped[dt.datetime]


class ReferenceProfile(Base):
    __tablename__ = "reference_profiles"
    __table_args__ = (UniqueConstraint("model", "name", name="uq_reference_profiles_model_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[dt.datetime]


class Event(Base):
    __tablename__ = "prediction_events"
    __table_args__ = (Index("ix_prediction_events_model_timestamp", "model", "timestamp"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    timestamp: Mapped[dt.datetime] = mapped_column(index=True)
    model: Mapped[str] = mapped_column(String(200))
    model_version: Mapped[str] = mapped_column(String(200))
    segment: Mapped[str | None] = mapped_column(String(200))
    features: Mapped[dict[str, Any]]
    outputs: Mapped[dict[str, Any]]
    latency_ms: Mapped[float | None] = mapped_column(Float)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    received_at: Mapped[dt.datetime]


class Label(Base):
    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    label: Mapped[Any] = mapped_column(JSON)
    timestamp: Mapped[dt.datetime]


class Monitor(Base):
    __tablename__ = "monitors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    model: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]]
    created: Mapped[dt.datetime]
    updated: Mapped[dt.datetime]


class MonitorState(Base):
    """What a monitor's next run continues from: the alert engine's and the triggers' state
    (JSON), the end of the last evaluated window and when it last ran; the lease keeps two
    schedulers from running one monitor at once (migration 0002)."""

    __tablename__ = "monitor_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    monitor: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[dict[str, Any]]
    last_window_end: Mapped[dt.datetime | None]
    last_run: Mapped[dt.datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[dt.datetime | None]
    updated: Mapped[dt.datetime]


class WindowResult(Base):
    __tablename__ = "window_results"
    __table_args__ = (UniqueConstraint("monitor", "window_start", "window_end",
                                       name="uq_window_results_monitor_window"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    monitor: Mapped[str] = mapped_column(String(200), index=True)
    window_start: Mapped[dt.datetime]
    window_end: Mapped[dt.datetime]
    n_events: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    created: Mapped[dt.datetime]


class Alert(Base):
    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    monitor: Mapped[str] = mapped_column(String(200), index=True)
    rule: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    fingerprint: Mapped[str] = mapped_column(String(200), index=True)
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    count: Mapped[int] = mapped_column(Integer)
    context: Mapped[dict[str, Any]]


class Channel(Base):
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    config: Mapped[dict[str, Any]]


class ReviewItem(Base):
    __tablename__ = "review_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[Any | None] = mapped_column(JSON)


# -- issue 6 (migration 0003): model lifecycle and escalations ---------------------------------
# JSON columns that may be absent are SQL NULL (none_as_null), not the JSON value null.
_JSON_OR_NULL = JSON(none_as_null=True)


class ModelAlias(Base):
    """A named pointer to a registered version (champion, challenger, shadow, or free text);
    the foreign key keeps it from naming a version that was never registered."""

    __tablename__ = "model_aliases"
    __table_args__ = (ForeignKeyConstraint(["model", "version"],
                                           ["model_versions.model", "model_versions.version"],
                                           name="fk_model_aliases_version_model_versions"),)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str | None] = mapped_column(String(200))


class CustomerPin(Base):
    """A customer kept on one version of a model until it chooses to move."""

    __tablename__ = "customer_pins"
    __table_args__ = (ForeignKeyConstraint(["model", "version"],
                                           ["model_versions.model", "model_versions.version"],
                                           name="fk_customer_pins_version_model_versions"),)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    customer: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    pinned_at: Mapped[dt.datetime]
    pinned_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class RuleSet(Base):
    """One saved version of a model's hot-fix rule layer (the document is opaque here)."""

    __tablename__ = "rule_sets"
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class RuleCounter(Base):
    """Running hit counters of one rule (incremented atomically by ``add_rule_hits``)."""

    __tablename__ = "rule_counters"
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(BigInteger)
    changed: Mapped[int] = mapped_column(BigInteger)
    rejected: Mapped[int] = mapped_column(BigInteger)
    routed: Mapped[int] = mapped_column(BigInteger)
    last_hit_at: Mapped[dt.datetime | None]


class Escalation(Base):
    """A reported bad prediction with its SLA clock (``due_at``) and, later, its analysis."""

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_model_status", "model", "status"),
                      Index("ix_escalations_status_due_at", "status", "due_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any] | None] = mapped_column(_JSON_OR_NULL)
    severity: Mapped[str] = mapped_column(String(20))
    customer: Mapped[str | None] = mapped_column(String(200))
    expected: Mapped[Any | None] = mapped_column(_JSON_OR_NULL)
    reported_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(20))
    resolved_at: Mapped[dt.datetime | None]
    analysis: Mapped[dict[str, Any] | None] = mapped_column(_JSON_OR_NULL)
    note: Mapped[str | None] = mapped_column(Text)
