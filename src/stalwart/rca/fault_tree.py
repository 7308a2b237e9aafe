"""Fault trees: basic events, AND / OR / k-of-n (VOTE) gates and a top event.

A :class:`FaultTree` describes how a deployed system fails: basic events (a data source
goes stale, a preprocessing step breaks, the model misranks a segment) with their
probabilities, combined by gates up to the top event ("the system answers wrongly").
Build one from Python objects or from a plain dict / JSON document; either way it is
validated at once: an unknown child, a duplicate id, a cycle (named), a probability
outside [0, 1] or a k out of range raise :class:`~stalwart.exceptions.ParameterError`.
Events or gates that the top event does not reach are allowed (a tree being drafted often
has them) and are listed in :attr:`FaultTree.unreachable` and in the analysis result.

An event's ``component`` ties it to monitoring: ``monitoring`` maps a component to the
window condition that counts as that component failing (see ``fault_tree_monitoring``).

>>> tree = FaultTree.from_dict({
...     "top": "wrong answer",
...     "events": [{"id": "stale features", "probability": 0.1, "component": "feature-store"},
...                {"id": "schema break", "probability": 0.02},
...                {"id": "model drift", "probability": 0.2}],
...     "gates": [{"id": "wrong answer", "type": "or",
...                "children": ["schema break", "bad input"]},
...               {"id": "bad input", "type": "and",
...                "children": ["stale features", "model drift"]}]})
>>> [g.type for g in tree.gates], tree.unreachable
(['or', 'and'], ())
>>> FaultTree.from_dict(tree.to_dict()) == tree
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..exceptions import ParameterError
from ..monitoring.alerts.rules import Rule

__all__ = ["GATE_TYPES", "SCHEMA_VERSION", "BasicEvent", "ComponentCondition", "FaultTree",
           "Gate"]

SCHEMA_VERSION = "1.0"
#: gate types: all children occur, any child occurs, at least k of the n children occur
GATE_TYPES = ("and", "or", "vote")


def _bad(what: str, expected: str, got: Any, fix: str) -> ParameterError:
    return ParameterError(what, expected=expected, got=repr(got), fix=fix)


def _ident(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(what, "a non-empty string", value, f"give every {what} a name such as 'ingest'")
    return value


def _keys(data: Any, what: str, allowed: Sequence[str], required: Sequence[str]) -> None:
    if not isinstance(data, Mapping):
        raise _bad(what, "a mapping (JSON object)", type(data).__name__, f"write the {what} as "
                   "an object with keys " + ", ".join(allowed))
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise _bad(f"{what} keys", f"keys among {list(allowed)}", unknown,
                   "remove or rename the unknown keys")
    missing = [k for k in required if k not in data]
    if missing:
        raise _bad(f"{what} keys", f"the keys {list(required)}", dict(data),
                   f"add {missing[0]!r}")


@dataclass(frozen=True)
class BasicEvent:
    """A leaf of the tree. ``probability`` may be None until monitoring supplies it."""

    id: str
    probability: float | None = None
    description: str = ""
    component: str | None = None

    def __post_init__(self) -> None:
        _ident(self.id, "basic event id")
        p = self.probability
        if p is not None:
            if isinstance(p, bool) or not isinstance(p, (int, float)) or not math.isfinite(p) \
                    or not 0.0 <= p <= 1.0:
                raise _bad(f"probability of basic event {self.id!r}", "a number in [0, 1]", p,
                           "pass the event's probability of occurring, e.g. 0.01")
            object.__setattr__(self, "probability", float(p))
        if self.component is not None:
            _ident(self.component, f"component of basic event {self.id!r}")
        if not isinstance(self.description, str):
            raise _bad(f"description of basic event {self.id!r}", "a string", self.description,
                       "pass description='...'")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "probability": self.probability, "description": self.description,
                "component": self.component}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BasicEvent:
        _keys(data, "basic event", ("id", "probability", "description", "component"), ("id",))
        return cls(**dict(data))


@dataclass(frozen=True)
class Gate:
    """An AND, OR or VOTE (at least ``k`` of the children) gate over event or gate ids."""

    id: str
    type: str
    children: tuple[str, ...]
    k: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        _ident(self.id, "gate id")
        kind = self.type.lower() if isinstance(self.type, str) else self.type
        if kind not in GATE_TYPES:
            raise _bad(f"type of gate {self.id!r}", f"one of {list(GATE_TYPES)}", self.type,
                       "use 'and', 'or', or 'vote' with k for k-of-n")
        object.__setattr__(self, "type", kind)
        if isinstance(self.children, str) or not isinstance(self.children, Iterable):
            raise _bad(f"children of gate {self.id!r}", "a list of event or gate ids",
                       self.children, "pass children=['a', 'b']")
        children = tuple(self.children)
        if not children:
            raise _bad(f"children of gate {self.id!r}", "at least one child", [],
                       "list the events or gates this gate combines")
        for c in children:
            _ident(c, f"child of gate {self.id!r}")
        repeated = sorted({c for c in children if children.count(c) > 1})
        if repeated:
            raise _bad(f"children of gate {self.id!r}", "each child listed once", repeated,
                       "remove the repeated child (a shared event goes under several gates, "
                       "not twice under one)")
        object.__setattr__(self, "children", children)
        n = len(children)
        if kind == "vote":
            k = self.k
            if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= n:
                raise _bad(f"k of vote gate {self.id!r}", f"an integer from 1 to {n} "
                           f"(the number of children)", k, f"pass k between 1 and {n}")
        elif self.k is not None:
            raise _bad(f"k of {kind} gate {self.id!r}", "no k (only vote gates have one)",
                       self.k, "drop k, or use type='vote'")
        if not isinstance(self.description, str):
            raise _bad(f"description of gate {self.id!r}", "a string", self.description,
                       "pass description='...'")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "children": list(self.children)}
        if self.k is not None:
            out["k"] = self.k
        out["description"] = self.description
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Gate:
        _keys(data, "gate", ("id", "type", "children", "k", "description"),
              ("id", "type", "children"))
        return cls(**dict(data))


@dataclass(frozen=True)
class ComponentCondition:
    """When a monitored window counts as ``component`` failing: a threshold ``condition``
    on one window metric (``"missing_share > 0.05"``) of ``monitor`` (None: the one monitor
    of the model the analysis is asked about)."""

    component: str
    condition: Rule
    monitor: str | None = None

    def __post_init__(self) -> None:
        _ident(self.component, "monitored component")
        try:
            rule = Rule.coerce(self.condition)
        except ParameterError as exc:
            raise _bad(f"condition of component {self.component!r}", exc.expected,
                       self.condition, exc.fix) from None
        if rule.kind != "threshold" or rule.windows != 1:
            raise _bad(f"condition of component {self.component!r}",
                       "a threshold on one window metric, judged window by window",
                       rule.name, "write it as '<metric> <op> <number>', e.g. 'error_rate > 0.1'")
        object.__setattr__(self, "condition", rule)
        if self.monitor is not None:
            _ident(self.monitor, f"monitor of component {self.component!r}")

    @property
    def text(self) -> str:
        """The condition as ``"<metric> <op> <number>"`` (what ``Rule.parse`` reads back)."""
        symbol = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}[self.condition.op]
        return f"{self.condition.metric} {symbol} {self.condition.value!r}"

    def to_dict(self) -> dict[str, Any]:
        return {"monitor": self.monitor, "condition": self.text}


@dataclass(frozen=True)
class FaultTree:
    """A validated fault tree; see the module docstring for the checks made."""

    top: str
    events: tuple[BasicEvent, ...]
    gates: tuple[Gate, ...] = ()
    name: str = ""
    monitoring: tuple[ComponentCondition, ...] = ()
    schema_version: str = field(default=SCHEMA_VERSION, compare=False)

    def __post_init__(self) -> None:
        for attr, kind in (("events", BasicEvent), ("gates", Gate),
                           ("monitoring", ComponentCondition)):
            items = getattr(self, attr)
            if isinstance(items, (str, Mapping)) or not isinstance(items, Iterable):
                raise _bad(attr, f"a list of {kind.__name__}", items, f"pass {attr}=[...]")
            items = tuple(items)
            wrong = [type(x).__name__ for x in items if not isinstance(x, kind)]
            if wrong:
                raise _bad(attr, f"{kind.__name__} objects", wrong[0],
                           f"build them with {kind.__name__}(...) or use FaultTree.from_dict")
            object.__setattr__(self, attr, items)
        if not self.events:
            raise _bad("basic events", "at least one basic event", [], "add the leaves")
        seen: set[str] = set()
        for node in (*self.events, *self.gates):
            if node.id in seen:
                raise _bad("node ids", "ids unique across basic events and gates", node.id,
                           f"rename one of the nodes called {node.id!r}")
            seen.add(node.id)
        for gate in self.gates:
            unknown = [c for c in gate.children if c not in seen]
            if unknown:
                raise _bad(f"child of gate {gate.id!r}", "the id of a basic event or gate",
                           unknown[0], "define the child, or fix the spelling of its id")
        _ident(self.top, "top event")
        if self.top not in seen:
            raise _bad("top event", "the id of a gate or basic event", self.top,
                       "set top to the gate whose failure is the system's failure")
        cycle = self._cycle()
        if cycle:
            raise _bad("fault tree", "no cycle (a gate cannot depend on itself)",
                       " -> ".join(cycle), "remove one of the edges of the cycle")
        components = {e.component for e in self.events if e.component is not None}
        named: set[str] = set()
        for cond in self.monitoring:
            if cond.component in named:
                raise _bad("monitoring", "one condition per component", cond.component,
                           "keep a single condition for each component")
            named.add(cond.component)
            if cond.component not in components:
                raise _bad("monitored component", f"a component named by a basic event "
                           f"({sorted(components) or 'none has one'})", cond.component,
                           "set component= on the basic events it covers, or fix the name")

    # --- structure -----------------------------------------------------------------------
    @property
    def nodes(self) -> dict[str, BasicEvent | Gate]:
        return {n.id: n for n in (*self.events, *self.gates)}

    def _cycle(self) -> list[str]:
        """The first cycle found, as a path of ids ending where it started; [] if none."""
        children = {g.id: g.children for g in self.gates}
        state: dict[str, int] = {}  # 1 on the current path, 2 finished
        for root in children:
            if state.get(root):
                continue
            path, stack = [root], [iter(children[root])]
            state[root] = 1
            while stack:  # iterative DFS: deep trees must not hit the recursion limit
                child = next(stack[-1], None)
                if child is None:
                    state[path.pop()] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    return path[path.index(child):] + [child]
                elif child in children and not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append(iter(children[child]))
        return []

    @property
    def reachable(self) -> tuple[str, ...]:
        """Ids the top event depends on, top first, in depth-first order (left to right)."""
        children = {g.id: g.children for g in self.gates}
        order, seen, stack = [], set(), [self.top]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            stack.extend(reversed(children.get(node, ())))
        return tuple(order)

    @property
    def unreachable(self) -> tuple[str, ...]:
        """Ids of events and gates the top event does not depend on (a warning, not an error)."""
        reached = set(self.reachable)
        return tuple(n.id for n in (*self.events, *self.gates) if n.id not in reached)

    def with_probabilities(self, probabilities: Mapping[str, float]) -> FaultTree:
        """A copy with the given basic events' probabilities replaced."""
        known = {e.id for e in self.events}
        unknown = sorted(set(probabilities) - known)
        if unknown:
            raise _bad("probabilities", "ids of basic events", unknown,
                       f"use ids among {sorted(known)}")
        events = tuple(replace(e, probability=probabilities[e.id]) if e.id in probabilities
                       else e for e in self.events)
        return replace(self, events=events)

    # --- plain data ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": self.schema_version, "name": self.name,
                               "top": self.top, "events": [e.to_dict() for e in self.events],
                               "gates": [g.to_dict() for g in self.gates]}
        if self.monitoring:
            out["monitoring"] = {c.component: c.to_dict() for c in self.monitoring}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultTree:
        """A tree from its plain form (``to_dict`` output or a hand-written JSON document)."""
        _keys(data, "fault tree", ("schema_version", "name", "top", "events", "gates",
                                   "monitoring"), ("top", "events"))
        for key in ("events", "gates"):
            items = data.get(key, [])
            if isinstance(items, (str, Mapping)) or not isinstance(items, Sequence):
                raise _bad(f"fault tree {key}", "a list of objects", type(items).__name__,
                           f"write {key} as a JSON array")
        monitoring = data.get("monitoring") or {}
        if not isinstance(monitoring, Mapping):
            raise _bad("fault tree monitoring", "an object {component: {monitor, condition}}",
                       type(monitoring).__name__, "write monitoring as a JSON object")
        conditions = []
        for component, spec in monitoring.items():
            _keys(spec, f"monitoring of {component!r}", ("monitor", "condition"), ("condition",))
            conditions.append(ComponentCondition(component, spec["condition"],
                                                 spec.get("monitor")))
        name = data.get("name", "")
        if not isinstance(name, str):
            raise _bad("fault tree name", "a string", name, "pass name='...'")
        return cls(top=data["top"], name=name,
                   events=tuple(BasicEvent.from_dict(e) for e in data["events"]),
                   gates=tuple(Gate.from_dict(g) for g in data.get("gates", [])),
                   monitoring=tuple(conditions))
