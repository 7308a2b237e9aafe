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
from .counterfactual_target import Target, margin_of, resolve_targets

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
        todo = [i for i, (t, p) in enumerate(zip(targets, predictions, strict=True))
                if not t.holds(np.array([p]))[0]]
        rngs = [np.random.default_rng(None if random_state is None else [random_state, i])
                for i in todo]
        out = self._search(space, Q[todo], [targets[i] for i in todo], n, rngs)
        found = {i: z for i, z in zip(todo, out.Z, strict=True)}
        scored = self._score(found)
        calls, rows_scored = out.n_calls + int(len(scored[0]) > 0), out.n_scored + len(scored[0])
        lacking = [i for i in todo if not scored[1].get(i)]
        diagnosis: dict[int, tuple[tuple[str, ...], str]] = {}
        if lacking:
            diagnosis, spent = self._diagnose(Q[lacking], [targets[i] for i in lacking],
                                              lacking, (out.n_calls, out.n_scored), rngs=[
                                                  rngs[todo.index(i)] for i in lacking])
            calls, rows_scored = calls + spent[0], rows_scored + spent[1]
            if on_infeasible == "raise":
                i = lacking[0]
                raise ParameterError(f"counterfactual for row {_plain(frame.index[i])!r}",
                                     expected=f"a feasible change to {targets[i].describe()}",
                                     got=diagnosis[i][1], fix="relax the constraints named, "
                                     "or raise the budget (max_rounds, n_samples)")
        queries = []
        originals = self._frame(Q).to_dict("records")
        for i in range(len(Q)):
            common = {"index": _plain(frame.index[i]), "original": originals[i],
                      "prediction": _plain(predictions[i]),
                      "probability": None if probas is None else float(probas[i].max()),
                      "target": targets[i].describe()}
            if i not in found:
                queries.append(CounterfactualQuery(
                    **common, status="already_target", counterfactuals=(), diversity=None,
                    message="the model already gives the target decision: nothing to "
                    "change", blocked_by=()))
            elif i in diagnosis:
                blocked, message = diagnosis[i]
                queries.append(CounterfactualQuery(
                    **common, status="infeasible", counterfactuals=(), diversity=None,
                    message=message, blocked_by=blocked))
            else:
                queries.append(self._query(common, Q[i], scored[1][i], n,
                                           out.n_valid_found[todo.index(i)], targets[i]))
        options = {"n": n, "target": target, "random_state": random_state,
                   "n_neighbours": self.n_neighbours, "n_samples": self.n_samples,
                   "max_rounds": self.max_rounds, "on_infeasible": on_infeasible,
                   "constraints": self.constraints_}
        warnings = [f"{sum(q.status == s for q in queries)} of {len(queries)} query rows "
                    f"{s}" for s in ("infeasible", "partial") if any(q.status == s
                                                                  for q in queries)]
        return CounterfactualResult(queries=tuple(queries), model=model.describe(),
                                    features=self._features(), options=options,
                                    n_model_calls=calls, n_rows_scored=rows_scored,
                                    warnings=tuple(warnings))

    def _score(self, found: dict[int, np.ndarray]) -> tuple[np.ndarray, dict[int, list]]:
        """Predict every chosen row once (one call); keep, per query, those that flip."""
        keys = [i for i, z in found.items() if len(z)]
        if not keys:
            return np.empty((0, len(self.space_.columns))), {}
        Z = np.vstack([found[i] for i in keys])
        frame = self._frame(Z)
        new = self.model_.predict(frame)
        proba = (self.model_.predict_proba(frame).max(axis=1)
                 if self.model_.can("predict_proba") else None)
        values = frame.to_dict("records")
        out: dict[int, list] = {}
        at = 0
        for i in keys:
            rows = []
            for k in range(at, at + len(found[i])):
                rows.append((Z[k], values[k], _plain(new[k]),
                             None if proba is None else float(proba[k])))
            at += len(found[i])
            out[i] = rows
        return Z, out

    def _query(self, common: dict[str, Any], x: np.ndarray, rows: list, n: int,
               n_found: int, tgt: Target) -> CounterfactualQuery:
        space = self.space_
        # never report a row that does not reach the target (a non-deterministic model)
        ok = tgt.holds(np.array([r[2] for r in rows]))
        cfs = []
        for z, values, new, proba in (r for r, k in zip(rows, ok, strict=True) if k):
            contrib = space.contributions(x, z[None, :])[0]
            changed = space.changed(x, z[None, :])[0]
            changes = tuple(Change(c, common["original"][c], values[c], float(contrib[j]))
                            for j, c in enumerate(space.columns) if changed[j])
            cfs.append(Counterfactual(values=values, changes=changes,
                                      distance=float(contrib.sum()), sparsity=len(changes),
                                      prediction=new, probability=proba, valid=True))
        sets = [frozenset(c.feature for c in cf.changes) for cf in cfs]
        pairs = [(a, b) for i, a in enumerate(sets) for b in sets[i + 1:]]
        diversity = (float(np.mean([1 - len(a & b) / len(a | b) for a, b in pairs]))
                     if pairs else None)
        status = "found" if len(cfs) >= n else "partial"
        message = None if status == "found" else (
            f"found {len(cfs)} of {n} requested within the search budget "
            f"({n_found} flipping candidates before refinement)")
        return CounterfactualQuery(**common, status=status, counterfactuals=tuple(cfs),
                                   diversity=diversity, message=message, blocked_by=())

    def _features(self) -> list[dict[str, Any]]:
        s = self.space_
        return [{"name": c, "kind": "numeric" if s.numeric[j] else "categorical",
                 "scale": float(s.scale[j]), "mutable": bool(s.mutable[j]),
                 "integer": bool(s.integer[j]), "direction": int(s.direction[j]),
                 "range": [float(s.lo[j]), float(s.hi[j])] if s.numeric[j] else None}
                for j, c in enumerate(s.columns)]

    def _search(self, space: FeatureSpace, Q: np.ndarray, targets: list[Target], n: int,
                rngs: list[np.random.Generator], max_rounds: int | None = None) -> Any:
        donors = [self.donors_[t.holds(self.donor_predictions_)] if len(self.donors_)
                  else self.donors_ for t in targets]

        single = [t.classes[0] for t in targets if t.classes is not None
                  and len(t.classes) == 1]
        single_class = np.array(single) if len(single) == len(targets) else None

        def valid(Z: np.ndarray, query: np.ndarray) -> np.ndarray:
            predicted = self.model_.predict(self._frame(Z, space))
            if single_class is not None:  # one target class per query row: vectorised
                return predicted == single_class[query]
            ok = np.zeros(len(Z), dtype=bool)
            for q in np.unique(query):
                rows = query == q
                ok[rows] = targets[q].holds(predicted[rows])
            return ok

        return search(space, Q, valid, donors, n=n, rngs=rngs,
                      n_neighbours=self.n_neighbours, n_samples=self.n_samples,
                      max_rounds=self.max_rounds if max_rounds is None else max_rounds,
                      margin=margin_of(self.model_, targets,
                                       lambda Z: self._frame(Z, space)))


    def _diagnose(self, Q: np.ndarray, targets: list[Target], rows: list[int],
                  spent: tuple[int, int], *, rngs: list[np.random.Generator],
                  ) -> tuple[dict[int, tuple[tuple[str, ...], str]], tuple[int, int]]:
        """Which constraint families, lifted one at a time, would allow a flip."""
        s = self.space_
        named = {"immutable": [c for j, c in enumerate(s.columns) if not s.mutable[j]],
                 "ranges": [c for j, c in enumerate(s.columns) if s.numeric[j]],
                 "direction": [c for j, c in enumerate(s.columns) if s.direction[j]],
                 "integer": [c for j, c in enumerate(s.columns) if s.integer[j]]}
        blocked: dict[int, list[str]] = {i: [] for i in rows}
        calls = scored = 0
        for family in _FAMILIES:
            if not named[family]:
                continue
            relaxed = s.relaxed(family, self.train_lo_, self.train_hi_)
            out = self._search(relaxed, Q, targets, 1, rngs, max_rounds=2)
            calls, scored = calls + out.n_calls, scored + out.n_scored
            for i, z in zip(rows, out.Z, strict=True):
                if len(z):
                    blocked[i].append(family)
        spent_text = (f"{spent[1]:,} candidates scored in {spent[0]} model calls for the "
                      "batch")
        labels = {"immutable": f"immutable {named['immutable']}",
                  "ranges": "the ranges" + (f" {self.constraints_['ranges']}"
                                            if self.constraints_["ranges"] else
                                            " (the training range of every numeric feature)"),
                  "direction": f"the directions (increase_only "
                               f"{self.constraints_['increase_only']}, decrease_only "
                               f"{self.constraints_['decrease_only']})",
                  "integer": f"integer {named['integer']}"}
        result = {}
        for i, tgt in zip(rows, targets, strict=True):
            head = f"no feasible change flips the decision to {tgt.describe()} ({spent_text})"
            b = blocked[i]
            if b:
                message = (f"{head}; blocked by " + " and by ".join(labels[f] for f in b)
                           + (": lifting it gives a flip" if len(b) == 1
                              else ": lifting any one of them gives a flip"))
            else:
                message = (f"{head}; lifting any single constraint ("
                           + ", ".join(labels[f] for f in _FAMILIES if named[f])
                           + ") does not help either: the model may never give that "
                           "decision near this row")
            result[i] = (tuple(b), message)
        return result, (calls, scored)


def counterfactuals(model: Any, X_train: Any, rows: Any, *, n: int = 3, target: Any = None,
                    random_state: int | None = 0, on_infeasible: str = "mark",
                    **constraints: Any) -> CounterfactualResult:
    """One-shot ``Counterfactuals().fit(model, X_train, **constraints).explain(rows, ...)``."""
    return Counterfactuals().fit(model, X_train, **constraints).explain(
        rows, n=n, target=target, random_state=random_state, on_infeasible=on_infeasible)
