"""Importance drift: how far two feature rankings moved apart.

Between two model versions on the same rows, or one model on two time windows, a changed
ranking says the model now rests on other features: a retraining that picked up a
shortcut, or a population whose signal moved. Compared on the features both results share:

- rank correlation of the mean importances: Spearman's rho and Kendall's tau-b
  (``scipy.stats.spearmanr``, ``scipy.stats.kendalltau``); 1 means the same order;
- top-``k`` overlap: Jaccard index of the two top-``k`` sets, with the features that
  entered and left the top ``k``;
- per feature: both values, the change, both ranks, and whether the two confidence
  intervals overlap (permutation importance; None for SHAP means, which have none).
  Disjoint intervals are a strong sign of a real change; overlapping ones prove nothing.

>>> from stalwart.explain import ImportanceResult
>>> a = ImportanceResult.from_values({"x": 0.5, "y": 0.3, "z": 0.1}, method="given")
>>> b = ImportanceResult.from_values({"x": 0.1, "y": 0.3, "z": 0.5}, method="given")
>>> d = importance_drift(a, b, top_k=1)
>>> d.spearman, d.jaccard, d.entered, d.left
(-1.0, 0.0, ['z'], ['x'])
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from ._inputs import check_int
from .importance import SCHEMA_VERSION, ImportanceResult
from .shap_result import ShapResult

__all__ = ["ImportanceDriftResult", "importance_drift", "importance_drift_between_models",
           "importance_drift_between_windows"]

_METHODS = ("permutation", "shap")


@dataclass(frozen=True)
class ImportanceDriftResult:
    """Two rankings compared; ``spearman``/``kendall`` are None when undefined (a constant
    ranking), with the reason in ``warnings``."""

    labels: tuple[str, str]
    spearman: float | None
    kendall: float | None
    top_k: int
    jaccard: float
    entered: list[str]
    left: list[str]
    changes: tuple[dict[str, Any], ...]
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    a: ImportanceResult | None = None
    b: ImportanceResult | None = None

    @property
    def n_disjoint_intervals(self) -> int:
        return sum(1 for c in self.changes if c["intervals_overlap"] is False)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": SCHEMA_VERSION, "kind": "importance_drift",
                         "labels": list(self.labels), "spearman": self.spearman,
                         "kendall": self.kendall, "top_k": self.top_k,
                         "jaccard": self.jaccard, "entered": self.entered,
                         "left": self.left, "changes": [dict(c) for c in self.changes],
                         "n_disjoint_intervals": self.n_disjoint_intervals,
                         "only_in_a": self.only_in_a, "only_in_b": self.only_in_b,
                         "warnings": list(self.warnings),
                         "a": None if self.a is None else self.a.to_dict(),
                         "b": None if self.b is None else self.b.to_dict()})


def _as_importance(r: Any, what: str) -> ImportanceResult:
    if isinstance(r, ShapResult):
        return r.to_importance()
    if isinstance(r, ImportanceResult):
        return r
    if isinstance(r, Mapping):
        return ImportanceResult.from_values(r, method="given")
    raise ParameterError(what, expected="an ImportanceResult, a ShapResult or a "
                         "{feature: importance} mapping", got=type(r).__name__,
                         fix="pass permutation_importance(...) or shap_values(...)")


def importance_drift(a: Any, b: Any, *, top_k: int = 10,
                     labels: tuple[str, str] = ("a", "b")) -> ImportanceDriftResult:
    """Compare two importance results (``a`` the reference, ``b`` the new one)."""
    top_k = check_int(top_k, "top_k", low=1, fix="pass top_k=10")
    ra, rb = _as_importance(a, "a"), _as_importance(b, "b")
    fa, fb = ra.importances(), rb.importances()
    common = [n for n in ra.ranking() if n in fb]
    if len(common) < 2:
        raise DataError("features of a and b", expected="at least two features in common",
                        got=f"{len(common)} in common", fix="compare results on the same columns")
    notes = []
    only_a, only_b = [n for n in fa if n not in fb], [n for n in fb if n not in fa]
    if only_a or only_b:
        notes.append(f"compared on the {len(common)} shared features; only in {labels[0]}: "
                     f"{only_a[:10]}, only in {labels[1]}: {only_b[:10]}")
    if ra.method != rb.method or ra.options.get("scoring") != rb.options.get("scoring"):
        notes.append("the two results differ in method or scoring: compare ranks, not values")
    ma = np.array([fa[n] for n in common])
    mb = np.array([fb[n] for n in common])
    spearman = kendall = None
    if np.ptp(ma) == 0 or np.ptp(mb) == 0:
        notes.append("a ranking is constant (every importance equal): rank correlation "
                     "undefined")
    else:
        spearman = float(stats.spearmanr(ma, mb).statistic)
        kendall = float(stats.kendalltau(ma, mb).statistic)
    k = min(top_k, len(common))
    if k < top_k:
        notes.append(f"top_k={top_k} exceeds the {len(common)} shared features: top {k} used")
    top_a = [n for n in ra.ranking() if n in fb][:k]
    top_b = [n for n in rb.ranking() if n in fa][:k]
    union = set(top_a) | set(top_b)
    jaccard = len(set(top_a) & set(top_b)) / len(union)
    rank_a = {n: i for i, n in enumerate(common, 1)}
    order_b = [n for n in rb.ranking() if n in fa]
    rank_b = {n: i for i, n in enumerate(order_b, 1)}
    changes = []
    for n in common:
        x, y = ra.feature(n), rb.feature(n)
        overlap = None
        if x.has_interval and y.has_interval:
            overlap = bool(x.ci_low <= y.ci_high and y.ci_low <= x.ci_high)
        changes.append({"feature": n, "a": x.mean, "b": y.mean, "change": y.mean - x.mean,
                        "rank_a": rank_a[n], "rank_b": rank_b[n],
                        "rank_change": rank_b[n] - rank_a[n], "intervals_overlap": overlap})
    changes.sort(key=lambda c: (-abs(c["change"]), c["feature"]))
    return ImportanceDriftResult(tuple(labels), spearman, kendall, k, float(jaccard),
                                 [n for n in top_b if n not in top_a],
                                 [n for n in top_a if n not in top_b], tuple(changes),
                                 only_a, only_b, tuple(notes), ra, rb)


def _importance(method: str, model: Any, X: Any, y: Any, options: dict[str, Any]) -> Any:
    from .permutation import permutation_importance
    from .shap_values import shap_values

    if method not in _METHODS:
        raise ParameterError("method", expected=f"one of {list(_METHODS)}", got=repr(method),
                             fix="pass method='permutation'")
    func = shap_values if method == "shap" else permutation_importance
    known = [p.name for p in inspect.signature(func).parameters.values()
             if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ParameterError("options", expected=f"options of {func.__name__}: {known}",
                             got=repr(unknown), fix=f"drop {unknown} or change method=")
    if method == "shap":
        return shap_values(model, X, **options)
    if y is None:
        raise ParameterError("y", expected="the target for permutation importance",
                             got="None", fix="pass y, or method='shap' (needs no labels)")
    return permutation_importance(model, X, y, **options)


def importance_drift_between_models(model_a: Any, model_b: Any, X: Any, y: Any = None, *,
                                    method: str = "permutation", top_k: int = 10,
                                    **options: Any) -> ImportanceDriftResult:
    """Two model versions on the same rows; ``options`` go to the importance method (the
    same seed, so permutation importance uses the same shuffles for both)."""
    a = _importance(method, model_a, X, y, options)
    b = _importance(method, model_b, X, y, options)
    return importance_drift(a, b, top_k=top_k, labels=("model_a", "model_b"))


def importance_drift_between_windows(model: Any, X_ref: Any, y_ref: Any, X_cur: Any,
                                     y_cur: Any, *, method: str = "permutation",
                                     top_k: int = 10, **options: Any) -> ImportanceDriftResult:
    """One model on a reference window and a current window (labels may be None for
    ``method="shap"``)."""
    a = _importance(method, model, X_ref, y_ref, options)
    b = _importance(method, model, X_cur, y_cur, options)
    return importance_drift(a, b, top_k=top_k, labels=("reference", "current"))
