"""The binary frame of column blocks: every column type round-trips to the values the JSON
path gives, and any malformed body is refused with a DataError (never another error)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stalwart.exceptions import DataError
from stalwart.monitoring.sinks import encode
from stalwart.store.columnar import expand_blocks
from stalwart.store.frames import decode_frame, encode_frame, is_frame


def _block(**columns):
    return {"model": "m", "model_version": "1", "id_prefix": "c",
            "timestamp": "2026-01-01T00:00:00+00:00", "metadata": {"$array": 0, "k": [1]},
            "latency_ms": 1.25, "features": columns,
            "outputs": {"prediction": np.array([1, 0, 1]),
                        "proba": {"0": np.array([0.2, 0.6, 0.1]),
                                  "1": np.array([0.8, 0.4, 0.9])}}}


COLUMNS = {
    "f8": np.array([1.5, -2.0, 1e300]), "f4": np.array([0.5, 0.25, 3.0], dtype=np.float32),
    "f2": np.array([0.5, 1.0, 2.0], dtype=np.float16),
    "i8": np.array([-(2 ** 62), 0, 2 ** 62]), "i1": np.array([-1, 0, 1], dtype=np.int8),
    "u8": np.array([0, 1, 2 ** 63], dtype=np.uint64), "b": np.array([True, False, True]),
    "nan": np.array([np.nan, np.inf, -np.inf]), "s": np.array(["a", "é", ""]),
    "o": np.array([1, None, "x"], dtype=object), "list": [1, 2, 3],
    "big": np.array([1.5, 2.5, 3.5], dtype=">f8"),
    "strided": np.arange(6.0)[::2],
}


def test_every_column_type_expands_to_the_json_paths_events():
    block = _block(**COLUMNS)
    frame = encode_frame([block])
    assert is_frame(frame) and not is_frame(encode({"blocks": [block]}))
    from_frame, rejected = expand_blocks(decode_frame(frame))
    assert rejected == [] and len(from_frame) == 3
    first = from_frame[0]
    assert first["features"]["f8"] == 1.5 and first["features"]["u8"] == 0
    assert [e["features"]["nan"] for e in from_frame] == [None, None, None]
    assert [e["features"]["big"] for e in from_frame] == [1.5, 2.5, 3.5]
    assert [e["features"]["strided"] for e in from_frame] == [0.0, 2.0, 4.0]
    assert [e["features"]["i8"] for e in from_frame] == [-(2 ** 62), 0, 2 ** 62]
    assert from_frame[2]["features"]["u8"] == 2 ** 63 and from_frame[1]["features"]["b"] is False
    assert first["metadata"] == {"$array": 0, "k": [1]}  # metadata is never substituted
    assert first["outputs"] == {"prediction": 1, "proba": {"0": 0.2, "1": 0.8}}
    # the JSON path (native byte order: orjson misreads big-endian arrays) gives the same
    native = {k: v for k, v in COLUMNS.items() if k != "big"}
    from_json, _ = expand_blocks(json.loads(encode({"blocks": [_block(**native)]}))["blocks"])
    for a, b in zip(from_json, from_frame):
        assert a["features"] == {k: v for k, v in b["features"].items() if k != "big"}
        assert a["outputs"] == b["outputs"] and a["latency_ms"] == b["latency_ms"]


def test_a_column_per_row_latency_and_an_empty_block_list_round_trip():
    block = {**_block(x=np.arange(3.0)), "latency_ms": np.array([1.0, 2.0, 3.0])}
    events, _ = expand_blocks(decode_frame(encode_frame([block])))
    assert [e["latency_ms"] for e in events] == [1.0, 2.0, 3.0]
    assert decode_frame(encode_frame([])) == []


def test_blocks_the_frame_cannot_judge_are_passed_on_to_expand_blocks():
    blocks = decode_frame(encode_frame([_block(x=np.arange(2.0))]))  # ragged: 2 vs 3 rows
    events, rejected = expand_blocks(blocks)
    assert events == [] and "ragged" in rejected[0][3]


def test_random_and_mutated_bodies_only_ever_raise_data_errors():
    rng = np.random.default_rng(0)
    good = encode_frame([_block(**COLUMNS)])
    bodies = [bytes(rng.integers(0, 256, n, dtype=np.uint8)) for n in (0, 3, 9, 50, 400)]
    for _ in range(300):
        body = bytearray(good)
        for i in rng.integers(0, len(body), rng.integers(1, 4)):
            body[i] = int(rng.integers(0, 256))
        bodies.append(bytes(body))
    bodies += [good[:n] for n in range(0, len(good), 97)]
    refused = 0
    for body in bodies:
        try:
            blocks = decode_frame(body)
        except DataError as exc:
            refused += 1
            assert "expected" in str(exc) and "Fix:" in str(exc)
        else:
            expand_blocks(blocks)  # whatever decodes is judged by expand_blocks, no crash
    assert refused >= 5 + len(range(0, len(good), 97)) - 1


@pytest.mark.parametrize("dtype", ["|O", "<M8[ns]", "<c16", "|V8", "<f16"])
def test_only_plain_numeric_dtypes_are_read(dtype):
    good = encode_frame([_block(x=np.arange(3.0))])
    forged = good.replace(b'"<f8"', json.dumps(dtype).encode(), 1)
    header_len = int.from_bytes(good[5:9], "little") + len(forged) - len(good)
    forged = forged[:5] + header_len.to_bytes(4, "little") + forged[9:]
    with pytest.raises(DataError, match="dtype"):
        decode_frame(forged)
