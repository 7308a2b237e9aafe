import numpy as np
import pandas as pd
from sklearn.datasets import load_iris

from stalwart import Status, Suite
from stalwart.checks.audit.conflicting_labels import ConflictingLabels


def _run(frame, check=None, **kw):
    return Suite("s", [check or ConflictingLabels()]).run(frame, **kw).results[0]


def test_warns_on_identical_features_with_other_labels(clean_frame):
    copy = clean_frame.iloc[:25].copy()
    copy["y"] = 1 - copy["y"]
    df = pd.concat([clean_frame, copy, clean_frame.iloc[:5]], ignore_index=True)
    r = _run(df, target="y")
    assert r.status is Status.WARN
    assert r.metrics["n_conflicting_groups"] == 25 and r.metrics["n_conflicting_rows"] == 55
    assert r.metrics["conflicting_share"] == 55 / 2030
    top = r.tables[0].rows[0]
    assert top[0] == 3 and top[2] == "0, 2000, 2025"
    first = int(clean_frame.y[0])
    assert top[1] == f"{first}: 2, {1 - first}: 1"
    assert "55 of 2030 labelled rows (2.7%)" in r.summary


def test_threshold_option(clean_frame):
    copy = clean_frame.iloc[:5].assign(y=lambda d: 1 - d.y)
    df = pd.concat([clean_frame, copy], ignore_index=True)
    assert _run(df, target="y").status is Status.WARN
    assert _run(df, ConflictingLabels(max_share=0.01), target="y").status is Status.PASS


def test_clean_data_passes(clean_frame):
    r = _run(clean_frame, target="y")
    assert r.status is Status.PASS and r.metrics["n_conflicting_rows"] == 0
    iris = load_iris(as_frame=True).frame  # one duplicated flower, same species
    assert _run(iris, target="target").status is Status.PASS


def test_skips_without_target_and_handles_odd_columns(clean_frame):
    r = _run(clean_frame.drop(columns="y"))
    assert r.status is Status.SKIP and "needs a target" in r.summary
    df = pd.DataFrame({"lists": [[1], [1], [2]] * 10, "y": [0, 1, 1] * 10})
    r = _run(df, target="y")
    assert r.status is Status.WARN and r.metrics["n_conflicting_groups"] == 1
    none = _run(pd.DataFrame({"row_id": range(10), "y": [0, 1] * 5}), target="y")
    assert none.status is Status.SKIP and none.summary.startswith("not examined")
    reg = pd.DataFrame({"a": [1, 1, 2], "y": np.array([0.1, 0.2, 0.3])})
    assert _run(reg, target="y").metrics["n_conflicting_rows"] == 2
