"""Out-of-vocabulary novelty for text: the share of a text's words never seen in training.

Words are scikit-learn ``CountVectorizer`` tokens (lower-cased, ``token_pattern`` words of two
or more letters or digits by default); the vocabulary is every word of the training part of
the reference (``min_count`` raises the bar). The score of a text is the share of its tokens
outside the vocabulary (0 for a text with no tokens); the threshold on that share is
split-conformal (see :mod:`.base`), so rare-but-normal words in reference-like texts are
accounted for. Each result lists the unseen words of every text.

>>> ref = ["the cat sat on the mat", "a dog sat on a log", "the cat and the dog"] * 100
>>> det = OOVNovelty(false_flag_rate=0.05).fit(ref)
>>> r = det.detect(["the cat sat", "quantum chromodynamics lattice cat"])
>>> r.flags.tolist(), r.details[1]["unseen_words"]
([False, True], ['quantum', 'chromodynamics', 'lattice'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from ._text import TextNovelty

__all__ = ["OOVNovelty"]


class OOVNovelty(TextNovelty):
    """Flag texts with an unusual share of words absent from the training vocabulary."""

    method = "oov"

    def __init__(self, *, lowercase: bool = True, token_pattern: str = r"(?u)\b\w\w+\b",
                 min_count: int = 1, column: str | None = None, false_flag_rate: float = 0.01,
                 calibration_size: float = 0.3, random_state: int | None = 0,
                 top_k: int = 10) -> None:
        super().__init__(column=column, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.min_count = min_count

    def _fit_model(self, items: list[str]) -> None:
        self.analyzer_ = CountVectorizer(lowercase=self.lowercase,
                                         token_pattern=self.token_pattern).build_analyzer()
        counts: dict[str, int] = {}
        for text in items:
            for tok in self.analyzer_(text):
                counts[tok] = counts.get(tok, 0) + 1
        self.vocabulary_ = frozenset(t for t, c in counts.items() if c >= self.min_count)

    def _unseen(self, text: str) -> tuple[list[str], int]:
        tokens = self.analyzer_(text)
        unseen = [t for t in tokens if t not in self.vocabulary_]
        return unseen, len(tokens)

    def _score_items(self, items: list[str]) -> np.ndarray:
        out = np.zeros(len(items))
        for i, text in enumerate(items):
            unseen, n = self._unseen(text)
            out[i] = len(unseen) / n if n else 0.0
        return out

    def _details(self, items: list[str], scores: np.ndarray) -> list[dict[str, Any]]:
        out = []
        for text in items:
            unseen, n = self._unseen(text)
            out.append({"unseen_words": list(dict.fromkeys(unseen)), "n_words": n,
                        "n_unseen": len(unseen)})
        return out

    def _params(self) -> dict[str, Any]:
        return {"vocabulary_size": len(self.vocabulary_), "min_count": self.min_count,
                "lowercase": self.lowercase}
