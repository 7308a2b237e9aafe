"""Surface perturbations that keep every word: casing, punctuation and whitespace.

- :class:`Casing`: each word (a run of letters) is re-cased with probability ``rate``
  (severity 1..5: 10%, 20%, 30%, 50%, 80% of words) by one of ``modes`` ("upper",
  "lower", "title", "swapcase"), chosen at random among those that change the word.
- :class:`Punctuation`: each word gets a mark after it (",", ".", "!", "?", ";", ":",
  "...") and each existing mark (any Unicode punctuation that is not inside a word, as the
  apostrophe of "don't" is) is deleted, each with probability ``rate`` (5%, 10%, 20%, 30%,
  50%); ``mode`` "add" or "remove" does only one of the two.
- :class:`Whitespace`: each gap between two non-space characters is widened (two or three
  spaces, a tab or a line break added) or removed (the words on either side join), with
  probability ``rate`` (5%, 10%, 20%, 30%, 50%); ``mode`` "extra" or "remove" does one.

>>> Casing(severity=5, random_state=1).fit(["x"]).transform(["I really like this movie"])
['i really Like this Movie']
>>> Whitespace(severity=5, random_state=0, mode="remove").fit(["x"]).transform(["a b c d"])
['a bcd']
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

import numpy as np

from ...exceptions import ParameterError
from ..base import register_perturbation
from .base import WORD, TextPerturbation, touched

__all__ = ["Casing", "Punctuation", "Whitespace"]

_CASINGS = ("upper", "lower", "title", "swapcase")
_MARKS = (",", ".", "!", "?", ";", ":", "...")
_EXTRA = (" ", "  ", "\t", "\n")
_GAP = re.compile(r"(?<=\S)\s+(?=\S)")


def _recase(word: str, mode: str) -> str:
    return word[:1].upper() + word[1:].lower() if mode == "title" else getattr(word, mode)()


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ParameterError(what, expected=f"one of {allowed}", got=repr(value),
                             fix=f"pass e.g. {allowed[0]!r}")


@register_perturbation
class Casing(TextPerturbation):
    """Re-case a share of the words (see the module docstring)."""

    name = "casing"
    rates: ClassVar[tuple[float, ...]] = (0.1, 0.2, 0.3, 0.5, 0.8)
    unit = "word"

    def __init__(self, *, severity: int = 1, random_state: object = None,
                 modes: tuple[str, ...] = _CASINGS) -> None:
        self.severity = severity
        self.random_state = random_state
        self.modes = modes

    def _fit(self, X: object) -> None:
        modes = (self.modes,) if isinstance(self.modes, str) else tuple(self.modes)
        if not modes or any(m not in _CASINGS for m in modes):
            raise ParameterError("Casing modes", expected=f"a non-empty subset of {_CASINGS}",
                                 got=repr(self.modes), fix="e.g. modes=('upper', 'lower')")
        self.modes_ = modes

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        words = list(WORD.finditer(text))
        hit = touched(rng, len(words), rate)
        start = rng.integers(len(self.modes_), size=len(words))
        out, last, edits = [], 0, 0
        for j, m in enumerate(words):
            new = m.group()
            if hit[j]:  # the first mode, from a random start, that changes the word
                for k in range(len(self.modes_)):
                    cased = _recase(new, self.modes_[(start[j] + k) % len(self.modes_)])
                    if cased != new:
                        new, edits = cased, edits + 1
                        break
            out += [text[last:m.start()], new]
            last = m.end()
        return "".join(out) + text[last:], len(words), edits


def _is_mark(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


@register_perturbation
class Punctuation(TextPerturbation):
    """Add marks after words and delete existing marks (see the module docstring)."""

    name = "punctuation"
    rates: ClassVar[tuple[float, ...]] = (0.05, 0.1, 0.2, 0.3, 0.5)
    unit = "word or mark"

    def __init__(self, *, severity: int = 1, random_state: object = None,
                 mode: str = "both") -> None:
        self.severity = severity
        self.random_state = random_state
        self.mode = mode

    def _fit(self, X: object) -> None:
        _choice(self.mode, ("both", "add", "remove"), "Punctuation mode")

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        ends = {m.end() for m in WORD.finditer(text)}
        inner = {i for m in WORD.finditer(text) for i in range(m.start(), m.end())}
        marks = [i for i, c in enumerate(text) if _is_mark(c) and i not in inner]
        add, remove = self.mode in ("both", "add"), self.mode in ("both", "remove")
        n_words, n_marks = len(ends) if add else 0, len(marks) if remove else 0
        hit_add = touched(rng, n_words, rate)
        pick = rng.integers(len(_MARKS), size=n_words)
        hit_remove = touched(rng, n_marks, rate)
        insert = {e: _MARKS[p] for e, h, p in zip(sorted(ends) if add else [], hit_add, pick)
                  if h}
        drop = {i for i, h in zip(marks if remove else [], hit_remove) if h}
        out = []
        for i, c in enumerate(text):
            out.append(insert.get(i, ""))
            out.append("" if i in drop else c)
        out.append(insert.get(len(text), ""))
        return "".join(out), n_words + n_marks, len(insert) + len(drop)


@register_perturbation
class Whitespace(TextPerturbation):
    """Widen or remove the gaps between words (see the module docstring)."""

    name = "whitespace"
    rates: ClassVar[tuple[float, ...]] = (0.05, 0.1, 0.2, 0.3, 0.5)
    unit = "gap"

    def __init__(self, *, severity: int = 1, random_state: object = None,
                 mode: str = "both") -> None:
        self.severity = severity
        self.random_state = random_state
        self.mode = mode

    def _fit(self, X: object) -> None:
        _choice(self.mode, ("both", "extra", "remove"), "Whitespace mode")

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        gaps = list(_GAP.finditer(text))
        hit = touched(rng, len(gaps), rate)
        widen = {"both": rng.random(len(gaps)) < 0.5, "extra": np.ones(len(gaps), bool),
                 "remove": np.zeros(len(gaps), bool)}[self.mode]
        pick = rng.integers(len(_EXTRA), size=len(gaps))
        out, last = [], 0
        for j, m in enumerate(gaps):
            new = m.group()
            if hit[j]:
                new = new + _EXTRA[pick[j]] if widen[j] else ""
            out += [text[last:m.start()], new]
            last = m.end()
        return "".join(out) + text[last:], len(gaps), int(hit.sum())
