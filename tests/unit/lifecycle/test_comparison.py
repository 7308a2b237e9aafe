"""Version comparison: per-segment values, bootstrap intervals, warnings, pages, errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from stalwart.exceptions import DataError, ParameterError, SchemaError
from stalwart.lifecycle import (compare_frame, compare_models, compare_versions,
                                compatibility_metrics, negative_flip_matrix)
from stalwart.lifecycle.compatibility import METRIC_NAMES


def _update(seed: int, n: int = 1500, k: int = 3):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    old = np.where(rng.random(n) < 0.8, y, rng.integers(0, k, n))
    new = np.where(rng.random(n) < 0.85, y, rng.integers(0, k, n))
    seg = rng.choice(["acme", "globex", "initech", "tiny"], n, p=[0.5, 0.3, 0.19, 0.01])
    return y, old, new, seg


@pytest.mark.parametrize("seed", range(5))
def test_segment_values_equal_the_metric_on_the_subset(seed):
    y, old, new, seg = _update(seed)
    c = compare_versions(y, old, new, segments=seg, n_boot=50, random_state=seed)
    assert c.overall.metrics == compatibility_metrics(y, old, new)
    assert [s.segment for s in c.segments] == sorted(set(seg))
    for s in c.segments:
        rows = seg == s.segment
        # to_dict: an undefined ratio (NaN) compares equal as null
        assert s.metrics.to_dict() == compatibility_metrics(
            y[rows], old[rows], new[rows], classes=[0, 1, 2]).to_dict()
        assert s.negative_flips == negative_flip_matrix(y[rows], old[rows], new[rows],
                                                        classes=[0, 1, 2])
    assert sum(s.metrics.n_rows for s in c.segments) == len(y)


def test_small_segments_are_flagged_and_warned():
    y, old, new, seg = _update(1)
    c = compare_versions(y, old, new, segments=seg, n_boot=0, min_group_rows=30)
    small = {s.segment for s in c.segments if s.small}
    assert small == {"tiny"}
    assert len(c.warnings) == 1 and "'tiny'" in c.warnings[0]
    assert c.overall.intervals == {}


def test_bootstrap_intervals_match_the_binomial_standard_error():
    # resampling the eight cell counts is the row bootstrap: the NFR replicates have the
    # spread of a binomial share, sqrt(p (1 - p) / n)
    y, old, new, _ = _update(2, n=4000)
    c = compare_versions(y, old, new, n_boot=4000, confidence=0.95, random_state=3)
    m = c.overall.metrics
    iv = c.overall.intervals["negative_flip_rate"]
    se = math.sqrt(m.negative_flip_rate * (1 - m.negative_flip_rate) / m.n_rows)
    assert (iv.high - iv.low) == pytest.approx(2 * 1.96 * se, rel=0.08)
    for name in METRIC_NAMES:
        interval = c.overall.intervals[name]
        assert interval.low <= getattr(m, name) <= interval.high
        assert interval.n_skipped == 0


def test_seeded_and_json_round_trip():
    y, old, new, seg = _update(4)
    first = compare_versions(y, old, new, segments=seg, random_state=11).to_dict()
    second = compare_versions(y, old, new, segments=seg, random_state=11).to_dict()
    assert first == second
    text = json.dumps(first, allow_nan=False)
    doc = json.loads(text)
    assert doc["kind"] == "version_comparison" and doc["schema_version"] == "1.0"
    assert doc["segments"][0]["negative_flips"]["labels"] == [0, 1, 2]
    assert compare_versions(y, old, new, random_state=12).to_dict() != compare_versions(
        y, old, new, random_state=11).to_dict()


def test_html_page_is_self_contained_and_escaped():
    y = ["a", "b"] * 20
    c = compare_versions(y, y, ["b", "b"] * 20, segments=["<script>x</script>"] * 40,
                         n_boot=20)
    page = c.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "0.5" in page  # the negative flip rate, as stored in the result


def test_compare_frame_reads_columns_and_names_missing_ones(tmp_path):
    frame = pd.DataFrame({"label": [0, 1, 1, 0], "v1": [0, 1, 0, 0], "v2": [0, 1, 1, 1],
                          "customer": [7, 7, 8, 8]})
    c = compare_frame(frame, target="label", old="v1", new="v2", segment="customer", n_boot=0)
    assert (c.old_name, c.new_name, c.segment_column) == ("v1", "v2", "customer")
    assert c.segment("8").metrics.positive_flip_rate == 0.5  # a pin typed as text finds 8
    frame.to_csv(tmp_path / "p.csv", index=False)
    assert compare_frame(tmp_path / "p.csv", target="label", old="v1", new="v2",
                         n_boot=0).overall.metrics == c.overall.metrics
    with pytest.raises(SchemaError, match="'v3'"):
        compare_frame(frame, target="label", old="v1", new="v3")
    with pytest.raises(ParameterError, match="segment"):
        c.segment("nobody")


def test_compare_models_scores_both_models():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = (X["a"] + 0.5 * X["b"] > 0).astype(int)
    old = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X[:200], y[:200])
    new = LogisticRegression().fit(X[:200], y[:200])
    test = X[200:].assign(y=y[200:].to_numpy(), customer=rng.choice(["p", "q"], 200))
    c = compare_models(old, new, test, target="y", segment="customer", n_boot=0)
    expected = compatibility_metrics(test["y"], old.predict(X[200:]), new.predict(X[200:]))
    assert c.overall.metrics == expected
    assert c.classes == (0, 1)


@pytest.mark.parametrize(("kwargs", "error", "text"), [
    ({"segments": ["a"]}, DataError, "one value per row"),
    ({"segments": ["a", None, "b"]}, DataError, "missing"),
    ({"n_boot": -1}, ParameterError, "n_boot"),
    ({"confidence": 1.5}, ParameterError, "confidence"),
    ({"min_group_rows": 0}, ParameterError, "min_group_rows"),
])
def test_bad_options(kwargs, error, text):
    with pytest.raises(error, match=text):
        compare_versions([0, 1, 1], [0, 1, 0], [0, 1, 1], **kwargs)


def test_different_label_sets_are_refused_naming_the_classes():
    with pytest.raises(DataError, match=r"new version.*\['dog'\]"):
        compare_versions(["cat", "cow"], ["cat", "cow"], ["cat", "dog"])
