from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring.evaluate import evaluate_windows
from stalwart.monitoring.metrics import KPIS, WINDOW_METRICS, register_kpi
from stalwart.monitoring.spec import MonitorSpec


def _one(name, reference, frame, **options):
    metric = WINDOW_METRICS.get(name)
    opts = metric.resolve(options)
    return metric.compute(metric.fit(reference, opts), frame, opts, {})


def test_registry_lists_every_builtin():
    assert WINDOW_METRICS.names() == ["data_changes", "data_drift", "data_quality",
                                      "estimated_performance", "estimated_regression", "kpis",
                                      "latency", "novelty", "performance", "prediction",
                                      "rule_thickness"]


def test_latency_percentiles_equal_numpy(stream_factory):
    frame = stream_factory(3, 1, 500)
    frame.loc[[3, 7], "latency_ms"] = np.nan
    out, details = _one("latency", None, frame)
    ok = frame["latency_ms"].dropna().to_numpy()
    for q in (50, 95, 99):
        assert out[f"latency_p{q}"] == np.percentile(ok, q)
    assert out["latency_missing_share"] == pytest.approx(2 / 500)
    assert details["n_with_latency"] == 498


def test_performance_equals_sklearn(stream_factory, reference):
    frame = stream_factory(4, 1, 400)
    frame.loc[frame.index[:100], "label"] = np.nan  # labels not yet arrived
    out, details = _one("performance", reference, frame)
    lab = frame[frame["label"].notna()]
    y, pred = lab["label"].astype(int), lab["outputs.prediction"]
    assert out["label_coverage"] == 0.75 and out["n_labelled"] == 300
    assert out["accuracy"] == pytest.approx(skm.accuracy_score(y, pred), abs=1e-12)
    assert out["f1"] == pytest.approx(skm.f1_score(y, pred), abs=1e-12)
    assert out["roc_auc"] == pytest.approx(skm.roc_auc_score(y, lab["outputs.proba.1"]),
                                           abs=1e-12)
    assert details["reference"]["accuracy"] > 0.7


def test_performance_regression_equals_sklearn():
    rng = np.random.default_rng(0)
    y = rng.normal(size=200)
    frame = pd.DataFrame({"outputs.prediction": y + rng.normal(0, 0.3, 200), "label": y})
    out, _ = _one("performance", None, frame)
    assert out["mae"] == pytest.approx(skm.mean_absolute_error(y, frame["outputs.prediction"]))
    assert out["rmse"] == pytest.approx(
        np.sqrt(skm.mean_squared_error(y, frame["outputs.prediction"])))
    assert out["label_coverage"] == 1.0


def test_performance_without_labels_reports_zero_coverage(stream_factory):
    frame = stream_factory(5, 1, 50).assign(label=np.nan)
    out, details = _one("performance", None, frame)
    assert out["label_coverage"] == 0.0 and out["accuracy"] is None
    assert "no labelled events" in details["notes"][0]


def test_data_quality_counts_missing_types_and_new_categories(reference):
    frame = reference.iloc[:10].copy()
    frame["features.x2"] = frame["features.x2"].astype(object)
    frame.loc[[0, 1], "features.x2"] = "n/a"
    frame.loc[[2, 3, 4], "features.x1"] = np.nan
    frame.loc[[5], "features.c"] = "zzz"
    out, details = _one("data_quality", reference, frame)
    assert out["missing_share_max"] == pytest.approx(0.3)
    # 2 strings among the 17 non-missing values of the two numeric features
    assert out["unexpected_type_share"] == pytest.approx(2 / 17)
    assert details["unexpected_type_counts"] == {"features.x2": 2}
    assert out["new_category_share"] == pytest.approx(0.1)
    assert details["new_categories"] == {"features.c": ["zzz"]}


def test_novelty_share_near_rate_on_reference_like_data_and_high_on_outliers(reference,
                                                                             stream_factory):
    calm, _ = _one("novelty", reference, stream_factory(6, 1, 2000))
    assert calm["novel_share"] < 0.03 and calm["novel_expected"] == 0.01
    far = reference.iloc[:200].assign(**{"features.x1": 8.0, "features.x2": -8.0})
    out, _ = _one("novelty", reference, far)
    assert out["novel_share"] > 0.9 and out["novel_p_value"] < 1e-10


