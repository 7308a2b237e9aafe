"""Text perturbations (typos, casing, punctuation, whitespace, unexpected tokens,
out-of-vocabulary words, offline synonyms) and CheckList behavioural tests (MFT, INV, DIR)."""

from .base import TextPerturbation, as_texts
from .checklist import DIR, DIRECTIONS, INV, MFT
from .checklist_result import ChecklistOutcome, ChecklistResult
from .checklist_run import run_checklist
from .lexicon import INTENSIFIERS, NAMES, NEUTRAL_GROUPS, PLACES, intensify, negate
from .model_view import TextModel, text_model
from .surface import Casing, Punctuation, Whitespace
from .synonym_table import SYNONYMS
from .synonyms import Synonyms
from .tokens import UnexpectedTokens
from .typos import QWERTY_NEIGHBOURS, Typos
from .vocabulary import OOVWords

__all__ = ["Casing", "ChecklistOutcome", "ChecklistResult", "DIR", "DIRECTIONS",
           "INTENSIFIERS", "INV", "MFT", "NAMES", "NEUTRAL_GROUPS", "OOVWords", "PLACES",
           "Punctuation", "QWERTY_NEIGHBOURS", "SYNONYMS", "Synonyms", "TextModel",
           "TextPerturbation", "Typos", "UnexpectedTokens", "Whitespace", "as_texts",
           "intensify", "negate", "run_checklist", "text_model"]
