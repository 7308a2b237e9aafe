"""``stalwart demo``: the main job, end to end, on the embedded defaults."""

from __future__ import annotations

import click

from .._config import Settings
from ..demo import run_demo
from ._common import clean_errors


@click.command("demo")
@click.option("--workspace", type=click.Path(file_okay=False),
              help="Folder for data, model and reports [default: $STALWART_WORKSPACE or "
                   "./stalwart-workspace].")
@click.option("--seed", type=int, default=None, help="Random seed.")
@clean_errors
def demo_command(workspace: str | None, seed: int | None) -> None:
    """Train a model on a real data set shipped with scikit-learn, run every suite and
    write the HTML reports."""
    settings = Settings.from_env()
    result = run_demo(workspace=workspace or settings.workspace,
                      random_state=settings.random_state if seed is None else seed,
                      echo=click.echo)
    click.echo("")
    click.echo(f"Open the report: {result.index_path}")
