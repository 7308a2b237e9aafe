"""Fault trees: closed forms, brute-force enumeration, minimal cut sets, validation, JSON."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from stalwart.exceptions import ParameterError
from stalwart.rca import BasicEvent, FaultTree, Gate, analyse_fault_tree


def _tree(gates, probabilities, top="top"):
    events = [BasicEvent(e, p) for e, p in probabilities.items()]
    return FaultTree(top=top, events=events, gates=[Gate(*g) for g in gates])


def _occurs(tree: FaultTree, node: str, true: set[str]) -> bool:
    """The tree's logic evaluated directly (independent of the BDD)."""
    gate = {g.id: g for g in tree.gates}.get(node)
    if gate is None:
        return node in true
    hits = sum(_occurs(tree, c, true) for c in gate.children)
    need = {"and": len(gate.children), "or": 1}.get(gate.type, gate.k)
    return hits >= need


def _enumerate(tree: FaultTree, probabilities: dict[str, float] | None = None):
    """P(top) and the minimal true sets by visiting all 2^n states of the reachable events."""
    names = [n for n in tree.reachable if n in {e.id for e in tree.events}]
    p = probabilities or {e.id: e.probability for e in tree.events}
    total, true_sets = 0.0, []
    for bits in itertools.product((False, True), repeat=len(names)):
        true = {n for n, b in zip(names, bits) if b}
        if _occurs(tree, tree.top, true):
            total += math.prod(p[n] if b else 1 - p[n] for n, b in zip(names, bits))
            true_sets.append(frozenset(true))
    minimal = {s for s in true_sets if not any(t < s for t in true_sets)}
    return total, minimal


# --- closed forms -------------------------------------------------------------------------
def test_and_gate_is_the_product():
    p = {"a": 0.1, "b": 0.25, "c": 0.6}
    r = analyse_fault_tree(_tree([("top", "and", ["a", "b", "c"])], p))
    assert r.top_probability == pytest.approx(0.1 * 0.25 * 0.6, abs=1e-15)
    assert [c.events for c in r.cut_sets] == [("a", "b", "c")]
    assert r.rare_event_approximation == pytest.approx(0.015, abs=1e-15)
    # Birnbaum of a in a series-parallel AND: the product of the others
    by = {m.event: m for m in r.importance}
    assert by["a"].birnbaum == pytest.approx(0.25 * 0.6, abs=1e-15)
    assert by["a"].fussell_vesely == pytest.approx(1.0)


def test_or_gate_is_one_minus_product_of_complements():
    p = {"a": 0.1, "b": 0.25, "c": 0.6}
    r = analyse_fault_tree(_tree([("top", "or", ["a", "b", "c"])], p))
    assert r.top_probability == pytest.approx(1 - 0.9 * 0.75 * 0.4, abs=1e-15)
    assert [c.events for c in r.cut_sets] == [("c",), ("b",), ("a",)]  # order 1, P desc
    assert r.rare_event_approximation == pytest.approx(0.95, abs=1e-15)
    assert r.min_cut_upper_bound == pytest.approx(r.top_probability, abs=1e-15)
    by = {m.event: m for m in r.importance}
    assert by["a"].birnbaum == pytest.approx(0.75 * 0.4, abs=1e-15)
    top = r.top_probability
    assert by["a"].risk_achievement_worth == pytest.approx(1 / top)
    assert by["a"].risk_reduction_worth == pytest.approx(top / (1 - 0.75 * 0.4))
    assert by["a"].fussell_vesely == pytest.approx(0.1 / top)
    assert by["a"].criticality == pytest.approx(0.1 * 0.3 / top)


def test_two_of_three_vote():
    p1, p2, p3 = 0.1, 0.2, 0.3
    tree = FaultTree(top="q", events=[BasicEvent("a", p1), BasicEvent("b", p2),
                                      BasicEvent("c", p3)],
                     gates=[Gate("q", "vote", ["a", "b", "c"], k=2)])
    r = analyse_fault_tree(tree)
    assert r.top_probability == pytest.approx(p1 * p2 + p1 * p3 + p2 * p3 - 2 * p1 * p2 * p3,
                                              abs=1e-15)
    assert [c.events for c in r.cut_sets] == [("b", "c"), ("a", "c"), ("a", "b")]


