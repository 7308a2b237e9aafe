import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.ensemble import RandomForestClassifier

from stalwart.cli.explain import explain_command
from stalwart.models import save_model


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("explain")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(200, 4)), columns=["a", "b", "c", "d"])
    y = (X["a"] - X["b"] > 0).astype(int)
    model = RandomForestClassifier(n_estimators=15, max_depth=4, random_state=0).fit(X, y)
    save_model(model, d / "m.skops")
    X.assign(y=y).to_csv(d / "data.csv", index=False)
    return d


def _run(files, *args):
    return CliRunner().invoke(explain_command, [str(files / "data.csv"), "--model",
                                                str(files / "m.skops"), *args])


def test_permutation_importance_json(files):
    r = _run(files, "--target", "y", "--n-repeats", "3", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["kind"] == "feature_importance" and d["options"]["n_repeats"] == 3
    assert {f["name"] for f in d["features"][:2]} == {"a", "b"}


def test_shap_text_and_row_html(files, tmp_path):
    pytest.importorskip("shap")
    r = _run(files, "--method", "shap", "--max-rows", "20")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Feature importance") and "mean |SHAP| (tree)" in r.output
    out = tmp_path / "row.html"
    r = _run(files, "--target", "y", "--row", "3", "--format", "html", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "report written to" in r.output and "Contributions" in out.read_text()


def test_bad_input_exits_2(files):
    assert _run(files).exit_code == 2  # permutation importance without --target
    r = _run(files, "--target", "nope")
    assert r.exit_code == 2 and "not a column" in r.output
    assert _run(files, "--target", "y", "--row", "999").exit_code == 2
    r = _run(files, "--target", "y", "--n-repeats", "1")
    assert r.exit_code == 2 and "n_repeats" in r.output
