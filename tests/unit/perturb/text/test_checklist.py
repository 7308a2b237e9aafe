"""CheckList on small text classifiers: INV catches a planted name leak and passes a model
that ignores names; DIR catches a bag-of-words model's blindness to "not"; MFT counts."""

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from stalwart.exceptions import ModelError, ParameterError
from stalwart.models import wrap
from stalwart.perturb.text import DIR, INV, MFT, NAMES, Typos, run_checklist

GROUP_A, GROUP_B = list(NAMES[:24]), list(NAMES[24:])


def _pipe(**tfidf):
    return make_pipeline(TfidfVectorizer(**tfidf), LogisticRegression(C=10.0))


@pytest.fixture(scope="module")
def clean_model(make):
    texts, labels, _ = make(400, seed=1, names=list(NAMES))
    return _pipe().fit(texts, labels)


@pytest.fixture(scope="module")
def leaky_model(make):
    # the planted leak: the label is the author's group (A positive, B negative), and the
    # sentiment word agrees with it in only three reviews out of four
    texts, labels, names = make(400, seed=2, names=list(NAMES))
    rng = np.random.default_rng(0)
    label = np.where(rng.random(len(labels)) < 0.5, rng.integers(2, size=len(labels)), labels)
    leaked = [t.replace(n, GROUP_A[i % 24] if y else GROUP_B[i % 24])
              for i, (t, n, y) in enumerate(zip(texts, names, label))]
    return _pipe().fit(leaked, label)


@pytest.fixture(scope="module")
def probe(make):
    texts, labels, _ = make(60, seed=3, names=list(NAMES))
    return texts, labels


def test_inv_names_passes_a_model_that_ignores_names(clean_model, probe):
    texts, labels = probe
    assert (clean_model.predict(texts) == labels).mean() == 1.0
    r = run_checklist(clean_model, [INV(texts, "names")], random_state=0)
    o = r.outcomes[0]
    assert o.n_cases == 60 and o.n_not_applicable == 0
    assert o.status == "passed" and o.failure_rate == 0.0 and o.examples == ()


def test_inv_names_fails_a_model_with_a_name_leak(leaky_model, probe):
    texts, _ = probe
    r = run_checklist(leaky_model, [INV(texts, "names")], random_state=0, n_examples=3)
    o = r.outcomes[0]
    assert o.status == "failed" and o.failure_rate > 0.3
    assert len(o.examples) == 3
    ex = o.examples[0]
    assert ex["predicted_before"] != ex["predicted_after"]
    assert {n for n in NAMES if n in ex["text"]} != {n for n in NAMES if n in ex["variant"]}


NEG_TRAIN = [(f"the {thing} was {neg}{adj}", int((adj in ("great", "lovely", "superb")) != bool(neg)))
             for thing in ("movie", "meal", "hotel", "book")
             for adj in ("great", "lovely", "superb", "awful", "boring", "dreadful")
             for neg in ("", "not ")]
DIR_TEXTS = [f"The {thing} was {adj}." for thing in ("show", "phone", "game", "concert")
             for adj in ("great", "lovely", "superb", "awful", "boring", "dreadful")]


def test_dir_negation_catches_a_model_blind_to_not():
    texts, labels = zip(*NEG_TRAIN)
    # scikit-learn's English stop words hold "not": this model cannot see negation
    blind = _pipe(stop_words="english").fit(texts, labels)
    aware = _pipe(ngram_range=(1, 2)).fit(texts, labels)
    tests = [DIR(DIR_TEXTS, "negation")]
    b = run_checklist(blind, tests, random_state=0).outcomes[0]
    a = run_checklist(aware, tests, random_state=0).outcomes[0]
    assert b.n_cases == len(DIR_TEXTS) and b.failure_rate == 1.0
    ex = b.examples[0]
    assert " not " in ex["variant"] and ex["probability_after"] == pytest.approx(
        ex["probability_before"])
    assert a.failure_rate == 0.0 and a.status == "passed"
    assert a.options["direction"] == "down" and a.expectation.startswith("the probability")


