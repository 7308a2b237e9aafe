"""feature_distribution: chart data and statistic checked against numpy and scipy, on SQLite
and PostgreSQL."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring import feature_distribution, model_features
from stalwart.stats.profile import profile

_spec = importlib.util.spec_from_file_location("_monitoring_stores",
                                               Path(__file__).with_name("_stores.py"))
_stores = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_stores)
store = _stores.store

HOSTILE = "<img src=x onerror=alert(1)>"
N_REF, N_CUR = 400, 300


def _frames():
    rng = np.random.default_rng(7)
    ref = pd.DataFrame({"x": rng.normal(0, 1, N_REF).round(4),
                        "c": rng.choice(["a", "b", "c"], N_REF, p=[0.5, 0.3, 0.2]),
                        HOSTILE: rng.normal(5, 1, N_REF)})
    cur = pd.DataFrame({"x": rng.normal(0.8, 1, N_CUR).round(4),
                        "c": rng.choice(["a", "b", "c"], N_CUR, p=[0.2, 0.3, 0.5]),
                        HOSTILE: rng.normal(5, 1, N_CUR)})
    return ref, cur


def _ingest(store, frame, day, prefix):
    events = [{"event_id": f"{prefix}{i}", "model": "m", "model_version": "1",
               "timestamp": f"2026-01-{day:02d}T{i % 24:02d}:00:00Z",
               "features": {k: (v.item() if hasattr(v, "item") else v)
                            for k, v in row.items()},
               "outputs": {"prediction": 0}} for i, row in enumerate(frame.to_dict("records"))]
    assert store.ingest_events(events).accepted == len(events)


@pytest.fixture
def filled(store):
    ref, cur = _frames()
    _ingest(store, ref, 1, "r")
    _ingest(store, cur, 2, "c")
    return store, ref, cur


PERIODS = {"start": "2026-01-02", "end": "2026-01-03", "reference_start": "2026-01-01",
           "reference_end": "2026-01-02"}


def _right_closed_hist(values, edges):
    """numpy's histogram of bins (e0, e1], ..., first bin [e0, e1]: the mirror of numpy's
    [a, b) bins with a closed last bin."""
    counts, _ = np.histogram(-np.asarray(values), bins=-np.asarray(edges)[::-1])
    return counts[::-1].tolist()


def test_numeric_counts_and_ks_match_numpy_and_scipy(filled):
    store, ref, cur = filled
    d = feature_distribution(store, "m", "x", **PERIODS)
    assert (d.kind, d.method, d.reference_source) == ("numeric", "ks", "events")
    assert (d.n_reference, d.n_current, d.approximate) == (N_REF, N_CUR, False)
    edges = d.reference["edges"]
    assert edges == d.current["edges"] and edges == sorted(edges)
    assert edges[0] == min(ref.x.min(), cur.x.min()) and edges[-1] == max(ref.x.max(),
                                                                          cur.x.max())
    assert d.reference["counts"] == _right_closed_hist(ref.x, edges)
    assert d.current["counts"] == _right_closed_hist(cur.x, edges)
    assert sum(d.reference["counts"]) == N_REF and sum(d.current["counts"]) == N_CUR
    assert d.current["shares"] == pytest.approx(np.array(d.current["counts"]) / N_CUR)
    ks = stats.ks_2samp(ref.x, cur.x)
    assert d.statistic == pytest.approx(ks.statistic, abs=1e-12)
    assert d.p_value == pytest.approx(ks.pvalue, rel=1e-6)
    assert d.drifted and d.effect_name == "wasserstein"
    out = d.to_dict()
    assert out["schema_version"] == "1.0" and out["period"]["start"] == "2026-01-02"


def test_categorical_counts_and_chi_square_match_pandas_and_scipy(filled):
    store, ref, cur = filled
    d = feature_distribution(store, "m", "c", **PERIODS)
    assert (d.kind, d.method) == ("categorical", "chi_square")
    assert d.reference["categories"] == d.current["categories"]
    cats = d.reference["categories"]
    assert sorted(cats) == ["a", "b", "c"]
    assert d.reference["counts"] == ref.c.value_counts().reindex(cats).tolist()
    assert d.current["counts"] == cur.c.value_counts().reindex(cats).tolist()
    table = pd.crosstab(pd.concat([ref.c, cur.c]).to_numpy(),
                        np.r_[np.zeros(N_REF), np.ones(N_CUR)])
    assert d.statistic == pytest.approx(stats.chi2_contingency(table.T).statistic)
    assert d.drifted


def test_stored_profile_is_the_default_reference_and_is_approximate(filled):
    store, ref, cur = filled
    store.save_reference("m", profile(ref.rename(columns=lambda c: f"features.{c}")))
    d = feature_distribution(store, "m", "x", start="2026-01-02", end="2026-01-03")
    assert (d.reference_source, d.approximate, d.method) == ("profile:default", True, "ks")
    exact = stats.ks_2samp(ref.x, cur.x).statistic
    assert abs(d.statistic - exact) < 0.03  # KLL sketch: close to the exact statistic
    assert sum(d.reference["counts"]) == pytest.approx(N_REF, abs=3)
    assert d.reference["edges"] == d.current["edges"]
    # an explicit period wins over the profile
    assert feature_distribution(store, "m", "x", **PERIODS).reference_source == "events"


def test_hostile_feature_name_is_plain_data(filled):
    store, *_ = filled
    assert HOSTILE in model_features(store, "m")
    assert model_features(store, "m") == sorted(["x", "c", HOSTILE])
    d = feature_distribution(store, "m", HOSTILE, **PERIODS)
    assert d.feature == HOSTILE and not d.drifted and d.to_dict()["feature"] == HOSTILE


def test_missing_reference_feature_or_events_say_how_to_fix(filled):
    store, *_ = filled
    with pytest.raises(DataError, match="reference_start"):
        feature_distribution(store, "m", "x", start="2026-01-02")
    with pytest.raises(DataError, match="pick from: <img"):
        feature_distribution(store, "m", "nope", **PERIODS)
    with pytest.raises(DataError, match="current period"):
        feature_distribution(store, "m", "x", start="2027-01-01",
                             reference_start="2026-01-01", reference_end="2026-01-02")
    with pytest.raises(DataError, match="reference period"):
        feature_distribution(store, "m", "x", reference_start="2025-01-01",
                             reference_end="2025-01-02")
    with pytest.raises(ParameterError):
        feature_distribution(store, "m", "", **PERIODS)
