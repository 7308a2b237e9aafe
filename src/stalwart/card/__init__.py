"""Model cards (Mitchell et al. 2019) from suite results plus what a person writes.

``build_model_card`` fills the nine sections from :class:`~stalwart.checks.SuiteResult`
objects, a model, an evaluation and slice metrics; ``render_markdown``, ``render_html`` and
``ModelCard.to_json`` draw it; ``write_card`` writes it atomically.
"""

from .build import build_model_card
from .fields import CardFields
from .model import CARD_SCHEMA_VERSION, SECTIONS, CardSection, ModelCard
from .render import CARD_FORMATS, render_html, render_markdown, write_card

__all__ = ["CARD_FORMATS", "CARD_SCHEMA_VERSION", "SECTIONS", "CardFields", "CardSection",
           "ModelCard", "build_model_card", "render_html", "render_markdown", "write_card"]
