"""``stalwart privacy``: privacy of a data set (PII scan, k-anonymity and l-diversity) and of
a saved model (``stalwart privacy attack``: membership inference and model extraction)."""

from __future__ import annotations

from pathlib import Path

import click

from .._config import Settings
from ..checks.privacy import privacy_audit
from ..data import Dataset, read_table
from ..models import load_model
from ._common import clean_errors, emit_result, gate_options

#: the model attacks ``stalwart privacy attack`` runs (checks of the privacy suite)
ATTACK_CHECKS = ("membership_inference", "model_extraction")


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


@privacy_command.command("attack")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file: .skops or .onnx (pickle/joblib only with --trust).")
@click.option("--target", required=True, help="Name of the label column.")
@click.option("--reference", required=True, type=click.Path(dir_okay=False),
              help="The model's training data: the members of membership inference and the "
                   "attacker's query pool for extraction.")
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib model files. Unpickling runs arbitrary code.")
@click.option("--check", "checks", multiple=True, type=click.Choice(ATTACK_CHECKS),
              help="Run only these attacks (repeatable; default both).")
@click.option("--max-auc", type=click.FloatRange(0.0, 1.0), default=0.6, show_default=True,
              help="Membership inference fails when the worst attack's AUC is above this.")
@click.option("--target-agreement", type=click.FloatRange(0.0, 1.0, min_open=True),
              default=0.95, show_default=True,
              help="Extraction: the agreement of the surrogate with the model to reach.")
@click.option("--min-queries", type=click.IntRange(min=2), default=1000, show_default=True,
              help="Extraction warns when --target-agreement is reached within this many "
                   "queries.")
@gate_options
@clean_errors
def privacy_attack_command(data: str, model_path: str, target: str, reference: str,
                           trust: bool, checks: tuple[str, ...], max_auc: float,
                           target_agreement: float, min_queries: int, fmt: str,
                           out: str | None, fail_on: str, seed: int | None) -> None:
    """Attack a saved model: membership inference (can its training rows, --reference, be
    told from the held-out rows of DATA?) and model extraction (how many queries a copy
    needs to agree with it). DATA and --reference are CSV or Parquet with the target.

    Exit code 0 when the model passes, 1 when an attack succeeds (membership AUC above
    --max-auc; a cheap extraction only with --fail-on warn), 2 on bad input.
    """
    chosen = list(checks) or list(ATTACK_CHECKS)
    options = {"membership_inference": {"max_auc": max_auc},
               "model_extraction": {"target_agreement": target_agreement,
                                    "min_queries": min_queries}}
    model = load_model(model_path, trusted=trust)
    frame = Dataset.from_any(read_table(data), target=target, name=Path(data).name)
    result = privacy_audit(frame, checks=chosen, options={c: options[c] for c in chosen},
                           model=model, reference=read_table(reference), random_state=seed,
                           settings=Settings.from_env())
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)
