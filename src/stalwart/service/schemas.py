"""Pydantic request bodies. Events and labels stay ``Any`` here: the store validates each one
against the shared contract, so one bad event is rejected alone instead of the whole batch.

>>> EventBatch(events=[{"event_id": "e1"}]).events[0]["event_id"]
'e1'
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AlertStatusIn", "EventBatch", "LabelBatch", "ModelIn", "MonitorIn", "ResolveIn",
           "ReviewBatch"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventBatch(_Body):
    events: list[Any] = Field(description="Prediction events (the shared event contract).")


class LabelBatch(_Body):
    labels: list[Any] = Field(description="Labels {event_id, label, timestamp}.")


class ModelIn(_Body):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None


class MonitorIn(_Body):
    model: str = Field(min_length=1, max_length=200)
    spec: dict[str, Any] = Field(default_factory=dict,
                                 description="The monitor spec (MonitorSpec.to_dict()).")


class AlertStatusIn(_Body):
    status: str = Field(description="open, acknowledged or resolved")


class ResolveIn(_Body):
    label: Any = Field(description="The true label; it is stored as the event's label.")
    by: str | None = Field(default=None, max_length=200,
                           description="Who resolved it (default: the token's principal).")


class ReviewBatch(_Body):
    items: list[Any] = Field(description="Items {event_id, reason} to queue for review; each "
                             "is judged alone (an unknown event is refused with the reason).")
