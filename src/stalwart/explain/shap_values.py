"""SHAP values through the ``shap`` library (the ``explain`` extra).

SHAP values (Lundberg & Lee, NeurIPS 2017) split one prediction into per-feature additive
contributions: the Shapley values of the game whose players are the features and whose
payoff is the model's output with the absent features drawn from a background sample.

How they are computed, chosen by ``algorithm="auto"`` and recorded in the result:

- ``tree``: ``shap.TreeExplainer`` with ``feature_perturbation="interventional"``, exact in
  polynomial time for tree ensembles (scikit-learn forests and boosting, XGBoost,
  LightGBM; Lundberg et al., Nature MI 2020), relative to the background sample, and on
  the probability scale for classifiers: the same game as the model-agnostic explainers,
  so values are comparable across models.
- ``tree_path_dependent``: the same explainer without background (the trees' own cover
  counts stand in for the data distribution), on the raw output: probabilities for a
  forest, log-odds for boosting. Asked for explicitly only.
- ``exact``: ``shap.explainers.Exact``, all ``2**d`` coalitions: chosen when the model is
  not a tree ensemble and has at most ``_EXACT_MAX_FEATURES`` features (per explained row
  it scores ``2**d * background`` rows, fewer than the permutation explainer's default).
- ``permutation``: ``shap.PermutationExplainer`` (antithetic permutations, exact additivity,
  seeded), otherwise.

A scikit-learn ``Pipeline`` is explained in its input columns through a model-agnostic
explainer; ``space="transformed"`` explains its last step on the transformed columns
(named by ``get_feature_names_out``), where a tree can use the tree explainer.

>>> import numpy as np
>>> from sklearn.linear_model import LinearRegression
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(50, 3))
>>> r = shap_values(LinearRegression().fit(X, X @ [2.0, 0.0, -1.0]), X[:5])
>>> r.algorithm, r.ranking()[0], r.additivity_error < 1e-8
('exact', 'x0', True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._optional import require
from ..exceptions import ModelError, ParameterError
from ..models import ModelAdapter
from ._inputs import check_int, feature_frame, wrap_model
from .shap_result import ShapResult

__all__ = ["ALGORITHMS", "shap_values"]

ALGORITHMS = ("auto", "tree", "tree_path_dependent", "exact", "permutation")
SPACES = ("input", "transformed")
_EXACT_MAX_FEATURES = 8
_PERMUTATION_EVALS = 500  # shap's own default for the permutation explainer
_PROBA_ATOL = 1e-6


def shap_values(model: Any, X: Any, *, background: Any = None, max_background: int = 100,
                random_state: int | None = 0, algorithm: str = "auto",
                space: str = "input") -> ShapResult:
    """SHAP values of the rows of ``X``; ``background`` (default: ``X``) is the data the
    absent features are drawn from, a seeded sample of at most ``max_background`` rows."""
    shap = require("shap", extra="explain", purpose="SHAP values")
    if algorithm not in ALGORITHMS:
        raise ParameterError("algorithm", expected=f"one of {list(ALGORITHMS)}",
                             got=repr(algorithm), fix="pass algorithm='auto'")
    if space not in SPACES:
        raise ParameterError("space", expected=f"one of {list(SPACES)}", got=repr(space),
                             fix="pass space='input'")
    max_background = check_int(max_background, "max_background", low=1,
                               fix="pass max_background=100")
    adapter = wrap_model(model)
    frame = feature_frame(X, adapter)
    bg = frame if background is None else feature_frame(background, adapter, what="background")
    if len(bg) > max_background:
        rows = np.random.default_rng(random_state).choice(len(bg), max_background, replace=False)
        bg = bg.iloc[np.sort(rows)].reset_index(drop=True)
    estimator = getattr(adapter, "model", None)
    options = {"algorithm": algorithm, "space": space, "max_background": max_background,
               "random_state": random_state}
    described = adapter.describe()
    if space == "transformed":
        estimator, frame, bg = _transformed(estimator, frame, bg)
        adapter = wrap_model(estimator)
    elif _is_pipeline(estimator) and algorithm in ("tree", "tree_path_dependent"):
        raise ParameterError("algorithm", expected="a model-agnostic algorithm for a pipeline "
                             "explained in its input columns", got=repr(algorithm),
                             fix="pass space='transformed' to explain the last step's trees, "
                             "or algorithm='auto'")
    refused = None
    if algorithm in ("auto", "tree", "tree_path_dependent") and estimator is not None \
            and not _is_pipeline(estimator):
        tree = _tree(shap, estimator, adapter, frame, bg, algorithm)
        if isinstance(tree, str):
            refused = tree
        else:
            return ShapResult(**tree, n_background=None if tree["algorithm"] ==
                              "tree_path_dependent" else len(bg), space=space,
                              model=described, options=options)
    if algorithm in ("tree", "tree_path_dependent"):
        raise ModelError("model", expected="a tree ensemble the shap TreeExplainer reads "
                         "(scikit-learn trees, XGBoost, LightGBM)",
                         got=f"a {type(estimator).__name__ if estimator is not None else 'function'}",
                         fix="pass algorithm='auto' (a model-agnostic explainer)")
    agnostic = _agnostic(shap, adapter, frame, bg, algorithm, random_state)
    if refused is not None and _looks_like_trees(estimator):
        # a tree ensemble shap cannot read (e.g. multi-class gradient boosting): say so
        agnostic["reason"] = (f"shap's TreeExplainer refused {type(estimator).__name__} "
                              f"({refused}); " + agnostic["reason"].replace(
                                  "not a tree ensemble; ", ""))
    return ShapResult(**agnostic, n_background=len(bg), space=space, model=described,
                      options=options)


def _is_pipeline(estimator: Any) -> bool:
    return type(estimator).__name__ == "Pipeline" and hasattr(estimator, "steps")


def _transformed(estimator: Any, frame: pd.DataFrame,
                 bg: pd.DataFrame) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    if not _is_pipeline(estimator):
        raise ParameterError("space", expected="'input' for a model that is not a "
                             "scikit-learn Pipeline", got="'transformed'",
                             fix="pass space='input'")
    head, last = estimator[:-1], estimator[-1]
    try:
        names = [str(n) for n in head.get_feature_names_out()]
    except (AttributeError, ValueError):  # a step that cannot name its outputs
        names = None

    def apply(part: pd.DataFrame) -> pd.DataFrame:
        out = head.transform(part)
        out = out.toarray() if hasattr(out, "toarray") else np.asarray(out, dtype=float)
        cols = names if names is not None and len(names) == out.shape[1] \
            else [f"t{i}" for i in range(out.shape[1])]
        return pd.DataFrame(out, columns=cols)

    return last, apply(frame), apply(bg)


def _looks_like_trees(estimator: Any) -> bool:
    """A tree model by the usual marks: scikit-learn's ``estimators_``/``tree_``, or a
    boosting library's booster."""
    return any(hasattr(estimator, a) for a in ("estimators_", "tree_", "get_booster",
                                               "booster_", "_predictors"))


