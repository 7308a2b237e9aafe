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

__all__ = ["MAX_DEPTH", "AlertStatusIn", "AliasIn", "EscalationIn", "EscalationStatusIn",
           "EventBatch", "LabelBatch", "ModelIn", "MonitorIn", "PinIn", "ResolveIn", "ReviewBatch",
           "RuleSetIn", "RulesApplyIn"]

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


# -- escalations, the rule layer and versions (issue 6) ------------------------------------

#: one value of an input row or an output: what a JSON scalar can be
Scalar = str | int | float | bool | None


class EscalationIn(_TextBody):
    model: str = Field(min_length=1, max_length=200)
    severity: str = Field(description="low, medium, high or critical")
    event_id: str | None = Field(default=None, min_length=1, max_length=200,
                                 description="The stored event of the bad prediction.")
    payload: dict[str, Any] | None = Field(default=None, description="The input {feature: "
                                           "value}, for a prediction that was never logged.")
    customer: str | None = Field(default=None, min_length=1, max_length=200,
                                 description="Default: the event's segment.")
    expected: Any = Field(default=None, description="The output the reporter expected.")
    note: str | None = None
    reported_at: str | None = Field(default=None, description="ISO time the complaint was "
                                    "made (default: now); the SLA clock starts there.")


class EscalationStatusIn(_TextBody):
    status: str = Field(description="open, analysed, fixed or closed")
    note: str | None = None
    analysis: dict[str, Any] | None = Field(default=None, description="An analysis made "
                                            "elsewhere (e.g. RCAReport.to_dict()); needed to "
                                            "move to 'analysed'.")


class RuleSetIn(_TextBody):
    """A rule set document (``RuleSet.to_dict()``); the server numbers its versions."""

    rules: list[Any] = Field(description="The rules, in order (first match wins).")
    version: int | None = Field(default=None, description="Ignored: the server numbers the "
                                "saved versions 1, 2, ...")
    schema_version: str | None = None


def _storable_ids(ids: list[str | None] | None) -> list[str | None] | None:
    for i, value in enumerate(ids or ()):
        if value is not None:
            _storable(value, f"event_ids[{i}]")
    return ids


class RulesApplyIn(_Body):
    rows: list[dict[str, Scalar]] = Field(min_length=1, description="The inputs, one object "
                                          "{feature: value} per row.")
    predictions: list[Scalar] = Field(description="The model's output for each row.")
    proba: list[list[float]] | dict[str, list[float]] | None = Field(
        default=None, description="Class probabilities: one list per row (with classes=), or "
        "one list per class {class: [...]}.")
    classes: list[str | int | float | bool] | None = Field(
        default=None, description="The classes of the columns of a list-of-lists proba.")
    event_ids: list[str | None] | None = Field(
        default=None, description="The stored event id of each row (or null): routed rows "
        "with one are queued for review.")
    now: str | None = Field(default=None, description="Day the rules are judged on "
                            "(YYYY-MM-DD; default today UTC).")
    version: int | None = Field(default=None, ge=1, description="The saved rule set version "
                                "(default: the latest).")

    @model_validator(mode="after")
    def _check_ids(self) -> RulesApplyIn:
        _storable_ids(self.event_ids)
        return self


class AliasIn(_TextBody):
    version: str = Field(min_length=1, max_length=200, description="A registered version.")


class PinIn(_TextBody):
    version: str = Field(min_length=1, max_length=200, description="A registered version.")
    note: str | None = None
