"""Numeric-table detectors: scores against scikit-learn / closed forms, bad input, results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.covariance import EmpiricalCovariance
from sklearn.neighbors import NearestNeighbors

from stalwart.exceptions import DataError, ParameterError, SchemaError
from stalwart.novelty import (NOVELTY_DETECTORS, GMMNovelty, IsolationForestNovelty, KNNNovelty,
                              MahalanobisNovelty)

NUMERIC = [GMMNovelty, IsolationForestNovelty, KNNNovelty, MahalanobisNovelty]
# a short BIC range keeps the mixture fits quick (the BIC choice has its own test)
FAST = {GMMNovelty: {"n_components_range": (1, 2)}}


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"a": rng.normal(10, 2, 400), "b": rng.exponential(1, 400),
                         "c": rng.integers(0, 5, 400), "d": rng.random(400) < 0.3})


@pytest.mark.parametrize("cls", NUMERIC)
def test_planted_outliers_are_flagged_and_result_is_json(cls, frame):
    det = cls(false_flag_rate=0.05, **FAST.get(cls, {})).fit(frame)
    new = frame.sample(50, random_state=0).reset_index(drop=True)
    new.loc[:9, ["a", "b"]] = [40.0, 12.0]  # 15 and 11 standard deviations away
    r = det.detect(new)
    assert r.flags[:10].all()
    assert r.method == cls.method and r.n_samples == 50
    assert set(r.flagged_indices[:10]) == set(range(10))
    assert {t["index"] for t in r.top} == set(range(10))
    assert (r.p_values[:10] <= 1 / (det.n_calibration_ + 1) + 1e-12).all()
    assert np.array_equal(r.flags, det.predict(new)) and np.allclose(r.scores, det.score(new))
    d = json.loads(json.dumps(r.to_dict()))
    assert d["schema_version"] == "1.0" and d["n_flagged"] == r.n_flagged
    assert d["params"]["columns"] == ["a", "b", "c", "d"]
    assert r.expected_false_flag_rate <= 0.05


@pytest.mark.parametrize("cls", NUMERIC)
def test_bad_input(cls, frame):
    with pytest.raises(SchemaError, match=r"non-numeric columns \['city'\]"):
        cls().fit(frame.assign(city="paris"))
    with pytest.raises(DataError, match=r"missing values in columns \['b'\]"):
        cls().fit(frame.assign(b=frame.b.where(frame.index != 3)))
    with pytest.raises(DataError, match="at least one row"):
        cls().fit(frame.iloc[:0])
    det = cls(false_flag_rate=0.05, **FAST.get(cls, {})).fit(frame)
    with pytest.raises(SchemaError, match=r"missing columns \['c'\]"):
        det.detect(frame.drop(columns="c"))
    with pytest.raises(SchemaError, match="4 columns"):
        det.detect(np.zeros((3, 2)))
    with pytest.raises(DataError, match="missing values"):
        det.detect(frame.assign(a=np.nan))
    with pytest.raises(DataError, match="infinite"):
        det.detect(frame.assign(a=np.inf))
    with pytest.raises(DataError, match="at least one row"):
        det.detect(frame.iloc[:0])
    r = det.detect(frame.head(5).assign(extra=1.0))
    assert r.notes == ("columns not in the reference were ignored: ['extra']",)
    assert det.detect(frame.head(5).to_numpy(dtype=float)).n_samples == 5


def test_columns_option_selects_features(frame):
    det = KNNNovelty(columns=["a", "b"], false_flag_rate=0.05).fit(frame.assign(city="x"))
    assert det.table_.columns_ == ["a", "b"]
    assert det.detect(frame[["b", "a"]]).n_samples == 400


def test_polars_input_scores_like_pandas(frame):
    pl = pytest.importorskip("polars")
    det = KNNNovelty(false_flag_rate=0.05).fit(frame)
    assert np.allclose(det.score(pl.from_pandas(frame.head(20))), det.score(frame.head(20)))


def test_knn_score_is_sklearn_kth_neighbour_distance(frame):
    det = KNNNovelty(n_neighbors=3, false_flag_rate=0.05).fit(frame)
    new = frame.head(20)
    z_train = det.table_.scaler_.transform(
        frame.iloc[np.setdiff1d(np.arange(400), _cal_rows(det, 400))].to_numpy(float))
    dist, _ = NearestNeighbors(n_neighbors=3).fit(z_train).kneighbors(
        det.table_.scaler_.transform(new.to_numpy(float)))
    assert np.allclose(det.score(new), dist[:, 2])


def test_mahalanobis_matches_closed_form(frame):
    det = MahalanobisNovelty(robust=False, false_flag_rate=0.05).fit(frame)
    train = frame.iloc[np.setdiff1d(np.arange(400), _cal_rows(det, 400))].to_numpy(float)
    mu, sd = train.mean(0), train.std(0)
    z = (train - mu) / sd
    prec = np.linalg.inv(np.cov(z, rowvar=False, bias=True))
    q = (frame.head(10).to_numpy(float) - mu) / sd - z.mean(0)
    expect = np.sqrt(np.einsum("ij,jk,ik->i", q, prec, q))
    assert np.allclose(det.score(frame.head(10)), expect)
    assert isinstance(det.model_, EmpiricalCovariance)
    assert MahalanobisNovelty(false_flag_rate=0.05).fit(frame).detect(
        frame.head(3)).params["estimator"] == "MinCovDet"


def test_gmm_bic_picks_two_components_for_two_clusters():
    rng = np.random.default_rng(2)
    x = np.vstack([rng.normal(-5, 1, (200, 2)), rng.normal(5, 1, (200, 2))])
    det = GMMNovelty(false_flag_rate=0.05, n_components_range=(1, 2, 3)).fit(x)
    assert det.n_components_ == 2
    assert min(det.bic_, key=det.bic_.get) == 2
    # the empty middle between the clusters is unusual; each centre is not
    assert det.predict(np.array([[0.0, 0.0], [-5.0, -5.0], [5.0, 5.0]])).tolist() == [
        True, False, False]
    assert GMMNovelty(n_components=3, false_flag_rate=0.05).fit(x).n_components_ == 3
    assert set(det.bic_) == {1, 2, 3}
    # 40 training rows hold at most 4 components: larger sizes are not tried, and say so
    small = GMMNovelty(false_flag_rate=0.05, n_components_range=(1, 6), calibration_size=20)
    assert set(small.fit(x[:60]).bic_) == {1}
    assert small.detect(x[:2]).notes == ("mixture sizes [6] not tried: fewer than 10 training "
                                         "rows per component",)
    with pytest.raises(ParameterError, match="n_components"):
        GMMNovelty(n_components=6, false_flag_rate=0.05, calibration_size=20).fit(x[:60])


def test_registry_lists_every_detector_with_its_input():
    caps = {n: NOVELTY_DETECTORS.capabilities(n)["input"] for n in NOVELTY_DETECTORS.names()}
    assert caps == {"gmm": "numeric", "isolation_forest": "numeric", "knn": "numeric",
                    "mahalanobis": "numeric", "oov": "text", "text_length": "text",
                    "text_embedding": "text", "pipeline_path": "pipeline"}
    assert NOVELTY_DETECTORS.get("knn") is KNNNovelty


def _cal_rows(det, n: int) -> np.ndarray:
    """The calibration rows of a fitted detector (same seeded permutation as base._split)."""
    perm = np.random.default_rng(det.random_state).permutation(n)
    return np.sort(perm[:det.n_calibration_])
