"""``stalwart stress``: the stress suite of a saved model on held-out data (perturbation
robustness with degradation curves, prediction flips under a harmless change, the cost of
simulated shift)."""

from __future__ import annotations

from pathlib import Path

import click

from .._config import Settings
from ..checks.stress import STRESS_CHECKS, stress_suite
from ..data import Dataset, read_table
from ..models import load_model
from ._common import ProgressBar, clean_errors, emit_result, gate_options


@click.command("stress")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file: .skops or .onnx (pickle/joblib only with --trust).")
@click.option("--target", required=True, help="Name of the label column.")
@click.option("--reference", type=click.Path(dir_okay=False),
              help="Training data: the perturbations learn each column's spread from it.")
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib model files. Unpickling runs arbitrary code.")
@click.option("--perturbation", "perturbations", multiple=True,
              help="Run only this tabular perturbation (repeatable; default: every one). "
                   "The gate's own perturbation (gaussian_noise) always runs.")
@click.option("--severity", "severities", multiple=True, type=click.IntRange(1, 5),
              help="Severity to run, 1 (mild) to 5 (harsh) (repeatable; default: all).")
@click.option("--check", "checks", multiple=True, type=click.Choice(list(STRESS_CHECKS)),
              help="Run only these checks of the suite (repeatable).")
@gate_options
@clean_errors
def stress_command(data: str, model_path: str, target: str, reference: str | None,
                   trust: bool, perturbations: tuple[str, ...], severities: tuple[int, ...],
                   checks: tuple[str, ...], fmt: str, out: str | None, fail_on: str,
                   seed: int | None) -> None:
    """Stress a model on held-out DATA (CSV or Parquet): its metric under every tabular
    perturbation at severities 1-5 (degradation curves, flip rates, the column that hurts
    most), the share of predictions that flip under rounding, and what simulated covariate
    and label shift would cost.

    Exit code 0 when every check passes, 1 when a check fails (or warns, with
    --fail-on warn), 2 on bad input.
    """
    if perturbations:
        from ..perturb import PERTURBATIONS
        from ..perturb.robustness._inputs import load_perturbations

        load_perturbations()
        known = [n for n in PERTURBATIONS.names()
                 if PERTURBATIONS.capabilities(n)["kind"] == "tabular"]
        if unknown := [p for p in perturbations if p not in known]:
            raise click.UsageError(f"--perturbation {unknown[0]!r} is not a tabular "
                                   f"perturbation; pick among: {', '.join(known)}")
    if perturbations and checks and "perturbation_robustness" not in checks:
        raise click.UsageError("--perturbation chooses the perturbations of the "
                               "perturbation_robustness check, which --check leaves out; "
                               "add --check perturbation_robustness or drop --perturbation")
    settings = Settings.from_env()
    model = load_model(model_path, trusted=trust)
    current = Dataset.from_any(read_table(data), target=target, name=Path(data).name)
    ref = read_table(reference) if reference else None
    battery = {}
    if perturbations:
        battery["perturbations"] = list(dict.fromkeys(perturbations))
    if severities:
        battery["severities"] = sorted(set(severities))
    options = {"perturbation_robustness": battery} if battery else None
    if severities and (not checks or "flip_rate" in checks):
        options = {**(options or {}), "flip_rate": {"severities": sorted(set(severities))}}
    chosen = list(checks) or None
    if options and chosen:
        options = {k: v for k, v in options.items() if k in chosen}
    suite = stress_suite(checks=chosen, options=options or None)
    bar = ProgressBar(len(suite.checks), enabled=settings.progress, desc="stress")
    try:
        result = suite.run(current, model=model, reference=ref, random_state=seed,
                           settings=settings, on_check=bar)
    finally:
        bar.close()
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)
