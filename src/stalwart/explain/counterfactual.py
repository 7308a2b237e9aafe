"""Counterfactual explanations: the smallest feasible changes that flip a model's decision.

"What would have to change for this loan to be approved?" For each query row,
:class:`Counterfactuals` looks for ``n`` rows near it that the model puts in the *target*
(classification: another class, by default any class other than the predicted one;
regression: a value interval ``(low, high)``) while respecting the constraints:
``immutable`` features never change, changed numeric values stay in ``ranges`` (default:
the training range), ``integer`` features stay whole (default: the whole-valued columns),
categorical features take only categories seen in training, and ``increase_only`` /
``decrease_only`` features move one way.

The method (Wachter et al., 2018's minimal scaled-L1 change; DiCE's diversity, Mothilal et
al., 2020) is model-agnostic and batched: candidates from one-feature moves, nearest unlike
neighbours and growing spheres, then sparsified, shrunk by bisection and a diverse set
selected (:mod:`.counterfactual_search`). Only ``predict`` is needed; each search step
scores its candidates in one model call. A row with no feasible change is never given a
non-flipping row: it is marked ``infeasible`` with a message naming the constraints whose
lifting would allow a flip (or ``on_infeasible="raise"`` raises).

>>> import numpy as np, pandas as pd
>>> from sklearn.linear_model import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"income": rng.normal(50, 10, 300), "age": rng.integers(20, 70, 300)})
>>> model = LogisticRegression().fit(X, (X["income"] > 50).astype(int))
>>> cf = Counterfactuals().fit(model, X, immutable=["age"])
>>> res = cf.explain(pd.DataFrame({"income": [40.0], "age": [30]}), n=1)
>>> q = res.queries[0]
>>> q.status, q.counterfactuals[0].prediction, [c.feature for c in q.counterfactuals[0].changes]
('found', 1, ['income'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..data.dataset import to_pandas
from ..exceptions import DataError, ParameterError, StageError
from ..models import ModelAdapter, wrap
from .counterfactual_result import Change, Counterfactual, CounterfactualQuery, \
    CounterfactualResult
from .counterfactual_search import search
from .counterfactual_space import FeatureSpace
from .counterfactual_target import Target, resolve_targets

__all__ = ["Counterfactuals", "counterfactuals"]

_FAMILIES = ("immutable", "ranges", "direction", "integer")


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _count(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(name, expected=f"an integer >= {low}", got=repr(value),
                             fix=f"pass {name}={max(low, 1) * 3}")
    return int(value)


class Counterfactuals:
    """Finds diverse, sparse, minimal counterfactuals; ``fit`` learns the feature space.

    Options bound the search per query row: ``n_neighbours`` nearest training rows already
    in the target, ``n_samples`` random candidates per growing-spheres round and at most
    ``max_rounds`` rounds.
    """

    def __init__(self, *, n_neighbours: int = 50, n_samples: int = 200,
                 max_rounds: int = 6) -> None:
        self.n_neighbours = n_neighbours
        self.n_samples = n_samples
        self.max_rounds = max_rounds

    def fit(self, model: Any, X_train: Any, *, immutable: Any = (),
            ranges: Mapping[str, Any] | None = None, integer: Any = None,
            increase_only: Any = (), decrease_only: Any = (),
            categorical: Any = None) -> Counterfactuals:
        _count("n_neighbours", self.n_neighbours, 0)
        _count("n_samples", self.n_samples, 1)
        _count("max_rounds", self.max_rounds, 0)
        self.model_ = model if isinstance(model, ModelAdapter) else wrap(model)
        X = to_pandas(X_train, what="X_train")
        names = self.model_.feature_names
        if names is not None:
            missing = [c for c in names if c not in X.columns]
            if missing:
                raise DataError("X_train", expected=f"the model's features {names}",
                                got=f"missing {missing}", fix="pass the training table")
            X = X[list(names)]
        if len(X) == 0:
            raise DataError("X_train", expected="training rows", got="an empty table",
                            fix="pass the table the model was trained on")
        self.space_ = FeatureSpace.learn(X, immutable=immutable, integer=integer,
                                         ranges=ranges, increase_only=increase_only,
                                         decrease_only=decrease_only,
                                         categorical=categorical)
        complete = X.dropna()
        self.donors_ = self.space_.encode(complete, what="X_train") if len(complete) \
            else np.empty((0, len(X.columns)))
        self.donor_predictions_ = (self.model_.predict(self._frame(self.donors_))
                                   if len(complete) else np.empty(0))
        self.train_lo_, self.train_hi_ = self.space_.lo.copy(), self.space_.hi.copy()
        for j, c in enumerate(self.space_.columns):
            if self.space_.numeric[j]:
                self.train_lo_[j], self.train_hi_[j] = X[c].min(), X[c].max()
        self.constraints_ = {"immutable": list(immutable or ()),
                             "ranges": {c: [float(self.space_.lo[j]), float(self.space_.hi[j])]
                                        for j, c in enumerate(self.space_.columns)
                                        if c in self.space_.given_ranges},
                             "increase_only": list(increase_only or ()),
                             "decrease_only": list(decrease_only or ())}
        return self

    def _frame(self, Z: np.ndarray, space: FeatureSpace | None = None) -> pd.DataFrame:
        return (space or self.space_).decode(Z)

    def explain(self, rows: Any, *, n: int = 3, target: Any = None,
                random_state: int | None = 0,
                on_infeasible: str = "mark") -> CounterfactualResult:
        """Up to ``n`` counterfactuals for each of ``rows``; see the module docstring."""
        if not hasattr(self, "space_"):
            raise StageError("Counterfactuals.explain was called before fit: call "
                             "Counterfactuals().fit(model, X_train) first")
        n = _count("n", n, 1)
        if on_infeasible not in ("mark", "raise"):
            raise ParameterError("on_infeasible", expected="'mark' or 'raise'",
                                 got=repr(on_infeasible), fix="pass on_infeasible='mark'")
        frame = rows.to_frame().T if isinstance(rows, pd.Series) else \
            pd.DataFrame([rows]) if isinstance(rows, Mapping) else to_pandas(rows, what="rows")
        if len(frame) == 0:
            raise DataError("rows", expected="at least one query row", got="no rows",
                            fix="pass the rows to explain")
        space, model = self.space_, self.model_
        Q = space.encode(frame.reset_index(drop=True))
        predictions = model.predict(self._frame(Q))
        probas = model.predict_proba(self._frame(Q)) if model.can("predict_proba") else None
        targets = resolve_targets(model, target, predictions)
        queries = []
        for i, (x, tgt) in enumerate(zip(Q, targets, strict=True)):
            rng = np.random.default_rng(None if random_state is None else [random_state, i])
            queries.append(self._one(frame.index[i], x, predictions[i],
                                     None if probas is None else float(probas[i].max()),
                                     tgt, n, rng, on_infeasible))
        options = {"n": n, "target": target, "random_state": random_state,
                   "n_neighbours": self.n_neighbours, "n_samples": self.n_samples,
                   "max_rounds": self.max_rounds, "on_infeasible": on_infeasible,
                   "constraints": self.constraints_}
        warnings = [f"{sum(q.status == s for q in queries)} of {len(queries)} query rows "
                    f"{s}" for s in ("infeasible", "partial") if any(q.status == s
                                                                  for q in queries)]
        return CounterfactualResult(queries=tuple(queries), model=model.describe(),
                                    features=self._features(), options=options,
                                    warnings=tuple(warnings))

    def _features(self) -> list[dict[str, Any]]:
        s = self.space_
        return [{"name": c, "kind": "numeric" if s.numeric[j] else "categorical",
                 "scale": float(s.scale[j]), "mutable": bool(s.mutable[j]),
                 "integer": bool(s.integer[j]), "direction": int(s.direction[j]),
                 "range": [float(s.lo[j]), float(s.hi[j])] if s.numeric[j] else None}
                for j, c in enumerate(s.columns)]

    def _one(self, index: Any, x: np.ndarray, prediction: Any, probability: float | None,
             tgt: Target, n: int, rng: np.random.Generator,
             on_infeasible: str) -> CounterfactualQuery:
        space = self.space_
        original = self._frame(x[None, :]).to_dict("records")[0]
        common = {"index": _plain(index), "original": original, "prediction": _plain(prediction),
                  "probability": probability, "target": tgt.describe()}
        if tgt.holds(np.array([prediction]))[0]:
            return CounterfactualQuery(**common, status="already_target", counterfactuals=(),
                                       diversity=None, message="the model already gives the "
                                       "target decision: nothing to change", blocked_by=(),
                                       n_calls=0, n_scored=0)
        out = self._search(space, x, tgt, n, rng)
        if len(out.Z) == 0:
            blocked, message = self._diagnose(x, tgt, out, rng)
            if on_infeasible == "raise":
                raise ParameterError(f"counterfactual for row {index!r}",
                                     expected=f"a feasible change to {tgt.describe()}",
                                     got=message, fix="relax the constraints named, or "
                                     "raise the budget (max_rounds, n_samples)")
            return CounterfactualQuery(**common, status="infeasible", counterfactuals=(),
                                       diversity=None, message=message, blocked_by=blocked,
                                       n_calls=out.n_calls, n_scored=out.n_scored)
        frame = self._frame(out.Z)
        new = self.model_.predict(frame)
        proba = (self.model_.predict_proba(frame).max(axis=1)
                 if self.model_.can("predict_proba") else None)
        ok = tgt.holds(new)
        contrib = space.contributions(x, out.Z)
        changed = space.changed(x, out.Z)
        cfs = []
        for k, values in enumerate(frame.to_dict("records")):
            if not ok[k]:  # never report a row that does not flip (a non-deterministic model)
                continue
            changes = tuple(Change(c, original[c], values[c], float(contrib[k, j]))
                            for j, c in enumerate(space.columns) if changed[k, j])
            cfs.append(Counterfactual(values=values, changes=changes,
                                      distance=float(contrib[k].sum()),
                                      sparsity=len(changes), prediction=_plain(new[k]),
                                      probability=None if proba is None else float(proba[k]),
                                      valid=True))
        sets = [frozenset(c.feature for c in cf.changes) for cf in cfs]
        pairs = [(a, b) for i, a in enumerate(sets) for b in sets[i + 1:]]
        diversity = (float(np.mean([1 - len(a & b) / len(a | b) for a, b in pairs]))
                     if pairs else None)
        status = "found" if len(cfs) >= n else "partial" if cfs else "infeasible"
        message = None if status == "found" else (
            f"found {len(cfs)} of {n} requested within the search budget "
            f"({out.n_valid_found} flipping candidates before refinement)")
        return CounterfactualQuery(**common, status=status, counterfactuals=tuple(cfs),
                                   diversity=diversity, message=message, blocked_by=(),
                                   n_calls=out.n_calls + 1, n_scored=out.n_scored + len(frame))

    def _search(self, space: FeatureSpace, x: np.ndarray, tgt: Target, n: int,
                rng: np.random.Generator, max_rounds: int | None = None) -> Any:
        donors = self.donors_[tgt.holds(self.donor_predictions_)] if len(self.donors_) \
            else self.donors_

        def valid(Z: np.ndarray) -> np.ndarray:
            return tgt.holds(self.model_.predict(self._frame(Z, space)))

        return search(space, x, valid, donors, n=n, rng=rng, n_neighbours=self.n_neighbours,
                      n_samples=self.n_samples,
                      max_rounds=self.max_rounds if max_rounds is None else max_rounds)

    def _diagnose(self, x: np.ndarray, tgt: Target, out: Any,
                  rng: np.random.Generator) -> tuple[tuple[str, ...], str]:
        """Which constraint families, lifted one at a time, would allow a flip."""
        s = self.space_
        named = {"immutable": [c for j, c in enumerate(s.columns) if not s.mutable[j]],
                 "ranges": [c for j, c in enumerate(s.columns) if s.numeric[j]],
                 "direction": [c for j, c in enumerate(s.columns) if s.direction[j]],
                 "integer": [c for j, c in enumerate(s.columns) if s.integer[j]]}
        blocked = []
        for family in _FAMILIES:
            if not named[family]:
                continue
            relaxed = s.relaxed(family, self.train_lo_, self.train_hi_)
            if len(self._search(relaxed, x, tgt, 1, rng, max_rounds=2).Z):
                blocked.append(family)
        spent = f"{out.n_scored:,} candidates scored in {out.n_calls} model calls"
        labels = {"immutable": f"immutable {named['immutable']}",
                  "ranges": "the ranges" + (f" {self.constraints_['ranges']}"
                                            if self.constraints_["ranges"] else
                                            " (the training range of every numeric feature)"),
                  "direction": f"the directions (increase_only "
                               f"{self.constraints_['increase_only']}, decrease_only "
                               f"{self.constraints_['decrease_only']})",
                  "integer": f"integer {named['integer']}"}
        if blocked:
            message = (f"no feasible change flips the decision to {tgt.describe()} ({spent}); "
                       "blocked by " + " and by ".join(labels[f] for f in blocked)
                       + (": lifting it gives a flip" if len(blocked) == 1
                          else ": lifting any one of them gives a flip"))
        else:
            message = (f"no feasible change flips the decision to {tgt.describe()} ({spent}); "
                       "lifting any single constraint ("
                       + ", ".join(labels[f] for f in _FAMILIES if named[f])
                       + ") does not help either: the model may never give that decision "
                       "near this row")
        return tuple(blocked), message


def counterfactuals(model: Any, X_train: Any, rows: Any, *, n: int = 3, target: Any = None,
                    random_state: int | None = 0, on_infeasible: str = "mark",
                    **constraints: Any) -> CounterfactualResult:
    """One-shot ``Counterfactuals().fit(model, X_train, **constraints).explain(rows, ...)``."""
    return Counterfactuals().fit(model, X_train, **constraints).explain(
        rows, n=n, target=target, random_state=random_state, on_infeasible=on_infeasible)
