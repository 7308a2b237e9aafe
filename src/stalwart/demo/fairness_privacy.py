"""The demo's fairness audit with mitigation and its privacy report (issue 7, point 4).

On the demo's diabetes model (:mod:`.run`), as a team would before shipping it:

1. **fairness by sex** on the test set: the fairness suite (demographic parity with the
   four-fifths rule, equalized odds, equal opportunity, predictive parity, calibration by
   group), written as a report;
2. **mitigation**: per-sex decision thresholds for equalized odds
   (:class:`~stalwart.fairness.GroupThresholdOptimizer`), fitted on *out-of-fold*
   predictions of the training set (five folds: the test set's 111 rows, halved, leave
   groups of about 25 rows, on which thresholds overfit) and judged on the test set, with
   its accuracy cost; reweighing the training rows (Kamiran & Calders) is reported beside it;
   both in ``reports/fairness-mitigation.html``. On this small data set the gain depends on
   the split: the story prints what happened, whichever way it went;
3. **privacy of the training data**: the PII scan, k-anonymity and l-diversity with age and
   sex as quasi-identifiers (what a hospital's neighbour could know), then the same table
   with age generalised to ten-year bands and the rarest combinations masked;
4. **privacy of the model**: membership inference (training rows against the test rows)
   and model extraction;
5. **a differentially private release** of two aggregates a monitoring page would show
   (how many patients have high progression, their mean body-mass index) under one privacy
   budget, with the noise each costs, and a third release refused because the budget is
   spent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ..checks import SuiteResult
from ..checks.fairness import FairnessReport, fairness_suite_run
from ..checks.privacy import privacy_audit, privacy_suite
from ..data import Dataset
from ..fairness import GroupThresholdOptimizer, fairness_audit, mitigation_report, reweighing
from ..privacy import (PrivacyAccountant, PrivacyBudgetError, anonymise, dp_count, dp_mean,
                       k_anonymity)
from ..reports import write_report
from ..reports.writing import write_text_atomic

__all__ = ["FairnessPrivacyStory", "QUASI_IDENTIFIERS", "tell_fairness_and_privacy"]

#: what a neighbour could know about a patient
QUASI_IDENTIFIERS = ("age", "sex")
#: the privacy budget of the demo's release, and what each aggregate spends
BUDGET = 1.0
_RELEASE_EPSILON = 0.5
_FORMATS = (("html", "html"), ("json", "json"), ("junit", "junit.xml"))


@dataclass(frozen=True)
class FairnessPrivacyStory:
    """What the step found; ``reports`` maps a key to its files."""

    fairness: SuiteResult
    mitigation: dict[str, Any]
    reweighing: dict[str, Any]
    privacy_data: SuiteResult
    privacy_model: SuiteResult
    k_before: int
    k_after: int
    rows_masked: int
    releases: tuple[dict[str, Any], ...]
    refused: str
    reports: dict[str, dict[str, Path]] = field(default_factory=dict)


def _write(result: SuiteResult, folder: Path, key: str) -> dict[str, Path]:
    return {fmt: write_report(result, folder / f"{key}.{ext}", format=fmt)
            for fmt, ext in _FORMATS}


def _verdict(result: SuiteResult) -> str:
    counts = result.counts()
    return (f"{result.status.value.upper()} ({counts['fail']} failed, {counts['warn']} warned, "
            f"{counts['pass']} passed, {counts['skip']} skipped)")


def tell_fairness_and_privacy(model: Any, train: pd.DataFrame, test: pd.DataFrame, *,
                              features: list[str], target: str, train_ds: Dataset,
                              reports_dir: Path, random_state: int = 0,
                              echo: Callable[[str], Any] = print) -> FairnessPrivacyStory:
    """Run the five steps of the module docstring on the fitted ``model`` (a pipeline)."""
    reports: dict[str, dict[str, Path]] = {}
    test_ds = Dataset.from_any(test, schema=train_ds.schema, name="test")
    y_train, y_test = train[target].to_numpy(), test[target].to_numpy()

    # 1. fairness by sex
    fairness = fairness_suite_run(test_ds, model=model, target=target, sensitive=["sex"],
                                  random_state=random_state)
    reports["fairness-test"] = _write(fairness, reports_dir, "fairness-test")
    eo = fairness.by_check("equalized_odds")
    dp = fairness.by_check("demographic_parity")
    echo(f"Fairness by sex on the test set: {_verdict(fairness)} -> "
         f"{reports['fairness-test']['html']}\n  {dp.summary}\n  {eo.summary}")

    # 2. mitigation: thresholds fitted on out-of-fold training predictions, judged on test
    folds = StratifiedKFold(5, shuffle=True, random_state=random_state)
    oof = cross_val_predict(clone(model), train[features], y_train, cv=folds,
                            method="predict_proba")[:, 1]
    optimizer = GroupThresholdOptimizer(constraint="equalized_odds",
                                        random_state=random_state)
    optimizer.fit(oof, y_train, sensitive=train["sex"].to_numpy())
    proba = model.predict_proba(test[features])[:, 1]
    mitigated = optimizer.report(proba, y_test, sensitive=test["sex"].to_numpy())
    weights = reweighing(y_train, sensitive=train["sex"].to_numpy())
    reweighted = clone(model).fit(train[features], y_train, clf__sample_weight=weights)
    reweigh = mitigation_report(y_test, model.predict(test[features]),
                                reweighted.predict(test[features]),
                                sensitive=test["sex"].to_numpy(), method="reweighing")
    audit = fairness_audit(y_test, model.predict(test[features]), sensitive=test[["sex"]],
                           proba=proba, random_state=random_state)
    page = FairnessReport(audit=audit, mitigation=mitigated, model={"name": "diabetes-logreg"},
                          data={"name": "test", "n_rows": len(test)}, target=target,
                          notes=("thresholds fitted on out-of-fold predictions of the "
                                 f"{len(train)} training rows (5 folds), judged on the test set",))
    reports["fairness-mitigation"] = {
        "html": write_text_atomic(reports_dir / "fairness-mitigation.html", page.to_html())}
    m, r = mitigated.to_dict(), reweigh.to_dict()
    eod = m["disparities"]["equalized_odds_difference"]
    dpd = r["disparities"]["demographic_parity_difference"]
    echo(f"mitigation: per-sex thresholds for equalized odds (fitted on out-of-fold training "
         f"predictions): equalized odds difference {eod['before']:.3f} -> {eod['after']:.3f} "
         f"on the test set, accuracy {m['accuracy_before']:.3f} -> {m['accuracy_after']:.3f} "
         f"(cost {m['accuracy_cost']:+.3f}); reweighing the training rows: demographic parity "
         f"difference {dpd['before']:.3f} -> {dpd['after']:.3f}, accuracy cost "
         f"{r['accuracy_cost']:+.3f} -> {reports['fairness-mitigation']['html']}")

    # 3. privacy of the training data, before and after anonymisation
    qi = list(QUASI_IDENTIFIERS)
    data_privacy = privacy_audit(train_ds, quasi_identifiers=qi, sensitive=target,
                                 checks=["pii_scan", "k_anonymity", "l_diversity"],
                                 random_state=random_state)
    reports["privacy-train"] = _write(data_privacy, reports_dir, "privacy-train")
    k_before = k_anonymity(train, qi).k
    anonymised = anonymise(train, {"age": {"method": "bin", "width": 10}},
                           quasi_identifiers=qi, k=5)
    k_after = k_anonymity(anonymised.frame, qi).k
    masked = int(anonymised.suppression.rows_suppressed) if anonymised.suppression else 0
    echo(f"Privacy of the training data: {_verdict(data_privacy)} -> "
         f"{reports['privacy-train']['html']}\n  k-anonymity on age and sex: k = {k_before}; "
         f"with age in ten-year bands and the rarest combinations masked ({masked} rows): "
         f"k = {k_after}")

    # 4. privacy of the model
    model_privacy = privacy_suite(checks=["membership_inference", "model_extraction"]).run(
        test_ds, model=model, reference=train_ds, random_state=random_state)
    reports["privacy-model"] = _write(model_privacy, reports_dir, "privacy-model")
    mia = model_privacy.by_check("membership_inference")
    echo(f"Privacy of the model: {_verdict(model_privacy)} -> "
         f"{reports['privacy-model']['html']}\n  {mia.summary.split('; sides')[0]}")

    # 5. a differentially private release under one budget
    accountant = PrivacyAccountant(epsilon=BUDGET)
    releases = (
        dp_count(train.loc[train[target] == 1, target], epsilon=_RELEASE_EPSILON,
                 accountant=accountant, random_state=random_state,
                 label="patients with high progression"),
        dp_mean(train["bmi"], lower=15.0, upper=50.0, epsilon=_RELEASE_EPSILON,
                accountant=accountant, random_state=random_state + 1,
                label="mean body-mass index"))
    try:
        dp_count(train["bmi"], epsilon=0.1, accountant=accountant, label="one more count")
        refused = ""
    except PrivacyBudgetError as exc:
        refused = str(exc)
    truth = (float((y_train == 1).sum()), float(np.clip(train["bmi"], 15.0, 50.0).mean()))
    shown = "; ".join(f"{rel.label} {rel.released:.1f} (true {t:.1f})"
                      for rel, t in zip(releases, truth))
    echo(f"Differentially private release, budget epsilon = {BUDGET:g} "
         f"({_RELEASE_EPSILON:g} each, Laplace): {shown}; expected absolute error of the "
         f"count {releases[0].to_dict()['accuracy']['expected_abs_error']:.1f}\n"
         f"  a third release: refused ({refused.split('. Fix')[0] or 'not refused'})")
    return FairnessPrivacyStory(
        fairness=fairness, mitigation=m, reweighing=r, privacy_data=data_privacy,
        privacy_model=model_privacy, k_before=int(k_before), k_after=int(k_after),
        rows_masked=masked, releases=tuple(rel.to_dict() for rel in releases),
        refused=refused, reports=reports)