def test_k_of_n_equals_the_binomial_tail():
    n, k, q = 10, 5, 0.3
    tree = FaultTree(top="v", events=[BasicEvent(f"e{i}", q) for i in range(n)],
                     gates=[Gate("v", "vote", [f"e{i}" for i in range(n)], k=k)])
    r = analyse_fault_tree(tree)
    tail = sum(math.comb(n, j) * q ** j * (1 - q) ** (n - j) for j in range(k, n + 1))
    assert r.top_probability == pytest.approx(tail, abs=1e-14)
    assert len(r.cut_sets) == math.comb(n, k) and {c.order for c in r.cut_sets} == {k}


def test_a_repeated_event_is_counted_once():
    # top = (a or b) and (a or c): a sits under both branches
    a, b, c = 0.2, 0.3, 0.4
    tree = _tree([("top", "and", ["left", "right"]), ("left", "or", ["a", "b"]),
                  ("right", "or", ["a", "c"])], {"a": a, "b": b, "c": c})
    r = analyse_fault_tree(tree)
    exact = a + (1 - a) * b * c
    naive = (1 - (1 - a) * (1 - b)) * (1 - (1 - a) * (1 - c))  # gate by gate: wrong
    assert r.top_probability == pytest.approx(exact, abs=1e-15)
    assert abs(naive - exact) > 0.05
    brute, minimal = _enumerate(tree)
    assert r.top_probability == pytest.approx(brute, abs=1e-15)
    assert {frozenset(c.events) for c in r.cut_sets} == minimal == {
        frozenset({"a"}), frozenset({"b", "c"})}
    assert r.node_probabilities["left"] == pytest.approx(1 - 0.8 * 0.7)


# --- seeded random trees ------------------------------------------------------------------
def _random_tree(seed: int) -> FaultTree:
    rng = np.random.default_rng(seed)
    n_events = int(rng.integers(3, 9))
    events = [BasicEvent(f"e{i}", float(rng.uniform(0.01, 0.6))) for i in range(n_events)]
    gates: list[Gate] = []
    pool = [e.id for e in events]
    for g in range(int(rng.integers(2, 6))):
        size = int(rng.integers(2, min(4, len(pool)) + 1))
        children = list(rng.choice(pool, size=size, replace=False))
        kind = str(rng.choice(["and", "or", "vote"]))
        k = int(rng.integers(1, size + 1)) if kind == "vote" else None
        gates.append(Gate(f"g{g}", kind, children, k=k))
        pool.append(f"g{g}")  # later gates may reuse any node: shared events and gates
    return FaultTree(top=gates[-1].id, events=events, gates=gates)


@pytest.mark.parametrize("seed", range(40))
def test_random_tree_matches_brute_force(seed):
    tree = _random_tree(seed)
    r = analyse_fault_tree(tree)
    brute, minimal = _enumerate(tree)
    assert r.top_probability == pytest.approx(brute, abs=1e-12)
    found = [frozenset(c.events) for c in r.cut_sets]
    assert len(set(found)) == len(found)
    assert not any(s < t for s in found for t in found)        # minimal
    assert all(_occurs(tree, tree.top, set(s)) for s in found)  # each makes the top occur
    assert set(found) == minimal                                # and none is missing
    p = {e.id: e.probability for e in tree.events}
    for c in r.cut_sets:
        assert c.probability == pytest.approx(math.prod(p[e] for e in c.events))
    keys = [(c.order, -c.probability) for c in r.cut_sets]
    assert keys == sorted(keys)
    assert r.min_cut_upper_bound <= r.rare_event_approximation + 1e-15
    assert r.top_probability <= r.min_cut_upper_bound + 1e-12
    for m in r.importance:  # Birnbaum = P(top | e) - P(top | not e), by enumeration
        up, _ = _enumerate(tree, {**p, m.event: 1.0})
        down, _ = _enumerate(tree, {**p, m.event: 0.0})
        assert m.birnbaum == pytest.approx(up - down, abs=1e-12)
        holding = [set(s) for s in found if m.event in s]
        union = _union_probability(holding, p)
        if r.top_probability > 0:
            assert m.fussell_vesely == pytest.approx(union / r.top_probability, abs=1e-12)


