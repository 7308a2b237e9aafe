"""Root-cause analysis report: each section's numbers against hand computations, the store
window and alerts, HTML and JSON, and clear errors for bad input."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import NearestNeighbors

from stalwart.exceptions import DataError, ModelError, SchemaError, StageError
from stalwart.models import wrap
from stalwart.rca import (CAUSES, NeighbourIndex, RCAReport, RootCauseAnalyser, analyse_prediction,
                          explain_locally)
from stalwart.rca.unusual_features import FeatureReference
from stalwart.testing.incidents import make_incident


@pytest.fixture(scope="module")
def incident():
    return make_incident("weak_slice", seed=0)


@pytest.fixture(scope="module")
def report(incident):
    return analyse_prediction(incident.model, incident.row, reference=incident.reference,
                              target=incident.target, expected=incident.expected,
                              production=incident.production)


def test_unusual_features_match_hand_computation():
    x = np.arange(1.0, 101.0)  # 1..100: median 50.5, MAD 25
    ref = pd.DataFrame({"x": x, "c": ["a"] * 70 + ["b"] * 25 + ["c"] * 5})
    prof = FeatureReference(tail=0.05).fit(ref)
    got = {f["feature"]: f for f in prof.rank({"x": 90.5, "c": "c"})}
    assert got["x"]["percentile"] == pytest.approx(0.90)
    assert got["x"]["robust_z"] == pytest.approx((90.5 - 50.5) / (1.4826 * 25.0))
    # 90 values <= 90.5, 10 >= it: tail 2 * (10 + 1) / 101
    assert got["x"]["tail"] == pytest.approx(22 / 101)
    # rows whose category is at most as frequent as 'c' (5 rows): 5 -> (5 + 1) / 101
    assert got["c"]["tail"] == pytest.approx(6 / 101) and got["c"]["unusual"] is False
    unseen = prof.describe_value("c", "zzz")
    assert unseen["status"] == "unseen category" and unseen["tail"] == pytest.approx(1 / 101)
    assert prof.describe_value("x", "oops")["status"] == "not a number"
    assert [f["feature"] for f in prof.rank({"x": 500.0, "c": "a"})] == ["x", "c"]


def test_neighbour_index_matches_brute_force_on_the_documented_encoding():
    rng = np.random.default_rng(3)
    ref = pd.DataFrame({"a": rng.normal(10, 2, 300), "c": rng.choice(["u", "v"], 300)})
    index = NeighbourIndex(n_neighbors=7).fit(ref)
    med = np.median(ref["a"])
    mad = 1.4826 * np.median(np.abs(ref["a"] - med))
    enc = np.column_stack([(ref["a"] - med) / mad, (ref["c"] == "u") * 1.0,
                           (ref["c"] == "v") * 1.0])
    order = index.encoder_.categories_["c"]
    enc = enc[:, [0, 1 + ["u", "v"].index(order[0]), 1 + ["u", "v"].index(order[1])]]
    np.testing.assert_allclose(index.matrix_, enc)
    row = pd.DataFrame({"a": [11.0], "c": ["v"]})
    d, i = index.kneighbors(row)
    ed, ei = NearestNeighbors(n_neighbors=7, algorithm="brute").fit(enc).kneighbors(
        index.encode(row))
    np.testing.assert_allclose(d, ed)
    assert set(i[0]) == set(ei[0])
    # radius: median distance to the 7th other row over all 300 rows (sample covers them)
    full, _ = NearestNeighbors(n_neighbors=8).fit(enc).kneighbors(enc)
    assert index.radius_ == pytest.approx(np.median(full[:, 7]))
    assert index.spacing_ == pytest.approx(np.median(full[:, 1]))


def test_local_explanation_equals_replacement_by_hand():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"a": rng.normal(size=100), "b": rng.normal(size=100)})

    def proba(X):
        p = 1 / (1 + np.exp(-2 * np.asarray(X)[:, 0]))
        return np.column_stack([1 - p, p])

    model = wrap(lambda X: (proba(X)[:, 1] > 0.5).astype(int), task="classification",
                 classes=[0, 1], proba=proba)
    row = pd.DataFrame({"a": [1.0], "b": [3.0]})
    ex = explain_locally(model, row, ref, n_samples=100)  # all rows: no sampling noise
    by = {c["feature"]: c["contribution"] for c in ex["contributions"]}
    p_row = 1 / (1 + np.exp(-2.0))
    assert ex["explained_class"] == 1 and ex["probability"] == pytest.approx(p_row)
    assert by["a"] == pytest.approx(p_row - np.mean(1 / (1 + np.exp(-2 * ref["a"]))))
    assert by["b"] == pytest.approx(0.0, abs=1e-12)  # the model ignores b
    assert ex["baseline"] == pytest.approx(np.mean(1 / (1 + np.exp(-2 * ref["a"]))))


def test_report_sections(report, incident):
    assert report.cause == "weak_slice"
    assert report.prediction != report.expected == incident.expected
    assert sum(report.probabilities.values()) == pytest.approx(1.0)
    nb = report.neighbours
    assert nb["k"] == 15 and sum(nb["label_counts"].values()) == 15
    assert [e["rank"] for e in nb["examples"]] == [1, 2, 3, 4, 5]
    dists = [e["distance"] for e in nb["examples"]]
    assert dists == sorted(dists)
    blast = report.blast_radius
    assert 0 <= blast["similar_in_sample"] <= blast["n_sampled"] == len(incident.production)
    assert blast["share"] == pytest.approx(blast["similar_in_sample"] / blast["n_sampled"])
    assert report.slice["source"] == "production"
    assert report.slice["weak_segment"]["conditions"][0].startswith("region == west")
    labelled = incident.production.dropna(subset=["y"])
    pred = incident.model.predict(labelled.drop(columns="y"))
    assert report.slice["overall_error"] == pytest.approx(np.mean(pred != labelled["y"]))
    assert {c["feature"] for c in report.explanation["contributions"]} == set(incident.row)
    assert report.monitoring is None


def test_blast_radius_counts_by_hand(incident):
    analyser = RootCauseAnalyser().fit(incident.model, incident.reference, target="y")
    r = analyser.analyse(incident.row, expected=incident.expected,
                         production=incident.production)
    point = analyser.index_.encode(incident.row_frame())[0]
    enc = analyser.index_.encode(incident.production.drop(columns="y"))
    d = np.sqrt(((enc - point) ** 2).sum(axis=1))
    assert r.blast_radius["similar_in_sample"] == int((d <= analyser.index_.radius_).sum())


def test_json_round_trip_and_html(report):
    d = report.to_dict()
    assert d["schema_version"] == "1.0"
    again = RCAReport.from_dict(json.loads(json.dumps(d)))
    assert again == report and again.to_dict() == d
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    for heading in ("Attribution", "Unusual features", "Nearest training examples",
                    "Local explanation", "Monitors and alerts", "Blast radius", "Slice"):
        assert heading in page
    assert "weak slice" in page and page.count("<svg") == 3


def test_store_window_and_alerts(tmp_path):
    from stalwart.store import open_store
    inc = make_incident("unit_change", seed=0)
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    t0 = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    prod = inc.production.reset_index(drop=True)
    events, labels = [], []
    for i, r in prod.iterrows():
        feats = {c: r[c] for c in prod.columns if c != "y"}
        events.append({"event_id": f"e{i}", "timestamp": (t0 + dt.timedelta(minutes=i)
                                                          ).isoformat(),
                       "model": "m", "model_version": "1", "features": feats,
                       "outputs": {"prediction": 0}})
        if not np.isnan(r["y"]):
            labels.append({"event_id": f"e{i}", "label": int(r["y"])})
    # older events outside the window: never read
    events += [{"event_id": f"old{i}", "timestamp": "2025-01-01T00:00:00Z", "model": "m",
                "model_version": "1", "features": {c: 0.0 for c in ("temp", "dist", "x3",
                                                                    "x4")} | {"region": "a"},
                "outputs": {"prediction": 0}} for i in range(5)]
    store.ingest_events(events)
    store.add_labels(labels)
    store.save_monitor("mon", "m", {"window": "1D"})
    at = t0 + dt.timedelta(minutes=len(prod))
    store.upsert_alert("mon", "drift temp", severity="critical", at=at - dt.timedelta(hours=2))
    report = analyse_prediction(inc.model, inc.row, reference=inc.reference, target="y",
                                expected=inc.expected, store=store, model_name="m", at=at,
                                window=dt.timedelta(days=2))
    assert report.cause == "unit_change"
    mon = report.monitoring
    assert mon["n_events_read"] == len(prod) and not mon["capped"]
    assert [a["rule"] for a in mon["alerts"]] == ["drift temp"]
    capped = analyse_prediction(inc.model, inc.row, reference=inc.reference, target="y",
                                store=store, model_name="m", at=at, max_window_rows=500,
                                window=dt.timedelta(days=2))
    assert capped.monitoring["n_events_read"] == 500 and capped.monitoring["capped"]
    assert any("500" in n for n in capped.notes)


def test_bad_input_is_a_clear_error(incident):
    analyser = RootCauseAnalyser().fit(incident.model, incident.reference, target="y")
    row = dict(incident.row)
    del row["dist"]
    with pytest.raises(DataError, match="missing \\['dist'\\]"):
        analyser.analyse(row)
    with pytest.raises(SchemaError, match="unknown columns \\['colour'\\]"):
        analyser.analyse({**incident.row, "colour": "red"})
    unlabelled = incident.reference.assign(y=np.nan)
    with pytest.raises(DataError, match="only missing values"):
        RootCauseAnalyser().fit(incident.model, unlabelled, target="y")
    with pytest.raises(SchemaError, match="'label'"):
        RootCauseAnalyser().fit(incident.model, incident.reference, target="label")
    X = incident.reference.drop(columns=["y", "region"])
    with pytest.raises(ModelError, match="classifier"):
        RootCauseAnalyser().fit(LinearRegression().fit(X, incident.reference["y"]),
                                incident.reference.drop(columns="region"), target="y")
    with pytest.raises(StageError, match="before fit"):
        RootCauseAnalyser().analyse(incident.row)
    with pytest.raises(DataError, match="one row"):
        analyser.analyse(pd.DataFrame([incident.row, incident.row]))


def test_analysis_is_deterministic_and_notes_what_it_could_not_examine(incident):
    a = analyse_prediction(incident.model, incident.row, reference=incident.reference,
                           target="y", expected=incident.expected)
    b = analyse_prediction(incident.model, incident.row, reference=incident.reference,
                           target="y", expected=incident.expected)
    assert a.to_dict() == b.to_dict()
    assert a.blast_radius is None and any("no production window" in n for n in a.notes)
    steps = {s.cause: s for s in a.attribution.steps}
    assert not steps["covariate_shift"].examined and not steps["label_shift"].examined



def test_a_production_window_missing_a_feature_is_imputed_not_a_crash():
    inc = make_incident("unit_change", seed=0)
    production = inc.production.drop(columns=["temp"])
    report = analyse_prediction(inc.model, inc.row, reference=inc.reference, target=inc.target,
                                expected=inc.expected, production=production)
    assert report.cause in {c.name for c in CAUSES}
    assert any("lack" in note for note in report.notes)
