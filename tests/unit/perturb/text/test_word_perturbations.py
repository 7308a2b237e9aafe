"""Casing, punctuation, whitespace, unexpected tokens, out-of-vocabulary words, synonyms:
each touches the stated share of its units, does exactly what it says, and is seeded."""

import re

import numpy as np
import pytest
from scipy.stats import binomtest

from stalwart.exceptions import DataError, ParameterError
from stalwart.perturb.text import (SYNONYMS, Casing, OOVWords, Punctuation, Synonyms,
                                   UnexpectedTokens, Whitespace)
from stalwart.perturb.text.base import WORD
from stalwart.perturb.text.synonym_table import GROUPS

ALL = [Casing, Punctuation, Whitespace, UnexpectedTokens, OOVWords, Synonyms]


def _words(text):
    return [m.group() for m in WORD.finditer(text)]


def _binomial_ok(k, n, p):
    return binomtest(k, n, p).pvalue > 0.001


@pytest.mark.parametrize("cls", ALL)
def test_edits_grow_with_severity_and_seed_repeats(cls, corpus):
    texts, _ = corpus
    edits = []
    for severity in (1, 2, 3, 4, 5):
        p = cls(severity=severity, random_state=4).fit(texts)
        out = p.transform(texts)
        assert out == cls(severity=severity, random_state=4).fit(texts).transform(texts)
        edits.append(p.notes_[0].detail["edits"])
        assert p.notes_[0].applied and p.notes_[0].detail["n_texts"] == len(texts)
    assert edits == sorted(edits) and edits[0] < edits[-1]


def test_casing_rate_and_only_case_changes(corpus):
    texts, _ = corpus
    p = Casing(severity=3, random_state=0).fit(texts)
    out = p.transform(texts)
    d = p.notes_[0].detail
    before = [w for t in texts for w in _words(t)]
    after = [w for t in out for w in _words(t)]
    assert [w.lower() for w in before] == [w.lower() for w in after]
    changed = sum(a != b for a, b in zip(before, after))
    assert changed == d["edits"] and d["eligible"] == len(before)
    assert _binomial_ok(changed, len(before), 0.3)


def test_casing_upper_only():
    p = Casing(severity=5, random_state=0, modes=("upper",)).fit(["x"])
    out = p.transform(["one two three four five six seven eight nine ten"])[0]
    assert all(w in (w.lower(), w.upper()) for w in out.split())
    assert sum(w.isupper() for w in out.split()) == p.notes_[0].detail["edits"]


def test_punctuation_remove_and_add_counts(corpus):
    texts, _ = corpus
    marks = sum(c in ".,!?;:" for t in texts for c in t)
    rm = Punctuation(severity=4, random_state=0, mode="remove").fit(texts)
    out = rm.transform(texts)
    assert rm.notes_[0].detail["eligible"] == marks
    assert marks - sum(c in ".,!?;:" for t in out for c in t) == rm.notes_[0].detail["edits"]
    assert [_words(t) for t in out] == [_words(t) for t in texts]
    add = Punctuation(severity=4, random_state=0, mode="add").fit(texts)
    out = add.transform(texts)
    n_words = sum(len(_words(t)) for t in texts)
    assert add.notes_[0].detail["eligible"] == n_words
    assert _binomial_ok(add.notes_[0].detail["edits"], n_words, 0.3)
    assert [_words(t) for t in out] == [_words(t) for t in texts]
    # the apostrophe inside a word is not a mark
    assert rm.set_params(severity=5).fit(["x"]).transform(["don't"]) == ["don't"]


def test_whitespace_modes(corpus):
    texts, _ = corpus
    extra = Whitespace(severity=5, random_state=0, mode="extra").fit(texts)
    out = extra.transform(texts)
    assert [t.split() for t in out] == [t.split() for t in texts]
    gaps = sum(len(t.split()) - 1 for t in texts)
    assert extra.notes_[0].detail["eligible"] == gaps
    assert _binomial_ok(extra.notes_[0].detail["edits"], gaps, 0.5)
    rm = Whitespace(severity=3, random_state=0, mode="remove").fit(texts)
    out = rm.transform(texts)
    assert gaps - sum(len(t.split()) - 1 for t in out) == rm.notes_[0].detail["edits"]
    assert [t.replace(" ", "") for t in out] == [t.replace(" ", "") for t in texts]


