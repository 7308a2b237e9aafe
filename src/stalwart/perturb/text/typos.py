"""Typos: letters hit by a neighbouring key, swapped with the next letter, or dropped.

Each letter of a text is mistyped independently with probability ``rate`` (severity 1..5:
2%, 4%, 8%, 12%, 20% of letters), so the number of typos in a text of ``n`` letters is
Binomial(n, rate). A mistyped letter gets one of ``kinds``, chosen uniformly:

- ``"neighbour"``: replaced by a key next to it on a QWERTY keyboard (same case);
- ``"swap"``: exchanged with the next letter of the word (the previous one at a word's
  end); when both letters are the same, or the word has one letter, a neighbour key is
  used instead so the typo always changes the text;
- ``"drop"``: deleted.

Only letters a-z (either case) are mistyped; digits, accents and punctuation are kept. The
note counts the letters (``eligible``) and the typos made (``edits``).

>>> t = Typos(severity=5, random_state=0, kinds=("neighbour",)).fit(["x"])
>>> t.transform(["the quick brown fox jumps over the lazy dog"])
['thw wuick broan coz jumpa kver the lazy xog']
>>> t.notes_[0].detail["edits"], t.notes_[0].detail["eligible"]
(8, 35)
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ..base import register_perturbation
from .base import TextPerturbation, subset_of, touched

__all__ = ["QWERTY_NEIGHBOURS", "Typos"]

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    """Keys next to each letter on a QWERTY keyboard: left and right on its row, and the
    keys above and below that touch it (rows are offset by half a key)."""
    where = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
    found: dict[str, str] = {}
    for c, (r, i) in where.items():
        near = []
        for rr, ii in ((r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1),
                       (r + 1, i)):
            if 0 <= rr < len(_ROWS) and 0 <= ii < len(_ROWS[rr]):
                near.append(_ROWS[rr][ii])
        found[c] = "".join(sorted(near))
    return found


#: letter -> the letters of its neighbouring QWERTY keys
QWERTY_NEIGHBOURS: dict[str, str] = _neighbours()
_KINDS = ("neighbour", "swap", "drop")


def _is_letter(c: str) -> bool:
    return c.lower() in QWERTY_NEIGHBOURS


@register_perturbation
class Typos(TextPerturbation):
    """Keyboard typos on a share of the letters (see the module docstring)."""

    name = "typos"
    rates: ClassVar[tuple[float, ...]] = (0.02, 0.04, 0.08, 0.12, 0.2)
    unit = "letter"

    def __init__(self, *, severity: int = 1, random_state: object = None,
                 kinds: tuple[str, ...] = _KINDS) -> None:
        self.severity = severity
        self.random_state = random_state
        self.kinds = kinds

    def _fit(self, X: object) -> None:
        self.kinds_ = subset_of(self.kinds, _KINDS, what="Typos kinds",
                                example="kinds=('neighbour', 'drop')")

    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        letters = [i for i, c in enumerate(text) if _is_letter(c)]
        n = len(letters)
        hit = touched(rng, n, rate)
        kind = rng.integers(len(self.kinds_), size=n)
        pick = rng.random(n)
        out = list(text)
        for j in np.flatnonzero(hit):
            i = letters[j]
            k = self.kinds_[kind[j]]
            if k == "drop":
                out[i] = ""
                continue
            if k == "swap":
                other = i + 1 if i + 1 < len(out) and _is_letter(out[i + 1]) else i - 1
                if 0 <= other < len(out) and _is_letter(out[other]) \
                        and out[other].lower() != out[i].lower():
                    out[i], out[other] = out[other], out[i]
                    continue
            keys = QWERTY_NEIGHBOURS[out[i].lower()]
            key = keys[int(pick[j] * len(keys))]
            out[i] = key.upper() if out[i].isupper() else key
        return "".join(out), n, int(hit.sum())
