import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes

from stalwart import Status, Suite
from stalwart.checks.audit.feature_leakage import FeatureLeakage


def run(data, target="y", reference=None, **options):
    return Suite("s", [FeatureLeakage(**options)]).run(data, target=target,
                                                       reference=reference).results[0]


def test_target_copy_with_noise_fails(clean_frame):
    rng = np.random.default_rng(0)
    frame = clean_frame.assign(refund_flag=clean_frame["y"] + rng.normal(0, 0.1, len(clean_frame)))
    r = run(frame)
    assert r.status is Status.FAIL
    assert r.metrics["n_leaky_features"] == 1 and r.metrics["max_power"] > 0.95
    assert r.metrics["n_rows_sampled"] == 2000 and r.metrics["n_features_scored"] == 6
    top = r.tables[0].rows[0]
    assert top[0] == "refund_flag" and top[-1] is True
    assert "refund_flag" in r.summary
    chart = r.charts[0]
    assert chart.kind == "bar" and chart.data["labels"][0] == "refund_flag"
    assert len(chart.data["values"]) == 6 and "reference_values" not in chart.data


def test_target_recoded_under_another_name_fails(clean_frame):
    frame = clean_frame.assign(outcome=np.where(clean_frame["y"] == 1, "churned", "stayed"))
    r = run(frame)
    assert r.status is Status.FAIL and r.tables[0].rows[0][:2] == ("outcome", 1.0)


def test_regression_target_copy_fails():
    frame = load_diabetes(as_frame=True).frame
    frame["target_bucket"] = (frame["target"] // 5) * 5
    r = run(frame, target="target")
    assert r.status is Status.FAIL and r.tables[0].rows[0][0] == "target_bucket"


def test_feature_leaky_only_in_training_fails_and_warns_on_gap(clean_frame):
    rng = np.random.default_rng(1)
    train, test = clean_frame.iloc[:1000].copy(), clean_frame.iloc[1000:].copy()
    train["status_code"] = train["y"] * 10 + rng.integers(0, 2, len(train))
    test["status_code"] = rng.integers(0, 12, len(test))  # filled after the fact in training
    r = run(test, reference=train)
    assert r.status is Status.FAIL
    assert r.metrics["max_power_reference"] > 0.95 and r.metrics["max_power"] < 0.5
    row = next(row for row in r.tables[0].rows if row[0] == "status_code")
    assert row[1] < 0.1 and row[3] > 0.95 and row[-1] is True
    assert r.metrics["n_gap_features"] == 1 and r.metrics["max_power_gap"] > 0.85
    assert r.metrics["n_reference_rows_sampled"] == 1000
    assert any(t.title == "Features leaky in the reference only" for t in r.tables)
    assert "reference" in r.summary
    assert r.charts[0].data["reference_values"][0] is not None


def test_moderate_gap_only_warns(clean_frame):
    rng = np.random.default_rng(2)
    train, test = clean_frame.iloc[:1000].copy(), clean_frame.iloc[1000:].copy()
    noisy = np.where(rng.random(len(train)) < 0.25, 1 - train["y"], train["y"])
    train["hint"] = noisy
    test["hint"] = rng.integers(0, 2, len(test))
    r = run(test, reference=train)
    assert r.status is Status.WARN, r.summary
    assert r.metrics["n_leaky_features"] == 0 and r.metrics["n_gap_features"] == 1


def test_clean_data_passes(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    r = run(test, reference=train)
    assert r.status is Status.PASS, r.summary
    assert r.metrics["max_power"] < 0.5 and abs(r.metrics["max_power_gap"]) < 0.25


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_breast_cancer_passes(seed):
    frame = load_breast_cancer(as_frame=True).frame
    r = Suite("s", [FeatureLeakage()]).run(frame, target="target", random_state=seed).results[0]
    assert r.status is Status.PASS, r.summary
    assert 0.7 < r.metrics["max_power"] < 0.95
    assert len(r.charts[0].data["labels"]) == 20 and r.tables[0].total_rows == 30


def test_sample_is_capped_by_the_context(clean_frame):
    from stalwart import CheckContext, Dataset
    ctx = CheckContext(Dataset.from_any(clean_frame, target="y"), max_rows_for_model_checks=500)
    r = FeatureLeakage().run(ctx)
    assert r.metrics["n_rows_sampled"] == 500


def test_odd_columns_do_not_crash():
    n = 40
    frame = pd.DataFrame({
        "all_missing": [np.nan] * n, "lists": pd.Series([[1]] * n, dtype=object),
        "when": pd.date_range("2024-01-01", periods=n), "flag": [True, False] * 20,
        "cat": pd.Categorical(["a", "b"] * 20), "constant": [1.0] * n,
        "mixed": pd.Series([1, "a"] * 20, dtype=object), "y": [0, 1, 1, 0] * 10,
    })
    r = run(frame)
    assert r.status is not Status.ERROR
    assert r.metrics["n_features_unscored"] == 1  # the lists
    assert run(frame.iloc[:1]).status is Status.PASS


def test_skips_without_target(clean_frame):
    r = Suite("s", [FeatureLeakage()]).run(clean_frame).results[0]
    assert r.status is Status.SKIP and "target" in r.summary


def test_strong_but_imperfect_copy_warns():
    # a 0/1 target plus N(0, 0.3) noise: Bayes balanced accuracy 0.952, power about 0.90
    rng = np.random.default_rng(11)
    n = 5000
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame({"noise": rng.normal(size=n), "y": y,
                          "near_copy": y + rng.normal(0, 0.3, n)})
    r = Suite("s", [FeatureLeakage()]).run(frame, target="y").results[0]
    assert r.status is Status.WARN, r.summary
    assert r.metrics["n_leaky_features"] == 0 and r.metrics["n_suspicious_features"] == 1
    assert 0.88 <= r.metrics["max_power"] < 0.95
    assert "near_copy" in r.summary and "suspiciously well" in r.summary
