"""The user-written parts of a model card: what no suite can measure.

A :class:`CardFields` holds the text a person writes (who made the model, what it is for,
what it must not be used for, the ethical considerations); everything else on the card is
taken from results. Load it from a mapping or a JSON file; unknown keys are refused so that
a typo ("licence" spelled "license") does not silently drop a section.

>>> f = CardFields.from_dict({"name": "churn", "version": "2.1",
...                           "primary_uses": ["rank accounts for a call"]})
>>> f.version, f.primary_uses
('2.1', ('rank accounts for a call',))
>>> try:
...     CardFields.from_dict({"lisence": "MIT"})
... except ParameterError as err:
...     print(err.got)
unknown keys ['lisence']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..exceptions import DataError, ParameterError

__all__ = ["CardFields", "LIST_FIELDS", "TEXT_FIELDS"]

#: fields holding one line of text
TEXT_FIELDS = ("name", "version", "date", "type", "licence", "citation", "contact")
#: fields holding a list of entries (a single string is taken as a one-entry list)
LIST_FIELDS = ("owners", "primary_uses", "primary_users", "out_of_scope_uses", "factors",
               "ethical_considerations", "caveats")


@dataclass(frozen=True)
class CardFields:
    """What a person writes on a model card (Mitchell et al. 2019), all optional."""

    name: str = ""
    version: str = ""
    owners: tuple[str, ...] = ()
    date: str = ""
    type: str = ""
    licence: str = ""
    citation: str = ""
    contact: str = ""
    primary_uses: tuple[str, ...] = ()
    primary_users: tuple[str, ...] = ()
    out_of_scope_uses: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    ethical_considerations: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v)
                for f in fields(self)}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CardFields:
        """Fields from a mapping; unknown keys and wrong types are a :class:`ParameterError`."""
        if not isinstance(raw, Mapping):
            raise ParameterError("model card fields", expected="a mapping of field names to "
                                 "text", got=type(raw).__name__, fix="pass a dict")
        allowed = TEXT_FIELDS + LIST_FIELDS
        unknown = sorted(str(k) for k in raw if k not in allowed)
        if unknown:
            raise ParameterError("model card fields", expected=f"keys among {list(allowed)}",
                                 got=f"unknown keys {unknown}",
                                 fix="rename or remove the unknown keys")
        values: dict[str, Any] = {}
        for key, value in raw.items():
            values[key] = (_as_text(key, value) if key in TEXT_FIELDS
                           else _as_list(key, value))
        return cls(**values)

    @classmethod
    def from_json(cls, path_or_text: str | Path) -> CardFields:
        """Fields from a JSON file path, or from JSON text (starting with ``{``)."""
        text = str(path_or_text)
        if not text.lstrip().startswith("{"):
            path = Path(path_or_text)
            if not path.is_file():
                raise DataError("model card fields file", expected="an existing JSON file",
                                got=str(path), fix="check the path")
            text = path.read_text(encoding="utf-8")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError("model card fields", expected="valid JSON", got=str(exc),
                            fix="fix the JSON syntax") from None
        return cls.from_dict(raw)


def _as_text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise ParameterError(f"model card field {key!r}", expected="a string",
                         got=type(value).__name__, fix=f"write {key} as one line of text")


def _as_list(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if v.strip())
    raise ParameterError(f"model card field {key!r}", expected="a string or a list of strings",
                         got=repr(value)[:80], fix=f"write {key} as a list of strings")