def _union_probability(sets: list[set[str]], p: dict[str, float]) -> float:
    names = sorted(set().union(*sets)) if sets else []
    total = 0.0
    for bits in itertools.product((False, True), repeat=len(names)):
        true = {n for n, b in zip(names, bits) if b}
        if any(s <= true for s in sets):
            total += math.prod(p[n] if b else 1 - p[n] for n, b in zip(names, bits))
    return total


# --- structure and validation -------------------------------------------------------------
def test_cycle_is_an_error_naming_the_cycle():
    with pytest.raises(ParameterError, match="g1 -> g2 -> g3 -> g1"):
        _tree([("g1", "or", ["a", "g2"]), ("g2", "and", ["b", "g3"]), ("g3", "or", ["g1"])],
              {"a": 0.1, "b": 0.1}, top="g1")


@pytest.mark.parametrize("gates, probabilities, match", [
    ([("top", "or", ["a", "x"])], {"a": 0.1}, "child of gate 'top'.*'x'"),
    ([("top", "or", ["a"]), ("a", "and", ["a"])], {"a": 0.1}, "unique.*'a'"),
    ([("top", "or", ["a", "a"])], {"a": 0.1}, "each child listed once"),
    ([("top", "or", ["a"])], {"a": 1.5}, r"\[0, 1\].*1.5"),
    ([("top", "or", ["a"])], {"a": -0.01}, r"\[0, 1\]"),
    ([("top", "or", ["a"])], {"a": float("nan")}, r"\[0, 1\].*nan"),
    ([("top", "or", ["a"])], {"a": True}, r"\[0, 1\].*True"),
    ([("top", "nand", ["a"])], {"a": 0.1}, "one of"),
    ([("top", "or", [])], {"a": 0.1}, "at least one child"),
])
def test_invalid_trees_are_refused(gates, probabilities, match):
    with pytest.raises(ParameterError, match=match):
        _tree(gates, probabilities)


@pytest.mark.parametrize("k", [0, 4, None, 2.0])
def test_vote_k_out_of_range(k):
    with pytest.raises(ParameterError, match="from 1 to 3"):
        Gate("v", "vote", ["a", "b", "c"], k=k)


def test_k_only_on_vote_gates_and_top_must_exist():
    with pytest.raises(ParameterError, match="only vote gates"):
        Gate("g", "and", ["a", "b"], k=1)
    with pytest.raises(ParameterError, match="top event.*'nope'"):
        FaultTree(top="nope", events=[BasicEvent("a", 0.1)])


def test_unreachable_nodes_are_a_warning_in_the_result():
    tree = _tree([("top", "or", ["a"]), ("spare", "and", ["b", "c"])],
                 {"a": 0.1, "b": 0.2, "c": None})
    assert tree.unreachable == ("b", "c", "spare")
    r = analyse_fault_tree(tree)  # c has no probability but is not needed
    assert r.top_probability == pytest.approx(0.1)
    assert r.unreachable == ("b", "c", "spare")
    assert any("spare" in n for n in r.notes)
    assert set(r.node_probabilities) == {"top", "a"}


def test_a_missing_probability_under_the_top_is_an_error():
    tree = _tree([("top", "or", ["a", "b"])], {"a": 0.1, "b": None})
    with pytest.raises(ParameterError, match=r"none for \['b'\]"):
        analyse_fault_tree(tree)


