"""load_model / save_model: safe formats load, pickle needs explicit trust."""

from __future__ import annotations

import functools
import operator
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
import xgboost
from skl2onnx import to_onnx
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from stalwart.exceptions import ModelError, ParameterError, UnsafeModelError
from stalwart.models import (OnnxAdapter, SklearnAdapter, load_model, save_model,
                             untrusted_skops_types, wrap)


def test_skops_round_trip_of_a_categorical_pipeline(tmp_path, categorical, categorical_pipeline):
    X, y = categorical
    est = categorical_pipeline().fit(X, y)
    path = save_model(est, tmp_path / "sub" / "churn.skops")
    assert path == tmp_path / "sub" / "churn.skops" and path.stat().st_size > 0
    model = load_model(path)
    assert isinstance(model, SklearnAdapter)
    assert model.classes_.tolist() == ["churn", "stay"]
    np.testing.assert_array_equal(model.predict_proba(X), est.predict_proba(X))


def test_tree_models_load_without_trust(tmp_path, iris):
    # skops leaves sklearn.tree._tree.Tree out of its defaults; our allow-list takes it
    X, y = iris
    est = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    path = save_model(wrap(est), tmp_path / "forest.skops")
    assert untrusted_skops_types(path) == []
    np.testing.assert_array_equal(load_model(path).predict(X), est.predict(X))


def test_skops_with_foreign_types_needs_trust(tmp_path, cancer):
    X, y = cancer
    est = xgboost.XGBClassifier(n_estimators=10, random_state=0, n_jobs=1).fit(X, y)
    path = save_model(est, tmp_path / "xgb.skops")
    with pytest.raises(UnsafeModelError) as info:
        load_model(path)
    assert "xgboost.sklearn.XGBClassifier" in info.value.got
    assert "trusted=True" in info.value.fix and "--trust" in info.value.fix
    model = load_model(path, trusted=True)
    np.testing.assert_array_equal(model.predict_proba(X), est.predict_proba(X))


def test_skops_refuses_functions_outside_the_libraries(tmp_path, iris):
    X, y = iris
    est = make_pipeline(FunctionTransformer(operator.neg), LinearRegression()).fit(X, y)
    path = save_model(est, tmp_path / "neg.skops")
    assert untrusted_skops_types(path) == ["_operator.neg"]
    with pytest.raises(UnsafeModelError, match="_operator.neg"):
        load_model(path)
    np.testing.assert_allclose(load_model(path, trusted=True).predict(X), est.predict(X))


def test_onnx_file_round_trip(tmp_path, iris):
    X, y = iris
    est = LogisticRegression(max_iter=1000).fit(X.to_numpy(), y)
    path = tmp_path / "iris.onnx"
    path.write_bytes(to_onnx(est, X.to_numpy()[:1].astype(np.float32)).SerializeToString())
    model = load_model(path)
    assert isinstance(model, OnnxAdapter)
    assert model.classes_.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(model.predict(X), est.predict(X.to_numpy()))
    np.testing.assert_allclose(model.predict_proba(X), est.predict_proba(X.to_numpy()), atol=1e-5)


class _Touch:
    """Unpickling this object creates a file: a harmless stand-in for a malicious payload."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


@pytest.mark.parametrize("suffix", [".pkl", ".pickle", ".joblib"])
def test_pickle_is_refused_without_trust_and_runs_no_code(tmp_path, suffix):
    marker = tmp_path / "pwned"
    path = tmp_path / f"model{suffix}"
    path.write_bytes(pickle.dumps(_Touch(marker)))
    with pytest.raises(UnsafeModelError) as info:
        load_model(path)
    assert not marker.exists()
    assert "unpickling runs any code the file contains" in info.value.got
    assert "trusted=True" in info.value.fix and "--trust" in info.value.fix
    assert "skops" in info.value.fix and "ONNX" in info.value.fix
    # trusting it runs the payload, which returns None: not a model
    with pytest.raises(ModelError, match="NoneType"):
        load_model(path, trusted=True)
    assert marker.exists()


def test_trusted_pickle_and_joblib_load(tmp_path, iris, iris_model):
    X, y = iris
    est = iris_model
    (tmp_path / "m.pkl").write_bytes(pickle.dumps(est))
    joblib.dump(est, tmp_path / "m.joblib")
    for name in ("m.pkl", "m.joblib"):
        model = load_model(tmp_path / name, trusted=True)
        np.testing.assert_array_equal(model.predict_proba(X), est.predict_proba(X))


def test_task_is_passed_through(tmp_path):
    path = tmp_path / "f.pkl"
    path.write_bytes(pickle.dumps(functools.partial(np.sum, axis=1)))
    with pytest.raises(ModelError, match="cannot tell whether it classifies or regresses"):
        load_model(path, trusted=True)
    model = load_model(path, trusted=True, task="regression")
    np.testing.assert_array_equal(model.predict(np.array([[1.0, 2.0], [3.0, 4.0]])), [3.0, 7.0])


@pytest.mark.parametrize("suffix,content,match", [
    (".skops", b"not a zip archive", "a complete skops file"),
    (".onnx", b"\x08\x07garbage that is not an onnx graph", "ONNX"),
    (".pkl", b"\x80\x04truncated", "a complete pkl file"),
    (".skops", b"", "empty file"),
])
def test_damaged_files(tmp_path, suffix, content, match):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=match):
        load_model(path, trusted=True)


def test_missing_directory_and_unknown_suffix(tmp_path):
    with pytest.raises(ModelError, match="no such file"):
        load_model(tmp_path / "absent.skops")
    with pytest.raises(ModelError, match="a directory"):
        load_model(tmp_path)
    (tmp_path / "model.h5").write_bytes(b"x")
    with pytest.raises(ModelError, match="suffix '.h5'"):
        load_model(tmp_path / "model.h5")
    with pytest.raises(ParameterError, match="True or False"):
        load_model(tmp_path / "model.h5", trusted="yes")


def test_save_model_refusals(tmp_path, iris_model):
    est = iris_model
    with pytest.raises(ParameterError, match="a path ending in .skops"):
        save_model(est, tmp_path / "model.pkl")
    with pytest.raises(ModelError, match="CallableAdapter"):
        save_model(wrap(len, task="regression"), tmp_path / "f.skops")
    assert not (tmp_path / "f.skops").exists()


@pytest.mark.parametrize("type_name,allowed", [
    ("sklearn.tree._tree.Tree", True),
    ("numpy.dtype", True),
    ("sklearn.neighbors._kd_tree.KDTree", True),
    ("numpy.mean", False),                      # a function, not a class
    ("sklearn.feature_selection._univariate_selection.f_classif", False),
    ("sklearn.tests.test_base.T", False),       # test modules are never imported
    ("sklearn.no_such_module.Thing", False),
    ("os.system", False),
    ("builtins.eval", False),
    ("xgboost.sklearn.XGBClassifier", False),
])
def test_library_class_allow_list(type_name, allowed):
    from stalwart.models.loading import _library_class

    assert _library_class(type_name) is allowed
