"""Pydantic request bodies. Events and labels stay ``Any`` here: the store validates each one
against the shared contract, so one bad event is rejected alone instead of the whole batch.

The admin bodies (models, monitors, alert status, review resolutions) are also checked for
text no store keeps the same way: a NUL character (PostgreSQL refuses it, SQLite keeps it), an
unpaired surrogate (not encodable as UTF-8, so it could be stored but never answered) and
nesting deeper than :data:`MAX_DEPTH`; each is a 422 naming the field.

>>> EventBatch(events=[{"event_id": "e1"}]).events[0]["event_id"]
'e1'
>>> ResolveIn(label="ok").label
'ok'
>>> ResolveIn(label={"a": "x\\x00"})
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for ResolveIn
...
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["MAX_DEPTH", "AlertStatusIn", "EventBatch", "LabelBatch", "ModelIn", "MonitorIn",
           "ResolveIn", "ReviewBatch"]

#: how deeply an admin body may nest objects and lists (monitor specs need a handful)
MAX_DEPTH = 32


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _storable(value: Any, where: str, depth: int = 0) -> None:
    """Raise ValueError for text no store keeps as sent, or nesting beyond MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{where} nests deeper than {MAX_DEPTH} levels; send a flatter value")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"{where} contains a NUL character; remove it")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where} contains an unpaired surrogate (not valid Unicode); "
                             "send UTF-8 text") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key, f"{where} key", depth + 1)
            _storable(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for item in value:
            _storable(item, f"{where}[]", depth + 1)


class _TextBody(_Body):
    @model_validator(mode="after")
    def _check_text(self) -> _TextBody:
        for name in type(self).model_fields:
            _storable(getattr(self, name), name)
        return self


class EventBatch(_Body):
    events: list[Any] = Field(description="Prediction events (the shared event contract).")


class LabelBatch(_Body):
    labels: list[Any] = Field(description="Labels {event_id, label, timestamp}.")


class ModelIn(_TextBody):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None


class MonitorIn(_TextBody):
    model: str = Field(min_length=1, max_length=200)
    spec: dict[str, Any] = Field(default_factory=dict,
                                 description="The monitor spec (MonitorSpec.to_dict()).")


class AlertStatusIn(_TextBody):
    status: str = Field(description="open, acknowledged or resolved")


class ResolveIn(_TextBody):
    label: Any = Field(description="The true label; it is stored as the event's label.")
    by: str | None = Field(default=None, max_length=200,
                           description="Who resolved it (default: the token's principal).")


class ReviewBatch(_Body):
    items: list[Any] = Field(description="Items {event_id, reason} to queue for review; each "
                             "is judged alone (an unknown event is refused with the reason).")
