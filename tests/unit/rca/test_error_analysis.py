"""Error analysis at scale: planted error region found by the tree and the heatmaps."""

import json
import operator

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, SchemaError
from stalwart.rca import analyse_errors, analyse_errors_in_store
from stalwart.slicing import bin_column

_OPS = {"<=": operator.le, ">": operator.gt, "==": operator.eq, "!=": operator.ne}


def _planted(n=4000, seed=0):
    """Errors at 90% where x > 7 and city == b, at 5% elsewhere."""
    rng = np.random.default_rng(seed)
    # values on a 0.01 grid, so a split printed with 4 digits (midpoints such as 7.015)
    # selects exactly the rows the tree sent down that branch
    df = pd.DataFrame({"x": rng.integers(0, 1000, n) / 100, "z": rng.integers(0, 1000, n) / 100,
                       "city": rng.choice(list("abcd"), n)})
    region = (df.x > 7) & (df.city == "b")
    wrong = rng.random(n) < np.where(region, 0.9, 0.05)
    df["y_true"] = rng.integers(0, 2, n)
    df["y_pred"] = np.where(wrong, 1 - df.y_true, df.y_true)
    return df, wrong.astype(float)


def _mask(df, conditions):
    mask = np.ones(len(df), bool)
    for cond in conditions:
        col, op, value = cond.split(" ", 2)
        v = value if op in ("==", "!=") else float(value)
        mask &= _OPS[op](df[col], v).to_numpy()
    return mask


@pytest.fixture(scope="module")
def planted():
    df, err = _planted()
    return df, err, analyse_errors(df)


def test_tree_finds_the_planted_region(planted):
    df, err, res = planted
    assert res.n_rows == 4000 and res.n_errors == int(err.sum())
    assert res.error_rate == pytest.approx(err.mean())
    top = res.tree.leaves()[0]
    assert "city == b" in top.conditions
    x_conds = [c for c in top.conditions if c.startswith("x >")]
    assert x_conds and 6.5 < float(x_conds[0].split()[-1]) < 7.5
    # every leaf's numbers equal a hand computation over the rows its path selects
    for leaf in res.tree.leaves():
        m = _mask(df, leaf.conditions)
        assert leaf.size == m.sum()
        assert leaf.error_rate == pytest.approx(err[m].mean())
        assert leaf.error_coverage == pytest.approx(err[m].sum() / err.sum())
    assert sum(lf.error_coverage for lf in res.tree.leaves()) == pytest.approx(1.0)
    assert sum(lf.size for lf in res.tree.leaves()) == 4000


def test_hottest_heatmap_cell_is_the_planted_region_with_exact_numbers(planted):
    df, err, res = planted
    hot = res.hottest
    assert {hot["x_feature"], hot["y_feature"]} == {"x", "city"}
    cell = {hot["x_feature"]: hot["x"], hot["y_feature"]: hot["y"]}
    assert cell["city"] == "b" and cell["x"].startswith("> ")  # the top quintile of x
    # hand computation of every cell of the x × city heatmap
    h = next(h for h in res.heatmaps if {h.x_feature, h.y_feature} == {"x", "city"})
    bx = bin_column(df[h.x_feature], n_bins=5, name=h.x_feature)
    by = bin_column(df[h.y_feature], n_bins=5, name=h.y_feature)
    assert h.x_labels == bx.labels and h.y_labels == by.labels
    for i in range(len(by.labels)):
        for j in range(len(bx.labels)):
            m = (by.codes == i) & (bx.codes == j)
            assert h.rows[i][j] == m.sum() and h.errors[i][j] == err[m].sum()
            assert h.error_rate[i][j] == pytest.approx(err[m].mean())
            assert h.error_coverage[i][j] == pytest.approx(err[m].sum() / err.sum())
    assert sum(map(sum, h.error_coverage)) == pytest.approx(1.0)
    assert sum(map(sum, h.rows)) == 4000
    i, j = h.y_labels.index(hot["y"]), h.x_labels.index(hot["x"])
    assert hot["error_rate"] == max(v for row in h.error_rate for v in row if v is not None)
    assert (hot["rows"], hot["errors"]) == (h.rows[i][j], h.errors[i][j])
    # the pair with the planted region ranks first; the noise pair (x, z) ranks below it
    assert res.heatmaps[0] is h
    assert len(res.heatmaps) == 3


