"""``stalwart evaluate``: the model evaluation suite of a saved model, or the whole
pre-deployment gate (``--suite predeployment``)."""

from __future__ import annotations

from pathlib import Path

import click

from .._config import Settings
from ..checks.evaluation import EVALUATION_CHECKS, evaluation_suite
from ..checks.predeployment import PREDEPLOYMENT_CHECKS, predeployment_suite
from ..data import Dataset, read_table
from ..models import load_model
from ._common import ProgressBar, clean_errors, emit_result, gate_options


@click.command("evaluate")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file: .skops or .onnx (pickle/joblib only with --trust).")
@click.option("--target", required=True, help="Name of the label column.")
@click.option("--reference", type=click.Path(dir_okay=False),
              help="Training data: fits the baseline the model must beat.")
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib model files. Unpickling runs arbitrary code.")
@click.option("--suite", "suite_name", type=click.Choice(["evaluation", "predeployment"]),
              default="evaluation", show_default=True,
              help="evaluation: the model checks; predeployment: those plus fairness, "
                   "explanations and privacy (PII, membership inference).")
@click.option("--sensitive", multiple=True,
              help="A sensitive column (repeatable): slices and fairness checks group by it.")
@click.option("--check", "checks", multiple=True, type=click.Choice(list(PREDEPLOYMENT_CHECKS)),
              help="Run only these checks of the suite (repeatable).")
@gate_options
@clean_errors
def evaluate_command(data: str, model_path: str, target: str, reference: str | None,
                     trust: bool, suite_name: str, sensitive: tuple[str, ...],
                     checks: tuple[str, ...], fmt: str, out: str | None, fail_on: str,
                     seed: int | None) -> None:
    """Evaluate a model on held-out DATA (CSV or Parquet): performance with intervals
    against a baseline, calibration, slices, weak segments and conformal coverage; with
    --suite predeployment also group fairness, feature importance, PII and membership
    inference (give --reference, the training data, and --sensitive columns).

    Exit code 0 when every check passes, 1 when a check fails (or warns, with
    --fail-on warn), 2 on bad input.
    """
    settings = Settings.from_env()
    model = load_model(model_path, trusted=trust)
    current = Dataset.from_any(read_table(data), target=target, name=Path(data).name,
                               sensitive=list(sensitive))
    ref = read_table(reference) if reference else None
    build = predeployment_suite if suite_name == "predeployment" else evaluation_suite
    if suite_name == "evaluation" and (unknown := [c for c in checks
                                                   if c not in EVALUATION_CHECKS]):
        raise click.UsageError(f"--check {unknown[0]} is not in the evaluation suite: add "
                               "--suite predeployment to run it")
    suite = build(checks=list(checks) or None)
    bar = ProgressBar(len(suite.checks), enabled=settings.progress, desc="evaluate")
    try:
        result = suite.run(current, model=model, reference=ref, random_state=seed,
                           settings=settings, on_check=bar)
    finally:
        bar.close()
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)
