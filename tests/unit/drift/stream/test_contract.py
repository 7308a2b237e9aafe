"""The river contract, checked over every registered streaming detector (a conformance suite)."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest

import stalwart.drift.stream as st
from stalwart.exceptions import DataError, ParameterError

DETECTORS = [cls for _, cls in st.STREAM_DETECTORS]


def _stream(cls: type, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if cls.input_kind == "binary":
        p = np.r_[np.full(600, 0.1), np.full(600, 0.5)]
        return (rng.random(p.size) < p).astype(int)
    return np.r_[rng.normal(0, 1, 600), rng.normal(3, 1, 600)]


def test_registry_lists_every_detector_with_capabilities() -> None:
    assert st.STREAM_DETECTORS.names() == ["adwin", "cusum", "ddm", "eddm", "kswin",
                                           "page_hinkley"]
    for name, cls in st.STREAM_DETECTORS:
        caps = st.STREAM_DETECTORS.capabilities(name)
        assert caps["input"] == cls.input_kind in ("real", "binary")
        assert set(caps) == {"input", "change", "warning", "reference"}
        json.dumps(caps)
    assert [n for n, c in st.STREAM_DETECTORS if c.input_kind == "binary"] == ["ddm", "eddm"]


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_parameters_are_keyword_only_and_only_stored(cls: type) -> None:
    sig = inspect.signature(cls.__init__)
    params = [p for p in sig.parameters.values() if p.name != "self"]
    assert params and all(p.kind is p.KEYWORD_ONLY for p in params)
    det = cls()
    assert set(vars(det)) == {p.name for p in params}  # no state before the first update
    assert det.get_params() == {p.name: p.default for p in params}
    assert repr(det).startswith(cls.__name__ + "(")


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_update_returns_self_and_flags_only_the_detection_step(cls: type) -> None:
    det = cls(seed=0) if cls is st.KSWIN else cls()
    assert det.drift_detected is False and det.n_seen == 0 and det.detections == ()
    flagged = []
    for i, x in enumerate(_stream(cls)):
        assert det.update(x) is det
        if det.drift_detected:
            flagged.append(i)
    assert tuple(flagged) == det.detections
    assert det.n_detections == len(flagged) >= 1
    assert any(i >= 600 for i in flagged)
    assert det.n_seen == 1200
    with pytest.raises(AttributeError):
        det.drift_detected = True  # read-only


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_reset_forgets_and_replays_identically(cls: type) -> None:
    det = cls(seed=0) if cls is st.KSWIN else cls()
    first = det.update_many(_stream(cls)).detections
    det.reset()
    assert det.n_seen == 0 and det.n_detections == 0 and not det.drift_detected
    assert det.update_many(_stream(cls)).detections == first


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_bad_values_raise_a_data_error(cls: type) -> None:
    det = cls()
    for bad in (float("nan"), float("inf"), "x", None):
        with pytest.raises(DataError, match="update value"):
            det.update(bad)
    if cls.input_kind == "binary":
        with pytest.raises(DataError, match="0 or 1"):
            det.update(0.5)
        det.update(True).update(0)  # booleans and ints are fine
        assert det.n_seen == 2


@pytest.mark.parametrize(("cls", "params"), [
    (st.ADWIN, {"delta": 0.0}), (st.ADWIN, {"clock": 0}), (st.ADWIN, {"max_buckets": 1}),
    (st.PageHinkley, {"mode": "sideways"}), (st.PageHinkley, {"threshold": -1.0}),
    (st.DDM, {"warning_threshold": 3.0, "drift_threshold": 2.0}),
    (st.EDDM, {"alpha": 0.8, "beta": 0.9}), (st.CUSUM, {"std": 0.0}),
    (st.CUSUM, {"mean": 1.0}), (st.KSWIN, {"window_size": 50, "stat_size": 30}),
    (st.KSWIN, {"alpha": 1.5}),
])
def test_bad_parameters_raise_on_first_update(cls: type, params: dict) -> None:
    det = cls(**params)  # the constructor only stores
    with pytest.raises(ParameterError) as err:
        det.update(0)
    assert err.value.fix


def test_warning_zones_of_ddm_and_eddm() -> None:
    rng = np.random.default_rng(2)
    p = np.r_[np.full(1000, 0.1), np.linspace(0.1, 0.5, 500)]
    errors = (rng.random(p.size) < p).astype(int)
    for cls in (st.DDM, st.EDDM):
        det = cls()
        warned = []
        for i, e in enumerate(errors):
            det.update(e)
            assert not (det.warning_detected and det.drift_detected)
            if det.warning_detected:
                warned.append(i)
        assert warned and det.detections
