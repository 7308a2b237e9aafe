"""The ``data_changes`` window metric: named unit and schema changes, and no false alarms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import ParameterError
from stalwart.monitoring.metrics import WINDOW_METRICS

METRIC = WINDOW_METRICS.get("data_changes")


def _events(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"features.bp": rng.normal(95, 13, n).round(1),
                         "features.age": rng.integers(20, 80, n).astype(float),
                         "features.sex": rng.choice(["1", "2"], n),
                         "outputs.prediction": rng.integers(0, 2, n)})


def _run(reference: pd.DataFrame, current: pd.DataFrame, **options):
    opts = METRIC.resolve(options)
    return METRIC.compute(METRIC.fit(reference, opts), current, opts, {})


def test_unit_change_is_named_with_its_conversion():
    current = _events(200, 1)
    current["features.bp"] = (current["features.bp"] / 7.50062).round(2)
    metrics, details = _run(_events(2000, 0), current)
    assert metrics["unit_changes"] == 1.0 and metrics["change_failures"] >= 1
    (change,) = details["unit_changes"]
    assert change["column"] == "bp" and change["known_conversion"] == "mmHg -> kPa"
    # the map is fitted on 200 noisy rows: its scale is near 1/7.5 (0.133), not exact
    assert change["scale"] == pytest.approx(1 / 7.50062, rel=0.15)


def test_clean_windows_raise_nothing():
    reference = _events(2000, 0)
    for seed in range(1, 21):
        metrics, _ = _run(reference, _events(200, seed))
        assert metrics["unit_changes"] == 0 and metrics["schema_changes"] == 0, seed
        assert metrics["new_category_columns"] == 0, seed


def test_missing_column_and_new_category():
    current = _events(200, 3).drop(columns="features.age")
    current.loc[:39, "features.sex"] = "U"
    metrics, details = _run(_events(2000, 0), current)
    assert metrics["schema_changes"] == 1 and metrics["new_category_columns"] == 1
    kinds = {f["kind"] for f in details["findings"]}
    assert {"missing_column", "new_categories"} <= kinds


def test_small_windows_are_not_diagnosed():
    metrics, details = _run(_events(500, 0), _events(10, 1))
    assert set(metrics.values()) == {None} and "min_events=30" in details["note"]


def test_reference_is_sampled_to_max_reference():
    state = METRIC.fit(_events(3000, 0), METRIC.resolve({"max_reference": 1000}))
    assert len(state["reference"]) == 1000 and list(state["reference"].columns) == [
        "bp", "age", "sex"]


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "30"])
def test_bad_options_say_what_to_do(bad):
    with pytest.raises(ParameterError, match="min_events.*integer >= 1"):
        METRIC.fit(_events(100, 0), METRIC.resolve({"min_events": bad}))