def _tree(shap: Any, estimator: Any, adapter: ModelAdapter, frame: pd.DataFrame,
          bg: pd.DataFrame, algorithm: str) -> dict[str, Any] | str:
    """The tree explainer's values, or (for ``auto``) shap's reason for not reading the
    model as trees."""
    path = algorithm == "tree_path_dependent"
    classifier = adapter.task == "classification"
    try:  # the tree explainer takes numbers: text or categorical columns are a refusal too
        kwargs = ({"feature_perturbation": "tree_path_dependent", "model_output": "raw"}
                  if path else {"data": bg.to_numpy(dtype=float),
                                "feature_perturbation": "interventional",
                                "model_output": "probability" if classifier else "raw"})
        x = frame.to_numpy(dtype=float)
        explainer = shap.TreeExplainer(estimator, **kwargs)
    except Exception as err:  # noqa: BLE001 - shap raises many kinds for "not a tree model"
        if algorithm == "auto":
            return str(err).split("\n")[0][:200]
        raise ModelError("model", expected="a tree ensemble shap's TreeExplainer reads",
                         got=f"{type(estimator).__name__}: {str(err)[:200]}",
                         fix="pass algorithm='auto' for a model-agnostic explainer") from None
    ex = explainer(x, check_additivity=False)
    values, base = np.asarray(ex.values, float), np.asarray(ex.base_values, float)
    raw = np.asarray(explainer.model.predict(x), float)
    error = float(np.max(np.abs(values.sum(axis=1) + base - raw)))
    output = "prediction"
    if classifier:
        proba = np.asarray(adapter.predict_proba(frame), float)
        p1 = proba[:, 1] if values.ndim == 2 else proba
        output = "probability" if np.allclose(raw, p1, atol=_PROBA_ATOL) else "log-odds"
        if values.ndim == 2:  # one output for two classes: mirror it (exact, see module doc)
            values = np.stack([-values, values], axis=2)
            base = np.stack([(1.0 if output == "probability" else 0.0) - base, base], axis=1)
    reason = ("asked for" if algorithm != "auto" else
              f"{type(estimator).__name__} is a tree ensemble: exact interventional SHAP")
    return {"values": values, "base_values": base, "feature_names": tuple(frame.columns),
            "classes": _classes(adapter), "algorithm": "tree_path_dependent" if path else "tree",
            "output": output, "reason": reason, "additivity_error": error}