def test_zero_probability_top_gives_no_ratios():
    r = analyse_fault_tree(_tree([("top", "and", ["a", "b"])], {"a": 0.0, "b": 0.5}))
    assert r.top_probability == 0.0
    m = {x.event: x for x in r.importance}["a"]
    assert m.birnbaum == 0.5 and m.fussell_vesely is None and m.risk_achievement_worth is None
    assert r.to_dict()["importance"][0]["criticality"] is None


# --- plain data ---------------------------------------------------------------------------
DOC = {
    "name": "scoring service", "top": "wrong answer",
    "events": [{"id": "stale", "probability": 0.02, "component": "feature-store",
                "description": "features older than a day"},
               {"id": "schema", "probability": 0.01},
               {"id": "shift", "probability": 0.05, "component": "model"},
               {"id": "r1", "probability": 0.1}, {"id": "r2", "probability": 0.1},
               {"id": "r3", "probability": 0.1}],
    "gates": [{"id": "wrong answer", "type": "OR", "children": ["bad input", "quorum", "model"]},
              {"id": "bad input", "type": "or", "children": ["stale", "schema"]},
              {"id": "model", "type": "and", "children": ["shift", "stale"]},
              {"id": "quorum", "type": "vote", "k": 2, "children": ["r1", "r2", "r3"]}],
    "monitoring": {"feature-store": {"monitor": "quality", "condition": "missing_share > 0.05"}},
}


def test_json_round_trip_of_tree_and_result():
    tree = FaultTree.from_dict(DOC)
    again = FaultTree.from_dict(json.loads(json.dumps(tree.to_dict())))
    assert again == tree and again.to_dict() == tree.to_dict()
    assert tree.gates[0].type == "or" and tree.monitoring[0].text == "missing_share > 0.05"
    result = analyse_fault_tree(tree)
    body = json.loads(json.dumps(result.to_dict()))
    assert body["schema_version"] == "1.0"
    assert body["top_probability"] == result.top_probability
    assert FaultTree.from_dict(body["tree"]) == tree
    assert [c["events"] for c in body["cut_sets"]][:2] == [["stale"], ["schema"]]
    brute, _ = _enumerate(tree)
    assert body["top_probability"] == pytest.approx(brute, abs=1e-15)


@pytest.mark.parametrize("change, match", [
    ({"colour": "red"}, "unknown|keys among"),
    ({"events": "a"}, "JSON array"),
    ({"monitoring": {"nobody": {"condition": "x > 1"}}}, "component named by a basic event"),
    ({"monitoring": {"model": {"condition": "x >"}}}, "condition of component 'model'"),
    ({"monitoring": {"model": {"condition": "x > 1 for 3 windows"}}}, "judged window by"),
])
def test_bad_documents_are_refused(change, match):
    with pytest.raises(ParameterError, match=match):
        FaultTree.from_dict({**DOC, **change})


def test_html_page_is_standalone_and_shows_the_tree():
    page = analyse_fault_tree(FaultTree.from_dict(DOC)).to_html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for absent in ("http://", "https://", "<script", "src=", "<link"):
        assert absent not in page
    assert ">AND<" in page and ">OR<" in page and ">VOTE 2/3<" in page
    assert page.count(">shared<") == 2  # 'stale' is drawn under both of its gates
    assert "P = 0.02" in page and "Minimal cut sets" in page
    assert page.count("<tr>") == 1 + 5 + 1 + 6  # cut-set table and importance table


def test_a_diagram_past_its_node_budget_is_a_clear_error():
    tree = FaultTree(top="v", events=[BasicEvent(f"e{i}", 0.1) for i in range(12)],
                     gates=[Gate("v", "vote", [f"e{i}" for i in range(12)], k=6)])
    assert analyse_fault_tree(tree).bdd_nodes == 6 * 7 + 2  # k * (n - k + 1) tests + 2 ends
    with pytest.raises(ParameterError, match="at most 20 BDD nodes"):
        analyse_fault_tree(tree, max_bdd_nodes=20)
    with pytest.raises(ParameterError, match="max_bdd_nodes"):
        analyse_fault_tree(tree, max_bdd_nodes=0)
