"""``stalwart rules``: validate, apply, measure and re-check a hot-fix rule set.

Each command reads the rule set document (``RuleSet.to_dict()`` as JSON) and makes one
library call of :mod:`stalwart.lifecycle.rules`. The data file of ``apply``, ``thickness``
and ``recheck`` holds the inputs, the model's predictions (``--predictions``, default
``prediction``) and optionally its class probabilities (columns ``proba_<class>``).
Exit codes: 0 done (or within budget), 1 the budget is crossed, 2 bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..exceptions import DataError, SchemaError
from ..reports._format import fmt_value
from ..reports.writing import write_text_atomic
from ._common import EXIT_FAILED, clean_errors, emit_report

__all__ = ["rules_command"]

_FORMATS = click.Choice(["text", "json", "html"])


def _read_rules(path: str) -> Any:
    from ..lifecycle.rules import RuleSet

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError("rules file", expected="a readable JSON document", got=f"{path}: {exc}",
                        fix="check the file (see docs/rules.md for the format)") from None
    return RuleSet.from_dict(doc)


def _split(data: str, predictions: str, proba_prefix: str) -> tuple[Any, Any, Any]:
    """The data file as inputs, predictions and a probability frame (or None)."""
    from ..data import read_table

    frame = read_table(data)
    if predictions not in frame.columns:
        raise SchemaError(f"predictions column {predictions!r}", expected="a column of the "
                          f"data ({list(frame.columns)[:15]})", got="no such column",
                          fix="pass --predictions with the column holding the model's outputs")
    probas = [c for c in frame.columns if str(c).startswith(proba_prefix)]
    proba = None
    if probas:
        proba = frame[probas].rename(columns=lambda c: str(c)[len(proba_prefix):])
    X = frame.drop(columns=[predictions, *probas])
    return X, frame[predictions].to_numpy(), proba


def _shared(func: Any) -> Any:
    for option in reversed((
        click.option("--predictions", default="prediction", show_default=True,
                     help="Column with the model's predictions."),
        click.option("--proba-prefix", default="proba_", show_default=True,
                     help="Prefix of the class-probability columns."),
        click.option("--now", default=None, help="Day the rules are judged on (YYYY-MM-DD; "
                     "default today): rules expiring on or before it are skipped."),
        click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True,
                     help="Output format."),
        click.option("--out", type=click.Path(dir_okay=False),
                     help="Write the report here instead of standard output."),
    )):
        func = option(func)
    return func


@click.group("rules")
def rules_command() -> None:
    """Hot-fix rules in front of a model: validate, apply, thickness, recheck."""


@rules_command.command("validate")
@click.argument("rules", type=click.Path(dir_okay=False))
@click.option("--schema", "schema", required=True, type=click.Path(dir_okay=False),
              help="A data file whose columns (and their types) the rules may read; its "
              "predictions and proba_<class> columns, when present, give the outputs.")
@click.option("--predictions", default="prediction", show_default=True,
              help="Column of --schema with the model's predictions (if any).")
@click.option("--proba-prefix", default="proba_", show_default=True,
              help="Prefix of the class-probability columns of --schema.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Model file (.skops, .onnx; pickle only with --trust): override values "
              "must be its classes.")
@click.option("--trust", is_flag=True, help="Allow pickle/joblib model files.")
@clean_errors
def validate_command(rules: str, schema: str, predictions: str, proba_prefix: str,
                     model_path: str | None, trust: bool) -> None:
    """Check every rule of RULES against the columns of --schema (and --model's classes)."""
    from ..data import read_table
    from ..lifecycle.rules.condition import series_kind
    from ..models import load_model

    ruleset = _read_rules(rules)
    frame = read_table(schema)
    if model_path:
        outputs = [c for c in frame.columns if c == predictions
                   or str(c).startswith(proba_prefix)]
        ruleset.validate_for(load_model(model_path, trusted=trust),
                             frame.drop(columns=outputs))
    elif predictions in frame.columns:
        X, preds, proba = _split(schema, predictions, proba_prefix)
        classes = None if proba is None else list(proba.columns)
        ruleset.validate(X, classes=classes, has_proba=proba is not None,
                         prediction_kind=series_kind(frame[predictions]))
    else:
        ruleset.validate(frame, has_proba=False)
    expired = [r.id for r in ruleset.expired()]
    click.echo(f"rule set version {ruleset.version}: {len(ruleset.rules)} rule(s) valid"
               + (f"; expired: {', '.join(expired)}" if expired else ""))


@rules_command.command("apply")
@click.argument("rules", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@_shared
@click.option("--outputs", type=click.Path(dir_okay=False),
              help="Write the final outputs (one row per input: final_prediction, rule) as CSV.")
@clean_errors
def apply_command(rules: str, data: str, predictions: str, proba_prefix: str, now: str | None,
                  fmt: str, out: str | None, outputs: str | None) -> None:
    """Apply RULES to the predictions in DATA and report the hit counters."""
    import pandas as pd

    X, preds, proba = _split(data, predictions, proba_prefix)
    app = _read_rules(rules).apply(X, preds, proba, now=now)
    if outputs:
        table = pd.DataFrame({"final_prediction": app.predictions, "rule": app.fired})
        write_text_atomic(outputs, table.to_csv(index=False))
    lines = [f"{app.n_rows} rows, rule set version {app.ruleset_version} on {app.on}: "
             f"{len(app.matched)} matched ({fmt_value(app.traffic_share)}), "
             f"{len(app.changed)} changed, {len(app.routed)} routed, "
             f"{len(app.rejected)} rejected"]
    lines += [f"  {rid:<24} hits {c['hits']:>7}  changed {c['changed']:>7}  routed "
              f"{c['routed']:>7}  rejected {c['rejected']:>7}"
              + ("  (expired)" if rid in app.expired else "") for rid, c in app.counts.items()]
    emit_report(app, text="\n".join(lines), summary="\n".join(lines), fmt=fmt, out=out)


@rules_command.command("thickness")
@click.argument("rules", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@_shared
@click.option("--budget-rules", type=int, default=None, help="Most active rules allowed.")
@click.option("--budget-traffic", type=float, default=None,
              help="Largest share of traffic the rules may match.")
@click.option("--budget-changed", type=float, default=None,
              help="Largest share of outputs the rules may change.")
@clean_errors
def thickness_command(rules: str, data: str, predictions: str, proba_prefix: str,
                      now: str | None, fmt: str, out: str | None, budget_rules: int | None,
                      budget_traffic: float | None, budget_changed: float | None) -> None:
    """Measure how thick RULES are on DATA; exit 1 when a budget bound is crossed."""
    from ..lifecycle.rules import RuleBudget, measure_thickness

    X, preds, proba = _split(data, predictions, proba_prefix)
    thickness = measure_thickness(_read_rules(rules), X, preds, proba, now=now)
    lines = [f"active rules {thickness.n_active} of {thickness.n_rules}, traffic matched "
             f"{fmt_value(thickness.traffic_share)}, outputs changed "
             f"{fmt_value(thickness.changed_share)} ({thickness.n_rows} rows)"]
    result: Any = thickness
    if (budget_rules, budget_traffic, budget_changed) != (None, None, None):
        result = RuleBudget(max_rules=budget_rules, max_traffic=budget_traffic,
                            max_changed=budget_changed).check(thickness)
        lines.append(result.message)
    emit_report(result, text="\n".join(lines), summary="\n".join(lines), fmt=fmt, out=out)
    if getattr(result, "passed", True) is False:
        sys.exit(EXIT_FAILED)


@rules_command.command("recheck")
@click.argument("rules", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="The candidate model (.skops, .onnx; pickle only with --trust).")
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False),
              help="Replay data: inputs plus the current model's predictions.")
@click.option("--trust", is_flag=True, help="Allow pickle/joblib model files.")
@click.option("--threshold", type=float, default=0.95, show_default=True,
              help="Share of a rule's rows the candidate must satisfy to retire the rule.")
@click.option("--min-rows", type=int, default=1, show_default=True,
              help="Fewest rows a rule needs in the replay to be judged.")
@click.option("--examples", type=click.Path(dir_okay=False),
              help="Write the override rules' rows, labelled with their output, as CSV.")
@_shared
@clean_errors
def recheck_command(rules: str, model_path: str, data: str, trust: bool, threshold: float,
                    min_rows: int, examples: str | None, predictions: str, proba_prefix: str,
                    now: str | None, fmt: str, out: str | None) -> None:
    """Re-check RULES against a candidate --model; propose rules to retire."""
    from ..lifecycle.rules import recheck_rules, rules_as_training_examples
    from ..models import load_model

    ruleset = _read_rules(rules)
    candidate = load_model(model_path, trusted=trust)
    X, preds, proba = _split(data, predictions, proba_prefix)
    result = recheck_rules(ruleset, candidate, X, preds, proba, threshold=threshold,
                           min_rows=min_rows, now=now)
    if examples:
        frame = rules_as_training_examples(ruleset, X, preds, proba, now=now)
        write_text_atomic(examples, frame.to_csv(index=False))
    lines = [f"{len(result.verdicts)} active rule(s) re-checked; proposed for retirement: "
             f"{', '.join(result.proposed_retirements) or 'none'}"]
    lines += [f"  {v.rule_id:<24} {'retire' if v.retire else 'keep':<7} {v.reason}"
              for v in result.verdicts]
    emit_report(result, text="\n".join(lines), summary="\n".join(lines), fmt=fmt, out=out)
