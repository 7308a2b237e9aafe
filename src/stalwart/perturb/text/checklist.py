"""CheckList tests (Ribeiro et al. 2020, "Beyond accuracy: behavioral testing of NLP models
with CheckList", ACL): three kinds of behavioural test of a text classifier.

- :class:`MFT` (minimum functionality): sentences filled in from a template must get the
  expected label: ``MFT("I {verb} this {thing}.", {"verb": ["love", "enjoy"], "thing":
  ["movie", "book"]}, expected=1)``. ``expected`` may instead map one placeholder's words
  to labels: ``expected={"verb": {"love": 1, "hate": 0}}`` (that placeholder's words are
  then taken from the mapping).
- :class:`INV` (invariance): a change that should not matter must not change the predicted
  label: ``INV(texts, "names")`` swaps first names, ``"places"`` cities and countries,
  ``"neutral"`` neutral words (weekdays, colours, "this"/"that"), all from
  :mod:`.lexicon`; or any text :class:`~stalwart.perturb.base.Perturbation` (typos...), or a
  function text -> list of variants.
- :class:`DIR` (directional expectation): a change must move the probability of the
  originally predicted class in a stated ``direction``: ``DIR(texts, "negation")`` expects
  it to go ``"down"`` (by more than ``margin``), ``DIR(texts, "intensifiers")`` expects
  it not to go down (``"not_down"``: it may fall by ``margin`` at most). The other
  directions are ``"up"``, ``"not_up"`` and ``"flip"`` (the label must change; needs no
  probabilities).

A test only describes what to generate; :func:`~.checklist_run.run_checklist` draws the
cases (seeded) and asks the model. A text an INV or DIR edit cannot apply to (no name to
swap, no auxiliary to negate) is counted as not applicable, never as a pass.

>>> test = MFT("I {verb} it", {}, expected={"verb": {"love": 1, "hate": 0}})
>>> [(c.variants, c.expected) for c in test.cases(np.random.default_rng(0))]
[(('I love it',), 1), (('I hate it',), 0)]
"""

from __future__ import annotations

import copy
import itertools
import string
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from ...exceptions import ParameterError
from ..base import Perturbation
from .base import as_texts
from .lexicon import INTENSIFIERS, NAMES, NEUTRAL_GROUPS, PLACES, intensify, negate, swap

__all__ = ["DIR", "DIRECTIONS", "INV", "MFT", "Case", "Test"]

DIRECTIONS = ("down", "up", "not_down", "not_up", "flip")
_SWAPS = ("names", "places", "neutral")
_DIR_EDITS = {"negation": "down", "intensifiers": "not_down"}


@dataclass(frozen=True)
class Case:
    """One case: the original text (None for an MFT case), its variants and, for an MFT,
    the expected label."""

    original: str | None
    variants: tuple[str, ...]
    expected: Any = None


def _sample(items: list[Any], limit: int, rng: np.random.Generator) -> list[Any]:
    if len(items) <= limit:
        return items
    keep = np.sort(rng.choice(len(items), size=limit, replace=False))
    return [items[i] for i in keep]


