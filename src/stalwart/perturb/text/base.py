"""What every text perturbation shares: texts in, texts of the same type out, one note.

A text perturbation takes a list, tuple, pandas Series or 1-D numpy array of strings and
returns the same type (a Series keeps its index and name). Missing entries (None, NaN) are
left as they are and counted in the note. Each perturbation works on *units* (letters,
words, gaps between words, punctuation marks) and touches each unit independently with the
probability its severity gives (:attr:`TextPerturbation.rates`, one per level, increasing).

One uniform number is drawn per unit whatever the severity, and a unit is touched when its
number is below the rate; with one seed a higher severity therefore touches a superset of
the units a lower one touched, so degradation curves are monotone by construction.

After ``transform``, ``notes_`` holds one note for "text": the rate, the units that could
be touched (``eligible``), the edits made, the share of texts changed and the count of
missing entries; when no text held a unit it could touch, the note says so (applied False).

>>> texts, rebuild = as_texts(("a b", None))
>>> texts, rebuild(["x", None])
(['a b', None], ('x', None))
>>> [m.group() for m in WORD.finditer("Don't stop, 2 fish!")]
["Don't", 'stop', 'fish']
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...exceptions import DataError, ParameterError
from ..base import Perturbation, PerturbationNote

__all__ = ["WORD", "TextPerturbation", "as_texts", "match_case", "subset_of", "touched"]

#: a word: letters, with inner apostrophes (don't, O'Neil); digits and "_" are not words
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def as_texts(X: Any, *, what: str = "texts") -> tuple[list[Any], Callable[[list[Any]], Any]]:
    """The texts of ``X`` as a list (missing entries kept), and a function that puts a
    list of the same length back into ``X``'s type."""
    if isinstance(X, (str, bytes)):
        raise DataError(what, expected="a sequence of texts (list, tuple, Series, 1-D array)",
                        got="a single string", fix="wrap it in a list: [text]")
    if isinstance(X, pd.DataFrame):
        raise DataError(what, expected="one column of texts", got=f"a DataFrame with "
                        f"{X.shape[1]} columns", fix="pass the text column: frame['review']")
    if isinstance(X, pd.Series):
        values = X.tolist()

        def rebuild(out: list[Any]) -> Any:
            # a string dtype is kept (its missing marker too); a categorical is not: new
            # strings are not among its categories
            dtype = X.dtype if pd.api.types.is_string_dtype(X.dtype) else object
            return pd.Series(out, index=X.index, name=X.name, dtype=dtype)
    elif isinstance(X, np.ndarray):
        if X.ndim != 1:
            raise DataError(what, expected="a 1-D array of texts", got=f"an array of shape "
                            f"{X.shape}", fix="flatten it (X.ravel()) or pass one column")
        values = X.tolist()

        def rebuild(out: list[Any]) -> Any:
            return np.array(out, dtype=object if X.dtype == object else None)
    elif isinstance(X, (list, tuple)):
        values = list(X)

        def rebuild(out: list[Any]) -> Any:
            return type(X)(out) if isinstance(X, tuple) else list(out)
    else:
        raise DataError(what, expected="a list, tuple, pandas Series or 1-D numpy array of "
                        "strings", got=f"an object of type {type(X).__name__}",
                        fix="pass the texts as a list of strings")
    bad = [(i, v) for i, v in enumerate(values) if not isinstance(v, str) and not _missing(v)]
    if bad:
        i, v = bad[0]
        raise DataError(what, expected="strings (or None for a missing text)",
                        got=f"{len(bad)} non-string entries, the first at position {i}: "
                        f"{v!r} ({type(v).__name__})", fix="convert them with str() or drop "
                        "them; a text perturbation only takes text")
    return [None if _missing(v) else v for v in values], rebuild


def match_case(new: str, like: str) -> str:
    """``new`` in the casing of ``like`` (UPPER, Title or lower).

    >>> match_case("film", "MOVIE"), match_case("film", "Movie"), match_case("film", "movie")
    ('FILM', 'Film', 'film')
    """
    if like.isupper() and len(like) > 1:
        return new.upper()
    if like[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


class TextPerturbation(Perturbation):
    """Base of the text perturbations: subclasses set ``name``, ``rates`` (touch
    probability per severity 1..5, increasing), ``unit`` (what a rate counts), and
    implement ``_perturb(text, rng, rate) -> (new_text, eligible, edits)``."""

    kind: ClassVar[str] = "text"
    rates: ClassVar[tuple[float, ...]]
    unit: ClassVar[str]

    @property
    def rate(self) -> float:
        """The probability each unit is touched at this severity."""
        return self.rates[int(self.severity) - 1]

    def _transform(self, X: Any) -> Any:
        texts, rebuild = as_texts(X)
        rng = self.rng()
        out: list[Any] = []
        eligible = edits = changed = missing = 0
        for text in texts:
            if text is None:
                missing += 1
                out.append(None)
                continue
            new, n_units, n_edits = self._perturb(text, rng, self.rate)
            eligible += n_units
            edits += n_edits
            changed += new != text
            out.append(new)
        n_texts = len(texts) - missing
        detail = {"severity": int(self.severity), "rate": self.rate, "unit": self.unit,
                  "n_texts": n_texts, "n_missing": missing, "eligible": eligible,
                  "edits": edits, "edit_share": edits / eligible if eligible else None,
                  "share_texts_changed": changed / n_texts if n_texts else None,
                  **self._detail()}
        if eligible:
            self.notes_.append(PerturbationNote("text", True, detail=detail))
        else:
            why = (f"no text held a {self.unit} this perturbation can change"
                   if n_texts else "every text is missing")
            self.notes_.append(PerturbationNote("text", False, reason=why, detail=detail))
        return rebuild(out)

    def _detail(self) -> dict[str, Any]:
        """Extra facts for the note (e.g. the vocabulary size)."""
        return {}

    @abstractmethod
    def _perturb(self, text: str, rng: np.random.Generator,
                 rate: float) -> tuple[str, int, int]:
        """One text perturbed: the new text, the units that could change, the edits made."""


def subset_of(value: Any, allowed: tuple[str, ...], *, what: str,
              example: str) -> tuple[str, ...]:
    """``value`` (one name or several) as a non-empty tuple of names among ``allowed``, or a
    :class:`ParameterError` naming ``what`` and showing ``example``."""
    chosen = (value,) if isinstance(value, str) else tuple(value)
    if not chosen or any(k not in allowed for k in chosen):
        raise ParameterError(what, expected=f"a non-empty subset of {allowed}",
                             got=repr(value), fix=f"e.g. {example}")
    return chosen


def touched(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """Which of ``n`` units are touched: one uniform draw per unit (nested across rates)."""
    return rng.random(n) < rate
