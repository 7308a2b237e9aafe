"""Analyse a fault tree: exact top-event probability, minimal cut sets, importance measures.

The tree's reachable basic events become the variables of one BDD (ordered by first
appearance, depth first from the top); every gate becomes a BDD node. Under independent
basic events this gives the **exact** top-event probability, shared events included (the
case where multiplying gate by gate double-counts). Also reported, as a reliability
engineer expects them:

- minimal cut sets (no cut set contains another), from the BDD by Rauzy's recurrence,
  sorted by order, then probability (highest first); each with its probability (product);
- the rare-event approximation ``sum P(C)`` and the min-cut upper bound
  ``1 - prod(1 - P(C))`` over the minimal cut sets (both at or above the exact value for
  a coherent tree);
- per basic event: Birnbaum ``P(top | e) - P(top | not e)``; criticality
  ``Birnbaum * p / P(top)``; Fussell-Vesely ``P(some minimal cut set holding e occurs) /
  P(top)`` (computed exactly on the BDD, not by the rare-event sum); risk achievement worth
  ``P(top | e) / P(top)`` and risk reduction worth ``P(top) / P(top | not e)``.
  A ratio whose denominator is 0 is None.

>>> from stalwart.rca import BasicEvent, FaultTree, Gate
>>> tree = FaultTree(top="top", events=[BasicEvent("a", 0.1), BasicEvent("b", 0.2),
...                                     BasicEvent("c", 0.3)],
...                  gates=[Gate("top", "or", ["g1", "g2"]), Gate("g1", "and", ["a", "b"]),
...                         Gate("g2", "and", ["a", "c"])])
>>> r = analyse_fault_tree(tree)
>>> round(r.top_probability, 6)     # P(a) * P(b or c) = 0.1 * (1 - 0.8 * 0.7)
0.044
>>> [c.events for c in r.cut_sets], round(r.rare_event_approximation, 6)
([('a', 'c'), ('a', 'b')], 0.05)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .._json import FieldsJSON, jsonable
from ..exceptions import ParameterError
from .fault_tree import FaultTree, Gate
from .fault_tree_bdd import Bdd
from .fault_tree_monitoring import ComponentEstimate

__all__ = ["DEFAULT_MAX_BDD_NODES", "SCHEMA_VERSION", "CutSet", "EventImportance", "FaultTreeResult",
           "analyse_fault_tree"]

SCHEMA_VERSION = "1.0"
#: about a minute of work in pure Python: far beyond a system-level tree of tens of events
DEFAULT_MAX_BDD_NODES = 500_000


@dataclass(frozen=True)
class CutSet(FieldsJSON):
    """A minimal set of basic events whose joint occurrence makes the top event occur."""

    events: tuple[str, ...]
    order: int
    probability: float


@dataclass(frozen=True)
class EventImportance(FieldsJSON):
    event: str
    probability: float
    birnbaum: float
    criticality: float | None
    fussell_vesely: float | None
    risk_achievement_worth: float | None
    risk_reduction_worth: float | None


@dataclass(frozen=True)
class FaultTreeResult:
    """What :func:`analyse_fault_tree` found; ``to_dict`` for JSON, ``to_html`` for a page."""

    tree: FaultTree
    top_probability: float
    rare_event_approximation: float
    min_cut_upper_bound: float
    cut_sets: tuple[CutSet, ...]
    importance: tuple[EventImportance, ...]
    node_probabilities: dict[str, float]
    probability_sources: dict[str, str]
    unreachable: tuple[str, ...] = ()
    estimates: tuple[ComponentEstimate, ...] = ()
    top_probability_range: tuple[float, float] | None = None
    notes: tuple[str, ...] = ()
    bdd_nodes: int = 0
    schema_version: str = field(default=SCHEMA_VERSION)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "tree": self.tree.to_dict(),
            "top_probability": self.top_probability,
            "rare_event_approximation": self.rare_event_approximation,
            "min_cut_upper_bound": self.min_cut_upper_bound,
            "top_probability_range": self.top_probability_range,
            "cut_sets": [c.to_dict() for c in self.cut_sets],
            "importance": [i.to_dict() for i in self.importance],
            "node_probabilities": self.node_probabilities,
            "probability_sources": self.probability_sources,
            "estimates": [e.to_dict() for e in self.estimates],
            "unreachable": list(self.unreachable), "notes": list(self.notes),
            "bdd_nodes": self.bdd_nodes})

    def to_html(self, *, title: str | None = None) -> str:
        """A standalone HTML page: the tree as inline SVG, the numbers, the cut sets."""
        from .fault_tree_render import render_fault_tree_html

        return render_fault_tree_html(self, title=title)


def _assign(tree: FaultTree, estimates: tuple[ComponentEstimate, ...]
            ) -> tuple[FaultTree, dict[str, str]]:
    by_component = {e.component: e for e in estimates}
    if len(by_component) != len(estimates):
        raise ParameterError("estimates", expected="one estimate per component",
                             got=repr([e.component for e in estimates]),
                             fix="estimate each component once")
    named = {e.component for e in tree.events if e.component is not None}
    unknown = sorted(set(by_component) - named)
    if unknown:
        raise ParameterError("estimated components", expected=f"components named by basic "
                             f"events ({sorted(named) or 'none has one'})", got=repr(unknown),
                             fix="set component= on the basic events, or fix the names")
    sources, probabilities = {}, {}
    for e in tree.events:
        est = by_component.get(e.component) if e.component is not None else None
        if est is not None:
            probabilities[e.id] = est.probability
            sources[e.id] = f"monitoring: {est.component} ({est.failed}/{est.total} windows)"
        else:
            sources[e.id] = "given"
    return tree.with_probabilities(probabilities), sources


def _gate_nodes(tree: FaultTree, bdd: Bdd, index: dict[str, int]) -> dict[str, int]:
    """A BDD node per reachable event and gate, children before parents (no recursion)."""
    gates = {g.id: g for g in tree.gates}
    built: dict[str, int] = {eid: bdd.variable(i) for eid, i in index.items()}
    stack = [tree.top]
    while stack:
        node = stack[-1]
        if node in built:
            stack.pop()
            continue
        gate: Gate = gates[node]
        todo = [c for c in gate.children if c not in built]
        if todo:
            stack.extend(reversed(todo))
            continue
        stack.pop()
        kids = [built[c] for c in gate.children]
        if gate.type == "and":
            k = len(kids)
        elif gate.type == "or":
            k = 1
        else:
            k = gate.k  # type: ignore[assignment]
        # and / or are the k = n / k = 1 cases of a vote
        if k == len(kids):
            out = bdd.all_(kids)
        elif k == 1:
            out = bdd.any_(kids)
        else:
            out = bdd.at_least(k, kids)
        built[node] = out
    return built


def analyse_fault_tree(tree: FaultTree, *, estimates: Iterable[ComponentEstimate] = (),
                       max_bdd_nodes: int = DEFAULT_MAX_BDD_NODES) -> FaultTreeResult:
    """Analyse ``tree`` (see the module docstring). ``estimates`` (from monitoring) replace
    the probability of every basic event whose ``component`` they name. ``max_bdd_nodes``
    stops a tree whose diagram grows too large with a ParameterError instead of running
    for minutes."""
    if isinstance(max_bdd_nodes, bool) or not isinstance(max_bdd_nodes, int) \
            or max_bdd_nodes < 2:
        raise ParameterError("max_bdd_nodes", expected="an integer >= 2",
                             got=repr(max_bdd_nodes), fix="keep the default (500,000)")
    if not isinstance(tree, FaultTree):
        raise ParameterError("tree", expected="a FaultTree", got=type(tree).__name__,
                             fix="build it with FaultTree(...) or FaultTree.from_dict(doc)")
    estimates = tuple(estimates)
    tree, sources = _assign(tree, estimates)
    reachable = tree.reachable
    events = {e.id: e for e in tree.events}
    order = [n for n in reachable if n in events]
    missing = [n for n in order if events[n].probability is None]
    if missing:
        raise ParameterError("basic event probabilities", expected="a probability for every "
                             "basic event under the top event", got=f"none for {missing}",
                             fix="give them a probability, or a component estimated from "
                             "monitoring")
    index = {eid: i for i, eid in enumerate(order)}
    p = [float(events[eid].probability) for eid in order]  # type: ignore[arg-type]
    bdd = Bdd(len(order), max_nodes=max_bdd_nodes)
    nodes = _gate_nodes(tree, bdd, index)
    root = nodes[tree.top]

    raw_sets = bdd.minimal_solutions(root)
    cut_sets = sorted((CutSet(tuple(order[i] for i in sorted(s)), len(s),
                              math.prod(p[i] for i in s)) for s in raw_sets),
                      key=lambda c: (c.order, -c.probability, c.events))
    # Fussell-Vesely numerators: P(union of the minimal cut sets holding e) = p_e * P(rest)
    holding: dict[int, int] = {}
    for s in raw_sets:
        for i in s:
            rest = bdd.all_([bdd.variable(j) for j in sorted(s - {i})])
            holding[i] = bdd.or_(holding.get(i, 0), rest)
    prob = bdd.probabilities(p)
    top = prob[root]
    birnbaum = bdd.birnbaum(root, p, prob)

    def ratio(a: float, b: float) -> float | None:
        return a / b if b > 0 else None

    importance = []
    for i, eid in enumerate(order):
        given_not = top - p[i] * birnbaum[i]      # P(top | p_i = 0): linear in p_i
        given = top + (1.0 - p[i]) * birnbaum[i]  # P(top | p_i = 1)
        fv = p[i] * prob[holding[i]] if i in holding else 0.0
        importance.append(EventImportance(
            eid, p[i], birnbaum[i], ratio(birnbaum[i] * p[i], top), ratio(fv, top),
            ratio(given, top), ratio(top, max(given_not, 0.0))))
    importance.sort(key=lambda m: (-(m.fussell_vesely or 0.0), -m.birnbaum, m.event))

    rng = None
    if estimates:
        by_component = {e.component: e for e in estimates}
        ends = []
        for end in ("low", "high"):
            q = [getattr(by_component[events[eid].component], end)
                 if events[eid].component in by_component else p[i]
                 for i, eid in enumerate(order)]
            ends.append(bdd.probabilities(q)[root])
        rng = (ends[0], ends[1])
    unreachable = tree.unreachable
    notes = []
    if unreachable:
        notes.append(f"{len(unreachable)} node(s) not under the top event, left out of the "
                     f"analysis: {', '.join(unreachable)}")
    if rng is not None:
        notes.append("top_probability_range: every monitored event at the low, then the high "
                     f"end of its {estimates[0].level:.0%} interval (a plug-in range, not a "
                     "joint credible interval)")
    return FaultTreeResult(
        tree=tree, top_probability=top,
        rare_event_approximation=math.fsum(c.probability for c in cut_sets),
        min_cut_upper_bound=1.0 - math.prod(1.0 - c.probability for c in cut_sets),
        cut_sets=tuple(cut_sets), importance=tuple(importance),
        node_probabilities={n: prob[nodes[n]] for n in reachable},
        probability_sources={n: sources[n] for n in order}, unreachable=unreachable,
        estimates=estimates, top_probability_range=rng, notes=tuple(notes),
        bdd_nodes=len(bdd.reachable(root)))
