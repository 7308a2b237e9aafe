"""One hot-fix rule: a condition on a model's inputs and outputs, an action, and who owns it.

An action is one of

- ``override``: the output becomes ``value`` (a class of the model, or a number for a
  regressor); the class probabilities become ``proba`` when given (one probability per
  class, summing to 1), else all the weight on ``value``;
- ``review``: the model's output stands and the row is routed to human review;
- ``reject``: the row gets no answer (``mode="flag"``: the output is missing and the row
  is listed as rejected; ``mode="raise"``: :class:`RuleRejection` is raised by
  :class:`~stalwart.lifecycle.rules.model.RuledModel`).

In a JSON document an action is a mapping (``{"type": "override", "value": "deny"}``) or a
short text: ``"set prediction = 'deny'"``, ``"review"``, ``"reject"``, ``"reject and raise"``.

A rule expires at the start of its ``expires`` date (it is active while ``today <
expires``); an expired rule is skipped and reported.

>>> rule = Rule.from_dict({"id": "de-large", "condition": 'country == "DE" and amount > 10000',
...                        "action": "set prediction = 'review'", "owner": "risk-team",
...                        "reason": "fraud ring, see ticket", "ticket": "RISK-12",
...                        "expires": "2026-03-01"})
>>> rule.action
Action(type='override', value='review', proba=None, mode='flag')
>>> rule.active(dt.date(2026, 2, 28)), rule.active(dt.date(2026, 3, 1))
(True, False)
>>> Rule.from_dict(rule.to_dict()) == rule
True
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...exceptions import DataError, ParameterError
from .condition import RuleCondition

__all__ = ["ACTION_TYPES", "Action", "Rule", "RuleRejection"]

ACTION_TYPES = ("override", "review", "reject")
_REJECT_MODES = ("flag", "raise")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
_RULE_KEYS = ("id", "condition", "action", "owner", "reason", "ticket", "expires", "created")


class RuleRejection(DataError):
    """Rows refused by a ``reject`` rule whose mode is ``raise``."""

    def __init__(self, rule_id: str, rows: list[int]) -> None:
        self.rule_id = rule_id
        self.rows = rows
        shown = rows[:10]
        super().__init__(f"rows {shown}{'...' if len(rows) > 10 else ''}",
                         expected="inputs the rule layer lets through",
                         got=f"{len(rows)} row(s) rejected by rule {rule_id!r}",
                         fix=f"fix those inputs, or retire rule {rule_id!r} if it is wrong")


@dataclass(frozen=True)
class Action:
    """What a rule does to the rows it matches (see the module docstring)."""

    type: str
    value: Any = None
    proba: Mapping[str, float] | None = None
    mode: str = "flag"

    def __post_init__(self) -> None:
        if self.type not in ACTION_TYPES:
            raise ParameterError("rule action type", expected=f"one of {list(ACTION_TYPES)}",
                                 got=repr(self.type), fix="use override, review or reject")
        if self.type == "override":
            v = self.value
            if v is None or isinstance(v, bool) or not isinstance(v, (str, int, float)) or (
                    isinstance(v, float) and not math.isfinite(v)):
                raise ParameterError("override value", expected="a class name or a finite "
                                     "number", got=repr(v),
                                     fix="pass value='deny' (a class) or a number")
            if self.proba is not None:
                object.__setattr__(self, "proba", _probabilities(self.proba))
        elif self.value is not None or self.proba is not None:
            raise ParameterError(f"{self.type} action", expected="no value or proba (only "
                                 "override sets an output)", got=f"value={self.value!r}",
                                 fix="drop value/proba, or use an override action")
        if self.mode not in _REJECT_MODES or (self.mode != "flag" and self.type != "reject"):
            raise ParameterError("rule action mode", expected="'flag' or 'raise' (reject only)",
                                 got=repr(self.mode), fix="use mode='flag' or mode='raise'")

    @classmethod
    def override(cls, value: Any, *, proba: Mapping[str, float] | None = None) -> Action:
        return cls("override", value, proba)

    @classmethod
    def review(cls) -> Action:
        return cls("review")

    @classmethod
    def reject(cls, *, mode: str = "flag") -> Action:
        return cls("reject", mode=mode)

    @classmethod
    def from_any(cls, raw: Any) -> Action:
        """An Action, a mapping ``{"type": ..., ...}`` or one of the short texts."""
        if isinstance(raw, Action):
            return raw
        if isinstance(raw, str):
            return _parse_text(raw)
        if not isinstance(raw, Mapping):
            raise ParameterError("rule action", expected="a mapping or a text such as "
                                 "\"set prediction = 'deny'\"", got=repr(raw)[:80],
                                 fix="write the action as in docs/rules.md")
        unknown = sorted(set(raw) - {"type", "value", "proba", "mode"})
        if unknown:
            raise ParameterError("rule action", expected="keys type, value, proba, mode",
                                 got=f"unknown keys {unknown}", fix="drop those keys")
        if "type" not in raw:
            raise ParameterError("rule action", expected="a 'type' key", got=repr(dict(raw)),
                                 fix="add \"type\": \"override\" (or review, reject)")
        return cls(raw["type"], raw.get("value"), raw.get("proba"), raw.get("mode", "flag"))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.type == "override":
            out["value"] = self.value
            if self.proba is not None:
                out["proba"] = dict(self.proba)
        if self.type == "reject":
            out["mode"] = self.mode
        return out

    def describe(self) -> str:
        if self.type == "override":
            return f"set prediction = {self.value!r}"
        return "route to review" if self.type == "review" else f"reject ({self.mode})"


def _parse_text(text: str) -> Action:
    t = " ".join(text.split()).lower()
    if t in ("review", "route to review"):
        return Action.review()
    if t in ("reject", "reject and flag"):
        return Action.reject()
    if t == "reject and raise":
        return Action.reject(mode="raise")
    m = re.fullmatch(r"\s*set\s+prediction\s*=\s*(.+?)\s*", text)
    if m:
        try:
            value = ast.literal_eval(m.group(1))
        except (ValueError, SyntaxError):
            value = None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return Action.override(value)
    raise ParameterError("rule action", expected="\"set prediction = <literal>\", \"review\", "
                         "\"reject\" or \"reject and raise\"", got=repr(text),
                         fix="quote class names: set prediction = 'deny'")


def _probabilities(raw: Any) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not raw:
        raise ParameterError("override proba", expected="a mapping class -> probability",
                             got=repr(raw)[:80], fix="pass proba={'deny': 1.0, 'approve': 0.0}")
    out: dict[str, float] = {}
    for k, v in raw.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ParameterError(f"override proba of class {k!r}", expected="a probability in "
                                 "[0, 1]", got=repr(v), fix="use numbers between 0 and 1")
        out[str(k)] = float(v)
    if not math.isclose(sum(out.values()), 1.0, abs_tol=1e-6):
        raise ParameterError("override proba", expected="probabilities summing to 1",
                             got=f"a sum of {sum(out.values()):.6g}",
                             fix="give every class its probability")
    return out


def _date(value: Any, what: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ParameterError(what, expected="a date (YYYY-MM-DD)", got=repr(value),
                         fix="write the date as '2026-03-01'")


def _text(value: Any, what: str, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(what, expected="a non-empty text", got=repr(value),
                             fix=f"say the rule's {what.split()[-1]}: every hot fix has one")
    return value


@dataclass(frozen=True)
class Rule:
    """A hot-fix rule (see the module docstring). ``condition`` is parsed (and its
    injection-safety checked) when the rule is built."""

    id: str
    condition: str
    action: Action
    owner: str
    reason: str
    ticket: str | None = None
    expires: dt.date | None = None
    created: dt.date | None = None
    parsed: RuleCondition = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.fullmatch(self.id):
            raise ParameterError("rule id", expected="1-100 letters, digits, '_', '.', ':' or "
                                 "'-', starting with a letter or digit", got=repr(self.id),
                                 fix="name the rule like 'de-large-2026'")
        object.__setattr__(self, "action", Action.from_any(self.action))
        _text(self.owner, f"rule {self.id!r} owner", required=True)
        _text(self.reason, f"rule {self.id!r} reason", required=True)
        _text(self.ticket, f"rule {self.id!r} ticket", required=False)
        object.__setattr__(self, "expires", _date(self.expires, f"rule {self.id!r} expires"))
        object.__setattr__(self, "created", _date(self.created, f"rule {self.id!r} created"))
        object.__setattr__(self, "parsed", RuleCondition.parse(self.condition))

    def active(self, on: dt.date) -> bool:
        """Whether the rule applies on day ``on`` (it expires at the start of ``expires``)."""
        return self.expires is None or on < self.expires

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "condition": self.condition, "action": self.action.to_dict(),
                "owner": self.owner, "reason": self.reason, "ticket": self.ticket,
                "expires": None if self.expires is None else self.expires.isoformat(),
                "created": None if self.created is None else self.created.isoformat()}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Rule:
        if not isinstance(raw, Mapping):
            raise ParameterError("rule", expected="a mapping with id, condition, action, owner "
                                 "and reason", got=repr(raw)[:80], fix="see docs/rules.md")
        unknown = sorted(set(raw) - set(_RULE_KEYS))
        missing = [k for k in ("id", "condition", "action", "owner", "reason") if k not in raw]
        if unknown or missing:
            raise ParameterError(f"rule {raw.get('id', '?')!r}", expected=f"keys among "
                                 f"{list(_RULE_KEYS)}, with id, condition, action, owner, reason",
                                 got=f"unknown {unknown}, missing {missing}",
                                 fix="fix the rule's keys")
        return cls(**{k: raw.get(k) for k in _RULE_KEYS})
