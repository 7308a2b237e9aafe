"""What a counterfactual request returns: per query row, the changes that flip its decision.

A :class:`CounterfactualResult` holds one :class:`CounterfactualQuery` per query row, each
with its original values, prediction, target, status and up to ``n``
:class:`Counterfactual` rows (their changes from -> to, scaled L1 distance, sparsity, new
prediction and probability, validity checked with the model). ``to_dict`` is the JSON form;
the HTML page is drawn by :func:`stalwart.checks.explain.counterfactual_page.counterfactual_page`
(layer 2: this layer imports no renderer).

Statuses: ``found`` (``n`` counterfactuals), ``partial`` (fewer than ``n``: the message says
how many), ``infeasible`` (none: the message names the constraints that blocked it) and
``already_target`` (the model already gives the target decision: nothing to change).

>>> cf = Counterfactual(values={"a": 2.0}, changes=(Change("a", 1.0, 2.0, 0.5),),
...                     distance=0.5, sparsity=1, prediction=1, probability=0.6, valid=True)
>>> q = CounterfactualQuery(index=0, original={"a": 1.0}, prediction=0, probability=0.7,
...                         target=[1], status="found", counterfactuals=(cf,),
...                         diversity=None, message=None, blocked_by=())
>>> r = CounterfactualResult(queries=(q,), model={"name": "m"}, features=[], options={},
...                          n_model_calls=3, n_rows_scored=40)
>>> r.to_dict()["queries"][0]["counterfactuals"][0]["changes"]
[{'feature': 'a', 'original': 1.0, 'counterfactual': 2.0, 'scaled_change': 0.5}]
>>> r.validity, r.n_feasible, r.mean_sparsity
(1.0, 1, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._json import FieldsJSON, jsonable

__all__ = ["Change", "Counterfactual", "CounterfactualQuery", "CounterfactualResult"]

STATUSES = ("found", "partial", "infeasible", "already_target")


@dataclass(frozen=True)
class Change(FieldsJSON):
    """One changed feature: its value before and after, and its term of the distance."""

    feature: str
    original: Any
    counterfactual: Any
    scaled_change: float


@dataclass(frozen=True)
class Counterfactual(FieldsJSON):
    """One counterfactual row and what the model says about it."""

    values: Mapping[str, Any]
    changes: tuple[Change, ...]
    distance: float
    sparsity: int
    prediction: Any
    probability: float | None
    valid: bool


@dataclass(frozen=True)
class CounterfactualQuery(FieldsJSON):
    """One query row: its decision, the target, and the counterfactuals found (or why none)."""

    index: Any
    original: Mapping[str, Any]
    prediction: Any
    probability: float | None
    target: Any
    status: str
    counterfactuals: tuple[Counterfactual, ...]
    diversity: float | None
    message: str | None
    blocked_by: tuple[str, ...]


@dataclass(frozen=True)
class CounterfactualResult:
    """Counterfactual explanations of a batch of query rows, and what the search spent
    (model calls and rows scored, for the whole batch: query rows are searched together)."""

    queries: tuple[CounterfactualQuery, ...]
    model: Mapping[str, Any]
    features: Sequence[Mapping[str, Any]]
    options: Mapping[str, Any]
    n_model_calls: int
    n_rows_scored: int
    warnings: tuple[str, ...] = field(default=())
    schema_version: str = "1.0"

    def _all(self) -> list[Counterfactual]:
        return [c for q in self.queries for c in q.counterfactuals]

    @property
    def n_feasible(self) -> int:
        """Query rows with at least one counterfactual."""
        return sum(bool(q.counterfactuals) for q in self.queries)

    @property
    def n_infeasible(self) -> int:
        return sum(q.status == "infeasible" for q in self.queries)

    @property
    def validity(self) -> float | None:
        """Share of returned counterfactuals whose decision the model flipped (always 1)."""
        found = self._all()
        return sum(c.valid for c in found) / len(found) if found else None

    @property
    def mean_sparsity(self) -> float | None:
        found = self._all()
        return sum(c.sparsity for c in found) / len(found) if found else None

    @property
    def mean_distance(self) -> float | None:
        found = self._all()
        return sum(c.distance for c in found) / len(found) if found else None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "model": dict(self.model),
            "n_queries": len(self.queries), "n_feasible": self.n_feasible,
            "n_infeasible": self.n_infeasible, "validity": self.validity,
            "n_model_calls": self.n_model_calls, "n_rows_scored": self.n_rows_scored,
            "mean_sparsity": self.mean_sparsity, "mean_distance": self.mean_distance,
            "features": [dict(f) for f in self.features], "options": dict(self.options),
            "warnings": list(self.warnings),
            "queries": [q.to_dict() for q in self.queries]})
