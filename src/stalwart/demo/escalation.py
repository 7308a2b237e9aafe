"""The demo's escalation story (issue 6, point 7): one bad prediction handled end to end.

After the production replay, :func:`tell_escalation` takes one stored prediction of a
faulty day that the model got confidently wrong (its label is in the store), and runs it
through the library as a team would:

1. **reported** on the :class:`~stalwart.rca.EscalationDesk` (severity high, the clinic as
   customer, the true outcome as the expected label) and its SLA clock checked;
2. **analysed and attributed** by :class:`~stalwart.rca.RootCauseAnalyser` against the
   store (report written as ``reports/rca-<id>.html``, stored on the escalation);
3. **fixed by a rule**: a hot-fix rule on the region the analysis pointed at (the row's
   most unusual features, beyond its values) sends confident calls of the wrong class there
   to review; it is saved as rule-set version 1, applied through
   :class:`~stalwart.lifecycle.RuledModel` to the row and replayed over every stored event
   (hit counters, thickness against a :class:`~stalwart.lifecycle.RuleBudget`);
4. **retraining**: a version 2 trained on the training data plus the labelled production
   rows of the first weeks, compared with version 1 on the later labelled rows per clinic
   (every clinic pinned to version 1), the promotion gate run, and the rules re-checked
   against it (:func:`~stalwart.lifecycle.candidate.evaluate_candidate`). Only when the gate
   passes *and* the re-check proposes the rule for retirement is version 2 promoted, the
   rule removed (rule-set version 2) and the escalation closed; otherwise the story says
   which step held and the escalation stays fixed (the rule in place).

Nothing is tuned to force an outcome: the chosen row is the most confident mistake of the
fault days, the thresholds are the library's defaults. A workspace whose story was told
before reads it back from ``reports/escalation.json`` (nothing is stored twice).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .._json import jsonable
from ..lifecycle import (ModelRegistry, Rule, RuleBudget, RuledModel, RuleSet, compare_models,
                         gate_comparison, measure_thickness)
from ..lifecycle.candidate import evaluate_candidate
from ..rca import EscalationDesk, RootCauseAnalyser
from ..reports import write_report
from ..reports.writing import write_text_atomic
from .data import TARGET
from .traffic import CLINICS, FAULTS, LABEL_DELAY_DAYS, MODEL_NAME, START

__all__ = ["BUDGET", "EscalationStory", "tell_escalation"]

#: the faults whose days the escalated prediction is taken from (labelled, shifted inputs)
STORY_FAULTS = ("unit_change", "covariate_shift")
#: a prediction this sure of its class counts as confident
CONFIDENT = 0.9
#: the demo's rule budget: a handful of rules, a small share of traffic, few changed outputs
BUDGET = RuleBudget(max_rules=5, max_traffic=0.05, max_changed=0.02)
#: labelled production rows up to this day train version 2; later labelled days judge it
RETRAIN_LAST_DAY = 28
STORY_FILE = "escalation.json"


@dataclass(frozen=True)
class EscalationStory:
    """What the story did, with its numbers (``to_dict`` is ``reports/escalation.json``)."""

    escalation_id: int
    event_id: str
    customer: str
    prediction: int
    expected: int
    confidence: float
    status: str
    sla: dict[str, Any]
    cause: str
    remedy: str
    top_evidence: list[str]
    rule: dict[str, Any]
    rule_counts: dict[str, int]
    escalated_row_routed: bool
    thickness: dict[str, Any]
    budget_passed: bool
    comparison: dict[str, Any]
    gate_passed: bool
    gate_failures: list[str]
    proposed_retirements: list[str]
    regression_passed: bool
    champion: str
    pins: dict[str, str]
    ruleset_versions: list[int]
    lines: list[str]
    artefacts: dict[str, str] = field(default_factory=dict)
    schema_version: str = "1"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> EscalationStory:
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


def _features_frame(events: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    return pd.DataFrame({f: events[f"features.{f}"].to_numpy() for f in features})


def _pick(events: pd.DataFrame) -> pd.Series:
    """The most confident wrong labelled prediction on a day of :data:`STORY_FAULTS`."""
    days = ((events["timestamp"] - pd.Timestamp(START)) / pd.Timedelta(days=1)).astype(int)
    faulty = np.zeros(len(events), dtype=bool)
    for fault in FAULTS:
        if fault.name in STORY_FAULTS:
            faulty |= (days >= fault.first_day).to_numpy() & (days <= fault.last_day).to_numpy()
    p1 = events["outputs.proba.1"].to_numpy(dtype=float)
    confidence = np.maximum(p1, 1 - p1)
    label = events["label"]
    truth = pd.to_numeric(label, errors="coerce").to_numpy(dtype=float)
    predicted = pd.to_numeric(events["outputs.prediction"], errors="coerce").to_numpy(float)
    wrong = ~np.isnan(truth) & (predicted != truth)
    chosen = events.assign(_confidence=confidence)[faulty & wrong & (confidence >= CONFIDENT)]
    if chosen.empty:
        raise LookupError("no confidently wrong labelled prediction on the fault days")
    return chosen.sort_values(["_confidence", "event_id"], ascending=[False, True]).iloc[0]


def _region(report: Any, row: dict[str, Any], features: list[str]) -> list[str]:
    """Conditions on the row's two most unusual numeric features, from 5% inside its value
    outwards (the tail the analysis found it in; the margin covers look-alike inputs)."""
    parts = []
    for item in report.unusual_features:
        name, z = item.get("feature"), item.get("robust_z")
        if name not in features or z is None or not isinstance(row[name], (int, float)):
            continue
        value = float(row[name])
        parts.append(f"{name} >= {value * 0.95:.4g}" if z > 0
                     else f"{name} <= {value * 1.05:.4g}")
        if len(parts) == 2:
            break
    return parts


def tell_escalation(store: Any, model: Any, *, train: pd.DataFrame, features: list[str],
                    reports_dir: Path, random_state: int = 0,
                    echo: Callable[[str], Any] = print) -> EscalationStory:
    """Tell the story (see the module docstring) on the replayed ``store``; ``model`` is
    version 1 (a fitted scikit-learn pipeline), ``train`` its training data."""
    saved = reports_dir / STORY_FILE
    desk = EscalationDesk(store)
    if saved.exists() and desk.list(model=MODEL_NAME):
        story = EscalationStory.from_dict(json.loads(saved.read_text(encoding="utf-8")))
        echo(f"escalation story told before (escalation {story.escalation_id}, "
             f"{story.status}): read back from {saved}")
        for line in story.lines:
            echo(line)
        return story
    lines: list[str] = []

    def say(text: str) -> None:
        lines.append(text)
        echo(text)

    events = store.events(MODEL_NAME, with_labels=True)
    X_all = _features_frame(events, features)
    event = _pick(events)
    row = {f: event[f"features.{f}"] for f in features}
    row = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    at = event["timestamp"].to_pydatetime()
    predicted, expected = int(event["outputs.prediction"]), int(event["label"])
    confidence = float(event["_confidence"])
    customer = str(event["segment"])

    # 1. reported: when the true outcome arrived, by the clinic
    reported_at = at + dt.timedelta(days=LABEL_DELAY_DAYS, hours=1)
    esc = desk.report(MODEL_NAME, event_id=str(event["event_id"]), severity="high",
                      customer=customer, expected=expected, reported_at=reported_at,
                      note=f"clinic {customer}: predicted {predicted} with confidence "
                           f"{confidence:.3f}, the outcome was {expected}")
    sla = desk.check_slas(now=reported_at + dt.timedelta(hours=2), model=MODEL_NAME)
    sla_state = ("breached" if any(e.id == esc.id for e in sla.breached) else "at risk"
                 if any(e.id == esc.id for e in sla.at_risk) else "on track")
    say(f"escalation {esc.id} reported: event {esc.event_id} ({customer}), predicted "
        f"{predicted} with P={confidence:.3f}, outcome {expected}; severity high, due "
        f"{esc.due_at.isoformat(timespec='minutes')}, SLA {sla_state} two hours later")

    # 2. analysed and attributed, against the store's window and alerts
    analyser = RootCauseAnalyser(random_state=random_state).fit(
        model, train[features + [TARGET]], target=TARGET)
    report = analyser.analyse(row, expected=expected, store=store, model_name=MODEL_NAME,
                              at=at)
    rca_path = write_text_atomic(reports_dir / f"rca-{esc.id}.html",
                                 report.to_html(title=f"Escalation {esc.id}: root cause"))
    desk.update(esc.id, status="analysed", analysis=report.to_dict())
    attribution = report.attribution.to_dict()
    evidence = [str(attribution.get("reason") or "")]
    unusual = [f"{u['feature']} (robust z {u['robust_z']:+.1f})"
               for u in report.unusual_features[:2] if u.get("robust_z") is not None]
    say(f"analysed: cause {report.cause}; most unusual {', '.join(unusual)}"
        + (f"; evidence: {evidence[0]}" if evidence else "") + f" -> {rca_path.name}")

    # 3. fixed by a rule on the region the analysis pointed at
    region = _region(report, row, features)
    condition = " and ".join([*region, f"prediction == {predicted}", f"proba >= {CONFIDENT}"])
    on = reported_at.date()
    rule = Rule(id=f"esc-{esc.id}-review", condition=condition, action="review",
                owner="clinical-ml", reason=f"{report.cause}: confident calls of class "
                f"{predicted} in this region were wrong (escalation {esc.id})",
                ticket=f"ESC-{esc.id}", expires=on + dt.timedelta(days=30), created=on)
    rules_v1 = RuleSet((rule,))
    record = store.save_rule_set(MODEL_NAME, rules_v1.to_dict(), by="clinical-ml",
                                 note=f"hot fix for escalation {esc.id}")
    ruled = RuledModel(model, rules_v1, now=on)
    routed = bool(ruled.apply(pd.DataFrame([row])[features]).routed)
    p_all = np.asarray(model.predict_proba(X_all[features]), dtype=float)
    pred_all = np.asarray(model.predict(X_all[features]))
    app = rules_v1.apply(X_all, pred_all, p_all, classes=list(model.classes_), now=on)
    store.add_rule_hits(MODEL_NAME, app.counts, at=reported_at)
    thickness = measure_thickness(rules_v1, X_all, pred_all, p_all,
                                  classes=list(model.classes_), now=on)
    budget = BUDGET.check(thickness)
    desk.update(esc.id, status="fixed", note=f"rule {rule.id} (rule set v{record.version})",
                at=reported_at + dt.timedelta(hours=3))
    counts = app.counts[rule.id]
    say(f"fixed by rule {rule.id!r} ({condition} -> review), rule set v{record.version}: "
        f"escalated row {'routed to review' if routed else 'NOT matched'}; over "
        f"{thickness.n_rows} stored events {counts['hits']} hits, {counts['routed']} routed; "
        f"thickness {thickness.traffic_share:.2%} of traffic, {thickness.changed_share:.2%} "
        f"changed: {'within budget' if budget.passed else budget.message}")

    # 4. a retrained version 2, judged against version 1 per pinned clinic
    days = ((events["timestamp"] - pd.Timestamp(START)) / pd.Timedelta(days=1)).astype(int)
    labelled = events["label"].notna().to_numpy()
    fit_rows = labelled & (days <= RETRAIN_LAST_DAY).to_numpy()
    held = labelled & (days > RETRAIN_LAST_DAY).to_numpy()
    X_fit = pd.concat([train[features], X_all[fit_rows]], ignore_index=True)
    y_fit = np.r_[train[TARGET].to_numpy(), events["label"][fit_rows].astype(int).to_numpy()]
    v2 = clone(model).fit(X_fit, y_fit)
    registry = ModelRegistry(store, MODEL_NAME)
    if "champion" not in registry.aliases():
        registry.promote("1")
    registry.register("2", metadata={"trained_rows": len(X_fit),
                                     "production_days": f"0-{RETRAIN_LAST_DAY}"})
    registry.set_alias("challenger", "2")
    # the demo's customers (the new clinic 'west' only sent patients during the shift)
    clinics = list(CLINICS)
    for clinic in clinics:
        registry.pin(clinic, "1", note="keeps version 1 until it chooses to move")
    holdout = X_all[held].assign(**{TARGET: events["label"][held].astype(int).to_numpy(),
                                    "clinic": events["segment"][held].to_numpy()})
    comparison = compare_models(model, v2, holdout, target=TARGET, segment="clinic",
                                features=features, old_name="v1", new_name="v2",
                                random_state=random_state)
    gate = gate_comparison(comparison, pinned=clinics)
    cmp_path = write_text_atomic(reports_dir / f"compare-v1-v2-esc-{esc.id}.html",
                                 comparison.to_html())
    gate_path = write_report(gate, reports_dir / f"gate-v1-v2-esc-{esc.id}.json",
                             format="json")
    failures = [c.description for r in gate.results for c in r.conditions
                if c.status.value != "pass"] + [f"{r.check}: {r.summary}" for r in gate.results
                                                 if r.status.value == "error"]
    per = ", ".join(f"{s.segment} NFR {s.metrics.negative_flip_rate:.3f} / BTC "
                    f"{s.metrics.backward_trust_compatibility:.3f}"
                    for s in comparison.segments)
    m = comparison.overall.metrics
    gate_passed = gate.exit_code() == 0
    say(f"version 2 retrained on {len(X_fit)} rows (training + labelled days 0-"
        f"{RETRAIN_LAST_DAY}); on {m.n_rows} later labelled rows accuracy {m.old_accuracy:.3f}"
        f" -> {m.new_accuracy:.3f}; {per}; gate "
        + ("PASSED" if gate_passed else f"FAILED ({'; '.join(failures)})"))
    candidate = evaluate_candidate(v2, rules_v1, X_all, predictions=pred_all, proba=p_all,
                                   classes=list(model.classes_), now=on)
    verdict = candidate.recheck.verdicts[0]
    say(f"rules re-checked against version 2: {verdict.rule_id} "
        f"{'proposed for retirement' if verdict.retire else 'kept'} ({verdict.reason})")

    versions = [record.version]
    if gate_passed and candidate.proposed_retirements:
        registry.promote("2")
        retired = candidate.retire(rules_v1)
        versions.append(store.save_rule_set(
            MODEL_NAME, retired.to_dict(), by="clinical-ml",
            note=f"retired {', '.join(candidate.proposed_retirements)}: version 2 does what "
                 "the rule did").version)
        esc = desk.update(esc.id, status="closed", note="version 2 promoted, rule retired",
                          at=reported_at + dt.timedelta(days=1))
        say(f"closed: version 2 is champion, rule retired (rule set v{versions[-1]}), "
            f"clinics {', '.join(clinics)} stay pinned to version 1 until they move")
    else:
        held_by = ("the gate" if not gate_passed else "the re-check (version 2 does not yet "
                   "do what the rule does)")
        esc = desk.get(esc.id)
        say(f"not closed: held by {held_by}; version 1 stays champion, the rule stays in "
            f"front of it and escalation {esc.id} stays {esc.status}")
    artefacts = {"rca": rca_path.name, "comparison": cmp_path.name, "gate": gate_path.name}
    story = EscalationStory(
        escalation_id=esc.id, event_id=str(event["event_id"]), customer=customer,
        prediction=predicted, expected=expected, confidence=confidence, status=esc.status,
        sla={"state": sla_state, "due_at": esc.due_at.isoformat()}, cause=report.cause,
        remedy=str(attribution.get("remedy", "")), top_evidence=evidence,
        rule=rule.to_dict(), rule_counts=dict(counts), escalated_row_routed=routed,
        thickness=thickness.to_dict(), budget_passed=budget.passed,
        comparison={"overall": m.to_dict(), "segments": {
            str(s.segment): s.metrics.to_dict() for s in comparison.segments}},
        gate_passed=gate_passed, gate_failures=failures,
        proposed_retirements=list(candidate.proposed_retirements),
        regression_passed=candidate.passed, champion=registry.alias("champion"),
        pins=registry.pins(), ruleset_versions=versions, lines=lines, artefacts=artefacts)
    write_text_atomic(saved, json.dumps(story.to_dict(), indent=2))
    return story
