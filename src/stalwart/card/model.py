"""The model card: nine sections of Mitchell et al. (2019), frozen and JSON round-trippable.

Every section is a :class:`CardSection`: labelled items (text, numbers or lists), tables of
numbers, and the list of what is missing from it, so that an empty section says why it is
empty. Renderers only draw a card; :func:`~stalwart.card.build.build_model_card` fills it.

>>> s = CardSection("Metrics", items=(("confidence", 0.95),), missing=("no evaluation",))
>>> card = ModelCard(*([s] * 9))
>>> ModelCard.from_json(card.to_json()) == card
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .._json import jsonable
from ..checks.result import Table

__all__ = ["CARD_SCHEMA_VERSION", "SECTIONS", "CardSection", "ModelCard"]

CARD_SCHEMA_VERSION = "1.0"

#: section attribute -> heading, in the order of Mitchell et al.
SECTIONS = {
    "model_details": "Model details",
    "intended_use": "Intended use",
    "factors": "Factors",
    "metrics": "Metrics",
    "evaluation_data": "Evaluation data",
    "training_data": "Training data",
    "quantitative_analyses": "Quantitative analyses",
    "ethical_considerations": "Ethical considerations",
    "caveats_and_recommendations": "Caveats and recommendations",
}


@dataclass(frozen=True)
class CardSection:
    """One section: ``items`` are (label, value) pairs, ``missing`` what was not provided."""

    title: str
    items: tuple[tuple[str, Any], ...] = ()
    tables: tuple[Table, ...] = ()
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title,
                "items": [{"label": k, "value": jsonable(v)} for k, v in self.items],
                "tables": [t.to_dict() for t in self.tables], "missing": list(self.missing)}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CardSection:
        return cls(raw["title"],
                   tuple((i["label"], _freeze(i["value"])) for i in raw.get("items", ())),
                   tuple(Table.from_dict(t) for t in raw.get("tables", ())),
                   tuple(raw.get("missing", ())))


def _freeze(value: Any) -> Any:
    """JSON lists back to the tuples a card holds, so that a round trip compares equal."""
    return tuple(_freeze(v) for v in value) if isinstance(value, list) else value


@dataclass(frozen=True)
class ModelCard:
    """A model card: the nine sections, in the order of Mitchell et al. (2019)."""

    model_details: CardSection
    intended_use: CardSection
    factors: CardSection
    metrics: CardSection
    evaluation_data: CardSection
    training_data: CardSection
    quantitative_analyses: CardSection
    ethical_considerations: CardSection
    caveats_and_recommendations: CardSection
    stalwart_version: str = ""
    created_at: str = ""
    schema_version: str = CARD_SCHEMA_VERSION

    def sections(self) -> list[tuple[str, CardSection]]:
        """(attribute name, section) pairs in card order."""
        return [(name, getattr(self, name)) for name in SECTIONS]

    def missing(self) -> list[str]:
        """Everything any section lists as missing."""
        return [m for _, s in self.sections() for m in s.missing]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": self.schema_version,
                               "stalwart_version": self.stalwart_version,
                               "created_at": self.created_at}
        out["sections"] = {name: s.to_dict() for name, s in self.sections()}
        return out

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ModelCard:
        sections = raw["sections"]
        extra = {f.name: raw[f.name] for f in fields(cls)
                 if f.name not in SECTIONS and f.name in raw}
        return cls(**{n: CardSection.from_dict(sections[n]) for n in SECTIONS}, **extra)

    @classmethod
    def from_json(cls, text: str) -> ModelCard:
        return cls.from_dict(json.loads(text))
