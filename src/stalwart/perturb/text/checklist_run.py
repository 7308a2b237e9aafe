"""Run CheckList tests on a text classifier: failure rate per test, examples of failures.

The model is anything that maps a list of strings to labels (a scikit-learn pipeline such
as ``TfidfVectorizer`` + ``LogisticRegression``, or a function wrapped with
:func:`stalwart.models.wrap`); DIR tests other than ``"flip"`` also need class
probabilities (a :class:`~stalwart.exceptions.ModelError` says so otherwise). Each test's
texts are scored in one batch. A case fails when:

- MFT: the predicted label is not the expected one;
- INV: any variant's predicted label differs from the original's;
- DIR: any variant's probability of the original's predicted class ``p`` moves against
  the direction: "down" needs ``p_after < p_before - margin``, "up" ``p_after > p_before +
  margin``, "not_down" ``p_after >= p_before - margin``, "not_up" ``p_after <= p_before +
  margin``, "flip" a different label.

>>> from sklearn.feature_extraction.text import CountVectorizer
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.pipeline import make_pipeline
>>> texts = ["it is good", "it is great", "it is bad", "it is awful"] * 5
>>> model = make_pipeline(CountVectorizer(), LogisticRegression()).fit(texts, [1, 1, 0, 0] * 5)
>>> result = run_checklist(model, [MFT("it is {w}", {"w": ["good", "great"]}, expected=1),
...                                DIR(["it is good"], "negation")], random_state=0)
>>> [(o.name, o.status, o.failure_rate) for o in result.outcomes]
[('MFT: it is {w}', 'passed', 0.0), ('DIR: negation -> down', 'failed', 1.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...exceptions import ParameterError
from .checklist import DIR, INV, MFT, Case
from .checklist_result import ChecklistOutcome, ChecklistResult
from .model_view import TextModel, text_model

__all__ = ["run_checklist"]


def _mft(view: TextModel, test: MFT, cases: list[Case], n_examples: int) -> ChecklistOutcome:
    classes = [] if view.classes is None else view.classes.tolist()
    unknown = sorted({repr(c.expected) for c in cases if c.expected not in classes})
    if unknown:
        raise ParameterError(f"{test.title()} expected label", expected=f"a class of the "
                             f"model {classes}", got=", ".join(unknown),
                             fix="use the labels the model predicts")
    texts = [c.variants[0] for c in cases]
    pred = view.predict(texts).tolist() if texts else []
    failed = [i for i, c in enumerate(cases) if pred[i] != c.expected]
    examples = tuple({"text": texts[i], "expected": cases[i].expected, "predicted": pred[i]}
                     for i in failed[:n_examples])
    return ChecklistOutcome(test.title(), "MFT", "the expected label", len(cases), 0,
                            len(failed), examples, {"max_cases": test.max_cases})


def _edited(view: TextModel, test: INV | DIR, cases: list[Case],
            n_examples: int) -> ChecklistOutcome:
    applicable = [c for c in cases if c.variants]
    direction = test.expected_direction() if isinstance(test, DIR) else "same"
    texts = [c.original for c in applicable] + [v for c in applicable for v in c.variants]
    pred = view.predict(texts).tolist() if texts else []
    scores = None
    if direction not in ("same", "flip") and texts:
        n = len(applicable)
        labels = pred[:n] + [pred[i] for i, c in enumerate(applicable) for _ in c.variants]
        scores = view.score(texts, labels).tolist()
    margin = getattr(test, "margin", 0.0)
    failed, examples, at = 0, [], len(applicable)
    for i, case in enumerate(applicable):
        bad = []
        for v in case.variants:
            before, after = pred[i], pred[at]
            p0, p1 = (scores[i], scores[at]) if scores is not None else (None, None)
            wrong = {"same": after != before, "flip": after == before,
                     "down": p1 is not None and not p1 < p0 - margin,
                     "up": p1 is not None and not p1 > p0 + margin,
                     "not_down": p1 is not None and p1 < p0 - margin,
                     "not_up": p1 is not None and p1 > p0 + margin}[direction]
            if wrong:
                bad.append({"text": case.original, "variant": v, "predicted_before": before,
                            "predicted_after": after, "probability_before": p0,
                            "probability_after": p1})
            at += 1
        failed += bool(bad)
        if bad and len(examples) < n_examples:
            examples.append(bad[0])
    expectation = {"same": "the same label", "flip": "a different label",
                   "down": f"the probability of the predicted class falls by more than "
                   f"{margin}", "up": f"the probability of the predicted class rises by more "
                   f"than {margin}", "not_down": f"the probability of the predicted class "
                   f"falls by {margin} at most", "not_up": f"the probability of the "
                   f"predicted class rises by {margin} at most"}[direction]
    options = {"n_variants": test.n_variants, "max_cases": test.max_cases}
    if isinstance(test, DIR):
        options.update(direction=direction, margin=margin)
    return ChecklistOutcome(test.title(), test.kind, expectation, len(applicable),
                            len(cases) - len(applicable), failed, tuple(examples), options)


def run_checklist(model: Any, tests: Sequence[MFT | INV | DIR] | MFT | INV | DIR, *,
                  random_state: Any = None, n_examples: int = 5) -> ChecklistResult:
    """Run CheckList ``tests`` on a text classifier (see the module docstring)."""
    if isinstance(tests, (MFT, INV, DIR)):
        tests = [tests]
    if isinstance(tests, (str, bytes)) or not isinstance(tests, Sequence) or not tests \
            or not all(isinstance(t, (MFT, INV, DIR)) for t in tests):
        raise ParameterError("CheckList tests", expected="a non-empty list of MFT, INV and "
                             "DIR tests", got=repr(tests)[:120],
                             fix="e.g. [INV(texts, 'names'), DIR(texts, 'negation')]")
    if isinstance(n_examples, bool) or not isinstance(n_examples, (int, np.integer)) \
            or n_examples < 0:
        raise ParameterError("n_examples", expected="a non-negative integer",
                             got=repr(n_examples), fix="e.g. n_examples=5")
    view = text_model(model)
    rng = np.random.default_rng(random_state)
    outcomes, warnings = [], []
    for test in tests:
        cases = test.cases(rng)
        outcome = _mft(view, test, cases, n_examples) if isinstance(test, MFT) \
            else _edited(view, test, cases, n_examples)
        if outcome.status == "not_applicable":
            warnings.append(f"{outcome.name}: its edit applied to none of the "
                            f"{outcome.n_not_applicable} texts, so it tested nothing")
        outcomes.append(outcome)
    names = [o.name for o in outcomes]
    if len(set(names)) != len(names):
        raise ParameterError("CheckList test names", expected="one name per test",
                             got=f"repeated names {sorted({n for n in names if names.count(n) > 1})}",
                             fix="give the tests distinct name= values")
    return ChecklistResult(tuple(outcomes), view.describe(),
                           {"random_state": random_state, "n_examples": n_examples,
                            "n_tests": len(outcomes)}, tuple(warnings))
