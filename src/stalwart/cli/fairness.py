"""``stalwart fairness``: the fairness audit of a saved model on a data file.

One library call, :func:`stalwart.checks.fairness.audit_model`: rates by sensitive group and
intersection, disparities with bootstrap intervals, the four-fifths rule, and with
``--mitigate`` group thresholds fitted on half the rows and their accuracy cost on the
other half. The audit is judged by the fairness suite's checks (the four-fifths rule on the
demographic parity ratio, equalized odds and equal opportunity differences at most 0.1 fail;
predictive parity and the calibration gap warn). Exit code 0 when every check passes, 1
when one fails (or warns, with ``--fail-on warn``), 2 on bad input (the message says what
to fix), as for ``stalwart evaluate``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..fairness import CONSTRAINTS, OBJECTIVES
from ._common import clean_errors, emit_report

__all__ = ["fairness_command"]


@click.command("fairness")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file: .skops or .onnx (pickle/joblib only with --trust).")
@click.option("--target", required=True, help="Name of the label column.")
@click.option("--sensitive", multiple=True,
              help="A sensitive column (repeatable); groups are also crossed.")
@click.option("--pos-label", default=None,
              help="The favourable class (default: a binary model's second class).")
@click.option("--mitigate", type=click.Choice(list(CONSTRAINTS)), default=None,
              help="Fit group thresholds for this constraint and report the accuracy cost.")
@click.option("--objective", type=click.Choice(list(OBJECTIVES)), default="accuracy",
              show_default=True, help="What the mitigation keeps as high as it can.")
@click.option("--min-group-size", type=int, default=30, show_default=True,
              help="Groups with fewer rows are flagged unstable.")
@click.option("--n-boot", type=int, default=500, show_default=True,
              help="Bootstrap replicates for the intervals (0: none).")
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib model files. Unpickling runs arbitrary code.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the report here instead of standard output.")
@click.option("--fail-on", type=click.Choice(["warn", "fail"]), default="fail",
              show_default=True, help="Lowest check status that makes the exit code 1.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the bootstrap, the split and the randomised thresholds.")
@clean_errors
def fairness_command(data: str, model_path: str, target: str, sensitive: tuple[str, ...],
                     pos_label: str | None, mitigate: str | None, objective: str,
                     min_group_size: int, n_boot: int, trust: bool, fmt: str,
                     out: str | None, fail_on: str, seed: int) -> None:
    """Audit a model's decisions on DATA (CSV or Parquet) across sensitive groups:
    demographic parity, equalized odds, equal opportunity, predictive parity, calibration
    by group, disparate impact and the four-fifths rule.

    Exit code 0 when every fairness check passes, 1 when a check fails (or warns, with
    --fail-on warn), 2 on bad input.
    """
    from ..checks.fairness import audit_model
    from ..data import Dataset, read_table
    from ..models import load_model

    model = load_model(model_path, trusted=trust)
    table = Dataset.from_any(read_table(data), target=target, sensitive=list(sensitive),
                             name=Path(data).name)
    report = audit_model(table, model=model, target=target, sensitive=sensitive,
                         pos_label=pos_label, mitigate=mitigate, objective=objective,
                         min_group_size=min_group_size, n_boot=n_boot, random_state=seed)
    emit_report(report, text=report.to_text(),
                summary=f"{report.headline()}\nchecks: {report.status}", fmt=fmt, out=out)
    sys.exit(report.exit_code(fail_on=fail_on))
