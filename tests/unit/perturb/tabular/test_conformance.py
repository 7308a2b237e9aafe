"""Every registered tabular perturbation, on a mixed table, at every severity: it never
crashes, notes every column, copies instead of mutating, repeats itself under a seed, keeps
the input's type, and changes more as severity rises."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from stalwart.exceptions import DataError, StageError
from stalwart.perturb import PERTURBATIONS

from .conftest import mixed

TABULAR = [name for name, _ in PERTURBATIONS if PERTURBATIONS.capabilities(name)["kind"]
           == "tabular"]


def test_all_ten_are_registered():
    assert {"feature_dropout", "gaussian_noise", "missing_values", "outliers", "rounding",
            "scaling", "swap_categories", "type_corruption", "unit_change",
            "unseen_category"} <= set(TABULAR)


def changed_cells(a: pd.DataFrame, b: pd.DataFrame) -> int:
    total = 0
    for c in a.columns:
        x, y = a[c].astype(object).to_numpy(), b[c].astype(object).to_numpy()
        total += sum(not (u is v or (isinstance(u, float) and isinstance(v, float)
                                     and np.isnan(u) and np.isnan(v)) or
                          (type(u) is type(v) and np.all(u == v))) for u, v in zip(x, y))
    return total


@pytest.mark.parametrize("name", TABULAR)
def test_conformance(name):
    X = mixed(300)
    snapshot = X.copy(deep=True)
    cls = PERTURBATIONS.get(name)
    changes = []
    for severity in (1, 2, 3, 4, 5):
        p = cls(severity=severity, random_state=7).fit(X)
        out = p.transform(X)
        assert list(out.columns) == list(X.columns) and out.index.equals(X.index)
        assert [n.target for n in p.notes_] == [str(c) for c in X.columns]
        assert all(n.applied or n.reason for n in p.notes_)
        pd.testing.assert_frame_equal(X, snapshot)  # input not mutated
        again = clone(p).fit(X).transform(X)
        assert changed_cells(out, again) == 0  # seeded determinism
        json.dumps([n.to_dict() for n in p.notes_], allow_nan=False)  # notes are JSON
        changes.append(changed_cells(X, out))
    assert changes == sorted(changes) and changes[-1] > 0, changes


@pytest.mark.parametrize("name", TABULAR)
def test_numpy_in_numpy_out_and_misuse(name):
    X = np.random.default_rng(0).normal(size=(60, 3))
    cls = PERTURBATIONS.get(name)
    p = cls(severity=5, random_state=0)
    with pytest.raises(StageError, match="before fit"):
        p.transform(X)
    out = p.fit(X).transform(X)
    assert isinstance(out, np.ndarray) and out.shape == X.shape
    with pytest.raises(DataError, match="fitted columns"):
        p.transform(X[:, :2])
    with pytest.raises(DataError, match="2-D"):
        p.fit(X[:, 0])
    out2 = make_pipeline(cls(severity=5, random_state=0)).fit_transform(X)
    assert out2.shape == X.shape


def test_output_type_follows_the_transform_input_and_columns_option():
    from stalwart.perturb.tabular import GaussianNoise
    X = np.random.default_rng(0).normal(size=(50, 3))
    p = GaussianNoise(columns=[1], severity=5, random_state=0).fit(X)
    out = p.transform(pd.DataFrame(X))
    assert isinstance(out, pd.DataFrame) and p.applied() == ["1"]
    np.testing.assert_array_equal(out[0], X[:, 0])
    assert p.notes_[0].reason == "not selected (columns=[1])"
    assert isinstance(p.transform(X), np.ndarray)
    one = GaussianNoise(columns="height", random_state=0).fit(mixed(20))
    one.transform(mixed(20))
    assert one.applied() == ["height"]


@pytest.mark.parametrize("columns", [[], {"height"}, ["nope"]])
def test_bad_columns_option(columns):
    from stalwart.exceptions import ParameterError
    from stalwart.perturb.tabular import MissingValues
    with pytest.raises(ParameterError, match="columns"):
        MissingValues(columns=columns).fit(mixed(20))
