"""Window metric estimated_regression (DLE): against the realised MAE and RMSE of the
performance metric on a simulated covariate shift into a noisier region, and blind (as
documented) to a concept shift."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError
from stalwart.monitoring import MonitorSpec, evaluate_windows
from stalwart.monitoring.metrics import WINDOW_METRICS

START = pd.Timestamp("2026-03-01", tz="UTC")


def _regression_day(rng, n: int, day: int, *, centre: float = 0.0, scale: float = 1.0,
                    concept: float = 0.0) -> pd.DataFrame:
    """A regressor predicting 2 x1 + x2; the truth adds noise growing with |x1|
    (heteroscedastic), plus ``concept`` * x2 (a concept shift the features cannot show).
    x1 ~ N(centre, scale): a shift moves it into the reference's noisier tail."""
    x1 = rng.normal(centre, scale, n)
    x2 = rng.normal(0, 1, n)
    pred = 2 * x1 + x2
    y = pred + rng.normal(0, 0.2 + 0.6 * np.abs(x1), n) + concept * x2
    ts = START + pd.Timedelta(days=day) + pd.to_timedelta(np.sort(rng.uniform(0, 86_399, n)),
                                                          unit="s")
    return pd.DataFrame({"event_id": [f"r-{day}-{i}" for i in range(n)], "timestamp": ts,
                         "model": "price", "features.x1": x1, "features.x2": x2,
                         "outputs.prediction": pred, "label": y})


@pytest.fixture(scope="module")
def reference():
    return _regression_day(np.random.default_rng(1), 3000, -1, centre=0.0)


def test_estimate_tracks_realised_mae_and_rmse_under_covariate_shift(reference):
    rng = np.random.default_rng(2)
    frame = pd.concat([_regression_day(rng, 1500, 0),
                       _regression_day(rng, 1500, 1, centre=1.0, scale=0.5),
                       _regression_day(rng, 1500, 2, centre=1.5, scale=0.5)],
                      ignore_index=True)
    spec = MonitorSpec(name="price", model="price", window="1D",
                       metrics={"estimated_regression": {"n_bootstrap": 200},
                                "performance": {}})
    windows = evaluate_windows(spec, frame, reference=reference)
    est = [w.metrics["estimated_mae"] for w in windows]
    mae = [w.metrics["mae"] for w in windows]
    rmse = [w.metrics["rmse"] for w in windows]
    # the shift moves x1 to where the model errs more: realised MAE grows ~1.6x, and the
    # estimate follows it within 10 % on every window
    assert mae[2] > 1.5 * mae[0]
    assert est[0] < est[1] < est[2]
    for w, m, r in zip(windows, mae, rmse):
        assert w.metrics["estimated_mae"] == pytest.approx(m, rel=0.10)
        assert w.metrics["estimated_rmse"] == pytest.approx(r, rel=0.10)
        assert w.metrics["estimated_mae_lower"] <= w.metrics["estimated_mae"] \
            <= w.metrics["estimated_mae_upper"]
    # the realised values sit inside the (chance-only) interval, with a little slack
    inside = [w.metrics["estimated_mae_lower"] * 0.97 <= m <= w.metrics["estimated_mae_upper"]
              * 1.03 for w, m in zip(windows, mae)]
    assert inside == [True, True, True]
    assert windows[0].details["estimated_regression"]["n_estimated"] == 1500


def test_concept_shift_is_invisible_to_the_estimate(reference):
    rng = np.random.default_rng(3)
    frame = _regression_day(rng, 2000, 0, centre=0.0, concept=1.5)
    metric = WINDOW_METRICS.get("estimated_regression")
    opts = metric.resolve({"n_bootstrap": 100})
    out, details = metric.compute(metric.fit(reference, opts), frame, opts, {})
    realised = float(np.mean(np.abs(frame["label"] - frame["outputs.prediction"])))
    assert realised > 1.5 * details["reference_mae"]
    assert out["estimated_mae"] == pytest.approx(details["reference_mae"], rel=0.08)
    assert "P(y | x)" in details["notes"][0]


def test_missing_values_are_left_out_and_bad_references_refused(reference):
    metric = WINDOW_METRICS.get("estimated_regression")
    opts = metric.resolve({"n_bootstrap": 50, "features": ["x1", "x2"]})
    state = metric.fit(reference, opts)
    frame = _regression_day(np.random.default_rng(4), 200, 0)
    frame.loc[frame.index[:10], "features.x1"] = np.nan
    out, details = metric.compute(state, frame, opts, {})
    assert details["n_estimated"] == 190 and details["n_left_out"] == 10
    empty, notes = metric.compute(state, frame.drop(columns=["features.x2"]), opts, {})
    assert set(empty.values()) == {None} and "features.x2" in notes["notes"][0]
    with pytest.raises(DataError, match="labels of a regressor"):
        metric.fit(reference.drop(columns=["label"]), metric.resolve({}))
    with pytest.raises(DataError, match="missing"):
        metric.fit(reference, metric.resolve({"features": ["nope"]}))
    with pytest.raises(DataError, match="reference"):
        metric.fit(None, metric.resolve({}))
