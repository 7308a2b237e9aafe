"""Run the demo: data, model, every suite, reports, and an index page."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .._version import __version__
from ..checks import SuiteResult
from ..card import build_model_card, write_card
from ..checks.audit import audit_suite
from ..checks.drift import check_drift
from ..checks.evaluation import evaluation_suite
from ..data import Dataset
from ..models import save_model, wrap
from ..reports import write_report
from ..reports.writing import write_text_atomic
from ..store import open_store
from ..uncertainty import compare_calibration
from .data import SENSITIVE, TARGET, corrupt_batch, kpa_week, load_diabetes_frame
from .escalation import EscalationStory, tell_escalation
from .fairness_privacy import FairnessPrivacyStory, tell_fairness_and_privacy
from .stress import StressStory, stress_story
from .production import ProductionReplay, replay_production

__all__ = ["DASHBOARD_PATH", "DemoResult", "run_demo"]

DASHBOARD_PATH = "/dashboard/"


@dataclass(frozen=True)
class DemoResult:
    workspace: Path
    index_path: Path
    reports: dict[str, dict[str, Path]] = field(default_factory=dict)
    results: dict[str, SuiteResult] = field(default_factory=dict)
    model_path: Path | None = None
    test_accuracy: float | None = None
    production: ProductionReplay | None = None
    store_url: str | None = None
    token_file: Path | None = None
    escalation: EscalationStory | None = None
    fairness_privacy: FairnessPrivacyStory | None = None
    stress: StressStory | None = None

    def dashboard_url(self, host: str = "127.0.0.1", port: int = 8000) -> str:
        """The dashboard's address on a server of this workspace, with the demo's token in
        the fragment (a fragment never reaches the server or its logs)."""
        token = next(iter(json.loads(self.token_file.read_text(encoding="utf-8"))))
        return f"http://{host}:{port}{DASHBOARD_PATH}#token={token}"


_CARD_FIELDS = {
    "name": "diabetes-logreg", "version": "1",
    "primary_uses": ["demonstrating stalwart on a small public medical data set"],
    "out_of_scope_uses": ["any clinical decision"],
    "caveats": ["442 patients only; sex is coded 1/2 in the source without a documented "
                "meaning"],
    "ethical_considerations": [
        "sex is a sensitive attribute: the model's error rates differ between the two groups "
        "(equalized odds); per-group thresholds narrow the gap at a small accuracy cost",
        "the training table re-identifies patients by age and sex alone (k = 1): share it only "
        "with age generalised, and publish aggregates with differential privacy"],
}


def _model() -> Pipeline:
    numeric = ["age", "bmi", "bp", "tc", "ldl", "hdl", "tch", "ltg", "glu"]
    pre = ColumnTransformer([("num", StandardScaler(), numeric),
                             ("cat", OneHotEncoder(handle_unknown="ignore"), ["sex"])])
    return Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))])


def run_demo(*, workspace: str | Path, random_state: int = 0,
             echo: Callable[[str], Any] = print) -> DemoResult:
    """Train on the diabetes data, audit train, test and a corrupted batch; write reports."""
    root = Path(workspace)
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(parents=True, exist_ok=True)

    frame = load_diabetes_frame()
    train, test = train_test_split(frame, test_size=0.25, stratify=frame[TARGET],
                                   random_state=random_state)
    batch = corrupt_batch(test, train, random_state=random_state)
    train.to_parquet(root / "data" / "train.parquet", index=False)
    test.to_parquet(root / "data" / "test.parquet", index=False)
    # CSV, as such batches usually arrive: a numeric column holding text cannot be Parquet
    batch.to_csv(root / "data" / "batch.csv", index=False)
    week = kpa_week(test)
    week.to_parquet(root / "data" / "week-kpa.parquet", index=False)
    echo(f"data: scikit-learn diabetes study, {len(train)} train / {len(test)} test rows, "
         f"plus a corrupted production batch of {len(batch)} rows -> {root / 'data'}")

    features = [c for c in frame.columns if c not in ("patient_id", TARGET)]
    model = _model().fit(train[features], train[TARGET])
    model_path = save_model(model, root / "model.skops")
    adapter = wrap(model, name="diabetes-logreg", version="1")
    accuracy = float(np.mean(adapter.predict(test[features]) == test[TARGET].to_numpy()))
    echo(f"model: logistic regression, test accuracy {accuracy:.3f} -> {model_path}")

    train_ds = Dataset.from_any(train, target=TARGET, sensitive=SENSITIVE, name="train")
    runs = [
        ("audit-train", "Data audit of the training set", train_ds, None),
        ("audit-test", "Data audit of the test set against training", test, train_ds),
        ("audit-batch", "Data audit of a corrupted production batch against training",
         batch, train_ds),
    ]
    reports: dict[str, dict[str, Path]] = {}
    results: dict[str, SuiteResult] = {}
    for key, label, data, reference in runs:
        current = data if isinstance(data, Dataset) else Dataset.from_any(
            data, schema=train_ds.schema, name=key.removeprefix("audit-"))
        result = audit_suite().run(current, reference=reference, random_state=random_state)
        results[key] = result
        reports[key] = {fmt: write_report(result, root / "reports" / f"{key}.{ext}", format=fmt)
                        for fmt, ext in (("html", "html"), ("json", "json"),
                                         ("junit", "junit.xml"))}
        counts = result.counts()
        echo(f"{label}: {result.status.value.upper()} "
             f"({counts['fail']} failed, {counts['warn']} warned, {counts['pass']} passed, "
             f"{counts['skip']} skipped) -> {reports[key]['html']}")

    # drift: what changed in production data, and what it does to the model's outputs
    for key, label, data in (
            ("drift-batch", "Drift of the corrupted batch against training", batch),
            ("drift-week", "Drift of a week whose blood pressure arrives in kPa", week)):
        result = check_drift(train, data, model=adapter, target=TARGET,
                             random_state=random_state)
        results[key] = result
        reports[key] = {fmt: write_report(result, root / "reports" / f"{key}.{ext}", format=fmt)
                        for fmt, ext in (("html", "html"), ("json", "json"),
                                         ("junit", "junit.xml"))}
        runs.append((key, label, data, train_ds))
        counts = result.counts()
        unit = result.by_check("unit_changes")
        echo(f"{label}: {result.status.value.upper()} "
             f"({counts['fail']} failed, {counts['warn']} warned, {counts['pass']} passed, "
             f"{counts['skip']} skipped) -> {reports[key]['html']}"
             + (f"\n  {unit.summary}" if unit.status.value == "fail" else ""))

    # the model itself: evaluation suite on the test set (baseline fitted on training)
    test_ds = Dataset.from_any(test, schema=train_ds.schema, name="test")
    evaluation = evaluation_suite().run(test_ds, model=adapter, reference=train_ds,
                                        random_state=random_state)
    results["evaluate-test"] = evaluation
    reports["evaluate-test"] = {
        fmt: write_report(evaluation, root / "reports" / f"evaluate-test.{ext}", format=fmt)
        for fmt, ext in (("html", "html"), ("json", "json"), ("junit", "junit.xml"))}
    runs.append(("evaluate-test", "Model evaluation on the test set", test, train_ds))
    counts = evaluation.counts()
    echo(f"Model evaluation on the test set: {evaluation.status.value.upper()} "
         f"({counts['fail']} failed, {counts['warn']} warned, {counts['pass']} passed, "
         f"{counts['skip']} skipped) -> {reports['evaluate-test']['html']}")
    calibration = compare_calibration(adapter, test[features], test[TARGET].to_numpy(),
                                      method="temperature", random_state=random_state)
    echo(f"calibration (temperature, fitted on half the test set): expected calibration "
         f"error {calibration.ece_before:.3f} -> {calibration.ece_after:.3f} on the other half")
    # fairness by sex with mitigation, and the privacy of the data, the model and a release
    told = tell_fairness_and_privacy(model, train, test, features=features, target=TARGET,
                                     train_ds=train_ds, reports_dir=root / "reports",
                                     random_state=random_state, echo=echo)
    for key, label, result, data, reference in (
            ("fairness-test", "Fairness by sex on the test set", told.fairness, test, None),
            ("privacy-train", "Privacy of the training data (PII, k-anonymity on age and sex)",
             told.privacy_data, train, None),
            ("privacy-model", "Privacy of the model (membership inference, extraction)",
             told.privacy_model, test, train_ds)):
        results[key] = result
        reports[key] = told.reports[key]
        runs.append((key, label, data, reference))
    reports["fairness-mitigation"] = told.reports["fairness-mitigation"]
    # stress: noise, unit changes, missing and corrupted inputs, simulated shifts
    stressed = stress_story(model, test, TARGET, features, root / "reports",
                            random_state=random_state, reference=train, echo=echo)
    results["stress-test"] = stressed.result
    reports["stress-test"] = stressed.reports
    runs.append(("stress-test", "Stress test of the model (perturbations, simulated shift)",
                 test, train_ds))
    card = build_model_card(fields=_CARD_FIELDS,
                            results=[results["audit-train"], evaluation, told.fairness,
                                     told.privacy_data, told.privacy_model, stressed.result],
                            model=adapter)
    card_path = write_card(card, root / "reports" / "model-card.html", format="html")
    write_card(card, root / "reports" / "model-card.md", format="markdown")
    echo(f"model card -> {card_path}")

    # production: weeks of traffic into the workspace's store, monitored, alerted
    with open_store(None, workspace=root) as store:
        production = replay_production(store, model, frame, features=features, train=train,
                                       random_state=random_state,
                                       requests_dir=root / "retrain-requests", echo=echo)
        # one escalation handled end to end on a second model whose failure retraining can
        # fix: reported, analysed, attributed, fixed by rules, the rules retired by version 2
        story = tell_escalation(store, reports_dir=root / "reports",
                                random_state=random_state, echo=echo)
        store_url = store.url
    token_file = _token_file(root)

    index = write_text_atomic(root / "index.html",
                              _index_html(runs, results, reports, root, accuracy, production,
                                          story, told))
    return DemoResult(workspace=root, index_path=index, reports=reports, results=results,
                      model_path=model_path, test_accuracy=accuracy, production=production,
                      store_url=store_url, token_file=token_file, escalation=story,
                      fairness_privacy=told, stress=stressed)


def _token_file(root: Path) -> Path:
    """The workspace's token file (read and admin scopes, so the dashboard can resolve
    alerts and review items), created once with a random token, readable by its owner only."""
    path = root / "tokens.json"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({secrets.token_urlsafe(24): ["read", "ingest", "admin"]}, handle)
    return path


def _index_html(runs: list[tuple[str, str, Any, Any]], results: dict[str, SuiteResult],
                reports: dict[str, dict[str, Path]], root: Path, accuracy: float,
                production: ProductionReplay, story: EscalationStory,
                told: FairnessPrivacyStory) -> str:
    rows = []
    for key, label, _, _ in runs:
        res = results[key]
        c = res.counts()
        link = html.escape(str(reports[key]["html"].relative_to(root)))
        rows.append(f"<tr><td><a href='{link}'>{html.escape(label)}</a></td>"
                    f"<td class='{res.status.value}'>{res.status.value.upper()}</td>"
                    f"<td>{c['fail']}</td><td>{c['warn']}</td><td>{c['pass']}</td>"
                    f"<td>{c['skip']}</td></tr>")
    caught = "".join(
        f"<li>day {x.first_day}: {html.escape(x.description)}: "
        + (f"caught after {x.delay_days} day(s) by "
           f"{html.escape(', '.join(sorted({r for _, r in x.alerts})))}" if x.detected
           else "<b>not caught</b>") + "</li>" for x in production.detections)
    links = " &middot; ".join(f"<a href='reports/{html.escape(name)}'>{label}</a>" for label, name
                              in (("root-cause report", story.artefacts.get("rca")),
                                  ("v1 vs v2 comparison", story.artefacts.get("comparison")),
                                  ("promotion gate (JSON)", story.artefacts.get("gate")))
                              if name)
    eod = told.mitigation["disparities"]["equalized_odds_difference"]
    fair = (f"<p><a href='reports/fairness-mitigation.html'>Fairness mitigation</a>: per-sex "
            f"thresholds for equalized odds, fitted on out-of-fold training predictions: "
            f"equalized odds difference {eod['before']:.3f} &rarr; {eod['after']:.3f} on the "
            f"test set, accuracy cost {told.mitigation['accuracy_cost']:+.3f}. "
            f"k-anonymity of the training data on age and sex: k = {told.k_before}, "
            f"k = {told.k_after} with age in ten-year bands.</p>")
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in story.lines)
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>stalwart demo</title><style>
body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1f2933}}
table{{border-collapse:collapse;width:100%}}td,th{{padding:.5rem;border-bottom:1px solid #ddd;
text-align:left}}.pass{{color:#1b7f3b}}.warn{{color:#a15c00}}.fail,.error{{color:#b42318}}
</style></head><body><h1>stalwart demo</h1>
<p>Data: scikit-learn's bundled diabetes study (442 patients; sensitive: age, sex).
Model: logistic regression, test accuracy {accuracy:.3f}. The production batch is the test
set with faults injected on purpose (unit change, missing values, text in a numeric column,
re-sent rows, leaked training rows); in the later week every blood pressure arrives in kPa.</p>
<table><thead><tr><th>Suite run</th><th>Status</th><th>Failed</th><th>Warned</th>
<th>Passed</th><th>Skipped</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
{fair}
<h2>In production</h2>
<p>{production.n_events} prediction events over six weeks were replayed into the workspace's
store ({len(production.false_alarms)} alert(s) on days without a fault). The faults injected
and the alerts that caught them:</p><ul>{caught}</ul>
<h2>One escalation, end to end</h2>
<p>Told on a second model in the same store, <code>{html.escape(story.model)}</code>, whose
failure retraining can fix (in production the labels of one region are inverted: a concept
shift); the diabetes model's faults are data faults that retraining cannot learn away.</p>
<ol>{lines}</ol><p>{links}</p>
<p>See it on the dashboard: <code>stalwart demo --serve</code>, or
<code>stalwart serve --workspace {html.escape(str(root))} --token-file
{html.escape(str(root / "tokens.json"))}</code> and the address it prints.</p>
<p><small>stalwart {html.escape(__version__)} &middot; {stamp}</small></p></body></html>
"""
