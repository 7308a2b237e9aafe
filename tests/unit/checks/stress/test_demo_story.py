"""The demo's stress step writes its three reports and echoes its verdict."""

from __future__ import annotations

import json

from sklearn.model_selection import train_test_split

from stalwart.demo.data import TARGET, load_diabetes_frame
from stalwart.demo.run import _model
from stalwart.demo.stress import stress_story


def test_stress_story(tmp_path):
    frame = load_diabetes_frame()
    train, test = train_test_split(frame, test_size=0.25, stratify=frame[TARGET],
                                   random_state=0)
    features = [c for c in frame.columns if c not in ("patient_id", TARGET)]
    model = _model().fit(train[features], train[TARGET])
    lines: list[str] = []
    story = stress_story(model, test, TARGET, features, tmp_path, reference=train,
                         echo=lines.append)
    assert {p.name for p in story.reports.values()} == {"stress-test.html", "stress-test.json",
                                                        "stress-test.junit.xml"}
    doc = json.loads((tmp_path / "stress-test.json").read_text())
    assert doc["suite"] == "stress" and len(doc["results"]) == 3
    assert lines[0].startswith(f"stress: {story.result.status.value} - accuracy")
    assert "simulated shift" in lines[1] and len(lines) == 2
