"""Black-box shift detection (BBSD): test the model's outputs instead of its inputs.

Lipton et al. (2018, "Detecting and correcting for label shift with black box predictors")
and Rabanser et al. (2019, "Failing loudly") reduce a high-dimensional input to the few
numbers a trained model outputs: under label shift (class shares change, ``p(x | y)`` does
not) the distribution of predicted class probabilities moves, and a per-output two-sample
test sees it with far fewer rows than an input test. Any covariate shift the model reacts
to shows up too; one it ignores does not (that is the point: it is the shift that matters
to this model).

The model goes through :func:`stalwart.models.wrap`. Outputs tested:

- classifiers with ``predict_proba``: one Kolmogorov-Smirnov test (scipy ``ks_2samp``) per
  class probability, Bonferroni-corrected over the classes (``p = min(1, K * min p_k)``);
  for two classes only the positive class is tested (the other is its complement);
- regressors: one KS test on the predictions;
- classifiers without probabilities: a chi-square test of the predicted-class counts
  (scipy ``chi2_contingency``), stated in the notes.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(600, 2)); y = (X[:, 0] > 0).astype(int)
>>> det = BBSDDrift(LogisticRegression().fit(X, y)).fit(X[:300])
>>> det.detect(X[300:]).drifted
False
>>> pos = X[X[:, 0] > 0]
>>> r = det.detect(np.vstack([pos[:150], X[300:350]]))   # mostly the positive class now
>>> r.drifted, r.details["outputs"][0]["output"]
(True, 'P(class=1)')
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from ...exceptions import ParameterError, StageError
from ...models import wrap
from ._encode import check_rows
from .result import MultivariateDriftResult

__all__ = ["BBSDDrift"]

MIN_ROWS = 10


class BBSDDrift:
    """Per-output KS tests of model outputs on reference vs current, Bonferroni-corrected."""

    def __init__(self, model: Any, *, alpha: float = 0.05) -> None:
        self.model = model
        self.alpha = alpha

    def fit(self, reference: Any) -> BBSDDrift:
        if not 0 < self.alpha < 1:
            raise ParameterError("alpha", expected="a level in (0, 1)", got=repr(self.alpha),
                                 fix="use 0.05")
        self.adapter_ = wrap(self.model)
        self.output_names_, self.kind_ = self._plan()
        self.reference_outputs_ = self._outputs(reference)
        check_rows(len(self.reference_outputs_), MIN_ROWS, "reference", "BBSD")
        return self

    def _plan(self) -> tuple[list[str], str]:
        a = self.adapter_
        if a.task == "regression":
            return ["prediction"], "regression"
        if not a.can("predict_proba"):
            return ["predicted class"], "labels"
        classes = [str(c) for c in a.classes_]
        names = [f"P(class={c})" for c in classes]
        return (names[1:], "binary") if len(classes) == 2 else (names, "proba")

    def _outputs(self, data: Any) -> np.ndarray:
        a = self.adapter_
        if self.kind_ == "regression":
            return np.asarray(a.predict(data), dtype=np.float64).reshape(-1, 1)
        if self.kind_ == "labels":
            return np.asarray(a.predict(data)).reshape(-1, 1)
        proba = np.asarray(a.predict_proba(data), dtype=np.float64)
        return proba[:, 1:] if self.kind_ == "binary" else proba

    def detect(self, current: Any) -> MultivariateDriftResult:
        if not hasattr(self, "reference_outputs_"):
            raise StageError("BBSDDrift.detect called before fit: call fit(reference) first")
        cur = self._outputs(current)
        check_rows(len(cur), MIN_ROWS, "current", "BBSD")
        ref = self.reference_outputs_
        notes: list[str] = []
        outputs = []
        if self.kind_ == "labels":
            notes.append("the model has no predict_proba: the predicted-class counts are "
                         "compared with a chi-square test instead of per-class KS tests")
            values = np.unique(np.r_[ref[:, 0], cur[:, 0]].astype(str))
            table = np.array([[np.sum(ref[:, 0].astype(str) == v) for v in values],
                              [np.sum(cur[:, 0].astype(str) == v) for v in values]])
            if len(values) < 2:
                stat, p = 0.0, 1.0
                notes.append("the model predicts one class everywhere: nothing to compare")
            else:
                res = stats.chi2_contingency(table)
                stat, p = float(res.statistic), float(res.pvalue)
            outputs.append({"output": "predicted class", "test": "chi2", "statistic": stat,
                            "p_value": p, "adjusted_p_value": p,
                            "reference_shares": dict(zip(values, table[0] / len(ref))),
                            "current_shares": dict(zip(values, table[1] / len(cur)))})
        else:
            k = ref.shape[1]
            if self.kind_ == "binary":
                notes.append("two classes: only the positive-class probability is tested "
                             "(the other is its complement)")
            for j, name in enumerate(self.output_names_):
                res = stats.ks_2samp(ref[:, j], cur[:, j])
                p = float(res.pvalue)
                outputs.append({"output": name, "test": "ks", "statistic": float(res.statistic),
                                "p_value": p, "adjusted_p_value": min(1.0, k * p),
                                "reference_mean": float(ref[:, j].mean()),
                                "current_mean": float(cur[:, j].mean())})
        p_value = min(o["adjusted_p_value"] for o in outputs)
        statistic = max(o["statistic"] for o in outputs)
        ranked = sorted(((o["output"], o["statistic"]) for o in outputs), key=lambda t: -t[1])
        details = {"outputs": outputs, "output_kind": self.kind_,
                   "correction": "bonferroni", "model": self.adapter_.describe()}
        return MultivariateDriftResult(
            method="bbsd", statistic=statistic, p_value=p_value, alpha=self.alpha,
            drifted=bool(p_value < self.alpha), n_reference=len(ref), n_current=len(cur),
            statistic_name="max_ks" if self.kind_ != "labels" else "chi2",
            details=details, feature_contributions=tuple(ranked), notes=tuple(notes))

