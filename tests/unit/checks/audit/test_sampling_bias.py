import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from stalwart import Dataset, Status, Suite
from stalwart.checks.audit.sampling_bias import SamplingBias


def run(data, reference=None, target="y", **options):
    return Suite("s", [SamplingBias(**options)]).run(data, target=target,
                                                     reference=reference).results[0]


def _people(n, p_female, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"sex": rng.choice(["F", "M"], n, p=[p_female, 1 - p_female]),
                         "region": rng.choice(["north", "south", "east"], n),
                         "age": rng.normal(40, 10, n).round(1),
                         "y": rng.integers(0, 2, n)})


def test_biased_sensitive_column_against_a_population_warns():
    frame = _people(2000, 0.6, 0)
    data = Dataset.from_any(frame, target="y", sensitive=["sex"])
    r = run(data, population={"sex": {"F": 0.5, "M": 0.5}})
    assert r.status is Status.WARN
    assert r.metrics["n_columns_tested"] == 1 and r.metrics["n_biased_columns"] == 1
    assert r.metrics["max_biased_effect_size"] == pytest.approx(0.2, abs=0.03)
    row = r.tables[0].rows[0]
    assert row[:2] == ("sex", "chi2_goodness_of_fit") and row[9] is True
    chart = r.charts[0]
    assert chart.kind == "bar" and chart.data["labels"] == ["F", "M"]
    assert chart.data["reference_values"] == [0.5, 0.5]
    assert "sex" in r.summary


def test_strong_bias_against_a_reference_fails():
    data = Dataset.from_any(_people(2000, 0.8, 1), target="y", sensitive=["sex"])
    r = run(data, reference=_people(3000, 0.5, 2))
    assert r.status is Status.FAIL and r.metrics["max_biased_effect_size"] > 0.3
    assert r.tables[0].rows[0][1] == "chi2_homogeneity"


def test_default_columns_are_low_cardinality_categoricals():
    r = run(_people(1000, 0.5, 3), reference=_people(1000, 0.5, 4))
    assert r.metrics["n_columns"] == 2  # sex and region; age is numeric, y the target
    assert {row[0] for row in r.tables[0].rows} == {"sex", "region"}
    assert r.status is Status.PASS


def test_numeric_column_chosen_by_name_uses_ks_and_a_histogram():
    biased = _people(2000, 0.5, 5).assign(age=lambda f: f["age"] + 8)
    r = run(biased, reference=_people(2000, 0.5, 6), columns=["age"])
    assert r.status is Status.FAIL  # KS distance of an 0.8 sd shift is about 0.31
    assert r.tables[0].rows[0][1] == "ks" and r.charts[0].kind == "histogram"
    assert len(r.charts[0].data["edges"]) == 21


def test_tiny_difference_in_many_rows_passes():
    frame = _people(200_000, 0.51, 7)
    data = Dataset.from_any(frame, target="y", sensitive=["sex"])
    r = run(data, population={"sex": {"F": 0.5, "M": 0.5}})
    assert r.status is Status.PASS
    assert r.metrics["min_adjusted_p_value"] < 1e-6 and r.metrics["max_effect_size"] < 0.05


def test_clean_data_passes(clean_frame):
    r = run(clean_frame.iloc[1000:], reference=clean_frame.iloc[:1000])
    assert r.status is Status.PASS and r.metrics["n_columns_tested"] == 2


def test_iris_stratified_split_passes():
    iris = load_iris(as_frame=True).frame
    r = Suite("s", [SamplingBias(columns=["target"])]).run(
        iris.iloc[::2], reference=iris.iloc[1::2]).results[0]
    assert r.status is Status.PASS and r.metrics["n_biased_columns"] == 0


def test_population_without_reference_runs_and_nothing_skips():
    r = run(_people(500, 0.5, 8), population={"region": {"north": 1 / 3, "south": 1 / 3,
                                                         "east": 1 / 3}})
    assert r.status is Status.PASS and r.metrics["n_columns_tested"] == 1


def test_skips_without_reference_or_population(clean_frame):
    r = run(clean_frame)
    assert r.status is Status.SKIP and "population" in r.summary


def test_no_candidate_columns_is_said():
    frame = pd.DataFrame({"x": np.arange(50.0), "y": [0, 1] * 25})
    r = run(frame, reference=frame)
    assert r.status is Status.PASS and r.metrics["n_columns"] == 0
    assert "no columns to test" in r.summary


def test_odd_columns_do_not_crash():
    n = 20
    frame = pd.DataFrame({
        "all_missing": pd.Series([None] * n, dtype=object),
        "lists": pd.Series([[1]] * n, dtype=object), "flag": [True, False] * 10,
        "cat": pd.Categorical(["a", "b"] * 10), "mixed": pd.Series([1, "a"] * 10, dtype=object),
        "y": [0, 1] * 10,
    })
    r = run(frame, reference=frame.iloc[::-1],
            columns=["all_missing", "lists", "flag", "cat", "mixed"])
    assert r.status is Status.PASS and r.metrics["n_columns_tested"] == 3
    notes = {row[0]: row[-1] for row in r.tables[0].rows}
    assert notes["all_missing"] and notes["lists"]  # said why, not silently dropped
    assert run(frame.iloc[:1], reference=frame).status is not Status.ERROR
