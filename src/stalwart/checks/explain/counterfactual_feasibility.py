"""Check: can the people the model turns down reach the other decision (recourse)?

On a seeded sample of up to ``max_rows`` rows the model gives the *unfavourable* class,
:class:`stalwart.explain.Counterfactuals`, fitted on the reference (training) rows with the
check's constraints (``immutable``, ``ranges``, ``increase_only``, ``decrease_only``), looks
for a feasible change that reaches a favourable class. A model that offers no recourse to
many of the rows it rejects (Ustun, Spangher and Liu, 2019, "Actionable Recourse in Linear
Classification") is one whose decisions those people cannot act on.

The unfavourable class defaults to the first of a binary model's classes (``0`` of
``{0, 1}``, ``"bad"`` of ``{"bad", "good"}``): pass ``unfavourable=`` when the order says
otherwise; a model with more classes needs it. Every other class counts as favourable.
The metric ``feasible_share`` is the share of sampled rows with at least one
counterfactual; the default condition warns below ``min_feasible_share`` (0.9). The
evidence lists the infeasible rows with the constraint families that block them
(``blocked_by``), and the mean changed features and scaled L1 distance of the nearest
counterfactual of each feasible row.

>>> import numpy as np, pandas as pd
>>> from sklearn.tree import DecisionTreeClassifier
>>> from stalwart import Suite
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
>>> model = DecisionTreeClassifier(max_depth=1).fit(X, (X["a"] > 0).astype(int))
>>> def run(**options):
...     check = CounterfactualFeasibility(max_rows=10, **options)
...     return Suite("s", [check]).run(X, model=model, reference=X).results[0]
>>> run().metrics["feasible_share"], run(immutable=["a"]).metrics["feasible_share"]
(1.0, 0.0)
>>> run(immutable=["a"]).status.value
'warn'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...exceptions import ParameterError
from ...explain import Counterfactuals
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..evaluation._common import features_of
from ..result import Evidence, Table

__all__ = ["CounterfactualFeasibility"]

_SHOWN = 20


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


@register_check
class CounterfactualFeasibility(Check):
    """Share of the rows the model turns down that some feasible change would flip, under
    the given constraints (see the module docstring); warns below ``min_feasible_share``."""

    name = "counterfactual_feasibility"
    title = "Counterfactual feasibility (recourse)"
    category = "model"
    needs = frozenset({"model", "reference"})

    # 0.9: one rejected person in ten with no actionable way out is already many
    def __init__(self, *, unfavourable: Any = None, immutable: Sequence[str] = (),
                 ranges: Mapping[str, Sequence[float]] | None = None,
                 increase_only: Sequence[str] = (), decrease_only: Sequence[str] = (),
                 max_rows: int = 50, min_feasible_share: float = 0.9,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.unfavourable = unfavourable
        self.immutable = immutable
        self.ranges = ranges
        self.increase_only = increase_only
        self.decrease_only = decrease_only
        self.max_rows = max_rows
        self.min_feasible_share = min_feasible_share
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("feasible_share", "ge", self.min_feasible_share, severity="warn",
                          name=f"at least {self.min_feasible_share:g} of the rejected rows "
                               "have a feasible counterfactual")]

    def _unfavourable(self, model: Any) -> Any:
        classes = None if model.task == "regression" else model.classes_
        if classes is None:
            raise ParameterError("model", expected="a classifier", got=f"a {model.task} "
                                 "model", fix="recourse needs classes: use Counterfactuals "
                                 "with target=(low, high) for a regressor")
        known = [_plain(c) for c in classes]
        if self.unfavourable is None:
            if len(known) != 2:
                raise ParameterError("unfavourable", expected="the class that turns a row "
                                     "down", got=f"None with {len(known)} classes {known}",
                                     fix=f"pass unfavourable={known[0]!r}")
            return known[0]
        if _plain(self.unfavourable) not in known:
            raise ParameterError("unfavourable", expected=f"one of the model's classes "
                                 f"{known}", got=repr(self.unfavourable),
                                 fix=f"pass unfavourable={known[0]!r}")
        return _plain(self.unfavourable)

    def compute(self, ctx: CheckContext) -> Evidence:
        if isinstance(self.max_rows, bool) or not isinstance(self.max_rows, int) \
                or self.max_rows < 1:
            raise ParameterError("max_rows", expected="an integer >= 1",
                                 got=repr(self.max_rows), fix="pass max_rows=50")
        model = ctx.model
        bad = self._unfavourable(model)
        features = features_of(ctx, ctx.data)
        reference = ctx.reference.frame[features_of(ctx, ctx.reference)]
        frame = ctx.data.frame[features]
        complete = frame.dropna()
        n_missing = len(frame) - len(complete)
        rejected = complete[np.asarray(model.predict(complete)) == bad] if len(complete) \
            else complete
        metrics: dict[str, Any] = {"feasible_share": None, "n_rejected": len(rejected),
                                   "n_examined": 0, "n_feasible": 0, "n_infeasible": 0,
                                   "mean_changed_features": None, "mean_scaled_l1": None,
                                   "n_model_calls": 0}
        note = (f"; {n_missing} rows with missing values not examined" if n_missing else "")
        if len(rejected) == 0:
            return Evidence(metrics, f"the model gives no complete row the unfavourable "
                            f"class {bad!r}: nothing to examine{note}")
        rows = rejected if len(rejected) <= self.max_rows else rejected.sample(
            n=self.max_rows, random_state=ctx.random_state).sort_index()
        favourable = [c for c in (_plain(k) for k in model.classes_) if c != bad]
        cf = Counterfactuals().fit(model, reference, immutable=list(self.immutable),
                                   ranges=dict(self.ranges or {}),
                                   increase_only=list(self.increase_only),
                                   decrease_only=list(self.decrease_only))
        result = cf.explain(rows, n=1, target=favourable, random_state=ctx.random_state)
        found = [q for q in result.queries if q.counterfactuals]
        blocked = [q for q in result.queries if not q.counterfactuals]
        nearest = [q.counterfactuals[0] for q in found]
        metrics.update({
            "feasible_share": len(found) / len(result.queries),
            "n_examined": len(result.queries), "n_feasible": len(found),
            "n_infeasible": len(blocked), "n_model_calls": result.n_model_calls,
            "mean_changed_features": (float(np.mean([c.sparsity for c in nearest]))
                                      if nearest else None),
            "mean_scaled_l1": (float(np.mean([c.distance for c in nearest]))
                               if nearest else None)})
        share = metrics["feasible_share"]
        summary = (f"{len(found)} of {len(result.queries)} rows given {bad!r} "
                   f"({share:.0%}) have a feasible counterfactual"
                   + (f" (a seeded sample of the {len(rejected)} rejected)"
                      if len(rejected) > len(rows) else ""))
        if nearest:
            summary += (f"; the nearest changes {metrics['mean_changed_features']:.1f} "
                        f"features on average (scaled L1 {metrics['mean_scaled_l1']:.2f})")
        if blocked:
            families = sorted({f for q in blocked for f in q.blocked_by})
            summary += (f"; {len(blocked)} blocked" + (f", by {', '.join(families)}"
                                                       if families else ""))
        tables = [Table("Rows without a feasible counterfactual",
                        ("row", "blocked_by", "why"),
                        tuple((q.index, ", ".join(q.blocked_by) or "no single constraint",
                               q.message) for q in blocked[:_SHOWN]),
                        total_rows=len(blocked))] if blocked else []
        if found:
            tables.append(Table("Nearest counterfactual of feasible rows",
                                ("row", "changes", "changed features", "scaled L1"),
                                tuple((q.index, "; ".join(
                                    f"{c.feature}: {c.original} -> {c.counterfactual}"
                                    for c in q.counterfactuals[0].changes),
                                    q.counterfactuals[0].sparsity,
                                    round(q.counterfactuals[0].distance, 4))
                                    for q in found[:_SHOWN]), total_rows=len(found)))
        return Evidence(metrics, summary + note, tuple(tables))
