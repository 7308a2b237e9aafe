"""Basic-event probabilities from monitoring: Jeffreys estimates, window counts, the store."""

from __future__ import annotations

import math

import pytest
from scipy.optimize import brentq

from stalwart.exceptions import DataError, ParameterError
from stalwart.rca import (BasicEvent, ComponentCondition, FailureCounts, FaultTree, Gate,
                          analyse_fault_tree, estimate_failure_probabilities,
                          failure_counts_from_store, failure_counts_from_windows)
from stalwart.store import open_store


def test_jeffreys_posterior_mean_and_interval_closed_forms():
    est = estimate_failure_probabilities({"a": (3, 40), "b": (1, 2), "c": (0, 1)})
    by = {e.component: e for e in est}
    assert by["a"].probability == (3 + 0.5) / (40 + 1)
    # 1 of 2: posterior Beta(1.5, 1.5) is symmetric around 1/2
    assert by["b"].probability == 0.5
    assert by["b"].low + by["b"].high == pytest.approx(1.0, abs=1e-12)
    # 0 of 1: posterior Beta(1/2, 3/2), CDF (2/pi)(asin(sqrt x) + sqrt(x(1-x))); low is 0
    cdf = lambda x: 2 / math.pi * (math.asin(math.sqrt(x)) + math.sqrt(x * (1 - x)))  # noqa: E731
    assert by["c"].low == 0.0 and by["c"].probability == 0.25
    assert by["c"].high == pytest.approx(brentq(lambda x: cdf(x) - 0.975, 1e-9, 1 - 1e-9),
                                         abs=1e-9)
    all_failed = estimate_failure_probabilities({"d": (5, 5)}, level=0.9)[0]
    assert all_failed.high == 1.0 and all_failed.level == 0.9
    assert all_failed.estimator == "jeffreys posterior mean"


@pytest.mark.parametrize("counts, match", [
    ({"a": (3, 2)}, "failed <= total"),
    ({"a": (0, 0)}, "total >= 1"),
    ({"a": (1.0, 4)}, "an integer"),
    ({"a": 3}, "a pair"),
])
def test_bad_counts_are_refused(counts, match):
    with pytest.raises(ParameterError, match=match):
        estimate_failure_probabilities(counts)


def test_level_must_be_inside_zero_one():
    with pytest.raises(ParameterError, match="strictly between 0 and 1"):
        estimate_failure_probabilities({"a": (1, 4)}, level=1.0)


def test_counts_from_windows_skip_missing_metrics():
    cond = ComponentCondition("ingest", "missing_share > 0.05")
    windows = [{"metrics": {"missing_share": v}} for v in (0.01, 0.2, None, 0.05, 0.06)]
    counts = failure_counts_from_windows(windows, cond)
    assert (counts.failed, counts.total, counts.unjudged) == (2, 4, 1)  # 0.05 is not > 0.05
    with pytest.raises(DataError, match="at least one window with the metric"):
        failure_counts_from_windows([{"metrics": {"other": 1.0}}], cond)
    with pytest.raises(DataError, match="metrics mapping"):
        failure_counts_from_windows([3], cond)


def _store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'ft.db'}")
    store.save_monitor("quality", "churn", {"window": "1d"})
    store.save_monitor("drift", "churn", {"window": "1d"})
    store.save_monitor("other", "fraud", {"window": "1d"})
    values = [0.01, 0.09, 0.02, 0.2, 0.0, 0.03, None, 0.07, 0.01, 0.02]
    for day, v in enumerate(values, start=1):
        store.save_window_result("quality", f"2026-01-{day:02d}", f"2026-01-{day + 1:02d}", 100,
                                 {"missing_share": v}, {})
        store.save_window_result("drift", f"2026-01-{day:02d}", f"2026-01-{day + 1:02d}", 100,
                                 {"drift_share": 0.5 if day == 4 else 0.1}, {})
    return store


def test_counts_from_the_store_and_analysis_with_estimates(tmp_path):
    store = _store(tmp_path)
    before = [w.to_dict() for w in store.window_results("quality")]
    conditions = [ComponentCondition("feature-store", "missing_share > 0.05", "quality"),
                  ComponentCondition("model", "drift_share >= 0.5", "drift")]
    counts = failure_counts_from_store(store, conditions, model="churn")
    assert [(c.component, c.failed, c.total, c.unjudged) for c in counts] == [
        ("feature-store", 3, 9, 1), ("model", 1, 10, 0)]
    assert counts[0].source == "monitor quality: missing_share > 0.05"
    since = failure_counts_from_store(store, conditions[:1], start="2026-01-05")
    assert (since[0].failed, since[0].total) == (1, 5)
    assert [w.to_dict() for w in store.window_results("quality")] == before  # read only

    tree = FaultTree(top="top", events=[
        BasicEvent("stale", component="feature-store"), BasicEvent("shift", 0.9,
                                                                   component="model"),
        BasicEvent("schema", 0.01)], gates=[Gate("top", "or", ["stale", "shift", "schema"])],
        monitoring=conditions)
    estimates = estimate_failure_probabilities(counts)
    r = analyse_fault_tree(tree, estimates=estimates)
    p_stale, p_shift = 3.5 / 10, 1.5 / 11
    assert r.top_probability == pytest.approx(1 - (1 - p_stale) * (1 - p_shift) * 0.99)
    assert r.probability_sources["shift"] == "monitoring: model (1/10 windows)"
    assert r.probability_sources["schema"] == "given"
    low, high = r.top_probability_range
    assert low < r.top_probability < high
    e = {x.component: x for x in estimates}
    assert high == pytest.approx(1 - (1 - e["feature-store"].high) * (1 - e["model"].high) * 0.99)
    assert [x["component"] for x in r.to_dict()["estimates"]] == ["feature-store", "model"]
    assert "Probabilities from monitoring" in r.to_html()
    store.close()


def test_store_errors_name_the_component(tmp_path):
    store = _store(tmp_path)
    with pytest.raises(ParameterError, match="a monitor of model 'fraud'"):
        failure_counts_from_store(store, [ComponentCondition("m", "x > 1", "quality")],
                                  model="fraud")
    with pytest.raises(DataError, match="monitor of component 'm'.*'nope'"):
        failure_counts_from_store(store, [ComponentCondition("m", "x > 1", "nope")])
    with pytest.raises(ParameterError, match="exactly one saved monitor of model 'churn'"):
        failure_counts_from_store(store, [ComponentCondition("m", "x > 1")], model="churn")
    # fraud's only monitor is found, but it has no window to count
    with pytest.raises(DataError, match="windows for component 'm'.*0 window"):
        failure_counts_from_store(store, [ComponentCondition("m", "x > 1")], model="fraud")
    with pytest.raises(ParameterError, match="at least one component"):
        failure_counts_from_store(store, [], model="churn")
    store.close()


def test_estimates_for_unknown_components_are_refused():
    tree = FaultTree(top="a", events=[BasicEvent("a", 0.1, component="ingest")])
    est = estimate_failure_probabilities({"ingset": (1, 10)})
    with pytest.raises(ParameterError, match="components named by basic events"):
        analyse_fault_tree(tree, estimates=est)
    counts = FailureCounts("ingest", 1, 10)
    assert analyse_fault_tree(tree, estimates=estimate_failure_probabilities(
        [counts])).top_probability == pytest.approx(1.5 / 11)
