"""Adapter over an ONNX model run by onnxruntime (an ``InferenceSession`` or an ``onnx.ModelProto``).

onnxruntime is imported lazily (extra ``models``). Inputs are fed the way skl2onnx lays
them out: one 2-D tensor for all columns, or one ``[N, 1]`` tensor per column named after
it (pipelines converted from a DataFrame, with string inputs for categorical columns).

A classifier has a label output followed by a probability output, either a tensor
``[N, n_classes]`` (skl2onnx ``options={"zipmap": False}``) or skl2onnx's default ZipMap, a
list of ``{label: probability}`` dicts. Class labels are read from the graph (the
``classlabels_*`` attribute of the ZipMap or classifier node) when the model proto is at
hand; a bare session does not expose its graph, so a classifier given as a session needs
``classes=``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._optional import require
from ..exceptions import ModelError, SchemaError
from ._contract import as_predictions, as_probabilities, normalise_options, prepare_input
from .adapter import ModelAdapter

__all__ = ["OnnxAdapter"]

#: ONNX tensor element types we can feed, and the numpy dtype each takes
_INPUT_DTYPES: dict[str, Any] = {
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
    "tensor(bool)": np.bool_,
    "tensor(string)": object,
}
_LABEL_TYPES = ("tensor(int64)", "tensor(int32)", "tensor(string)")


class OnnxAdapter(ModelAdapter):
    """An onnxruntime session with the names of its label and probability outputs."""

    def __init__(
        self,
        session: Any,
        *,
        task: str,
        classes: np.ndarray | None,
        feature_names: list[str] | None,
        name: str,
        version: str | None,
        prediction_output: str,
        proba_output: str | None,
    ) -> None:
        self.session = session
        self.task = task
        self.classes_ = classes
        self.feature_names = feature_names
        self.name = name
        self.version = version
        self.prediction_output = prediction_output
        self.proba_output = proba_output
        self.capabilities = frozenset({"predict"} | ({"predict_proba"} if proba_output else set()))

    # -- factory -------------------------------------------------------------------------
    @classmethod
    def accepts(cls, model: Any) -> bool:
        return _is_session(model) or _is_proto(model)

    @classmethod
    def build(
        cls,
        model: Any,
        *,
        task: str | None = None,
        classes: Any = None,
        feature_names: Any = None,
        name: str | None = None,
        version: str | None = None,
    ) -> OnnxAdapter:
        task, classes, feature_names = normalise_options(task=task, classes=classes,
                                                         feature_names=feature_names)
        graph_classes = None
        if _is_proto(model):
            graph_classes = _graph_classes(model)
            name = name or model.graph.name or "onnx model"
            version = version or (str(model.model_version) if model.model_version else None)
            model = session_from_bytes(model.SerializeToString(), what=f"ONNX model {name!r}")
        label = name or "onnx model"
        outputs = model.get_outputs()
        inputs = model.get_inputs()
        if task is None:
            task = _infer_task(outputs, label)
        prediction_output, proba_output = outputs[0].name, None
        if task == "classification":
            if len(outputs) >= 2:
                proba_output = outputs[1].name
            classes = _resolve_classes(classes, graph_classes, label)
        if len(inputs) > 1:
            input_names = [i.name for i in inputs]
            if feature_names is not None and sorted(feature_names) != sorted(input_names):
                raise ModelError(f"feature_names of model {label!r}", expected=f"the model's "
                                 f"inputs {input_names}", got=repr(feature_names),
                                 fix="drop feature_names= (they are the input names)")
            feature_names = input_names
        for i in inputs:
            if i.type not in _INPUT_DTYPES:
                raise ModelError(f"input {i.name!r} of model {label!r}", expected="a tensor "
                                 f"of one of {sorted(_INPUT_DTYPES)}", got=i.type,
                                 fix="export the model with float, int64 or string inputs")
        return cls(model, task=task, classes=classes, feature_names=feature_names, name=label,
                   version=version, prediction_output=prediction_output,
                   proba_output=proba_output)

    # -- contract ------------------------------------------------------------------------
    def _feed(self, X: Any) -> tuple[dict[str, np.ndarray], int]:
        inputs = self.session.get_inputs()
        if len(inputs) == 1:
            (inp,) = inputs
            width = inp.shape[1] if len(inp.shape) == 2 and isinstance(inp.shape[1], int) else None
            data = prepare_input(X, feature_names=self.feature_names, n_features=width,
                                 model=self.name, positional=True)
            return {inp.name: _as_tensor(data, inp, self.name)}, len(data)
        frame = prepare_input(X, feature_names=self.feature_names, n_features=None,
                              model=self.name)
        if isinstance(frame, np.ndarray):  # no names known: cannot happen with several inputs
            frame = pd.DataFrame(frame, columns=[i.name for i in inputs])
        feed = {i.name: _as_tensor(frame[i.name].to_numpy().reshape(-1, 1), i, self.name)
                for i in inputs}
        return feed, len(frame)

    def _run(self, output: str, X: Any) -> tuple[Any, int]:
        feed, n_rows = self._feed(X)
        try:
            (out,) = self.session.run([output], feed)
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own untyped errors
            raise ModelError(f"model {self.name!r}", expected="input the ONNX runtime accepts",
                             got=f"{type(exc).__name__}: {exc}",
                             fix="pass the columns and types the model was exported with") from exc
        return out, n_rows

    def predict(self, X: Any) -> np.ndarray:
        out, n_rows = self._run(self.prediction_output, X)
        return as_predictions(out, n_rows=n_rows, model=self.name)

    def predict_proba(self, X: Any) -> np.ndarray:
        if self.proba_output is None or self.classes_ is None:
            raise ModelError(f"predict_proba of model {self.name!r}",
                             expected="a classifier with a probability output",
                             got=f"a {self.task} model with outputs "
                             f"{[o.name for o in self.session.get_outputs()]}",
                             fix="use predict(), or export the classifier with probabilities")
        out, n_rows = self._run(self.proba_output, X)
        if isinstance(out, list):  # ZipMap: one {label: probability} dict per row
            out = pd.DataFrame(out, columns=list(self.classes_)).to_numpy(dtype=float)
        return as_probabilities(out, n_rows=n_rows, classes=self.classes_, model=self.name)

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        out["inputs"] = [{"name": i.name, "type": i.type} for i in self.session.get_inputs()]
        out["outputs"] = [{"name": o.name, "type": o.type} for o in self.session.get_outputs()]
        return out

    def __repr__(self) -> str:
        return f"OnnxAdapter({self.name!r}, task={self.task!r})"


def session_from_bytes(content: bytes, *, what: str) -> Any:
    """An onnxruntime CPU session over serialised model bytes (a ModelError if invalid)."""
    ort = require("onnxruntime", extra="models", purpose="running ONNX models")
    try:
        return ort.InferenceSession(content, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own untyped errors
        raise ModelError(what, expected="a valid ONNX model", got=f"{type(exc).__name__}: "
                         f"{str(exc)[:300]}", fix="re-export the model (e.g. with skl2onnx) "
                         "and check the file is complete") from exc


def _is_session(model: Any) -> bool:
    kind = type(model)
    return (kind.__module__.split(".")[0] == "onnxruntime" and hasattr(model, "run")
            and hasattr(model, "get_inputs"))


def _is_proto(model: Any) -> bool:
    kind = type(model)
    return kind.__module__.split(".")[0] == "onnx" and kind.__name__ == "ModelProto"


def _graph_classes(proto: Any) -> np.ndarray | None:
    """Class labels from the ZipMap node, else from the first classifier node."""
    nodes = sorted(proto.graph.node, key=lambda n: n.op_type != "ZipMap")
    for node in nodes:
        for attr in node.attribute:
            if attr.name.startswith("classlabels_"):
                if attr.strings:
                    return np.array([s.decode("utf-8") for s in attr.strings], dtype=object)
                if attr.ints:
                    return np.array(list(attr.ints), dtype=np.int64)
    return None


def _infer_task(outputs: list[Any], label: str) -> str:
    if len(outputs) >= 2 and outputs[0].type in _LABEL_TYPES:
        return "classification"
    if len(outputs) == 1 and outputs[0].type in ("tensor(float)", "tensor(double)"):
        return "regression"
    raise ModelError(f"task of model {label!r}", expected="a label and a probability output "
                     "(classifier) or one float output (regressor)",
                     got=f"outputs {[(o.name, o.type) for o in outputs]}",
                     fix="pass task='classification' (with classes=) or task='regression'")


def _resolve_classes(given: np.ndarray | None, graph: np.ndarray | None,
                     label: str) -> np.ndarray:
    if given is None and graph is None:
        raise ModelError(f"classes of model {label!r}", expected="class labels in the graph "
                         "or classes= given", got="an ONNX session, whose graph is not "
                         "readable", fix="pass classes=[...], or wrap the onnx.ModelProto "
                         "or load the file with load_model() so labels are read from it")
    if given is not None and graph is not None and given.astype(str).tolist() != \
            graph.astype(str).tolist():
        raise ModelError(f"classes of model {label!r}", expected=f"the graph's labels "
                         f"{graph.tolist()}", got=f"classes={given.tolist()}",
                         fix="drop classes= (they are read from the model)")
    return graph if given is None else given


def _as_tensor(data: np.ndarray, inp: Any, model: str) -> np.ndarray:
    dtype = _INPUT_DTYPES[inp.type]
    try:
        if dtype is object:
            return data.astype(str).astype(object)
        return np.asarray(data, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"input {inp.name!r} of model {model!r}", expected=f"values "
                          f"convertible to {inp.type}", got=f"{type(exc).__name__}: {exc}",
                          fix="convert the column to the type the model was exported "
                          "with") from None
