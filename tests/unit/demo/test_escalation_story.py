"""The demo's escalation story on its own store (no diabetes replay, so it stays fast):
every step and its numbers, the full path to a closed escalation on seed 0, the honest
path when version 2 does not learn the shift, and a rerun that stores nothing twice."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from stalwart.demo.escalation import (CONFIDENT, DAYS, GATE, START, STORY_MODEL,
                                      retrain_by_region, story_events, tell_escalation)
from stalwart.store import open_store
from stalwart.testing.incidents import make_incident


def _tell(root, **options):
    store = open_store(f"sqlite:///{root / 'store.db'}")
    lines = []
    story = tell_escalation(store, reports_dir=root, echo=lines.append, **options)
    return store, story, lines


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    root = tmp_path_factory.mktemp("story")
    store, story, lines = _tell(root)
    yield store, story, lines, root
    store.close()


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """Version 2 is version 1's pipeline re-fitted on the reference only: it cannot have
    learned the shift."""
    def same_as_v1(incident, labelled):
        ref = incident.reference
        return clone(incident.model).fit(ref.drop(columns=[incident.target]),
                                         ref[incident.target])

    root = tmp_path_factory.mktemp("held")
    store, story, lines = _tell(root, retrain=same_as_v1)
    yield store, story, lines, root
    store.close()


def test_the_incident_is_logged_with_its_delayed_labels(told):
    store, story, _, _ = told
    inc = make_incident("concept_shift", seed=0)
    events = store.events(STORY_MODEL, with_labels=True)
    assert len(events) == len(inc.production) == 2000
    assert events["label"].notna().sum() == inc.production["y"].notna().sum() == 1612
    assert set(events["segment"]) == {"north", "south", "east", "west"}
    assert events["timestamp"].min() >= pd.Timestamp(START)
    assert events["timestamp"].max() < pd.Timestamp(START) + pd.Timedelta(days=DAYS)
    # the escalated row is the last prediction, logged with the model's own output
    last = events.sort_values("timestamp").iloc[-1]
    assert last["event_id"] == story.event_id == "regional-0008"
    assert {f: last[f"features.{f}"] for f in inc.row} == inc.row
    p1 = inc.model.predict_proba(inc.row_frame())[0, 1]
    assert last["outputs.proba.1"] == pytest.approx(p1)
    assert (story.prediction, story.expected) == (0, 1) == (int(p1 >= 0.5), inc.expected)
    assert story.confidence == pytest.approx(1 - p1) and story.confidence > 0.99
    esc = store.escalation(story.escalation_id)
    assert esc.severity == "high" and esc.customer == story.customer == "east"
    assert esc.expected == 1 and story.sla["state"] == "on track"


def test_the_analysis_finds_the_planted_concept_shift(told):
    store, story, lines, root = told
    esc = store.escalation(story.escalation_id)
    assert esc.analysis["attribution"]["cause"] == story.cause == "concept_shift"
    assert "retrain" in story.remedy and "NOT concept_shift" not in lines[2]
    assert (root / f"rca-{story.escalation_id}.html").read_text().startswith("<!DOCTYPE html>")


def test_the_rules_fix_the_row_and_their_counters_are_exact(told):
    store, story, _, _ = told
    assert story.escalated_row_fixed
    v1 = store.rule_set(STORY_MODEL, version=1).document
    ids = [r["id"] for r in v1["rules"]]
    assert ids == [r["id"] for r in story.rules] == ["esc-1-east-1to0", "esc-1-east-0to1"]
    for rule in story.rules:
        assert rule["ticket"] == "ESC-1" and rule["owner"] and rule["expires"]
    # the hits, counted by hand from the stored events: the region's confident calls
    events = store.events(STORY_MODEL, with_labels=False)
    east = (events["features.region"] == "east").to_numpy()
    pred = events["outputs.prediction"].to_numpy()
    conf = np.maximum(events["outputs.proba.0"], events["outputs.proba.1"]).to_numpy()
    expected = {}
    for rid, wrong in zip(ids, (1, 0)):
        n = int((east & (pred == wrong) & (conf >= CONFIDENT)).sum())
        expected[rid] = {"hits": n, "changed": n, "rejected": 0, "routed": 0}
    assert story.rule_counts == expected
    assert [c["hits"] for c in expected.values()] == [157, 153]
    counters = {c.rule_id: (c.hits, c.changed) for c in store.rule_counters(STORY_MODEL)}
    assert counters == {rid: (c["hits"], c["changed"]) for rid, c in expected.items()}
    assert story.thickness["traffic_share"] == pytest.approx(310 / 2000)
    assert story.thickness["changed_share"] == pytest.approx(310 / 2000)
    assert not story.budget_passed  # 15.5% of traffic: the layer asks for retraining


def test_version_2_passes_the_gate_retires_the_rules_and_closes_it(told):
    store, story, lines, root = told
    gate = json.loads((root / story.artefacts["gate"]).read_text())
    assert story.gate == GATE and story.gate_passed and gate["status"] in ("pass", "warn")
    assert story.gate_failures == []
    for region in ("north", "south", "west"):
        m = story.comparison["segments"][region]
        assert m["accuracy_change"] == pytest.approx(m["positive_flip_rate"]
                                                     - m["negative_flip_rate"])
        assert m["accuracy_change"] >= GATE["min_accuracy_change"]
        assert m["negative_flip_rate"] <= GATE["max_negative_flip_rate"]
        assert m["backward_trust_compatibility"] >= GATE["min_backward_trust"]
    assert story.comparison["segments"]["east"]["accuracy_change"] > 0.7
    assert story.proposed_retirements == ["esc-1-east-1to0", "esc-1-east-0to1"]
    assert story.regression_passed
    assert story.status == store.escalation(story.escalation_id).status == "closed"
    assert story.champion == "2" and story.ruleset_versions == [1, 2]
    registry_aliases = {a.alias: a.version for a in store.aliases(STORY_MODEL)}
    assert registry_aliases == {"champion": "2"}  # promoting moved the challenger up
    assert story.pins == {"north": "1", "south": "1", "west": "1"}
    assert store.rule_set(STORY_MODEL, version=2).document["rules"] == []
    assert lines[-1].startswith("closed: version 2 is champion")
    assert (root / story.artefacts["comparison"]).exists()


def test_a_version_2_that_did_not_learn_the_shift_leaves_it_fixed(held):
    store, story, lines, _ = held
    assert story.cause == "concept_shift" and story.escalated_row_fixed
    assert story.gate_passed  # it answers like version 1 on the pinned regions
    assert story.proposed_retirements == [] and not story.regression_passed
    assert story.status == store.escalation(story.escalation_id).status == "fixed"
    assert story.champion == "1" and story.ruleset_versions == [1]
    assert [s.version for s in store.rule_sets(STORY_MODEL)] == [1]
    assert lines[-1].startswith("not closed: held by the re-check")


def test_the_story_events_are_deterministic_and_labels_come_later():
    inc = make_incident("concept_shift", seed=0)
    a, labels, escalated = story_events(inc, random_state=0)
    b, _, _ = story_events(inc, random_state=0)
    assert a == b and a[-1]["event_id"] == escalated
    when = {e["event_id"]: pd.Timestamp(e["timestamp"]) for e in a}
    assert all(pd.Timestamp(x["timestamp"]) - when[x["event_id"]] == pd.Timedelta(days=1)
               for x in labels)


def test_retrain_by_region_learns_the_inverted_region_a_clone_cannot():
    inc = make_incident("concept_shift", seed=0)
    feats = [c for c in inc.reference.columns if c != "y"]
    prod = inc.production.dropna(subset=["y"])
    first, last = prod.iloc[:1000], prod.iloc[1000:]
    east = last["region"] == "east"
    v2 = retrain_by_region(inc, first)
    data = pd.concat([inc.reference, first], ignore_index=True)
    naive = clone(inc.model).fit(data[feats], data["y"].astype(int))
    acc = {name: float((m.predict(last[feats][east]) == last["y"][east]).mean())
           for name, m in (("v1", inc.model), ("v2", v2), ("clone", naive))}
    assert acc["v1"] < 0.15 and acc["clone"] < 0.15 and acc["v2"] > 0.85


def test_a_second_telling_reads_the_story_back(told):
    store, story, lines, root = told
    again = []
    second = tell_escalation(store, reports_dir=root, echo=again.append)
    assert second == story and again[1:] == lines
    assert again[0].startswith("escalation story told before (escalation 1, closed)")
    assert len(store.escalations(model=STORY_MODEL)) == 1
    assert len(store.events(STORY_MODEL)) == 2000
    assert [s.version for s in store.rule_sets(STORY_MODEL)] == [1, 2]