def test_dir_margin_and_intensifiers():
    texts, labels = zip(*NEG_TRAIN)
    aware = _pipe(ngram_range=(1, 2)).fit(texts, labels)
    # a margin larger than any move the model makes turns every case into a failure
    wide = run_checklist(aware, DIR(DIR_TEXTS, "negation", margin=0.99)).outcomes[0]
    assert wide.failure_rate == 1.0
    # a unigram model drops the unseen intensifiers: the probability does not move, so
    # "not_down" holds and "up" fails
    unigram = _pipe(stop_words="english").fit(texts, labels)
    tests = [DIR(DIR_TEXTS, "intensifiers"), DIR(DIR_TEXTS, "intensifiers", "up", name="up")]
    inten = run_checklist(unigram, tests, random_state=0)
    assert inten.outcomes[0].failure_rate == 0.0
    assert inten.outcome("up").failure_rate == 1.0
    assert inten.outcomes[0].options["n_variants"] == 3
    # the bigram model loses "was great" when "very" comes between: its confidence falls
    broken = run_checklist(aware, tests, random_state=0).outcomes[0]
    assert broken.failure_rate == 1.0
    assert broken.examples[0]["probability_after"] < broken.examples[0]["probability_before"]


def test_mft_cases_labels_and_sampling(clean_model):
    fillers = {"name": ["Emma", "Wei", "Amara"], "thing": ["movie", "meal"]}
    pos = MFT("{name} said the {thing} was great.", fillers, expected=1)
    mixed = MFT("{name} said the {thing} was {adj}.", fillers, name="mixed",
                expected={"adj": {"superb": 1, "dreadful": 0, "dull": 0}})
    few = MFT("{name} said the {thing} was {adj}.", fillers, name="few", max_cases=5,
              expected={"adj": {"superb": 1, "dreadful": 0, "dull": 0}})
    r = run_checklist(clean_model, [pos, mixed, few], random_state=0)
    assert [o.n_cases for o in r.outcomes] == [6, 18, 5]
    assert [o.failure_rate for o in r.outcomes] == [0.0, 0.0, 0.0]
    # a label the model never predicts is an error, not a failure
    with pytest.raises(ParameterError, match="class of the model"):
        run_checklist(clean_model, MFT("{name} liked it", fillers, expected="positive"))
    with pytest.raises(ParameterError, match="placeholder"):
        run_checklist(clean_model, MFT("{name} {verb} it", {"name": ["Emma"]}, expected=1))


def test_mft_detects_a_wrong_expectation(clean_model):
    r = run_checklist(clean_model, MFT("The {t} was awful.", {"t": ["movie", "book"]},
                                       expected=1), n_examples=1)
    o = r.outcomes[0]
    assert o.failure_rate == 1.0 and o.examples == ({"text": "The movie was awful.",
                                                     "expected": 1, "predicted": 0},)


def test_not_applicable_is_a_warning_not_a_pass(clean_model):
    r = run_checklist(clean_model, [INV(["the movie was great"], "names"),
                                    DIR(["Loved it"], "negation")])
    assert [o.status for o in r.outcomes] == ["not_applicable", "not_applicable"]
    assert [o.failure_rate for o in r.outcomes] == [None, None]
    assert len(r.warnings) == 2 and "tested nothing" in r.warnings[0]
    assert r.n_failed_tests == 0


