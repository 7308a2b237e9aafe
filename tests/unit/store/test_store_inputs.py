"""Store inputs: URLs, unreachable databases, the event and label contract."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.store import normalize_event, normalize_label, open_store
from stalwart.store.engine import resolve_url

GOOD = {"event_id": "e1", "timestamp": "2026-01-01T12:00:00+01:00", "model": "m",
        "model_version": "1", "segment": "acme", "features": {"x": np.float64(1.5), "n": None},
        "outputs": {"prediction": "yes", "proba": {"no": 0.4, "yes": 0.6}},
        "latency_ms": 3, "metadata": {"host": "a"}}


def test_url_resolution(tmp_path):
    assert resolve_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    default = resolve_url(None, workspace=tmp_path / "ws")
    assert default.database == str((tmp_path / "ws" / "stalwart.db").resolve())
    assert (tmp_path / "ws").is_dir()


def test_default_workspace_from_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_store()
    assert store.dialect == "sqlite" and (tmp_path / "stalwart-workspace" / "stalwart.db").exists()
    store.close()


@pytest.mark.parametrize("url, match", [
    ("mysql://u@h/db", "sqlite or postgresql"),
    ("postgresql+psycopg2://u@h/db", "sqlite or postgresql"),
    ("just-a-path.db", "a database URL"),
])
def test_bad_urls(url, match):
    with pytest.raises(ParameterError, match=match):
        open_store(url)


def test_unreachable_database_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="reachable.*127.0.0.1:1"):
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/test")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises((DataError, OSError)):
        open_store(f"sqlite:///{blocker}/sub/stalwart.db")


def test_event_normalized():
    row = normalize_event(GOOD)
    assert row["timestamp"] == dt.datetime(2026, 1, 1, 11, 0)
    assert row["features"] == {"x": 1.5, "n": None} and type(row["features"]["x"]) is float
    assert row["latency_ms"] == 3.0 and row["metadata"] == {"host": "a"}
    minimal = {k: GOOD[k] for k in ("event_id", "timestamp", "model", "model_version",
                                    "features", "outputs")}
    row = normalize_event(dict(minimal, timestamp=dt.datetime(2026, 1, 1)))
    assert row["segment"] is None and row["latency_ms"] is None and row["metadata"] == {}
    assert normalize_event(dict(minimal, features={"x": float("nan")}))["features"] == {"x": None}


@pytest.mark.parametrize("change, match", [
    ({"event_id": ""}, "event_id"),
    ({"event_id": 7}, "event_id"),
    ({"event_id": "x" * 201}, "at most 200"),
    ({"timestamp": "31/01/2026"}, "ISO-8601"),
    ({"timestamp": 1700000000}, "ISO-8601"),
    ({"model": None}, "model"),
    ({"segment": 5}, "segment"),
    ({"features": [1, 2]}, "features"),
    ({"outputs": "yes"}, "outputs"),
    ({"outputs": {"prediction": 1, "proba": {"a": 1.5}}}, "proba"),
    ({"outputs": {"prediction": 1, "proba": [0.5, 0.5]}}, "proba"),
    ({"latency_ms": "fast"}, "latency_ms"),
    ({"latency_ms": float("inf")}, "latency_ms"),
    ({"latency_ms": True}, "latency_ms"),
    ({"metadata": "x"}, "metadata"),
    ({"extra": 1}, "put extra information under 'metadata'"),
])
def test_malformed_events(change, match):
    with pytest.raises(DataError, match=match):
        normalize_event({**GOOD, **change})


def test_missing_fields_and_non_mapping():
    with pytest.raises(DataError, match="missing \\['model_version'\\]"):
        normalize_event({k: v for k, v in GOOD.items() if k != "model_version"})
    with pytest.raises(DataError, match="JSON object"):
        normalize_event(["e1"])


def test_labels_normalized_and_malformed():
    assert normalize_label({"event_id": "e", "label": np.int64(2)})["label"] == 2
    for bad, match in [({"event_id": "e"}, "'label'"), ({"event_id": "", "label": 1}, "event_id"),
                       ({"event_id": "e", "label": 1, "x": 1}, "label fields"),
                       ({"event_id": "e", "label": None}, "'label'"), ("e", "JSON object")]:
        with pytest.raises(DataError, match=match):
            normalize_label(bad)


def test_bad_options_in_memory():
    store = open_store("sqlite://")
    with pytest.raises(ParameterError, match="chunk_size"):
        list(store.iter_events("m", chunk_size=0))
    with pytest.raises(ParameterError, match="window_start < window_end"):
        store.save_window_result("w", "2026-01-02", "2026-01-01", 1, {}, {})
    with pytest.raises(ParameterError, match="severity"):
        store.upsert_alert("m", "r", severity="loud")
    with pytest.raises(ParameterError, match="DatasetProfile"):
        store.save_reference("m", {"x": 1})
    with pytest.raises(ParameterError, match="spec"):
        store.save_monitor("n", "m", ["not", "a", "dict"])
    empty = store.events("m")
    assert list(empty.columns) == ["event_id", "timestamp", "model", "model_version", "segment",
                                   "latency_ms", "label"] and empty.empty
    assert store.ingest_events([]).accepted == 0
    store.close()
