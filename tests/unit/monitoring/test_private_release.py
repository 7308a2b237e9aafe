"""release_window: a monitoring window's aggregates released with differential privacy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring.private_release import release_window
from stalwart.privacy import PrivacyAccountant, PrivacyBudgetError
from stalwart.store import open_store


def _events(n, day="2026-01-01"):
    return [{"event_id": f"{day}-{i}", "model": "m", "model_version": "1",
             "timestamp": f"{day}T00:00:00+00:00",
             "features": {"age": float(20 + i % 50), "plan": ["a", "b", "c"][i % 3]},
             "outputs": {"prediction": i % 2}} for i in range(n)]


@pytest.fixture(scope="module")
def store():
    s = open_store("sqlite://")
    s.ingest_events(_events(600))
    s.ingest_events(_events(90, day="2026-01-02"))
    return s


def _truth(out):
    return {r["label"]: r["private"] for r in out.to_dict(include_private=True)["releases"]}


def test_the_true_aggregates_are_the_windows_exactly(store):
    out = release_window(store, "m", epsilon=1.0, start="2026-01-01", end="2026-01-02",
                         bounds={"features.age": (18, 90)},
                         categories={"outputs.prediction": [0, 1],
                                     "features.plan": ["a", "b"]}, chunk_size=64)
    truth = _truth(out)
    ages = np.array([20 + i % 50 for i in range(600)], dtype=float)
    assert truth["events"]["true_value"] == 600
    assert truth["features.age.mean"]["true_value"] == pytest.approx(ages.mean())
    assert list(truth["outputs.prediction.counts"]["true_value"]) == [300, 300]
    assert list(truth["features.plan.counts"]["true_value"]) == [200, 200]
    # four releases share the budget evenly
    assert out.epsilon_per_release == pytest.approx(0.25)
    assert [r.epsilon for r in out.releases] == [pytest.approx(0.25)] * 4


def test_the_count_noise_has_the_stated_laplace_scale(store):
    errors, scales = [], []
    for seed in range(400):
        out = release_window(store, "m", epsilon=0.4, end="2026-01-02",
                             bounds={"features.age": (18, 90)}, random_state=seed)
        count = out.releases[0]
        errors.append(count.released - 600)
        scales.append(count.accuracy["noise_scale"])
    assert scales == [pytest.approx(1 / 0.2)] * 400  # epsilon 0.4 over 2 releases
    assert stats.kstest(errors, stats.laplace(scale=5.0).cdf).pvalue > 0.01
    assert stats.kstest(errors, stats.laplace(scale=6.0).cdf).pvalue < 0.05


def test_several_rows_per_person_divide_each_release_and_charge_once(store):
    budget = PrivacyAccountant(epsilon=1.0)
    out = release_window(store, "m", epsilon=0.6, bounds={"features.age": (18, 90)},
                         contributions=3, accountant=budget)
    assert out.epsilon_per_release == pytest.approx(0.1)
    assert budget.spent_epsilon == pytest.approx(0.6)
    assert out.releases[0].accuracy["noise_scale"] == pytest.approx(10.0)
    with pytest.raises(PrivacyBudgetError, match="spent 0.6"):
        release_window(store, "m", epsilon=0.5, bounds={"features.age": (18, 90)},
                       accountant=budget)
    assert budget.spent_epsilon == pytest.approx(0.6)  # the refused window spent nothing


@pytest.mark.parametrize("kwargs, error, needle", [
    ({"bounds": {"features.nope": (0, 1)}}, DataError, "features.nope"),
    ({}, ParameterError, "at least one column"),
    ({"bounds": {"features.age": (18, 90)}, "contributions": 0}, ParameterError,
     "positive integer"),
    ({"bounds": {"features.age": (18, 90)}, "contributions": 2, "delta": 1e-6,
      "mechanism": "gaussian"}, ParameterError, "delta=0"),
])
def test_bad_requests_say_what_was_expected(store, kwargs, error, needle):
    with pytest.raises(error, match=needle):
        release_window(store, "m", epsilon=1.0, **kwargs)


def test_an_empty_window_is_refused(store):
    with pytest.raises(DataError, match="logged events"):
        release_window(store, "m", epsilon=1.0, start="2027-01-01",
                       bounds={"features.age": (18, 90)})
