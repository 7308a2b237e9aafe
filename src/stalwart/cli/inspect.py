"""``stalwart schema``, ``stalwart checks`` and ``stalwart model-info``: look before you run."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..checks import CHECKS
from ..checks.audit.suite import _load as load_audit_checks
from ..checks.evaluation.suite import _load as load_evaluation_checks
from ..data import Dataset, read_table
from ..models import load_model
from ..reports.writing import write_text_atomic
from ._common import clean_errors


@click.command("schema")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--target", help="Name of the label column.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the schema JSON here.")
@clean_errors
def schema_command(data: str, target: str | None, out: str | None) -> None:
    """Infer the schema of DATA (kinds, roles and the rule behind each) as JSON.

    Edit it (roles, min, max, allowed values) and pass it to 'stalwart audit --schema'.
    """
    ds = Dataset.from_any(read_table(data), target=target, name=Path(data).name)
    text = json.dumps(ds.schema.to_dict(), indent=2)
    if out:
        write_text_atomic(out, text)
        click.echo(f"schema written to {out}")
    else:
        click.echo(text)


@click.command("checks")
def checks_command() -> None:
    """List the registered checks and what each needs."""
    load_audit_checks()
    load_evaluation_checks()
    for name, cls in CHECKS:
        needs = ", ".join(sorted(cls.needs)) or "-"
        click.echo(f"{name:<22} {cls.category:<8} needs: {needs:<18} {cls.title}")


@click.command("model-info")
@click.argument("model_path", type=click.Path(dir_okay=False))
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib files. Unpickling runs arbitrary code: only for files "
                   "you made or fully trust.")
@clean_errors
def model_info_command(model_path: str, trust: bool) -> None:
    """Load a model file (skops, ONNX; pickle/joblib only with --trust) and describe it."""
    model = load_model(model_path, trusted=trust)
    click.echo(json.dumps(model.describe(), indent=2, default=str))
