"""``stalwart drift`` and ``stalwart profile``: what changed, and mergeable summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .._config import Settings
from ..checks.drift import DRIFT_CHECKS, check_drift, drift_suite
from ..data import read_table
from ..exceptions import DataError
from ..models import load_model
from ..stats.profile import DatasetProfile, profile
from ..stats.profile.serialize import MAGIC
from ._common import ProgressBar, clean_errors, emit_result, gate_options


def _is_profile(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _side(path: str, *, as_profile: bool) -> Any:
    """A profile file as a profile; a table as a profile (``--profile``) or a frame."""
    if not Path(path).is_file():
        raise DataError(f"input {path!r}", expected="an existing CSV, Parquet or profile file",
                        got="no such file", fix="check the path")
    if _is_profile(path):
        return DatasetProfile.from_bytes(Path(path).read_bytes())
    return profile(path) if as_profile else read_table(path)


@click.command("drift")
@click.argument("reference", type=click.Path(dir_okay=False))
@click.argument("current", type=click.Path(dir_okay=False))
@click.option("--profile", "use_profiles", is_flag=True,
              help="Compare profiles (built in chunks, constant memory) instead of raw rows. "
                   "Automatic when REFERENCE and CURRENT are profile files.")
@click.option("--target", help="Name of the label column (label drift, estimated "
                               "performance).")
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Model file (.skops or .onnx; pickle only with --trust): prediction "
                   "drift and performance estimated without labels.")
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib model files. Unpickling runs arbitrary code.")
@click.option("--check", "checks", multiple=True, type=click.Choice(list(DRIFT_CHECKS)),
              help="Run only these checks (repeatable).")
@gate_options
@clean_errors
def drift_command(reference: str, current: str, use_profiles: bool, target: str | None,
                  model_path: str | None, trust: bool, checks: tuple[str, ...], fmt: str,
                  out: str | None, fail_on: str, seed: int | None) -> None:
    """Compare CURRENT data with REFERENCE data (CSV, Parquet, or profile files written by
    `stalwart profile`): schema, unit and value changes, per-feature drift with effect
    sizes, multivariate drift and its drivers, novel inputs, and with --model, prediction
    drift and performance estimated before labels arrive.

    Exit code 0 when every check passes, 1 when a check fails (or warns, with
    --fail-on warn), 2 on bad input.
    """
    settings = Settings.from_env()
    model = load_model(model_path, trusted=trust) if model_path else None
    ref = _side(reference, as_profile=use_profiles)
    cur = _side(current, as_profile=use_profiles)
    suite = drift_suite(checks=list(checks) or None)
    bar = ProgressBar(len(suite.checks), enabled=settings.progress, desc="drift")
    try:
        result = check_drift(ref, cur, model=model, target=target, profiles=use_profiles,
                             checks=list(checks) or None, random_state=seed,
                             settings=settings, on_check=bar)
    finally:
        bar.close()
    emit_result(result, fmt=fmt, out=out, fail_on=fail_on)


@click.command("profile")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the profile (compact binary, mergeable) to this file.")
@click.option("--merge", "merge_with", multiple=True, type=click.Path(dir_okay=False),
              help="Merge these profile files into the new profile (repeatable).")
@click.option("--spark", is_flag=True,
              help="Read DATA with Spark (local mode unless STALWART_SPARK_MASTER is set) "
                   "and profile it partition by partition. Needs stalwart[spark].")
@click.option("--chunk-size", type=int, default=100_000, show_default=True,
              help="Rows read and summarised at a time (memory stays constant).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Summary format on standard output.")
@clean_errors
def profile_command(data: str, out: str | None, merge_with: tuple[str, ...], spark: bool,
                    chunk_size: int, fmt: str) -> None:
    """Profile DATA (CSV or Parquet, or a profile file to summarise): per column, exact
    counts, missing share, moments and type tallies, with KLL quantile, frequent-item and
    HyperLogLog sketches. Profiles merge, and `stalwart drift` compares two of them.
    """
    if Path(data).is_file() and _is_profile(data):
        prof = DatasetProfile.from_bytes(Path(data).read_bytes())
    elif spark:
        from ..engines.spark_files import profile_path_spark
        prof = profile_path_spark(data, chunk_size=chunk_size)
    else:
        prof = profile(data, chunk_size=chunk_size)
    for other in merge_with:
        if not _is_profile(other):
            raise DataError(f"--merge {other!r}", expected="a profile file (stalwart profile "
                            "--out)", got="another kind of file",
                            fix="profile that data first, then merge the profile files")
        prof = prof.merge(DatasetProfile.from_bytes(Path(other).read_bytes()))
    if out:
        Path(out).write_bytes(prof.to_bytes())
    summary = prof.to_dict()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(_profile_text(summary))
    if out:
        click.echo(f"profile written to {out}", err=fmt == "json")


def _profile_text(summary: dict[str, Any]) -> str:
    """One line per column from the profile's own summary (nothing computed here)."""
    lines = [f"profile: {summary['n_rows']:,} rows x {summary['n_columns']} columns"]
    width = max((len(n) for n in summary["columns"]), default=4)
    for name, col in summary["columns"].items():
        head = f"  {name:<{width}}  {col['kind']:<11} missing {col['missing_share']:6.1%}"
        if col.get("mean") is not None:
            q = col.get("quantiles", {})
            tail = (f"mean {col['mean']:.4g}  min {col['min']:.4g}  median "
                    f"{q.get('0.5', float('nan')):.4g}  max {col['max']:.4g}")
        elif col.get("top_categories"):
            top = ", ".join(f"{c['value']} ({c['count']:,})" for c in col["top_categories"][:3])
            tail = f"~{col['distinct']:.0f} distinct; top {top}"
        else:
            tail = ", ".join(f"{t} {n:,}" for t, n in col.get("type_counts", {}).items())
        lines.append(f"{head}  {tail}" + (f"  [{col['note']}]" if col.get("note") else ""))
    return "\n".join(lines)
