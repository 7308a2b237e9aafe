"""stalwart explain --counterfactuals: the first N rejected rows, as text, JSON and HTML."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.linear_model import LogisticRegression

from stalwart.cli.explain import explain_command
from stalwart.models import save_model


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("explain_cf")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a", "b", "age"])
    y = (X["a"] + X["b"] + 0.5 * X["age"] > 0).astype(int)
    model = LogisticRegression().fit(X, y)
    save_model(model, d / "m.skops")
    X.assign(y=y).to_csv(d / "data.csv", index=False)
    return d, model, X


def _run(d, *args):
    return CliRunner().invoke(explain_command, [str(d / "data.csv"), "--model",
                                                str(d / "m.skops"), "--target", "y", *args])


def test_json_explains_the_first_rejected_rows_and_keeps_immutable(files):
    d, model, X = files
    r = _run(d, "--counterfactuals", "4", "--immutable", "age", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    first = X.index[model.predict(X) == 0][:4].tolist()
    assert [q["index"] for q in out["queries"]] == first
    assert out["n_feasible"] == 4 and out["validity"] == 1.0
    for q in out["queries"]:
        assert q["status"] == "found" and len(q["counterfactuals"]) == 3
        for cf in q["counterfactuals"]:
            assert cf["values"]["age"] == q["original"]["age"] and cf["prediction"] == 1
    assert out["options"]["constraints"]["immutable"] == ["age"]


def test_text_and_html(files, tmp_path):
    d, _, _ = files
    r = _run(d, "--counterfactuals", "2", "--per-row", "1")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Counterfactual explanations: 2 of 2") and "→" in r.output
    page = tmp_path / "cf.html"
    r = _run(d, "--counterfactuals", "2", "--format", "html", "--out", str(page))
    assert r.exit_code == 0 and "report written to" in r.output
    assert "counterfactual 3" in page.read_text()


def test_bad_input_exits_2(files):
    d, _, _ = files
    r = _run(d, "--counterfactuals", "0")
    assert r.exit_code == 2 and "at least 1" in r.output
    r = _run(d, "--counterfactuals", "2", "--unfavourable", "7")
    assert r.exit_code == 2 and "not a class" in r.output
    r = _run(d, "--counterfactuals", "2", "--immutable", "nope")
    assert r.exit_code == 2 and "unknown columns ['nope']" in r.output
    r = _run(d, "--counterfactuals", "2", "--per-row", "0")
    assert r.exit_code == 2 and "an integer >= 1" in r.output
