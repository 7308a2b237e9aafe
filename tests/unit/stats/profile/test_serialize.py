"""to_bytes/from_bytes round-trip exactly; bad bytes are a clear DataError."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError
from stalwart.stats.profile import DatasetProfile, profile


@pytest.fixture(scope="module")
def prof() -> DatasetProfile:
    rng = np.random.default_rng(9)
    n = 20_000
    x = rng.normal(size=n)
    x[::9] = np.nan
    return profile(pd.DataFrame({
        "x": x, "c": rng.choice(["u", "v", "w"], n), "b": rng.random(n) < 0.5,
        "t": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 999, n), "D"),
        "l": [[1]] * n, "hc": [f"id{i}" for i in rng.integers(0, 5000, n)],
    }), max_exact_categories=100)


def test_round_trip_keeps_every_answer(prof):
    raw = prof.to_bytes()
    back = DatasetProfile.from_bytes(raw)
    assert back.to_dict() == prof.to_dict()
    assert DatasetProfile.from_bytes(back.to_bytes()).to_dict() == prof.to_dict()
    q = np.linspace(0, 1, 21)
    np.testing.assert_array_equal(back["x"].quantiles(q), prof["x"].quantiles(q))
    np.testing.assert_array_equal(back["t"].quantiles(q), prof["t"].quantiles(q))
    assert back["hc"].counts() == prof["hc"].counts() and not back["hc"].counts_exact
    assert back["x"].moments == prof["x"].moments
    # sketches restored from bytes still merge
    m = back.merge(prof)
    assert m.n_rows == 2 * prof.n_rows and m["x"].kll.n == 2 * prof["x"].kll.n


def test_bytes_are_compact_and_json_header(prof):
    raw = prof.to_bytes()
    # exact distinct hashes (8 bytes per value, at most 16,384) dominate: x, t, hc keep them
    assert raw[:7] == b"STWPROF" and len(raw) < 8 * (16_384 + 5_000 + 1_000) + 30_000
    low = profile(pd.DataFrame({"c": ["a", "b"] * 50_000, "k": [1, 2, 3, 4] * 25_000}))
    assert len(low.to_bytes()) < 20_000  # KLL sketches (values, lengths) ~3-4 KB each
    size = int.from_bytes(raw[8:12], "little")
    header = json.loads(raw[12:12 + size])
    assert [c["name"] for c in header["columns"]] == list(prof.columns)


@pytest.mark.parametrize("raw", [b"", b"not a profile", "STWPROF", b"STWPROF\x09abcd"])
def test_bad_bytes_are_a_data_error(raw):
    with pytest.raises(DataError) as err:
        DatasetProfile.from_bytes(raw)
    assert "to_bytes" in str(err.value)


def test_truncated_bytes_are_a_data_error(prof):
    raw = prof.to_bytes()
    with pytest.raises(DataError, match="corrupt or truncated"):
        DatasetProfile.from_bytes(raw[: len(raw) - 200])
