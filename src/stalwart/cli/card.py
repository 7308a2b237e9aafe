"""``stalwart card``: a model card from suite results and user-written fields."""

from __future__ import annotations

from pathlib import Path

import click

from ..card import CARD_FORMATS, CardFields, build_model_card, write_card
from ..checks import SuiteResult
from ..exceptions import DataError
from ..models import load_model
from ._common import clean_errors


def _read_result(path: str) -> SuiteResult:
    try:
        return SuiteResult.from_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"result file {path!r}", expected="a JSON suite result, as written by "
                        "'stalwart audit --format json' or 'stalwart evaluate --format json'",
                        got=f"{type(exc).__name__}: {str(exc)[:200]}",
                        fix="write the result again with --format json --out FILE") from None


@click.command("card")
@click.option("--fields", "fields_path", required=True, type=click.Path(dir_okay=False),
              help="JSON file of the user-written parts (name, intended use, caveats...).")
@click.option("--result", "results", multiple=True, type=click.Path(dir_okay=False),
              help="A JSON suite result (repeatable): audit, evaluation.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Model file, for its details (.skops, .onnx; pickle only with --trust).")
@click.option("--trust", is_flag=True, help="Allow pickle/joblib model files.")
@click.option("--format", "fmt", type=click.Choice(CARD_FORMATS), default="markdown",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write the card here instead of standard output.")
@clean_errors
def card_command(fields_path: str, results: tuple[str, ...], model_path: str | None,
                 trust: bool, fmt: str, out: str | None) -> None:
    """Write a model card (Mitchell et al.) from suite results and your own fields."""
    fields = CardFields.from_json(Path(fields_path))
    model = load_model(model_path, trusted=trust) if model_path else None
    card = build_model_card(fields=fields, results=[_read_result(p) for p in results],
                            model=model)
    if out:
        path = write_card(card, out, format=fmt)
        click.echo(f"model card written to {path}")
    else:
        from ..card import render_html, render_markdown
        click.echo({"markdown": render_markdown, "html": render_html,
                    "json": lambda c: c.to_json()}[fmt](card))