def test_prediction_shares_and_drift(reference, stream_factory):
    calm, details = _one("prediction", reference, stream_factory(7, 1, 500))
    assert calm["prediction_drifted"] == 0.0
    assert calm["share.0"] + calm["share.1"] == pytest.approx(1.0)
    assert details["reference_shares"]["1"] == pytest.approx(
        (reference["outputs.prediction"] == 1).mean())
    shifted = stream_factory(7, 1, 500).pipe(lambda f: f.assign(
        **{"outputs.proba.1": 0.95, "outputs.proba.0": 0.05, "outputs.prediction": 1}))
    out, _ = _one("prediction", reference, shifted)
    assert out["prediction_drifted"] == 1.0 and out["share.1"] == 1.0


def test_estimated_accuracy_near_realised_under_covariate_shift(reference, stream_factory):
    frame = stream_factory(8, 1, 3000, shift_day=0, shift=1.0)
    out, _ = _one("estimated_performance", reference, frame)
    realised = skm.accuracy_score(frame["label"].astype(int), frame["outputs.prediction"])
    assert abs(out["estimated_accuracy"] - realised) < 0.02
    # the interval covers chance only (not the calibration map's error): close, not exact
    lo, hi = out["estimated_accuracy_lower"], out["estimated_accuracy_upper"]
    assert lo - 0.01 <= realised <= hi + 0.01 and 0.01 < hi - lo < 0.05


def test_kpis_by_callable_and_by_registered_name(stream_factory):
    if "test_mean_p" not in KPIS:
        register_kpi("test_mean_p", lambda f: f["outputs.proba.1"].mean())
    frame = stream_factory(9, 2, 100)

    def broken(_frame):
        raise RuntimeError("boom")

    spec = MonitorSpec(name="kpi", window="1D", metrics=["latency"],
                       kpis={"mean_p": "test_mean_p", "rows": len, "bad": broken})
    results = evaluate_windows(spec, frame)
    assert [r.metrics["kpi.rows"] for r in results] == [100.0, 100.0]
    day0 = frame[frame["timestamp"] < results[0].window_end]
    assert results[0].metrics["kpi.mean_p"] == pytest.approx(day0["outputs.proba.1"].mean())
    assert results[0].metrics["kpi.bad"] is None
    assert "boom" in results[0].details["kpis"]["errors"]["bad"]


def test_metric_needing_reference_refuses_without_one():
    with pytest.raises(DataError, match="reference") as err:
        MonitorSpec(name="m", metrics=["data_drift"]).fit(None)
    assert err.value.fix


def test_unknown_metric_option_is_a_parameter_error():
    with pytest.raises(ParameterError, match="expected keys among"):
        MonitorSpec(name="m", metrics={"latency": {"percentile": [50]}})


def test_multiclass_performance_and_shares_equal_sklearn():
    rng = np.random.default_rng(3)
    n = 600
    logits = rng.normal(size=(n, 3))
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(["cat", "cow", "dog"], p=row) for row in proba])
    frame = pd.DataFrame({f"outputs.proba.{c}": proba[:, j]
                          for j, c in enumerate(["cat", "cow", "dog"])})
    frame["label"] = y
    pred = np.array(["cat", "cow", "dog"])[proba.argmax(axis=1)]
    out, details = _one("performance", None, frame)
    assert out["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert out["f1"] == pytest.approx(skm.f1_score(y, pred, average="macro"))
    assert out["roc_auc"] == pytest.approx(skm.roc_auc_score(y, proba, multi_class="ovr"))
    assert details["f1_average"] == "macro"
    shares, _ = _one("prediction", frame, frame)
    assert shares["share.dog"] == pytest.approx(np.mean(pred == "dog"))
    assert shares["prediction_drifted"] == 0.0


def test_specs_are_hashable_and_equal_by_value():
    a = MonitorSpec(name="m", metrics={"latency": {"percentiles": (50,)}})
    b = MonitorSpec(name="m", metrics={"latency": {"percentiles": [50]}})
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
