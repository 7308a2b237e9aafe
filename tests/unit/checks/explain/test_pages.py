import json

import numpy as np

from stalwart.checks.explain.pages import ExplanationReport
from stalwart.explain import ShapResult, importance_drift


def _shap():
    return ShapResult(values=np.array([[1.0, -2.0], [0.5, 0.0]]), base_values=np.zeros(2),
                      feature_names=("a", "b"), classes=None, algorithm="exact",
                      output="prediction", reason="not a tree ensemble; 2 features <= 8",
                      additivity_error=1e-12, space="input", n_background=40,
                      options={"algorithm": "auto", "space": "input"})


def test_shap_page_keeps_the_algorithm_its_reason_and_the_additivity_error():
    page = ExplanationReport(_shap())
    lines = page.text().splitlines()
    assert lines[:4] == ["Feature importance", "rank  feature  importance", "1  b  1",
                         "2  a  0.75"]
    assert "why: not a tree ensemble; 2 features <= 8" in lines
    assert "additivity error: 1e-12" in lines and "background rows: 40" in lines
    assert sum(line.startswith("space:") for line in lines) == 1  # option and detail once
    html = page.to_html()
    assert "not a tree ensemble" in html and "<svg" in html
    assert json.loads(json.dumps(page.to_dict()))["kind"] == "shap_values"


def test_drift_page_lists_changes_and_warnings():
    d = importance_drift({"x": 0.5, "y": 0.3, "z": 0.1}, {"x": 0.1, "y": 0.3, "z": 0.5},
                         top_k=5, labels=("old", "new"))
    text = ExplanationReport(d).text().splitlines()
    assert text[1].split() == ["feature", "old", "new", "change", "rank", "a", "rank", "b",
                               "intervals", "overlap"]
    assert text[2].split()[:4] == ["x", "0.5", "0.1", "-0.4"]
    assert "Spearman: -1" in text and any(t.startswith("warning: top_k=5") for t in text)