def _check_limit(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(what, expected="a positive integer", got=repr(value),
                             fix="pass e.g. 500")
    return int(value)


@dataclass(frozen=True)
class MFT:
    """Minimum functionality test: every filled-in template must get its expected label."""

    template: str
    fillers: Mapping[str, Sequence[str]]
    expected: Any
    _: KW_ONLY
    name: str | None = None
    max_cases: int = 500
    kind = "MFT"

    def title(self) -> str:
        return self.name or f"MFT: {self.template}"

    def cases(self, rng: np.random.Generator) -> list[Case]:
        limit = _check_limit(self.max_cases, "MFT max_cases")
        fields = [f for _, f, _, _ in string.Formatter().parse(self.template) if f]
        labelled = self.expected if isinstance(self.expected, Mapping) else {}
        if len(labelled) > 1 or (labelled and not all(
                isinstance(v, Mapping) for v in labelled.values())):
            raise ParameterError("MFT expected", expected="a label, or {placeholder: {word: "
                                 "label}} for one placeholder", got=repr(self.expected),
                                 fix="e.g. expected={'verb': {'love': 1, 'hate': 0}}")
        words = {**{k: list(v) for k, v in dict(self.fillers).items()},
                 **{k: list(v) for k, v in labelled.items()}}
        missing = sorted(set(fields) - set(words))
        empty = sorted(k for k in fields if k in words and
                       (isinstance(words[k], str) or not words[k]))
        if missing or empty or not fields:
            raise ParameterError(f"MFT template {self.template!r}", expected="a template with "
                                 "{placeholders}, each with a non-empty list of words",
                                 got=f"no words for {missing + empty}" if fields
                                 else "no placeholder", fix="give fillers={'name': ['word', "
                                 "...]} for every {name} in the template")
        fields = list(dict.fromkeys(fields))
        combos = list(itertools.product(*(words[f] for f in fields)))
        out = []
        for combo in _sample(combos, limit, rng):
            filled = dict(zip(fields, combo))
            key = next(iter(labelled), None)
            label = labelled[key][filled[key]] if key else self.expected
            out.append(Case(None, (self.template.format(**filled),), label))
        return out


def _texts(texts: Any, what: str) -> list[str]:
    values, _ = as_texts(texts, what=what)
    kept = [t for t in values if t]
    if not kept:
        raise ParameterError(what, expected="at least one non-empty text", got="none",
                             fix="pass the sentences to test")
    return kept


def _variants(edit: Any, text: str, n: int, rng: np.random.Generator) -> list[str]:
    """Variants of one text under an edit: a swap list name, a perturbation, a function."""
    if edit in ("names", "places"):
        pool = NAMES if edit == "names" else PLACES
        return swap(text, pool, [pool[i] for i in rng.permutation(len(pool))])[:n]
    if edit == "neutral":
        for group in NEUTRAL_GROUPS:
            found = swap(text, group, [group[i] for i in rng.permutation(len(group))],
                         ignore_case=True)
            if found:
                return found[:n]
        return []
    if edit == "negation":
        new = negate(text)
        return [] if new is None else [new]
    if edit == "intensifiers":
        return [v for v in (intensify(text, w) for w in INTENSIFIERS[:n]) if v is not None]
    if isinstance(edit, Perturbation):
        seeds = rng.integers(2**31, size=n)
        out = [edit.set_params(random_state=int(s)).transform([text])[0] for s in seeds]
        return [v for v in dict.fromkeys(out) if v != text]
    got = edit(text)
    return [got] if isinstance(got, str) else list(got or [])


def _check_edit(edit: Any, named: tuple[str, ...], what: str) -> None:
    if isinstance(edit, str) and edit not in named or not isinstance(edit, str) and not (
            isinstance(edit, Perturbation) or callable(edit)):
        raise ParameterError(what, expected=f"one of {named}, a text Perturbation or a "
                             "function text -> variants", got=repr(edit),
                             fix=f"e.g. {named[0]!r}")
    if isinstance(edit, Perturbation) and edit.kind != "text":
        raise ParameterError(what, expected="a text perturbation", got=f"a {edit.kind} one "
                             f"({type(edit).__name__})", fix="use e.g. Typos(severity=2)")


def _edited_cases(texts: Any, edit: Any, n: int, rng: np.random.Generator,
                  limit: int, what: str) -> list[Case]:
    kept = _sample(_texts(texts, what), limit, rng)
    if isinstance(edit, Perturbation):  # a copy: the caller's object keeps its seed
        edit = copy.deepcopy(edit)
        if not getattr(edit, "fitted_", False):
            edit.fit(kept)  # learns from the test's own texts (an OOV vocabulary, say)
    return [Case(t, tuple(_variants(edit, t, n, rng))) for t in kept]


@dataclass(frozen=True)
class INV:
    """Invariance test: the predicted label must not change under ``perturbation``."""

    texts: Any
    perturbation: Any
    _: KW_ONLY
    name: str | None = None
    n_variants: int = 3
    max_cases: int = 500
    kind = "INV"

    def title(self) -> str:
        what = self.perturbation if isinstance(self.perturbation, str) else \
            getattr(self.perturbation, "name", getattr(self.perturbation, "__name__", "edit"))
        return self.name or f"INV: {what}"

    def cases(self, rng: np.random.Generator) -> list[Case]:
        _check_edit(self.perturbation, _SWAPS, "INV perturbation")
        n = _check_limit(self.n_variants, "INV n_variants")
        return _edited_cases(self.texts, self.perturbation, n, rng,
                             _check_limit(self.max_cases, "INV max_cases"), "INV texts")


@dataclass(frozen=True)
class DIR:
    """Directional expectation test: the probability of the originally predicted class
    must move in ``direction`` under ``transform`` (default: "down" for negation,
    "not_down" for intensifiers)."""

    texts: Any
    transform: Any
    direction: str | None = None
    _: KW_ONLY
    name: str | None = None
    margin: float = 0.0
    n_variants: int = 3
    max_cases: int = 500
    kind = "DIR"

    def title(self) -> str:
        what = self.transform if isinstance(self.transform, str) else \
            getattr(self.transform, "name", getattr(self.transform, "__name__", "edit"))
        return self.name or f"DIR: {what} -> {self.expected_direction()}"

    def expected_direction(self) -> str:
        direction = self.direction
        if direction is None and isinstance(self.transform, str):
            direction = _DIR_EDITS.get(self.transform)
        if direction not in DIRECTIONS:
            raise ParameterError("DIR direction", expected=f"one of {DIRECTIONS} (a custom "
                                 "transform needs one)", got=repr(self.direction),
                                 fix="e.g. direction='down'")
        return direction

    def cases(self, rng: np.random.Generator) -> list[Case]:
        _check_edit(self.transform, tuple(_DIR_EDITS), "DIR transform")
        self.expected_direction()
        if isinstance(self.margin, bool) or not isinstance(self.margin, (int, float)) \
                or not 0 <= self.margin < 1:
            raise ParameterError("DIR margin", expected="a probability change in [0, 1)",
                                 got=repr(self.margin), fix="e.g. margin=0.05")
        n = _check_limit(self.n_variants, "DIR n_variants")
        return _edited_cases(self.texts, self.transform, n, rng,
                             _check_limit(self.max_cases, "DIR max_cases"), "DIR texts")


#: any CheckList test
Test = MFT | INV | DIR
