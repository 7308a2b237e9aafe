"""``stalwart privacy``: privacy of a data set (PII scan, k-anonymity and l-diversity).

A group, so model privacy attacks sit beside the data commands (``stalwart privacy attack``).
"""

from __future__ import annotations

from pathlib import Path

import click

from .._config import Settings
from ..checks.privacy import privacy_audit
from ..data import Dataset, read_table
from ._common import clean_errors, emit_result, gate_options


@click.group("privacy")
def privacy_command() -> None:
    """Privacy checks: PII in a data set, k-anonymity and l-diversity, model attacks.

    Exit codes: 0 passed, 1 a check failed, 2 usage or input error.
    """


@privacy_command.command("scan")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--column", "columns", multiple=True, help="Scan only these columns (repeatable).")
@click.option("--detector", "detectors", multiple=True,
              help="Use only these PII detectors (repeatable), e.g. email, payment_card.")
@click.option("--no-text", is_flag=True, help="Match whole values only, not PII inside text.")
@click.option("--sample-size", type=int, default=1000, show_default=True,
              help="Values read per column (a seeded sample).")
@click.option("--min-share", type=float, default=0.3, show_default=True,
              help="Share of values that are PII as a whole for a column to count as PII.")
@gate_options
@clean_errors
def privacy_scan_command(data: str, columns: tuple[str, ...], detectors: tuple[str, ...],
                         no_text: bool, sample_size: int, min_share: float, fmt: str,
                         out: str | None, fail_on: str, seed: int | None) -> None:
    """Scan DATA (CSV or Parquet) for PII: whole values and PII inside free text.

    Fails when a column holds PII; the report shows masked examples only.
    """
    options = {"columns": list(columns) or None, "detectors": list(detectors) or None,
               "in_text": not no_text, "sample_size": sample_size, "min_share": min_share}
    frame = Dataset.from_any(read_table(data), name=Path(data).name)
    result = privacy_audit(frame, checks=["pii_scan"], options={"pii_scan": options},
                           random_state=seed, settings=Settings.from_env())
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)


@privacy_command.command("kanon")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--qi", "quasi_identifiers", multiple=True, required=True,
              help="A quasi-identifier column (repeatable): age band, postcode, sex...")
@click.option("--sensitive", help="Sensitive column for l-diversity (omit to skip it).")
@click.option("-k", "--k", "k", type=int, default=5, show_default=True,
              help="Smallest class size required.")
@click.option("-l", "--l", "l_", type=int, default=2, show_default=True,
              help="Distinct sensitive values required per class.")
@gate_options
@clean_errors
def privacy_kanon_command(data: str, quasi_identifiers: tuple[str, ...], sensitive: str | None,
                          k: int, l_: int, fmt: str, out: str | None, fail_on: str,
                          seed: int | None) -> None:
    """k-anonymity (and l-diversity with --sensitive) of DATA on the declared
    quasi-identifiers; classes below k are listed with masked values."""
    checks = ["k_anonymity"] + (["l_diversity"] if sensitive else [])
    frame = Dataset.from_any(read_table(data), name=Path(data).name)
    result = privacy_audit(frame, quasi_identifiers=list(quasi_identifiers),
                           sensitive=sensitive, k=k, l=l_, checks=checks, random_state=seed,
                           settings=Settings.from_env())
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)
