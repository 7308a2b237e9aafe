import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_iris

from stalwart import Status, Suite
from stalwart._config import Settings
from stalwart.checks.audit.label_errors import LabelErrors


def _run(frame, check=None, **kw):
    return Suite("s", [check or LabelErrors()]).run(frame, **kw).results[0]


def _learnable(n=3000, seed=0, flip=0.0):
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    group = rng.choice(["a", "b", "c"], n)
    y = np.where(x1 + x2 + (group == "a") * 1.5 > 0.5, "yes", "no").astype(object)
    flipped = rng.choice(n, int(flip * n), replace=False)
    y[flipped] = np.where(y[flipped] == "yes", "no", "yes")
    return pd.DataFrame({"x1": x1, "x2": x2, "group": group, "y": y}), set(flipped.tolist())


def test_heavy_label_noise_warns_with_evidence():
    df, flipped = _learnable(flip=0.12)
    r = _run(df, target="y")
    assert r.status is Status.WARN
    m = r.metrics
    assert m["n_sampled"] == 3000 and m["model_skill"] >= 0.5
    assert m["label_error_share"] == m["flagged_share"] > 0.1
    table = r.tables[0]
    assert table.columns == ("row index", "given label", "suggested label", "self-confidence")
    assert len(table.rows) == 20 and table.total_rows == m["n_flagged"]
    top_rows = {row[0] for row in table.rows}
    assert len(top_rows & flipped) >= 18  # the most confident suspects are planted flips
    assert all(row[1] != row[2] for row in table.rows)
    heat = r.charts[0]
    assert heat.kind == "heatmap" and heat.data["x"] == ["no", "yes"]
    assert sum(map(sum, heat.data["z"])) <= 3000


def test_few_errors_pass_but_are_listed():
    df, flipped = _learnable(flip=0.03)
    r = _run(df, target="y")
    assert r.status is Status.PASS and 0.02 < r.metrics["label_error_share"] < 0.06
    assert r.summary.startswith(f"{r.metrics['n_flagged']} of 3000 rows")
    assert _run(df, LabelErrors(max_share=0.01), target="y").status is Status.WARN


def test_weak_model_is_not_gated(clean_frame):
    r = _run(clean_frame, target="y")
    assert r.status is Status.SKIP  # nothing is vouched for: not a pass
    assert r.metrics["model_skill"] < 0.5 and r.metrics["label_error_share"] is None
    assert r.metrics["flagged_share"] > 0.1  # listed, but not called errors
    assert "not proven errors (not gated)" in r.summary


def test_sample_is_capped_by_option_and_settings():
    df, _ = _learnable(n=3000)
    r = _run(df, LabelErrors(max_rows=1000), target="y")
    assert r.metrics["n_sampled"] == 1000 and "sample of 1000 of 3000 rows" in r.summary
    r = Suite("s", [LabelErrors()]).run(
        df, target="y", settings=Settings(max_rows_for_model_checks=800)).results[0]
    assert r.metrics["n_sampled"] == 800


def test_clean_real_data_passes():
    cancer = load_breast_cancer(as_frame=True).frame
    r = _run(cancer, target="target")
    assert r.status is Status.PASS and r.metrics["label_error_share"] < 0.03
    iris = load_iris(as_frame=True).frame
    assert _run(iris, target="target").status is Status.PASS


def test_regression_and_missing_target_skip(clean_frame):
    r = _run(clean_frame, target="score")
    assert r.status is Status.SKIP and "a regression target" in r.summary
    assert _run(clean_frame.drop(columns="y")).status is Status.SKIP


def test_unusable_data_is_reported_not_crashed():
    df = pd.DataFrame({"lists": [[i] for i in range(40)], "y": [0, 1] * 20})
    r = _run(df, target="y")
    assert r.status is Status.SKIP and r.summary.startswith("not examined: no feature column")
    assert r.metrics["label_error_share"] is None
    assert r.tables[0].rows == (("lists", "holds unhashable values (lists, dicts)"),)
    tiny = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 1]})
    r = _run(tiny, target="y")
    assert r.status is Status.SKIP and "fewer than two classes" in r.summary


def test_unknown_method_is_an_input_error():
    df, _ = _learnable(n=200)
    r = _run(df, LabelErrors(method="vote"), target="y")
    assert r.status is Status.ERROR and r.error["what"] == "method"
