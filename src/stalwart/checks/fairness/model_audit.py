"""Audit a model's fairness on a table, optionally with group-threshold mitigation.

One call for the CLI and for people: the model's decisions on the labelled rows are audited
by :func:`stalwart.fairness.fairness_audit`; with ``mitigate`` the rows are split at random
(seeded) into a half that fits a :class:`~stalwart.fairness.GroupThresholdOptimizer` on the
model's probabilities and a held-out half on which the model's own decisions and the
mitigated ones are compared (:func:`~stalwart.fairness.mitigation_report`). The thresholds
are fitted per group of the audit: a numeric sensitive column is cut into the audit's
quantile bins first (one threshold per age value would be unstable, and an age seen only
in the held-out half would have none).

The audit is also judged by the fairness suite's checks (their default conditions, such as
the four-fifths rule on the demographic parity ratio): they read this very audit, so the
verdicts and the report's numbers agree. ``FairnessReport.exit_code`` turns them into the
gate's exit code, as for ``stalwart evaluate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._config import Settings
from ...data import Dataset
from ...exceptions import DataError, ModelError, ParameterError
from ...fairness import CONSTRAINTS, GroupThresholdOptimizer, fairness_audit, mitigation_report
from ...models import wrap
from ...slicing import bin_column
from ..check import CheckContext
from ..evaluation._common import model_features
from ..result import SuiteResult
from ._base import _pos_label, audit_cache_key
from .report import FairnessReport
from .suite import FAIRNESS_CHECKS, fairness_suite

__all__ = ["audit_model"]




def _audit_groups(groups: Any) -> Any:
    """The sensitive columns with numeric ones replaced by the audit's bin labels."""
    out = groups.copy()
    for c in groups.columns:
        b = bin_column(groups[c], max_categories=max(2, len(groups)), name=str(c))
        if b.edges:
            out[c] = np.asarray(b.labels, dtype=object)[b.codes]
    return out


def _judge(ds: Dataset, adapter: Any, audit: Any, *, columns: list[str], pos_label: Any,
           min_group_size: int, n_boot: int, random_state: int) -> SuiteResult:
    """The fairness checks run on ``audit`` (placed in the run's cache, so none recomputes)."""
    ctx = CheckContext(data=ds, model=adapter, random_state=random_state)
    ctx.cache[audit_cache_key(columns=columns, pos_label=pos_label,
                              min_group_size=min_group_size, n_boot=n_boot,
                              intersections=True)] = audit
    same = {"pos_label": pos_label, "min_group_size": min_group_size, "n_boot": n_boot}
    suite = fairness_suite(sensitive=columns,
                           options={name: dict(same) for name in FAIRNESS_CHECKS})
    return suite.run_context(ctx, settings=Settings.from_env())


def audit_model(data: Any, *, model: Any, target: str, sensitive: Sequence[str] = (),
                pos_label: Any = None, mitigate: str | None = None,
                objective: str = "accuracy", min_group_size: int = 30, n_boot: int = 500,
                confidence: float = 0.95, random_state: int = 0) -> FairnessReport:
    """The fairness audit of ``model`` on ``data`` (with the ``target`` labels) across the
    ``sensitive`` columns (default: the schema's sensitive role)."""
    if mitigate is not None and mitigate not in CONSTRAINTS:
        raise ParameterError("mitigate", expected=f"None or one of {CONSTRAINTS}",
                             got=repr(mitigate), fix="pick a constraint from the list")
    ds = Dataset.from_any(data, target=target, sensitive=list(sensitive))
    columns = list(sensitive) or ds.schema.sensitive
    if not columns:
        raise DataError("sensitive columns", expected="at least one sensitive column",
                        got="none given and none declared in the schema",
                        fix="pass --sensitive <column> (repeatable)")
    adapter = wrap(model)
    if adapter.task != "classification":
        raise ModelError("model", expected="a classifier (group fairness compares decisions)",
                         got=f"a {adapter.task} model", fix="audit a classification model")
    frame = ds.frame.loc[ds.frame[target].notna()]
    if len(frame) == 0:
        raise DataError(f"target {target!r}", expected="labelled rows", got="no label",
                        fix="pass data whose target is filled in")
    X = frame[model_features(adapter, ds)]
    y = frame[target].to_numpy()
    pred = np.asarray(adapter.predict(X))
    classes = None if adapter.classes_ is None else list(adapter.classes_)
    label, multiclass = _pos_label(classes, pos_label)
    proba = None
    if adapter.can("predict_proba") and classes is not None:
        proba = np.asarray(adapter.predict_proba(X), dtype=float)[:, classes.index(label)]
    groups = frame[columns].reset_index(drop=True)
    audit = fairness_audit(y, pred, sensitive=groups, proba=proba, pos_label=label,
                           multiclass=multiclass, min_group_size=min_group_size,
                           n_boot=n_boot, confidence=confidence, random_state=random_state)
    mitigation = None
    if mitigate is not None:
        if proba is None:
            raise ModelError("model", expected="predict_proba (thresholds need scores)",
                             got="a classifier without probabilities",
                             fix="mitigate a model with predict_proba")
        order = np.random.default_rng(random_state).permutation(len(y))
        fit, held = np.sort(order[: len(y) // 2]), np.sort(order[len(y) // 2:])
        y01 = (y == label).astype(int)
        groups = _audit_groups(groups)
        opt = GroupThresholdOptimizer(constraint=mitigate, objective=objective,
                                      min_group_size=min_group_size,
                                      random_state=random_state)
        opt.fit(proba[fit], y01[fit], sensitive=groups.iloc[fit])
        after = opt.predict(proba[held], sensitive=groups.iloc[held])
        mitigation = mitigation_report(
            y01[held], (pred[held] == label).astype(int), after,
            sensitive=groups.iloc[held].reset_index(drop=True),
            method=f"group thresholds ({mitigate}, {objective})",
            min_group_size=min_group_size,
            details={"fit_rows": int(fit.size), "held_out_rows": int(held.size),
                     "target": opt.target_, "rules": opt.rules_,
                     "fit_warnings": list(opt.warnings_)},
            notes=tuple(f"fit: {w}" for w in opt.warnings_))
    checks = _judge(ds, adapter, audit, columns=columns, pos_label=pos_label,
                    min_group_size=min_group_size, n_boot=n_boot, random_state=random_state)
    return FairnessReport(audit=audit, mitigation=mitigation, model=adapter.describe(),
                          data=ds.summary(), target=target, checks=checks)
