"""Pipeline-path novelty: unseen paths for an output are flagged with the seen paths."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, SchemaError
from stalwart.novelty import PipelinePathNovelty

A = ("ocr", "parser", "classifier", "rule_a")
B = ("ocr", "parser", "classifier", "rule_b")
C = ("ocr", "fallback", "manual")


def _records(n: int, seed: int) -> list[tuple[tuple[str, ...], str]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        u = rng.random()
        out.append((A, "approve") if u < 0.5 else (B, "reject") if u < 0.9 else (C, "review"))
    return out


def test_unseen_path_for_its_output_is_flagged():
    det = PipelinePathNovelty().fit(_records(300, 0))
    r = det.detect([(A, "approve"), (B, "approve"), (C, "approve"), (A, "escalate"),
                    ("ocr>parser>classifier>rule_b", "reject")])
    assert r.flags.tolist() == [False, True, True, True, False]
    assert r.details[1]["seen_paths"] == [list(A)]
    assert r.details[3]["output_seen"] is False and r.details[3]["seen_paths"] == []
    assert "seen_paths" not in r.details[0]
    assert r.scores[0] == pytest.approx(0.0) and r.scores[1] == 1.0
    assert det.seen_paths("reject") == [B]
    assert r.expected_false_flag_rate == 0.0 and r.notes == ()
    assert json.loads(json.dumps(r.to_dict()))["details"][1]["path"] == list(B)


def test_rare_paths_in_reference_are_stated():
    recs = _records(200, 1) + [((f"m{i}",), "approve") for i in range(20)]
    det = PipelinePathNovelty(false_flag_rate=0.01).fit(recs)
    assert det.expected_false_flag_rate_ > 0.01
    assert "does not cover the normal paths" in det.detect([(A, "approve")]).notes[0]


def test_dataframe_and_mapping_input_and_bad_records():
    frame = pd.DataFrame({"route": [list(A), list(B)] * 50, "label": ["approve", "reject"] * 50})
    det = PipelinePathNovelty(path_column="route", output_column="label").fit(frame)
    assert det.predict([{"route": B, "label": "approve"}]).tolist() == [True]
    with pytest.raises(SchemaError, match="columns"):
        PipelinePathNovelty().fit(frame)
    with pytest.raises(DataError, match="pair"):
        PipelinePathNovelty().fit([(A, "x", 1)] * 10)
    with pytest.raises(DataError, match="non-empty sequence of module names"):
        PipelinePathNovelty().fit([((), "x")] * 10)
    with pytest.raises(DataError, match="missing value"):
        PipelinePathNovelty().fit([(A, None)] * 10)
    with pytest.raises(DataError, match="at least one"):
        PipelinePathNovelty().fit([])
