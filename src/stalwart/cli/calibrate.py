"""``stalwart calibrate``: calibrate a saved classifier and show the change on held-out rows."""

from __future__ import annotations

import json

import click

from ..data import Dataset, read_table
from ..models import load_model
from ..uncertainty import CALIBRATORS, compare_calibration
from ._common import clean_errors


@click.command("calibrate")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file: .skops or .onnx (pickle/joblib only with --trust).")
@click.option("--target", required=True, help="Name of the label column.")
@click.option("--method", type=click.Choice(list(CALIBRATORS)), default="temperature",
              show_default=True, help="Calibration method.")
@click.option("--trust", is_flag=True, help="Allow pickle/joblib model files.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split.")
@clean_errors
def calibrate_command(data: str, model_path: str, target: str, method: str, trust: bool,
                      fmt: str, seed: int) -> None:
    """Fit a calibrator on half of DATA (stratified) and report the expected calibration
    error and Brier score before and after on the other half."""
    model = load_model(model_path, trusted=trust)
    ds = Dataset.from_any(read_table(data), target=target)
    labelled = ds.frame[ds.frame[target].notna()]
    features = model.feature_names or ds.features
    out = compare_calibration(model, labelled[features], labelled[target].to_numpy(),
                              method=method, random_state=seed)
    if fmt == "json":
        click.echo(json.dumps(out.to_dict(), indent=2))
        return
    click.echo(f"calibration ({method}) fitted on {out.n_calibration} rows, "
               f"measured on {out.n_test}:")
    click.echo(f"  expected calibration error  {out.ece_before:.4f} -> {out.ece_after:.4f}")
    click.echo(f"  Brier score                 {out.brier_before:.4f} -> {out.brier_after:.4f}")
