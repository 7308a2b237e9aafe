"""Text perturbations (typos, casing, punctuation, whitespace, unexpected tokens,
out-of-vocabulary words, offline synonyms) and CheckList behavioural tests."""

from .base import TextPerturbation, as_texts
from .surface import Casing, Punctuation, Whitespace
from .synonym_table import SYNONYMS
from .synonyms import Synonyms
from .tokens import UnexpectedTokens
from .typos import QWERTY_NEIGHBOURS, Typos
from .vocabulary import OOVWords

__all__ = ["Casing", "OOVWords", "Punctuation", "QWERTY_NEIGHBOURS", "SYNONYMS", "Synonyms",
           "TextPerturbation", "Typos", "UnexpectedTokens", "Whitespace", "as_texts"]
