"""detect_drift / UnivariateDrift: verdicts, effect-size gate, corrections, bad input."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.drift.univariate import (
    ColumnDrift,
    DriftReport,
    UnivariateDrift,
    detect_drift,
)
from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.stats.multitest import adjust_p_values


@pytest.mark.slow  # a million rows is the point of the test (about 2 s on a quiet machine)
def test_tiny_shift_in_a_million_rows_is_significant_but_not_drifted():
    r = np.random.default_rng(0)
    n = 1_000_000
    ref = pd.DataFrame({"x": r.normal(size=n)})
    tiny = detect_drift(ref, pd.DataFrame({"x": r.normal(0.01, 1, n)}))["x"]
    assert tiny.adjusted_p_value < 1e-6  # the test sees it...
    assert tiny.effect_size == pytest.approx(0.01, abs=0.003)
    assert not tiny.drifted  # ...but it is far below the 0.1 sd effect threshold
    big = detect_drift(ref, pd.DataFrame({"x": r.normal(0.5, 1, n)}))["x"]
    assert big.drifted and big.effect_size == pytest.approx(0.5, abs=0.01)


def test_planted_shifts_are_detected_and_p_values_adjusted_across_columns():
    r = np.random.default_rng(1)
    n = 3000
    ref = pd.DataFrame({f"x{i}": r.normal(size=n) for i in range(6)})
    cur = pd.DataFrame({f"x{i}": r.normal(size=n) for i in range(6)})
    cur["x2"] += 0.4
    cur["x4"] *= 1.5
    for correction in ("bh", "holm", "bonferroni", "none"):
        rep = detect_drift(ref, cur, correction=correction)
        assert rep.drifted == ("x2", "x4")
        p = [c.p_value for c in rep.columns]
        assert [c.adjusted_p_value for c in rep.columns] == pytest.approx(
            adjust_p_values(p, correction))
        assert rep.columns[0].p_value == pytest.approx(
            stats.ks_2samp(ref["x0"], cur["x0"]).pvalue)
    assert rep.share_drifted == pytest.approx(2 / 6) and not rep.dataset_drift
    assert detect_drift(ref, cur, drift_share=0.3).dataset_drift


def test_distance_methods_flag_on_their_threshold_alone():
    r = np.random.default_rng(2)
    ref = pd.DataFrame({"c": r.choice(list("abcd"), 5000, p=[0.4, 0.3, 0.2, 0.1])})
    cur = pd.DataFrame({"c": r.choice(list("abcd"), 5000)})
    col = detect_drift(ref, cur, method="psi")["c"]
    assert col.p_value is None and col.adjusted_p_value is None
    assert col.effect_name == "psi" and col.effect_threshold == 0.2
    assert col.drifted == (col.statistic >= 0.2)
    loose = detect_drift(ref, cur, method="psi", thresholds={"psi": 10.0})["c"]
    assert not loose.drifted and loose.effect_threshold == 10.0


def test_categorical_effect_gate_and_chart_data():
    r = np.random.default_rng(3)
    cats = [f"v{i}" for i in range(15)]
    ref = pd.DataFrame({"c": r.choice(cats, 4000), "x": r.normal(size=4000)})
    cur = pd.DataFrame({"c": r.choice(cats, 4000), "x": r.normal(size=4000)})
    rep = detect_drift(ref, cur)
    c = rep["c"]
    assert c.effect_name == "jensen_shannon" and c.effect_threshold == 0.1
    assert c.reference_hist["categories"][-1] == "other"
    assert len(c.reference_hist["categories"]) == 11
    assert sum(c.reference_hist["counts"]) == 4000 and sum(c.current_hist["counts"]) == 4000
    x = rep["x"]
    assert x.reference_hist["edges"] == x.current_hist["edges"]
    assert sum(x.current_hist["counts"]) == 4000


def test_report_is_json_with_settings_and_columns():
    r = np.random.default_rng(4)
    ref = pd.DataFrame({"x": r.normal(size=200), "user_id": np.arange(200)})
    d = detect_drift(ref, ref.copy()).to_dict()
    json.dumps(d)
    assert d["schema_version"] == "1.0" and d["correction"] == "bh" and d["alpha"] == 0.05
    assert d["thresholds"]["wasserstein"] == 0.1 and d["thresholds"]["psi"] == 0.2
    assert [c["column"] for c in d["columns"]] == ["x"]
    assert d["notes"] == ["id/ignored columns not tested: ['user_id']"]
    assert isinstance(DriftReport, type) and isinstance(ColumnDrift, type)


def test_fitted_detector_serves_many_windows_and_detect_before_fit_fails():
    r = np.random.default_rng(5)
    det = UnivariateDrift(alpha=0.01).fit(pd.DataFrame({"x": r.normal(size=500)}))
    assert det.detect(pd.DataFrame({"x": r.normal(1, 1, 300)})).drifted == ("x",)
    assert det.detect(pd.DataFrame({"x": r.normal(size=300)})).drifted == ()
    with pytest.raises(StageError):
        UnivariateDrift().detect(pd.DataFrame({"x": [1.0]}))


def test_empty_data_is_a_clear_error():
    ref = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError, match="current"):
        detect_drift(ref, ref.iloc[:0])
    with pytest.raises(DataError, match="reference"):
        detect_drift(ref.iloc[:0], ref)


def test_bad_parameters_are_clear_errors():
    ref = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    for kwargs, match in [({"method": "magic"}, "method"), ({"correction": "x"}, "correction"),
                          ({"alpha": 1.5}, "alpha"), ({"thresholds": {"ks": 0.1}}, "ks"),
                          ({"thresholds": {"psi": -1}}, "psi"), ({"columns": ["nope"]}, "nope")]:
        with pytest.raises((ParameterError, DataError), match=match):
            detect_drift(ref, ref, **kwargs)


def test_missing_all_missing_unsupported_and_changed_type_columns_are_stated():
    r = np.random.default_rng(6)
    n = 200
    ref = pd.DataFrame({"x": r.normal(size=n), "gone": r.normal(size=n),
                        "empty": np.full(n, np.nan), "lists": [[1, 2]] * n,
                        "num": r.normal(size=n)})
    cur = pd.DataFrame({"x": r.normal(size=n), "empty": np.full(n, np.nan),
                        "lists": [[1]] * n, "num": ["a"] * n})
    rep = detect_drift(ref, cur)
    assert rep.tested == ("x",)
    assert set(rep.not_tested) == {"gone", "empty", "lists", "num"}
    assert rep["gone"].note == "missing from current data" and not rep["gone"].drifted
    assert "all values missing" in rep["empty"].note
    assert "'other'" in rep["lists"].note
    assert "not numbers" in rep["num"].note
    assert rep.to_dict()["not_tested"] == ["gone", "empty", "lists", "num"]


def test_small_samples_get_the_minimum_detectable_effect():
    r = np.random.default_rng(7)
    ref = pd.DataFrame({"x": r.normal(size=20)})
    col = detect_drift(ref, pd.DataFrame({"x": r.normal(size=25)}))["x"]
    assert "tiny sample" in col.reason
    crit = np.sqrt(-np.log(0.025) / 2) * np.sqrt(45 / 500)
    assert f"D >= {crit:.2f}" in col.note
    big = detect_drift(pd.DataFrame({"x": r.normal(size=2000)}),
                       pd.DataFrame({"x": r.normal(size=2000)}))["x"]
    assert big.note == ""


def test_datetimes_are_compared_as_instants_and_infinities_are_left_out_with_a_note():
    r = np.random.default_rng(8)
    n = 2000
    t0 = pd.Timestamp("2024-01-01")
    days = pd.to_timedelta(r.uniform(0, 30, n), unit="D")
    ref = pd.DataFrame({"t": t0 + days, "tz": (t0 + days).tz_localize("UTC"),
                        "x": np.where(r.random(n) < 0.01, np.inf, r.normal(size=n))})
    cur = pd.DataFrame({"t": t0 + days + pd.Timedelta(days=5), "tz": ref["tz"].sample(
        frac=1, random_state=0).to_numpy(), "x": r.normal(size=n)})
    rep = detect_drift(ref, cur)
    assert rep["t"].kind == "datetime" and rep["t"].drifted
    ns = [c.astype("int64").to_numpy(dtype=float) for c in (ref["t"], cur["t"])]
    assert rep["t"].statistic == stats.ks_2samp(*ns).statistic
    assert rep["tz"].statistic == 0.0 and not rep["tz"].drifted
    x = rep["x"]
    finite = ref["x"][np.isfinite(ref["x"])]
    assert x.statistic == stats.ks_2samp(finite, cur["x"]).statistic
    assert x.note.startswith("infinite values left out (") and x.n_reference == finite.size


def test_datasets_arrays_and_mappings_are_accepted():
    from stalwart.data import Dataset

    r = np.random.default_rng(9)
    ref = {"x": r.normal(size=300), "c": r.choice(list("ab"), 300)}
    cur = {"x": r.normal(1, 1, 300), "c": r.choice(list("ab"), 300)}
    a = detect_drift(Dataset.from_any(ref), Dataset.from_any(cur))
    b = detect_drift(ref, cur)
    assert a.drifted == b.drifted == ("x",)
    assert a["x"].statistic == b["x"].statistic


def test_small_categorical_samples_get_the_minimum_detectable_cohens_w():
    r = np.random.default_rng(10)
    ref = pd.DataFrame({"c": r.choice(list("abc"), 50)})
    col = detect_drift(ref, pd.DataFrame({"c": r.choice(list("abc"), 50)}))["c"]
    w = np.sqrt(stats.chi2.isf(0.05, 2) * 100 / 2500)
    assert f"Cohen's w >= {w:.2f}" in col.note
    big = pd.DataFrame({"c": r.choice(list("abc"), 3000)})
    assert detect_drift(big, big.sample(frac=1, random_state=1))["c"].note == ""


def test_a_declared_kind_the_reference_values_do_not_fit_is_stated():
    from stalwart.data.schema import Schema

    ref = pd.DataFrame({"a": ["x", "y", "z"], "b": [1.0, 2.0, 3.0]})
    schema = Schema.infer(ref).override("a", kind="numeric")
    rep = detect_drift(ref, ref, schema=schema)
    assert not rep["a"].tested and "not numbers (declared numeric)" in rep["a"].note
    assert rep["b"].tested
