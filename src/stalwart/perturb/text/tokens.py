"""Unexpected tokens: emoji, URLs, HTML markup and numbers dropped into the text.

Each word is followed by an unexpected token with probability ``rate`` (severity 1..5:
5%, 10%, 15%, 25%, 40% of words); the token's kind is drawn uniformly from ``kinds``:

- ``"emoji"``: one of a fixed set of common emoji (faces, hands, hearts, objects);
- ``"url"``: ``https://`` + a host among example domains + a random path;
- ``"markup"``: the word is wrapped in an HTML tag (``<b>word</b>``, ``<i>``, ``<em>``,
  ``<span>``) or a ``<br/>`` follows it;
- ``"number"``: an integer (0-9999), a decimal or a percentage.

Words are kept; only tokens are added, separated by a space (markup wraps the word).

>>> p = UnexpectedTokens(severity=5, random_state=3).fit(["x"])
>>> p.transform(["what a lovely day it was"])
['what <br/> a https://example.net/p737837 lovely day <i>it</i> was']
>>> p.notes_[0].detail["edits"], p.notes_[0].detail["by_kind"]
(3, {'emoji': 0, 'markup': 2, 'number': 0, 'url': 1})
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..base import register_perturbation
from .base import WORD, TextPerturbation, subset_of, touched

__all__ = ["UnexpectedTokens"]

_KINDS = ("emoji", "url", "markup", "number")
_EMOJI = ("\U0001F600", "\U0001F602", "\U0001F60D", "\U0001F622", "\U0001F621",
          "\U0001F44D", "\U0001F44E", "\U0001F64F", "\u2764\ufe0f", "\U0001F525",
          "\U0001F389", "\U0001F4AF", "\u2728", "\U0001F914", "\U0001F680", "\U0001F4F1")
_HOSTS = ("example.com", "example.org", "example.net", "test.example")
_TAGS = ("b", "i", "em", "span")


def _token(kind: str, word: str, u: np.ndarray) -> tuple[str, str]:
    """(text before the word, text after it) for one token of ``kind``; ``u`` holds four
    uniform numbers that fix the token's content."""
    if kind == "emoji":
        return "", " " + _EMOJI[int(u[0] * len(_EMOJI))]
    if kind == "url":
        return "", f" https://{_HOSTS[int(u[0] * len(_HOSTS))]}/p{int(u[1] * 10**6):06d}"
    if kind == "markup":
        if u[0] < 0.2:
            return "", " <br/>"
        tag = _TAGS[int(u[1] * len(_TAGS))]
        return f"<{tag}>", f"</{tag}>"
    if u[0] < 0.5:
        return "", f" {int(u[1] * 10000)}"
    if u[0] < 0.75:
        return "", f" {u[1] * 100:.2f}"
    return "", f" {int(u[1] * 100)}%"


@register_perturbation
class UnexpectedTokens(TextPerturbation):
    """Insert emoji, URLs, markup or numbers after a share of the words."""

    name = "unexpected_tokens"
    rates: ClassVar[tuple[float, ...]] = (0.05, 0.1, 0.15, 0.25, 0.4)
    unit = "word"

    def __init__(self, *, severity: int = 1, random_state: object = None,
                 kinds: tuple[str, ...] = _KINDS) -> None:
        self.severity = severity
        self.random_state = random_state
        self.kinds = kinds

    def _fit(self, X: object) -> None:
        self.kinds_ = subset_of(self.kinds, _KINDS, what="UnexpectedTokens kinds",
                                example="kinds=('emoji', 'url')")

    def _transform(self, X: Any) -> Any:
        self.by_kind_ = dict.fromkeys(sorted(_KINDS), 0)
        return super()._transform(X)

    def _detail(self) -> dict[str, Any]:
        return {"by_kind": dict(self.by_kind_)}

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        words = list(WORD.finditer(text))
        hit = touched(rng, len(words), rate)
        kind = rng.integers(len(self.kinds_), size=len(words))
        u = rng.random((len(words), 4))
        out, last = [], 0
        for j, m in enumerate(words):
            before = after = ""
            if hit[j]:
                k = self.kinds_[kind[j]]
                before, after = _token(k, m.group(), u[j])
                self.by_kind_[k] += 1
            out += [text[last:m.start()], before, m.group(), after]
            last = m.end()
        return "".join(out) + text[last:], len(words), int(hit.sum())
