"""Model cards built from a real audit, a fitted model, an evaluation and slice metrics."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from stalwart.card import (SECTIONS, CardFields, ModelCard, build_model_card, render_html,
                           render_markdown, write_card)
from stalwart.checks.audit import audit
from stalwart.exceptions import ParameterError
from stalwart.metrics import evaluate_model
from stalwart.models import wrap
from stalwart.slicing import bin_column, metric_frame

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'

FIELDS = {
    "name": "breast-cancer screen",
    "version": "2.3.1",
    "owners": ["ML team <ml@example.org>"],
    "date": "2026-11-23",
    "type": "logistic regression",
    "licence": "Apache-2.0",
    "citation": "none",
    "contact": "ml@example.org",
    "primary_uses": ["triage of biopsy measurements for a second reading"],
    "primary_users": ["pathologists"],
    "out_of_scope_uses": [HOSTILE],
    "factors": ["tumour size"],
    "ethical_considerations": ["medical data: a false negative delays treatment"],
    "caveats": ["trained on one hospital's data"],
}


@pytest.fixture(scope="module")
def parts():
    frame = load_breast_cancer(as_frame=True).frame
    train, test = train_test_split(frame, test_size=0.3, random_state=0,
                                   stratify=frame["target"])
    X_train, y_train = train.drop(columns="target"), train["target"]
    X_test, y_test = test.drop(columns="target"), test["target"]
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
    audited = audit(test, target="target", reference=train, random_state=0,
                    checks=["missing_values", "duplicates", "train_test_overlap",
                            "class_imbalance", "pii_columns"])
    adapter = wrap(model, version="model-7")
    evaluation = evaluate_model(model, X_test, y_test, metrics=["accuracy", "recall"],
                                n_boot=200, random_state=0)
    pred = model.predict(X_test)
    slices = metric_frame(y_test, pred, by=X_test[["mean radius"]],
                          metrics={"accuracy": accuracy_score, "recall": recall_score},
                          n_bins=3, min_group_size=30)
    return {"audit": audited, "adapter": adapter, "evaluation": evaluation,
            "slices": slices, "y_test": y_test.to_numpy(), "pred": pred,
            "radius": X_test["mean radius"].to_numpy()}


@pytest.fixture(scope="module")
def card(parts):
    return build_model_card(fields=FIELDS, results=[parts["audit"]], model=parts["adapter"],
                            evaluation=parts["evaluation"], slices=parts["slices"])


def _table(section, prefix):
    return next(t for t in section.tables if t.title.startswith(prefix))


def test_every_section_in_every_format(card):
    md, page, raw = render_markdown(card), render_html(card), json.loads(card.to_json())
    assert list(raw["sections"]) == list(SECTIONS)
    for key, title in SECTIONS.items():
        assert f"## {title}" in md
        assert f'<section id="{key}">' in page and f"<h2>{title}</h2>" in page
        assert raw["sections"][key]["title"] == title
    assert raw["schema_version"] == card.schema_version == "1.0"


def test_fingerprints_and_versions_shown(card, parts):
    train_fp = parts["audit"].reference["fingerprint"]
    test_fp = parts["audit"].data["fingerprint"]
    assert train_fp != test_fp and train_fp.startswith("sha256:")
    training = _table(card.training_data, "Training data sets")
    evaluation = _table(card.evaluation_data, "Evaluation data sets")
    assert [r[-1] for r in training.rows] == [train_fp]
    assert [r[-1] for r in evaluation.rows] == [test_fp]
    details = dict(card.model_details.items)
    assert details["version"] == "2.3.1"
    assert details["version recorded by the model"] == "model-7"
    assert details["number of features"] == 30
    md, page, text = render_markdown(card), render_html(card), card.to_json()
    for out in (md, page, text):
        assert train_fp in out and test_fp in out
        assert "2.3.1" in out and "model-7" in out


def test_numbers_come_from_the_inputs(card, parts):
    ev = parts["evaluation"]
    overall = _table(card.quantitative_analyses, "Overall metrics")
    assert overall.title == "Overall metrics (95% bootstrap interval)"
    acc = next(r for r in overall.rows if r[0] == "accuracy")
    assert acc[1] == pytest.approx(accuracy_score(parts["y_test"], parts["pred"]))
    assert acc[2] <= acc[1] <= acc[3]
    assert acc[1:] == (ev["accuracy"].estimate, ev["accuracy"].low, ev["accuracy"].high)
    by_radius = _table(card.quantitative_analyses, "Metrics by mean radius")
    assert by_radius.rows[0][2:] == (parts["slices"].overall["accuracy"],
                                     parts["slices"].overall["recall"])
    sizes = [r[1] for r in by_radius.rows[1:]]
    assert sum(sizes) == parts["y_test"].size
    # each group's accuracy recomputed with scikit-learn from the rows in its radius bin
    binned = bin_column(pd.Series(parts["radius"]), n_bins=3, name="mean radius")
    for code, row in enumerate(by_radius.rows[1:]):
        rows = binned.codes == code
        assert row[0] == binned.labels[code] and row[1] == rows.sum()
        assert row[2] == pytest.approx(accuracy_score(parts["y_test"][rows],
                                                      parts["pred"][rows]))
        assert row[3] == pytest.approx(recall_score(parts["y_test"][rows], parts["pred"][rows]))
    worst = _table(card.quantitative_analyses, "Disparities by mean radius").rows[0]
    accs = [r[2] for r in by_radius.rows[1:]]
    assert worst[2] == pytest.approx(min(accs))
    assert worst[3] == pytest.approx(max(accs) - min(accs))
    checks = _table(card.quantitative_analyses, "Checks run")
    assert [r[2] for r in checks.rows] == [c.status.value for c in parts["audit"].results]
    assert dict(card.evaluation_data.items)["rows scored by the evaluation"] == 171
    assert dict(card.factors.items)["factors evaluated by slice"] == ("mean radius",)


def test_json_round_trip(card, tmp_path):
    back = ModelCard.from_json(card.to_json())
    assert back == card
    assert back.to_json() == card.to_json()
    assert render_markdown(back) == render_markdown(card)
    path = write_card(card, tmp_path / "out" / "card.json", format="json")
    assert ModelCard.from_json(path.read_text(encoding="utf-8")).to_dict() == card.to_dict()


def test_hostile_user_text_is_escaped_in_html(card):
    page = render_html(card)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&amp; &#34;quotes&#34;" in page
    md = render_markdown(card)
    assert "<script>" not in md and "\\<script\\>" in md


def test_html_is_offline(card):
    page = render_html(card)
    assert not re.search(r"https?://", page, flags=re.IGNORECASE)
    assert "<script" not in page and "<link" not in page and "@import" not in page


def test_write_card_formats(card, tmp_path):
    for fmt, name in (("markdown", "card.md"), ("html", "card.html")):
        path = write_card(card, tmp_path / name, format=fmt)
        expected = render_markdown(card) if fmt == "markdown" else render_html(card)
        assert path.read_text(encoding="utf-8").rstrip("\n") == expected.rstrip("\n")
    with pytest.raises(ParameterError, match="model card format"):
        write_card(card, tmp_path / "card.pdf", format="pdf")
    assert not (tmp_path / "card.pdf").exists()


def test_unknown_field_keys_refused():
    with pytest.raises(ParameterError) as info:
        CardFields.from_dict({"name": "m", "license": "MIT", "usage": "x"})
    assert info.value.got == "unknown keys ['license', 'usage']"
    assert "'licence'" in info.value.expected and "'caveats'" in info.value.expected
    with pytest.raises(ParameterError, match="list of strings"):
        CardFields.from_dict({"owners": [1, 2]})
    with pytest.raises(ParameterError):
        build_model_card(fields={"nmae": "m"})


def test_fields_from_json(tmp_path):
    path = tmp_path / "fields.json"
    path.write_text(json.dumps(FIELDS), encoding="utf-8")
    fields = CardFields.from_json(path)
    assert fields.owners == ("ML team <ml@example.org>",)
    assert CardFields.from_dict(fields.to_dict()) == fields
    assert CardFields.from_json('{"caveats": "one line"}').caveats == ("one line",)


def test_missing_inputs_are_listed():
    bare = build_model_card(fields={})
    missing = bare.missing()
    for needle in ("no evaluation was provided", "no slice analysis was provided",
                   "no training data was provided", "no evaluation data was provided",
                   "no suite result was provided", "no model was provided",
                   "version: not written", "primary uses: not written",
                   "ethical considerations: not written", "no personal data scan"):
        assert any(needle in m for m in missing), needle
    for _, section in bare.sections():
        assert section.items or section.tables or section.missing
    md, page = render_markdown(bare), render_html(bare)
    assert md.count("*Missing:*") == len(SECTIONS)
    assert page.count('class="missing"') == len(SECTIONS)


def test_audit_without_reference_is_training_data(parts):
    frame = load_breast_cancer(as_frame=True).frame
    audited = audit(frame, target="target", random_state=0, checks=["missing_values"])
    card = build_model_card(fields={"name": "m"}, results=audited)
    rows = _table(card.training_data, "Training data sets").rows
    assert rows[0][:5] == ("data", "data_audit", "data", 569, 31)
    assert any("no evaluation data" in m for m in card.evaluation_data.missing)
    # the evaluation's own model description stands in when no adapter is given
    card = build_model_card(fields={}, evaluation=parts["evaluation"])
    assert dict(card.model_details.items)["estimator"].endswith("Pipeline")


def test_check_metrics_and_other_suites_data():
    from stalwart.checks.result import CheckResult, Status, SuiteResult
    check = CheckResult("drift", "Drift <psi>", "drift", Status.WARN, "psi 0.31 on 'age'",
                        metrics={"max_psi": 0.31, "n_drifted": 2, "detail": [1, 2]})
    result = SuiteResult("drift", Status.WARN, (check,),
                         {"name": "prod", "n_rows": 10, "n_columns": 3,
                          "fingerprint": "sha256:abc"})
    card = build_model_card(fields={"name": "m"}, results=[result],
                            created_at="2026-01-01T00:00:00+00:00")
    assert card.created_at == "2026-01-01T00:00:00+00:00"
    assert _table(card.quantitative_analyses, "Check metrics").rows == (
        ("drift", "Drift <psi>", "max_psi", 0.31), ("drift", "Drift <psi>", "n_drifted", 2))
    assert _table(card.evaluation_data, "Evaluation data sets").rows == (
        ("data", "drift", "prod", 10, 3, None, "sha256:abc"),)
    assert any("no training data" in m for m in card.training_data.missing)
    assert dict(card.caveats_and_recommendations.items)["checks that did not pass"] == (
        "drift / Drift <psi>: warn: psi 0.31 on 'age'",)
    assert "Drift &lt;psi&gt;" in render_html(card)
    assert ModelCard.from_json(card.to_json()) == card


def test_fairness_and_privacy_verdicts_reach_ethical_considerations(parts):
    from stalwart import Dataset, predeployment_suite_run
    frame = load_breast_cancer(as_frame=True).frame
    train, test = train_test_split(frame, test_size=0.3, random_state=0,
                                   stratify=frame["target"])
    test = test.assign(site=["north" if i % 2 else "south" for i in range(len(test))])
    train = train.assign(site="north")
    data = Dataset.from_any(test, target="target", sensitive=["site"])
    result = predeployment_suite_run(data, model=parts["adapter"], target="target",
                                     reference=train, random_state=0,
                                     checks=["demographic_parity", "membership_inference"])
    card = build_model_card(fields=FIELDS, results=[parts["audit"], result])
    labels = dict(card.ethical_considerations.items)
    fair = labels["fairness: Demographic parity (predeployment)"]
    mia = labels["model privacy: Membership inference (predeployment)"]
    assert fair.startswith(result.by_check("demographic_parity").status.value + ": ")
    assert mia.startswith(result.by_check("membership_inference").status.value + ": ")
    missing = card.ethical_considerations.missing
    assert not any("no fairness check" in m or "no model privacy check" in m for m in missing)
    assert any("no re-identification check was run" in m for m in missing)
    assert "Membership inference" in render_html(card)
