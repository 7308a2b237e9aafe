"""``stalwart compare``: two model versions on the same labelled rows, and the promotion gate.

One table (CSV or Parquet) holds, per row, the label and both versions' predictions, and
optionally the customer or segment: the file a shadow deployment or a replay writes.
"""

from __future__ import annotations

import sys

import click

from .._config import Settings
from ..data import read_table
from ._common import EXIT_USAGE, clean_errors, emit_report, emit_result


@click.command("compare")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--target", default="y_true", show_default=True, help="Label column.")
@click.option("--old", default="old", show_default=True,
              help="Column of the old (current) version's predictions.")
@click.option("--new", default="new", show_default=True,
              help="Column of the new (candidate) version's predictions.")
@click.option("--segment", default=None, help="Customer or segment column: compare per value.")
@click.option("--task", type=click.Choice(["classification", "regression"]),
              default="classification", show_default=True)
@click.option("--tolerance", type=float, default=None,
              help="Regression only: largest absolute error still counted as right.")
@click.option("--gate", is_flag=True,
              help="Run the promotion gate: exit code 1 when a threshold fails.")
@click.option("--pinned", multiple=True,
              help="A customer pinned to the old version (repeatable; needs --segment).")
@click.option("--max-nfr", type=float, default=0.05, show_default=True,
              help="Gate: highest negative flip rate allowed.")
@click.option("--min-btc", type=float, default=0.95, show_default=True,
              help="Gate: lowest backward trust compatibility allowed.")
@click.option("--min-accuracy-change", type=float, default=0.0, show_default=True,
              help="Gate: lowest accuracy change (new - old) allowed.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "junit"]),
              default="text", show_default=True, help="Output format (junit with --gate).")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the report here instead of standard output.")
@click.option("--fail-on", type=click.Choice(["warn", "fail"]), default="fail",
              show_default=True, help="Gate: lowest status that makes the exit code 1.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the bootstrap intervals.")
@clean_errors
def compare_command(data: str, target: str, old: str, new: str, segment: str | None,
                    task: str, tolerance: float | None, gate: bool, pinned: tuple[str, ...],
                    max_nfr: float, min_btc: float, min_accuracy_change: float, fmt: str,
                    out: str | None, fail_on: str, seed: int) -> None:
    """Compare the OLD and NEW prediction columns of DATA (CSV or Parquet) on its labels:
    accuracy change, churn, negative and positive flips, backward trust and error
    compatibility, flip matrices, overall and per --segment.

    With --gate, run the promotion gate instead: exit code 0 when every check holds
    overall and for every --pinned customer, 1 when one fails, 2 on bad input.
    """
    from ..lifecycle import compare_frame, gate_comparison

    if fmt == "junit" and not gate:
        click.echo("error: --format junit needs --gate (a comparison alone has no verdict)",
                   err=True)
        sys.exit(EXIT_USAGE)
    if pinned and segment is None:
        click.echo("error: --pinned needs --segment (the column the pins refer to)", err=True)
        sys.exit(EXIT_USAGE)
    frame = read_table(data)
    comparison = compare_frame(frame, target=target, old=old, new=new, segment=segment,
                               task=task, tolerance=tolerance, random_state=seed)
    if gate:
        from ..data import Dataset

        used = [c for c in (target, old, new, segment) if c is not None]
        result = gate_comparison(comparison, pinned=list(pinned), max_negative_flip_rate=max_nfr,
                                 min_backward_trust=min_btc,
                                 min_accuracy_change=min_accuracy_change,
                                 data=Dataset.from_any(frame[used], target=target, name=data),
                                 settings=Settings.from_env())
        emit_result(result, fmt=fmt, out=out, fail_on=fail_on)
        return
    emit_report(comparison, text=_text(comparison), summary=comparison.summary(), fmt=fmt,
                out=out)


def _text(comparison) -> str:
    lines = [comparison.summary()]
    lines += [f"warning: {w}" for w in comparison.warnings]
    for scope in comparison.segments:
        m = scope.metrics
        lines.append(f"  {comparison.segment_column}={scope.segment}: {m.n_rows} rows, accuracy "
                     f"change {m.accuracy_change:+.4f}, churn {m.churn:.4f}, negative flips "
                     f"{m.negative_flip_rate:.4f}, backward trust "
                     f"{m.backward_trust_compatibility:.4f}" + (" (few rows)" if scope.small
                                                                else ""))
    flips = comparison.overall.negative_flips
    if flips is not None and flips.total:
        top = ", ".join(f"{o} -> {n}: {c}" for o, n, c in flips.pairs()[:5])
        lines.append(f"most frequent negative flips (old right -> new wrong): {top}")
    return "\n".join(lines)