def test_options_pairs_and_json(planted):
    df, _, _ = planted
    res = analyse_errors(df, pairs=[("z", "x")], max_depth=2, min_samples_leaf=50, n_bins=4)
    assert [(h.x_feature, h.y_feature) for h in res.heatmaps] == [("z", "x")]
    assert len(res.heatmaps[0].x_labels) == 4 and res.tree.max_depth == 2
    doc = json.loads(json.dumps(res.to_dict()))
    assert doc["options"]["n_bins"] == 4 and doc["leaves"][0]["error_rate"] >= \
        doc["leaves"][-1]["error_rate"]
    assert analyse_errors(df, max_pairs=0).heatmaps == ()
    sampled = analyse_errors(df, sample=1000, random_state=3)
    assert sampled.n_rows == 1000 and "1,000 of 4,000" in sampled.notes[0]
    assert sampled.n_errors == analyse_errors(
        df.iloc[np.sort(np.random.default_rng(3).choice(4000, 1000, replace=False))]).n_errors


def test_labels_typed_as_text_compare_with_numeric_predictions():
    df = pd.DataFrame({"x": np.arange(40.0), "y_true": ["1"] * 40, "y_pred": [1.0] * 40})
    df.loc[:9, "y_pred"] = 0.0
    res = analyse_errors(df, min_samples_leaf=5)
    assert res.n_errors == 10 and "one feature only" in res.notes[0]


def test_html_draws_inline_svg_heatmaps(planted):
    _, _, res = planted
    page = res.to_html()
    assert page.startswith("<!DOCTYPE html>") and page.count('class="cell"') > 20
    assert "Error rate: city × x" in page or "Error rate: x × city" in page
    assert "http" not in page.split("<svg", 1)[0].lower().replace("http-equiv", "")


def test_bad_input_is_a_clear_error(planted):
    df, _, _ = planted
    with pytest.raises(DataError):
        analyse_errors(df.iloc[:0])
    with pytest.raises(SchemaError, match="y_true"):
        analyse_errors(df.drop(columns="y_true"))
    with pytest.raises(SchemaError, match="features"):
        analyse_errors(df, features=["nope"])
    with pytest.raises(SchemaError, match="pairs"):
        analyse_errors(df, pairs=[("x", "nope")])
    with pytest.raises(DataError, match="missing labels"):
        analyse_errors(df.assign(y_true=np.where(df.index == 3, np.nan, df.y_true)))


def test_store_window_equals_the_frame_analysis(tmp_path):
    from stalwart.store import open_store

    df, _ = _planted(n=600, seed=1)
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        start = pd.Timestamp("2026-01-01", tz="UTC")
        store.ingest_events([
            {"event_id": f"e{i}", "timestamp": (start + pd.Timedelta(minutes=i)).isoformat(),
             "model": "m", "model_version": "1",
             "features": {"x": float(r.x), "z": float(r.z), "city": r.city},
             "outputs": {"prediction": int(r.y_pred)}} for i, r in enumerate(df.itertuples())])
        labelled = df.index[df.index % 3 != 0]           # a third stays unlabelled
        store.add_labels([{"event_id": f"e{i}", "label": int(df.y_true[i])} for i in labelled])
        # the window [start + 60 min, start + 540 min) holds events 60..539
        res = analyse_errors_in_store(store, "m", start + pd.Timedelta(minutes=60),
                                      start + pd.Timedelta(minutes=540), min_samples_leaf=20)
        window = df.loc[[i for i in labelled if 60 <= i < 540]]
        # the store lists feature keys sorted
        ref = analyse_errors(window, features=["city", "x", "z"], min_samples_leaf=20)
        assert (res.n_rows, res.n_errors) == (ref.n_rows, ref.n_errors) == (
            len(window), int((window.y_true != window.y_pred).sum()))
        assert res.hottest == ref.hottest and res.hottest["error_rate"] > 0.5
        assert res.tree.nodes == ref.tree.nodes
        assert res.source["unlabelled events left out"] == 480 - len(window)
        with pytest.raises(SchemaError, match="prediction"):
            analyse_errors_in_store(store, "m", None, None, prediction="outputs.score")
        with pytest.raises(SchemaError, match="features"):
            analyse_errors_in_store(store, "m", None, None, features=["nope"])
        with pytest.raises(DataError, match="labelled"):
            analyse_errors_in_store(store, "m", "2027-01-01", "2027-02-01")
    finally:
        store.close()
