"""The shared input/output contract: column selection and probability checks."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stalwart.exceptions import MissingExtraError, ModelError
from stalwart.models import load_model, wrap
from stalwart.models._contract import as_probabilities, prepare_input

NAMES = ["a", "b", "c", "d"]


@settings(max_examples=50, deadline=None, derandomize=True)
@given(order=st.permutations(NAMES), extra=st.lists(st.sampled_from(["x", "y", "z"]),
                                                      unique=True))
def test_selection_undoes_any_column_order_and_drops_extras(order, extra):
    base = pd.DataFrame(np.arange(12.0).reshape(3, 4), columns=NAMES)
    shuffled = base[list(order)].assign(**{e: -1.0 for e in extra})
    out = prepare_input(shuffled, feature_names=NAMES, n_features=None, model="m")
    pd.testing.assert_frame_equal(out, base)
    positional = prepare_input(shuffled, feature_names=NAMES, n_features=None, model="m",
                               positional=True)
    np.testing.assert_array_equal(positional, base.to_numpy())


@settings(max_examples=50, deadline=None, derandomize=True)
@given(arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(2, 5)),
              elements=st.floats(0.01, 100.0)))
def test_normalised_rows_pass_unchanged(raw):
    proba = raw / raw.sum(axis=1, keepdims=True)
    out = as_probabilities(proba, n_rows=len(proba), classes=np.arange(raw.shape[1]), model="m")
    np.testing.assert_array_equal(out, proba)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(0.0, 1.0)))
def test_binary_positive_column_is_expanded(p):
    out = as_probabilities(p, n_rows=len(p), classes=np.array(["no", "yes"]), model="m")
    np.testing.assert_array_equal(out[:, 1], p)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_negative_probabilities_are_refused():
    with pytest.raises(ModelError, match="row 1"):
        as_probabilities(np.array([[0.5, 0.5], [1.5, -0.5]]), n_rows=2,
                         classes=np.array([0, 1]), model="m")


def test_polars_input_is_read(iris, iris_model):
    X, _ = iris
    model = wrap(iris_model)
    np.testing.assert_array_equal(model.predict(pl.from_pandas(X)), iris_model.predict(X))


def test_missing_optional_dependency_names_the_extra(tmp_path, monkeypatch):
    # skops is a core dependency; ONNX support is the `models` extra
    onnx_path = tmp_path / "m.onnx"
    onnx_path.write_bytes(b"\x08\x07")
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(MissingExtraError, match=r"'onnx'.*stalwart\[models\]"):
        load_model(onnx_path)
