"""``stalwart audit``: the data audit suite on a CSV or Parquet file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .._config import Settings
from ..checks.audit import AUDIT_CHECKS, audit_suite
from ..data import Dataset, Schema, read_table
from ..exceptions import DataError
from ._common import ProgressBar, clean_errors, emit_result, gate_options


def _load_schema(path: str | None) -> Schema | None:
    if path is None:
        return None
    try:
        return Schema.from_dict(json.loads(Path(path).read_text()))
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DataError(f"schema file {path!r}", expected="a JSON schema as written by "
                        "'stalwart schema'", got=f"{type(exc).__name__}: {exc}",
                        fix="regenerate it with 'stalwart schema DATA --out schema.json'") from None


@click.command("audit")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--target", help="Name of the label column.")
@click.option("--reference", type=click.Path(dir_okay=False),
              help="Reference data (e.g. the training set) to compare against.")
@click.option("--schema", "schema_path", type=click.Path(dir_okay=False),
              help="Schema JSON (from 'stalwart schema') with declared kinds, roles and ranges.")
@click.option("--check", "checks", multiple=True, type=click.Choice(list(AUDIT_CHECKS)),
              help="Run only these checks (repeatable).")
@gate_options
@clean_errors
def audit_command(data: str, target: str | None, reference: str | None,
                  schema_path: str | None, checks: tuple[str, ...], fmt: str, out: str | None,
                  fail_on: str, seed: int | None) -> None:
    """Audit DATA (CSV or Parquet) for missing values, duplicates, label problems,
    leakage, invalid values, bias and PII.

    Exit code 0 when every check passes, 1 when a check fails (or warns, with
    --fail-on warn), 2 on bad input.
    """
    settings = Settings.from_env()
    frame = read_table(data)
    ref = read_table(reference) if reference else None
    schema = _load_schema(schema_path)
    current = Dataset.from_any(frame, target=target, schema=schema, name=Path(data).name)
    suite = audit_suite(checks=list(checks) or None)
    bar = ProgressBar(len(suite.checks), enabled=settings.progress, desc="audit")
    try:
        result = suite.run(current, reference=ref, random_state=seed, settings=settings,
                           on_check=bar)
    finally:
        bar.close()
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)
