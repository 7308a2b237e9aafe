"""``stalwart explain``: feature importance, SHAP values or one row's explanation."""

from __future__ import annotations

import sys

import click

from ..data import read_table
from ..models import load_model
from ._common import EXIT_USAGE, clean_errors, emit_report


@click.command("explain")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file: .skops or .onnx (pickle/joblib only with --trust).")
@click.option("--target", default=None, help="Label column (needed by permutation importance).")
@click.option("--method", type=click.Choice(["permutation", "shap"]), default="permutation",
              show_default=True, help="Global importance method.")
@click.option("--row", type=int, default=None,
              help="Explain this row of DATA (0-based) instead: SHAP when installed.")
@click.option("--reference", type=click.Path(dir_okay=False),
              help="Background rows for SHAP and --row (default: DATA itself).")
@click.option("--scoring", default=None, help="Metric of permutation importance.")
@click.option("--n-repeats", type=int, default=10, show_default=True)
@click.option("--max-rows", type=int, default=None,
              help="Explain a seeded sample of this many rows.")
@click.option("--trust", is_flag=True,
              help="Allow pickle/joblib model files. Unpickling runs arbitrary code.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the report here instead of standard output.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@clean_errors
def explain_command(data: str, model_path: str, target: str | None, method: str,
                    row: int | None, reference: str | None, scoring: str | None,
                    n_repeats: int, max_rows: int | None, trust: bool, fmt: str,
                    out: str | None, seed: int) -> None:
    """Explain a saved model on DATA (CSV or Parquet): permutation importance with
    intervals (needs --target), mean |SHAP| ranking (--method shap, the explain extra),
    or the contributions behind one prediction (--row N).

    Exit code 0, or 2 on bad input.
    """
    from ..checks.explain.pages import ExplanationReport
    from ..explain import explain_prediction, permutation_importance, shap_values

    model = load_model(model_path, trusted=trust)
    frame = read_table(data)
    if target is not None and target not in frame.columns:
        click.echo(f"error: --target {target!r} is not a column of {data}", err=True)
        sys.exit(EXIT_USAGE)
    features = frame.drop(columns=[target]) if target else frame
    background = read_table(reference) if reference else features
    if row is not None:
        if not 0 <= row < len(features):
            click.echo(f"error: --row must be between 0 and {len(features) - 1}", err=True)
            sys.exit(EXIT_USAGE)
        result = explain_prediction(model, features.iloc[[row]], reference=background,
                                    random_state=seed)
    elif method == "shap":
        rows = features if max_rows is None or len(features) <= max_rows \
            else features.sample(n=max_rows, random_state=seed)
        result = shap_values(model, rows, background=background, random_state=seed)
    else:
        if target is None:
            click.echo("error: permutation importance needs --target (or use --method shap)",
                       err=True)
            sys.exit(EXIT_USAGE)
        result = permutation_importance(model, features, frame[target], scoring=scoring,
                                        n_repeats=n_repeats, max_rows=max_rows,
                                        random_state=seed)
    report = ExplanationReport(result)
    text = report.text()
    emit_report(report, text=text, summary=text.splitlines()[0], fmt=fmt, out=out)
