"""Typos: the rate of mistyped letters is the stated one, and each typo is what it says."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.perturb import PERTURBATIONS
from stalwart.perturb.text import QWERTY_NEIGHBOURS, Typos


def test_neighbour_map_is_the_qwerty_layout():
    assert QWERTY_NEIGHBOURS["a"] == "qswz"
    assert QWERTY_NEIGHBOURS["g"] == "bfhtvy"
    assert QWERTY_NEIGHBOURS["p"] == "lo"
    assert QWERTY_NEIGHBOURS["m"] == "jkn"
    # symmetric: if b is next to a, a is next to b
    assert all(a in QWERTY_NEIGHBOURS[b] for a, near in QWERTY_NEIGHBOURS.items() for b in near)


@pytest.mark.parametrize("severity", [1, 3, 5])
def test_typo_rate_is_binomial_at_the_stated_rate(corpus, severity):
    texts, _ = corpus
    t = Typos(severity=severity, random_state=7, kinds=("neighbour",)).fit(texts)
    out = t.transform(texts)
    d = t.notes_[0].detail
    letters = sum(c.isascii() and c.isalpha() for s in texts for c in s)
    assert d["eligible"] == letters and d["rate"] == Typos.rates[severity - 1]
    # a neighbour typo changes exactly one character in place
    changed = sum(a != b for s, o in zip(texts, out) for a, b in zip(s, o))
    assert changed == d["edits"]
    ci = binomtest(d["edits"], letters, d["rate"]).proportion_ci(0.999)
    assert ci.low <= d["rate"] <= ci.high
    assert binomtest(d["edits"], letters, d["rate"]).pvalue > 0.001
    for s, o in zip(texts, out):
        for a, b in zip(s, o):
            if a != b:
                assert b.lower() in QWERTY_NEIGHBOURS[a.lower()] and a.isupper() == b.isupper()


def test_drops_shorten_by_the_number_of_typos(corpus):
    texts, _ = corpus
    t = Typos(severity=4, random_state=1, kinds=("drop",)).fit(texts)
    out = t.transform(texts)
    assert sum(map(len, texts)) - sum(map(len, out)) == t.notes_[0].detail["edits"]


def test_swaps_keep_the_letters(corpus):
    texts, _ = corpus
    out = Typos(severity=5, random_state=2, kinds=("swap",)).fit(texts).transform(texts)
    swapped = [(s, o) for s, o in zip(texts, out) if s != o]
    assert len(swapped) > 250
    # a swap (or a neighbour key for a doubled or one-letter word) keeps the length
    assert all(len(s) == len(o) for s, o in swapped)
    same_letters = sum(sorted(s) == sorted(o) for s, o in swapped)
    assert same_letters / len(swapped) > 0.5


def test_seeded_repeatable_and_input_untouched(corpus):
    texts, _ = corpus
    copy = list(texts)
    a = Typos(severity=3, random_state=5).fit(texts).transform(texts)
    b = Typos(severity=3, random_state=5).fit(texts).transform(texts)
    c = Typos(severity=3, random_state=6).fit(texts).transform(texts)
    assert a == b and a != c and texts == copy


def test_higher_severity_touches_a_superset(corpus):
    texts, _ = corpus
    low = Typos(severity=2, random_state=3, kinds=("neighbour",)).fit(texts).transform(texts)
    high = Typos(severity=4, random_state=3, kinds=("neighbour",)).fit(texts).transform(texts)
    for s, lo, hi in zip(texts, low, high):
        assert {i for i, (a, b) in enumerate(zip(s, lo)) if a != b} \
            <= {i for i, (a, b) in enumerate(zip(s, hi)) if a != b}


def test_types_kept_and_missing_counted():
    t = Typos(severity=5, random_state=0).fit(["x"])
    s = pd.Series(["hello there", None, "general kenobi"], index=[10, 20, 30], name="txt")
    out = t.transform(s)
    assert isinstance(out, pd.Series) and list(out.index) == [10, 20, 30]
    assert out.name == "txt" and pd.isna(out[20]) and out.dtype == s.dtype
    cat = t.transform(s.astype("category"))
    assert cat.dtype == object and cat.notna().sum() == 2
    assert t.notes_[0].detail["n_missing"] == 1 and t.notes_[0].detail["n_texts"] == 2
    assert isinstance(t.transform(("ab cd",)), tuple)
    arr = t.transform(np.array(["hello world", "bye"], dtype=object))
    assert isinstance(arr, np.ndarray) and arr.dtype == object and arr.shape == (2,)


def test_nothing_to_mistype_is_said():
    t = Typos(severity=5, random_state=0).fit(["x"])
    assert t.transform(["123 456", "!!"]) == ["123 456", "!!"]
    note = t.notes_[0]
    assert not note.applied and "letter" in note.reason and note.detail["edits"] == 0


def test_bad_input_is_a_clear_error():
    t = Typos(severity=2).fit(["x"])
    with pytest.raises(DataError, match="wrap it in a list"):
        t.transform("one text")
    with pytest.raises(DataError, match="non-string entries"):
        t.transform(["ok", 3])
    with pytest.raises(DataError, match="1-D"):
        t.transform(np.array([["a", "b"]]))
    with pytest.raises(ParameterError, match="severity"):
        Typos(severity=6).fit(["x"])
    with pytest.raises(ParameterError, match="kinds"):
        Typos(kinds=("smudge",)).fit(["x"])
    with pytest.raises(StageError, match="before fit"):
        Typos().transform(["x"])


def test_every_text_perturbation_is_registered_as_text():
    text = {n for n, _ in PERTURBATIONS if PERTURBATIONS.capabilities(n)["kind"] == "text"}
    assert {"typos", "casing", "punctuation", "whitespace", "unexpected_tokens",
            "oov_words", "synonyms"} <= text