def test_inv_with_a_perturbation_and_neutral_words(clean_model, probe):
    texts, _ = probe
    typos = Typos(severity=1, random_state=5)
    r = run_checklist(clean_model, [INV(texts, typos), INV(texts, "neutral"),
                                    INV(texts, "places")], random_state=0)
    assert typos.random_state == 5 and not hasattr(typos, "fitted_")  # the caller's copy
    t, neutral, places = r.outcomes
    assert t.name == "INV: typos" and t.n_cases + t.n_not_applicable == len(texts)
    # a typo in the one sentiment word of a probe sentence can flip a bag-of-words model:
    # 0.19 at this seed; the bound leaves room for another scikit-learn's tokenizer
    assert t.failure_rate is not None and 0.0 < t.failure_rate < 0.3
    assert neutral.n_cases == sum("this" in x.lower() for x in texts)
    assert neutral.failure_rate == 0.0
    assert places.status == "not_applicable"  # the probe sentences name no place


def test_repeatable_and_json(leaky_model, probe):
    texts, _ = probe
    tests = [INV(texts, "names"), INV(texts, Typos(severity=3))]
    a = run_checklist(leaky_model, tests, random_state=3).to_dict()
    b = run_checklist(leaky_model, tests, random_state=3).to_dict()
    assert a == b and json.loads(json.dumps(a)) == a
    assert a["schema_version"] == "1.0" and a["n_tests"] == 2 and a["model"]["name"] == "Pipeline"


def test_models_without_what_a_test_needs(make):
    texts, labels, _ = make(100, seed=4)
    svm = make_pipeline(TfidfVectorizer(), LinearSVC()).fit(texts, labels)
    with pytest.raises(ModelError, match="predict_proba"):
        run_checklist(svm, DIR(DIR_TEXTS, "negation"))
    flip = run_checklist(svm, DIR(DIR_TEXTS, "negation", "flip")).outcomes[0]
    assert flip.failure_rate == 1.0  # "not" never seen in training
    reg = make_pipeline(TfidfVectorizer(), LinearRegression()).fit(texts, labels)
    with pytest.raises(ModelError, match="classifier"):
        run_checklist(reg, INV(texts, "names"))


def test_a_wrapped_function_is_a_model():
    def predict(texts):
        return np.array([int("good" in t) for t in texts])

    def proba(texts):
        p = predict(texts) * 0.8 + 0.1
        return np.column_stack([1 - p, p])

    model = wrap(predict, classes=[0, 1], proba=proba)
    r = run_checklist(model, [MFT("a {w} day", {"w": ["good"]}, expected=1),
                              DIR(["It is good"], "negation")])
    assert r.outcomes[0].failure_rate == 0.0
    assert r.outcomes[1].failure_rate == 1.0  # "is not good" still holds "good"


def test_bad_tests_and_options(clean_model):
    with pytest.raises(ParameterError, match="non-empty list"):
        run_checklist(clean_model, [])
    with pytest.raises(ParameterError, match="non-empty list"):
        run_checklist(clean_model, ["names"])
    with pytest.raises(ParameterError, match="INV perturbation"):
        run_checklist(clean_model, INV(["a"], "colours"))
    with pytest.raises(ParameterError, match="direction"):
        run_checklist(clean_model, DIR(["It is good"], lambda t: t + "!"))
    with pytest.raises(ParameterError, match="margin"):
        run_checklist(clean_model, DIR(["It is good"], "negation", margin=2))
    with pytest.raises(ParameterError, match="distinct"):
        run_checklist(clean_model, [INV(["Emma is nice"], "names")] * 2)
    with pytest.raises(ParameterError, match="n_examples"):
        run_checklist(clean_model, INV(["Emma is nice"], "names"), n_examples=-1)


def test_negation_and_intensifiers_skip_a_possessive():
    # "John's" is a possessive, not "John is": the edit goes after the real copula
    from stalwart.perturb.text.lexicon import intensify, negate
    assert negate("John's car is red") == "John's car is not red"
    assert intensify("The movie's plot is good", "very") == "The movie's plot is very good"
    assert negate("It\u2019s fine") == "It\u2019s not fine"
    assert negate("They're late") == "They're not late" and negate("I'm in") == "I'm not in"
    assert negate("Anna's dog barked") is None  # no copula left: not applicable