def _agnostic(shap: Any, adapter: ModelAdapter, frame: pd.DataFrame, bg: pd.DataFrame,
              algorithm: str, random_state: Any) -> dict[str, Any]:
    classifier = adapter.task == "classification"
    if classifier and not adapter.can("predict_proba"):
        raise ModelError("model", expected="a classifier with predict_proba (SHAP explains "
                         "probabilities)", got=f"{adapter.name} without it",
                         fix="use permutation_importance, or a model with predict_proba")
    codes, decode = _encoder(frame, bg)

    def f(z: np.ndarray) -> np.ndarray:
        part = decode(z)
        return adapter.predict_proba(part) if classifier else adapter.predict(part)

    d = frame.shape[1]
    if algorithm == "auto":
        algorithm = "exact" if d <= _EXACT_MAX_FEATURES else "permutation"
        reason = (f"not a tree ensemble; {d} features <= {_EXACT_MAX_FEATURES}: all 2^{d} "
                  "coalitions" if algorithm == "exact" else
                  f"not a tree ensemble; {d} features > {_EXACT_MAX_FEATURES}: sampled "
                  "antithetic permutations")
    else:
        reason = "asked for"
    masker = shap.maskers.Independent(codes(bg), max_samples=len(bg))
    x = codes(frame)
    if algorithm == "exact":
        ex = shap.explainers.Exact(f, masker)(x)
    else:
        explainer = shap.PermutationExplainer(f, masker, seed=random_state)
        ex = explainer(x, max_evals=max(_PERMUTATION_EVALS, 2 * d + 1), silent=True)
    values, base = np.asarray(ex.values, float), np.asarray(ex.base_values, float)
    out = np.asarray(f(x), float)
    error = float(np.max(np.abs(values.sum(axis=1) + base - out)))
    return {"values": values, "base_values": base, "feature_names": tuple(frame.columns),
            "classes": _classes(adapter), "algorithm": algorithm,
            "output": "probability" if classifier else "prediction", "reason": reason,
            "additivity_error": error}


def _encoder(frame: pd.DataFrame, bg: pd.DataFrame) -> tuple[Any, Any]:
    """Numbers for shap's masker, and back: shap's tabular masker compares values with
    ``np.isclose``, so text and categorical columns travel as integer codes of the values
    seen in the rows and the background, and are decoded (dtype restored) for the model."""
    columns, dtypes = list(frame.columns), frame.dtypes.to_dict()
    uniques = {}
    for c in columns:
        if frame[c].dtype.kind not in "biuf":
            uniques[c] = pd.unique(pd.concat([frame[c], bg[c]], ignore_index=True))

    def codes(part: pd.DataFrame) -> np.ndarray:
        out = np.empty(part.shape, dtype=float)
        for j, c in enumerate(columns):
            if c in uniques:
                out[:, j] = pd.Index(uniques[c]).get_indexer(part[c])
            else:
                out[:, j] = part[c].to_numpy(dtype=float)
        return out

    def decode(z: np.ndarray) -> pd.DataFrame:
        data = {c: (uniques[c][z[:, j].astype(int)] if c in uniques else z[:, j])
                for j, c in enumerate(columns)}
        return pd.DataFrame(data).astype(dtypes)

    return codes, decode


def _classes(adapter: ModelAdapter) -> tuple[Any, ...] | None:
    if adapter.classes_ is None:
        return None
    return tuple(c.item() if hasattr(c, "item") else c for c in adapter.classes_)
