"""``stalwart explain``: feature importance, SHAP values, one row's explanation, or
counterfactuals for the rows the model turns down."""

from __future__ import annotations

import sys
from typing import Any

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
@click.option("--counterfactuals", "n_rejected", type=int, default=None,
              help="Counterfactuals instead: for the first N rows of DATA the model turns "
                   "down (predicts --unfavourable).")
@click.option("--unfavourable", default=None,
              help="Class that turns a row down (default: the first of a binary model's "
                   "classes).")
@click.option("--immutable", multiple=True,
              help="Feature counterfactuals may not change (repeatable).")
@click.option("--per-row", type=int, default=3, show_default=True,
              help="Counterfactuals per row (with --counterfactuals).")
@click.option("--reference", type=click.Path(dir_okay=False),
              help="Background rows for SHAP and --row, training rows for "
                   "--counterfactuals (default: DATA itself).")
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
                    row: int | None, n_rejected: int | None, unfavourable: str | None,
                    immutable: tuple[str, ...], per_row: int, reference: str | None,
                    scoring: str | None, n_repeats: int, max_rows: int | None, trust: bool,
                    fmt: str, out: str | None, seed: int) -> None:
    """Explain a saved model on DATA (CSV or Parquet): permutation importance with
    intervals (needs --target), mean |SHAP| ranking (--method shap, the explain extra),
    the contributions behind one prediction (--row N), or the smallest feasible changes
    that flip the decision of the first N rejected rows (--counterfactuals N).

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
    if n_rejected is not None:
        _counterfactuals(model, features, background.drop(columns=[target], errors="ignore")
                         if target else background, n_rejected=n_rejected,
                         unfavourable=unfavourable, immutable=immutable, per_row=per_row,
                         fmt=fmt, out=out, seed=seed)
        return
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


def _counterfactuals(model_file: Any, features: Any, training: Any, *,
                     n_rejected: int, unfavourable: str | None, immutable: tuple[str, ...],
                     per_row: int, fmt: str, out: str | None, seed: int) -> None:
    from ..checks.explain.counterfactual_page import counterfactual_page, counterfactual_text
    from ..explain import counterfactuals
    from ..models import wrap

    if n_rejected < 1:
        click.echo("error: --counterfactuals must be at least 1", err=True)
        sys.exit(EXIT_USAGE)
    model = wrap(model_file)
    classes = None if model.task == "regression" else model.classes_
    if classes is None:
        click.echo("error: --counterfactuals needs a classifier (a regressor has no rejected "
                   "rows: use stalwart.explain.counterfactuals with target=(low, high))",
                   err=True)
        sys.exit(EXIT_USAGE)
    names = [str(c) for c in classes]
    if unfavourable is None and len(names) != 2:
        click.echo(f"error: the model has {len(names)} classes {names}: name the one that "
                   "turns a row down with --unfavourable", err=True)
        sys.exit(EXIT_USAGE)
    if unfavourable is not None and unfavourable not in names:
        click.echo(f"error: --unfavourable {unfavourable!r} is not a class of the model "
                   f"{names}", err=True)
        sys.exit(EXIT_USAGE)
    bad = classes[names.index(unfavourable) if unfavourable is not None else 0]
    rejected = features.loc[model.predict(features) == bad].head(n_rejected)
    if len(rejected) == 0:
        click.echo(f"error: the model turns down no row of DATA (no prediction {bad!r})",
                   err=True)
        sys.exit(EXIT_USAGE)
    result = counterfactuals(model, training, rejected, n=per_row,
                             target=[c for c in classes if c != bad], random_state=seed,
                             immutable=list(immutable))
    text = counterfactual_text(result)
    emit_report(result, text=text, summary=text.splitlines()[0], fmt=fmt, out=out,
                html=counterfactual_page)
