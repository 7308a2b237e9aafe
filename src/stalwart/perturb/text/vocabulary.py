"""Out-of-vocabulary words: known words replaced by strings the clean corpus never held.

``fit`` learns the vocabulary of the clean texts (their words, lower-cased). ``transform``
replaces each word with probability ``rate`` (severity 1..5: 5%, 10%, 20%, 30%, 50% of
words) by a pseudo-word of random letters a-z of the same length (at least 3, at most 12),
in the word's casing, that is not in the vocabulary (a letter "q" is appended until it is
not). A model meets words it has never seen, as with names, slang or misspellings it was
not trained on.

The note gives the vocabulary size and the share of words of the perturbed input that
were already unknown before the replacement (``oov_share_before``).

>>> p = OOVWords(severity=5, random_state=0).fit(["the film was good", "a bad film"])
>>> p.transform(["The film was good"])
['The hvra cwa arnq']
>>> p.vocabulary_size_
6
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ...exceptions import DataError
from ..base import register_perturbation
from .base import WORD, TextPerturbation, as_texts, match_case, touched

__all__ = ["OOVWords"]

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_LONGEST = 12


@register_perturbation
class OOVWords(TextPerturbation):
    """Replace a share of the words by pseudo-words outside the fitted vocabulary."""

    name = "oov_words"
    rates: ClassVar[tuple[float, ...]] = (0.05, 0.1, 0.2, 0.3, 0.5)
    unit = "word"

    def __init__(self, *, severity: int = 1, random_state: object = None) -> None:
        self.severity = severity
        self.random_state = random_state

    def _fit(self, X: Any) -> None:
        texts, _ = as_texts(X, what="clean texts")
        vocabulary = {m.group().lower() for t in texts if t for m in WORD.finditer(t)}
        if not vocabulary:
            raise DataError("clean texts", expected="texts with words, to learn the vocabulary",
                            got=f"{len(texts)} texts without a single word",
                            fix="fit on the clean corpus the model was trained on")
        self.vocabulary_ = frozenset(vocabulary)
        self.vocabulary_size_ = len(vocabulary)

    def _transform(self, X: Any) -> Any:
        self.n_words_ = self.n_unknown_ = 0
        return super()._transform(X)

    def _detail(self) -> dict[str, Any]:
        return {"vocabulary_size": self.vocabulary_size_,
                "oov_share_before": self.n_unknown_ / self.n_words_ if self.n_words_ else None}

    def _pseudo_word(self, word: str, letters: np.ndarray) -> str:
        size = min(max(len(word), 3), _LONGEST)
        new = "".join(_ALPHABET[i] for i in letters[:size])
        while new in self.vocabulary_:
            new += "q"
        return match_case(new, word)

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        words = list(WORD.finditer(text))
        hit = touched(rng, len(words), rate)
        letters = rng.integers(len(_ALPHABET), size=(len(words), _LONGEST))
        self.n_words_ += len(words)
        self.n_unknown_ += sum(m.group().lower() not in self.vocabulary_ for m in words)
        out, last = [], 0
        for j, m in enumerate(words):
            new = self._pseudo_word(m.group(), letters[j]) if hit[j] else m.group()
            out += [text[last:m.start()], new]
            last = m.end()
        return "".join(out) + text[last:], len(words), int(hit.sum())
