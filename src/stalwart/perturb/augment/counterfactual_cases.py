"""Rare-class examples from counterfactuals: rows of other classes moved, feasibly and as
little as possible, until the model puts them in the rare class.

:func:`rare_counterfactuals` draws ``n`` rows that the model does not already put in
``target_class`` and asks :class:`stalwart.explain.Counterfactuals` for one counterfactual
each, under the same constraints (``immutable``, ``ranges``, ``integer``...). Rows without
a feasible counterfactual are left out and counted.

**Label policy.** A counterfactual is a row the *model* assigns to the rare class; nobody
has checked that it truly belongs there. By default (``relabel=False``) the rows come back
*without* labels (``y is None``): candidates to review and label before training on them.
With ``relabel=True`` they are labelled ``target_class``, the model's new decision: training
on them then teaches the model its own boundary (it sharpens that boundary and can
entrench the model's mistakes), which the result's ``label_policy`` says in words.

>>> import numpy as np, pandas as pd
>>> from sklearn.linear_model import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
>>> y = (X["a"] > 1.0).astype(int)
>>> model = LogisticRegression().fit(X, y)
>>> res = rare_counterfactuals(model, X, y, target_class=1, n=5, random_state=0)
>>> res.n_found, res.y is None, bool((model.predict(res.X) == 1).all())
(5, True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._json import jsonable
from ...data.dataset import to_pandas
from ...exceptions import DataError, ParameterError
from ...explain import Counterfactuals
from ...models import ModelAdapter, wrap
from ._rows import check_xy

__all__ = ["RareCounterfactuals", "rare_counterfactuals"]

_UNLABELLED = ("unlabelled: rows the model assigns to the rare class, not known to belong "
               "to it; review and label them before training")
_RELABELLED = ("labelled with the model's new decision: training on them teaches the model "
               "its own boundary and can entrench its mistakes")


@dataclass(frozen=True)
class RareCounterfactuals:
    """Counterfactual rows moved into ``target_class`` and where they came from."""

    X: pd.DataFrame
    y: np.ndarray | None
    source_index: tuple[Any, ...]   # index label of the row each counterfactual came from
    target_class: Any
    n_requested: int
    n_found: int
    label_policy: str
    warnings: tuple[str, ...] = ()
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "target_class": self.target_class,
            "n_requested": self.n_requested, "n_found": self.n_found,
            "relabelled": self.y is not None, "label_policy": self.label_policy,
            "source_index": list(self.source_index),
            "rows": self.X.to_dict("records"), "warnings": list(self.warnings)})


def rare_counterfactuals(model: Any, X: Any, y: Any, *, target_class: Any, n: int,
                         relabel: bool = False, immutable: Any = (),
                         ranges: Mapping[str, Any] | None = None, integer: Any = None,
                         random_state: int | None = 0) -> RareCounterfactuals:
    """Up to ``n`` counterfactuals of other-class rows into ``target_class``."""
    labels = check_xy(X, y)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError("n", expected="an integer >= 1", got=repr(n), fix="pass n=20")
    adapter = model if isinstance(model, ModelAdapter) else wrap(model)
    if adapter.task != "classification" or target_class not in list(adapter.classes_):
        raise ParameterError("target_class", expected="one of the model's classes "
                             f"{None if adapter.classes_ is None else adapter.classes_.tolist()}",
                             got=repr(target_class), fix="pass a class the model predicts")
    frame = to_pandas(X, what="X")
    pred = adapter.predict(frame)
    pool = np.flatnonzero((labels != target_class) & (pred != target_class))
    if pool.size == 0:
        raise DataError("X", expected=f"rows of other classes that the model does not put in "
                        f"{target_class!r}", got="none", fix="pass more training rows")
    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(pool, min(int(n), pool.size), replace=False))
    cf = Counterfactuals().fit(adapter, frame, immutable=immutable, ranges=ranges,
                               integer=integer)
    result = cf.explain(frame.iloc[chosen], n=1, target=target_class,
                        random_state=random_state)
    found = [(q.index, q.counterfactuals[0].values) for q in result.queries
             if q.counterfactuals]
    out = pd.DataFrame([v for _, v in found], columns=frame.columns)
    out = out.astype({c: frame[c].dtype for c in frame.columns}) if len(out) else out
    warnings = []
    if chosen.size < n:
        warnings.append(f"only {pool.size} rows of other classes to move: {chosen.size} of "
                        f"{n} requested")
    if len(found) < chosen.size:
        warnings.append(f"{chosen.size - len(found)} of {chosen.size} rows had no feasible "
                        "counterfactual under the constraints")
    return RareCounterfactuals(
        X=out, y=np.full(len(found), target_class) if relabel else None,
        source_index=tuple(i for i, _ in found), target_class=target_class,
        n_requested=int(n), n_found=len(found),
        label_policy=_RELABELLED if relabel else _UNLABELLED, warnings=tuple(warnings))
