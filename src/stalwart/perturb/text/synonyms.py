"""Synonym substitution, offline: words swapped for others of the same synonym group.

The table is :data:`~stalwart.perturb.text.synonym_table.SYNONYMS` (about 600 common
English words in 210 groups, curated by hand and shipped with the package; nothing is
downloaded), or one passed as ``table=`` (a mapping word -> synonyms). Each word of a text
that has synonyms is replaced with probability ``rate`` (severity 1..5: 20%, 40%, 60%, 80%,
100% of the words that have one) by one of them, drawn uniformly, in the word's casing.
Words without synonyms are kept; the note gives how many words had one (``eligible``) and
the table's coverage of the words of the texts (``coverage``), so a low rate of change on
a corpus the table barely covers is visible instead of read as robustness.

Substitution is word by word, without context: the table leaves out words whose meaning
depends on the context ("like", "present", "right") for that reason.

>>> p = Synonyms(severity=5, random_state=0).fit(["x"])
>>> p.transform(["I loved this film, the story was wonderful"])
['I cherished this movie, the narrative was terrific']
>>> p.notes_[0].detail["coverage"]
0.5
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from ...exceptions import ParameterError
from ..base import register_perturbation
from .base import WORD, TextPerturbation, match_case, touched
from .synonym_table import SYNONYMS

__all__ = ["Synonyms"]


@register_perturbation
class Synonyms(TextPerturbation):
    """Replace a share of the words that have synonyms by one of them."""

    name = "synonyms"
    rates: ClassVar[tuple[float, ...]] = (0.2, 0.4, 0.6, 0.8, 1.0)
    unit = "word with a synonym"

    def __init__(self, *, severity: int = 1, random_state: object = None,
                 table: Mapping[str, Any] | None = None) -> None:
        self.severity = severity
        self.random_state = random_state
        self.table = table

    def _fit(self, X: object) -> None:
        if self.table is None:
            self.table_ = SYNONYMS
            return
        if not isinstance(self.table, Mapping):
            raise ParameterError("Synonyms table", expected="a mapping word -> list of "
                                 "synonyms", got=f"a {type(self.table).__name__}",
                                 fix="pass e.g. table={'film': ['movie']}")
        table = {}
        for word, options in self.table.items():
            if isinstance(options, str) or not all(isinstance(o, str) and o for o in options) \
                    or not isinstance(word, str):
                raise ParameterError(f"Synonyms table entry {word!r}", expected="a word "
                                     "mapped to a list of non-empty strings",
                                     got=repr(options), fix="e.g. 'film': ['movie']")
            if options:
                table[word.lower()] = tuple(options)
        self.table_ = table

    def _transform(self, X: Any) -> Any:
        self.n_words_ = self.n_known_ = 0
        return super()._transform(X)

    def _detail(self) -> dict[str, Any]:
        return {"table_size": len(self.table_), "n_words": self.n_words_,
                "coverage": self.n_known_ / self.n_words_ if self.n_words_ else None}

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        words = list(WORD.finditer(text))
        known = [m for m in words if m.group().lower() in self.table_]
        hit = touched(rng, len(known), rate)
        pick = rng.random(len(known))
        self.n_words_ += len(words)
        self.n_known_ += len(known)
        out, last = [], 0
        for j, m in enumerate(known):
            new = m.group()
            if hit[j]:
                options = self.table_[new.lower()]
                new = match_case(options[int(pick[j] * len(options))], new)
            out += [text[last:m.start()], new]
            last = m.end()
        return "".join(out) + text[last:], len(known), int(hit.sum())