def test_unexpected_tokens_by_kind(corpus):
    texts, _ = corpus
    p = UnexpectedTokens(severity=5, random_state=0).fit(texts)
    out = p.transform(texts)
    d = p.notes_[0].detail
    assert sum(d["by_kind"].values()) == d["edits"]
    assert sum(len(re.findall(r"https://", t)) for t in out) == d["by_kind"]["url"]
    assert all(v > 0 for v in d["by_kind"].values())
    n_words = sum(len(_words(t)) for t in texts)
    assert _binomial_ok(d["edits"], n_words, 0.4)
    only = UnexpectedTokens(severity=5, random_state=0, kinds=("emoji",)).fit(texts)
    emoji = only.transform(texts)
    # emoji only: dropping " <emoji>" gives the text back
    assert [re.sub(r" [^\x00-\x7f]+", "", t) for t in emoji] == texts
    assert emoji != texts


def test_oov_words_are_outside_the_vocabulary(corpus):
    texts, _ = corpus
    p = OOVWords(severity=3, random_state=0).fit(texts)
    out = p.transform(texts)
    vocab = {w.lower() for t in texts for w in _words(t)}
    assert p.vocabulary_size_ == len(vocab)
    before = [w for t in texts for w in _words(t)]
    after = [w for t in out for w in _words(t)]
    assert len(before) == len(after)
    replaced = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(replaced) == p.notes_[0].detail["edits"]
    assert all(b.lower() not in vocab for _, b in replaced)
    assert _binomial_ok(len(replaced), len(before), 0.2)
    assert p.notes_[0].detail["oov_share_before"] == 0.0
    with pytest.raises(DataError, match="vocabulary"):
        OOVWords().fit(["123", None])


def test_synonym_table_is_consistent():
    words = [w for g in GROUPS for w in g]
    assert len(words) == len(set(words)) == len(SYNONYMS) and len(SYNONYMS) >= 400
    assert all(w.islower() and w.isalpha() and len(g) >= 2 for g in GROUPS for w in g)


def test_synonyms_replace_within_groups(corpus):
    texts, _ = corpus
    p = Synonyms(severity=5, random_state=0).fit(texts)
    out = p.transform(texts)
    before = [w for t in texts for w in _words(t)]
    after = [w for t in out for w in _words(t)]
    known = [w for w in before if w.lower() in SYNONYMS]
    d = p.notes_[0].detail
    assert d["eligible"] == len(known) == d["edits"]  # severity 5 replaces every one
    assert d["coverage"] == pytest.approx(len(known) / len(before))
    for a, b in zip(before, after):
        assert a == b or b.lower() in SYNONYMS[a.lower()]
    half = Synonyms(severity=3, random_state=0).fit(texts)
    half.transform(texts)
    assert _binomial_ok(half.notes_[0].detail["edits"], len(known), 0.6)


def test_synonyms_custom_table_and_errors():
    p = Synonyms(severity=5, random_state=0, table={"Film": ["movie"]}).fit(["x"])
    assert p.transform(["A FILM and a film"]) == ["A MOVIE and a movie"]
    assert Synonyms(table={"zzz": ["y"]}).fit(["x"]).transform(["a b"]) == ["a b"]
    with pytest.raises(ParameterError, match="mapping"):
        Synonyms(table=[("a", "b")]).fit(["x"])
    with pytest.raises(ParameterError, match="list of non-empty strings"):
        Synonyms(table={"a": "b"}).fit(["x"])


@pytest.mark.parametrize("cls,kw", [(Punctuation, {"mode": "all"}),
                                    (Whitespace, {"mode": "tabs"}),
                                    (Casing, {"modes": ()}),
                                    (UnexpectedTokens, {"kinds": ("gif",)})])
def test_bad_options(cls, kw):
    with pytest.raises(ParameterError):
        cls(**kw).fit(["x"])


def test_missing_texts_only():
    p = Casing(severity=5, random_state=0).fit(["x"])
    out = p.transform(np.array([None, None], dtype=object))
    assert out.tolist() == [None, None]
    assert not p.notes_[0].applied and p.notes_[0].reason == "every text is missing"
