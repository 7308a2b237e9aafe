"""Loading models from files, safely by default, and saving them as skops.

==================  ==============================================================
suffix              how it is loaded
==================  ==============================================================
``.skops``          skops.io: objects are rebuilt from an allow-list of types, no code
                    from the file runs. Types outside the allow-list are refused
                    unless ``trusted=True``.
``.onnx``           onnxruntime: a computation graph, no Python code at all.
``.pkl .pickle``    pickle / joblib: unpickling runs whatever code the file names, so
``.joblib``         these are refused unless ``trusted=True`` (``--trust`` on the CLI).
==================  ==============================================================

The skops allow-list is skops's own default list plus the scikit-learn and numpy *classes*
that hold fitted state in ordinary models (``sklearn.tree._tree.Tree`` in every forest,
``numpy.dtype`` in imputers, KD-trees, Gaussian-process kernels...): skops leaves them out
of its defaults, which would refuse most tree models. A name counts only when it resolves
to a class defined in scikit-learn or numpy; functions (which a FunctionTransformer would
call) and every other library still need ``trusted=True``.
"""

from __future__ import annotations

import importlib
import pickle
from pathlib import Path
from typing import Any

from .._optional import require
from ..exceptions import ModelError, ParameterError, UnsafeModelError
from .adapter import ModelAdapter
from .onnx import OnnxAdapter
from .registry import wrap
from .sklearn import SklearnAdapter

__all__ = ["PICKLE_SUFFIXES", "SAFE_SUFFIXES", "load_model", "save_model",
           "untrusted_skops_types"]

SAFE_SUFFIXES = (".skops", ".onnx")
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")
_LIBRARY_CLASS_ROOTS = ("sklearn", "numpy")
# module paths never imported to vet a name: test suites and build tools run code on import
_NEVER_IMPORT = frozenset({"tests", "conftest", "testing", "_testing", "f2py", "distutils",
                           "_pyinstaller"})


def load_model(path: str | Path, *, trusted: bool = False, task: str | None = None) -> ModelAdapter:
    """Load a model file and wrap it (see the module docstring for the formats).

    ``trusted=True`` allows pickle/joblib files and skops files with types outside the
    allow-list: only pass it for files you made or whose source you trust.
    """
    if not isinstance(trusted, bool):
        raise ParameterError("trusted", expected="True or False", got=repr(trusted),
                             fix="pass trusted=True only for files you trust")
    p = Path(path)
    what = f"model file {str(p)!r}"
    if not p.exists():
        raise ModelError(what, expected="an existing file", got="no such file",
                         fix="check the path and try again")
    if p.is_dir():
        raise ModelError(what, expected="a file", got="a directory",
                         fix="pass the path of a .skops, .onnx or (trusted) .pkl/.joblib file")
    suffix = p.suffix.lower()
    if suffix not in SAFE_SUFFIXES + PICKLE_SUFFIXES:
        raise ModelError(what, expected=f"one of {list(SAFE_SUFFIXES + PICKLE_SUFFIXES)}",
                         got=f"suffix {suffix or '(none)'!r}",
                         fix="save the model with stalwart.models.save_model(model, "
                         "'model.skops') or export it to ONNX")
    if p.stat().st_size == 0:
        raise ModelError(what, expected="a saved model", got="an empty file (0 bytes)",
                         fix="check that saving the model finished")
    if suffix == ".onnx":
        return _load_onnx(p, what, task)
    if suffix == ".skops":
        return wrap(_load_skops(p, what, trusted), task=task)
    if not trusted:
        raise UnsafeModelError(what, expected="a safe format (.skops or .onnx), or an explicit "
                               "opt-in to unpickling",
                               got=f"a {suffix} file: unpickling runs any code the file "
                               "contains, so a malicious or tampered file can take over "
                               "this process",
                               fix="if you made this file or trust its source, pass "
                               "trusted=True (Python) or --trust (CLI); better, convert it "
                               "once with stalwart.models.save_model(model, 'model.skops') "
                               "or to ONNX with skl2onnx")
    return wrap(_unpickle(p, what, suffix), task=task)


def save_model(model: Any, path: str | Path) -> Path:
    """Save a scikit-learn-style model (or its adapter) as a ``.skops`` file; return the path.

    skops is a safe format: :func:`load_model` reads it back without ``trusted=True``
    (except for types outside scikit-learn and numpy, such as XGBoost's).
    """
    p = Path(path)
    if p.suffix.lower() != ".skops":
        raise ParameterError(f"model path {str(p)!r}", expected="a path ending in .skops",
                             got=f"suffix {p.suffix or '(none)'!r}",
                             fix="save to 'model.skops' (for ONNX, convert with skl2onnx)")
    adapter = wrap(model)
    if not isinstance(adapter, SklearnAdapter):
        raise ModelError("model to save", expected="a scikit-learn-style estimator "
                         "(skops stores estimators)", got=f"a model handled by "
                         f"{type(adapter).__name__}",
                         fix="save the estimator itself; an ONNX model is already a file")
    import skops.io as sio  # a core dependency, imported lazily to keep start-up fast
    p.parent.mkdir(parents=True, exist_ok=True)
    try:
        sio.dump(adapter.model, p)
    except Exception as exc:  # noqa: BLE001 - skops raises many types for unsupported objects
        raise ModelError("model to save", expected="an object skops can store",
                         got=f"{type(exc).__name__}: {exc}",
                         fix="save the scikit-learn estimator or pipeline itself") from exc
    return p


def untrusted_skops_types(path: str | Path) -> list[str]:
    """Types in a skops file outside the allow-list (see the module docstring)."""
    import skops.io as sio  # a core dependency, imported lazily to keep start-up fast
    return [t for t in sio.get_untrusted_types(file=Path(path)) if not _library_class(t)]


def _load_skops(p: Path, what: str, trusted: bool) -> Any:
    import skops.io as sio  # a core dependency, imported lazily to keep start-up fast
    try:
        listed = sio.get_untrusted_types(file=p)
    except Exception as exc:  # noqa: BLE001 - zipfile, json and skops errors alike
        raise _unreadable(what, "skops", exc) from exc
    refused = [t for t in listed if not _library_class(t)]
    if refused and not trusted:
        raise UnsafeModelError(what, expected="only types skops, scikit-learn and numpy "
                               "rebuild safely", got=f"{len(refused)} other types: "
                               f"{refused}",
                               fix="check that these types are what you expect, then pass "
                               "trusted=True (Python) or --trust (CLI)")
    try:
        return sio.load(p, trusted=listed or None)
    except Exception as exc:  # noqa: BLE001 - skops raises many types for damaged files
        raise _unreadable(what, "skops", exc) from exc


def _load_onnx(p: Path, what: str, task: str | None) -> ModelAdapter:
    onnx = require("onnx", extra="models", purpose="loading .onnx files")
    try:
        proto = onnx.load(str(p))
    except Exception as exc:  # noqa: BLE001 - protobuf decode errors have no common base
        raise _unreadable(what, "ONNX", exc) from exc
    if not proto.graph.node:
        raise _unreadable(what, "ONNX", ValueError("the graph has no nodes"))
    return OnnxAdapter.build(proto, task=task, name=proto.graph.name or p.stem)


def _unpickle(p: Path, what: str, suffix: str) -> Any:
    try:
        if suffix == ".joblib":
            import joblib

            return joblib.load(p)
        with p.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - only with trusted=True
    except Exception as exc:  # noqa: BLE001 - unpickling can raise anything
        raise _unreadable(what, suffix.lstrip("."), exc) from exc


def _unreadable(what: str, fmt: str, exc: Exception) -> ModelError:
    return ModelError(what, expected=f"a complete {fmt} file",
                      got=f"{type(exc).__name__}: {str(exc)[:300]}",
                      fix="check the file is not truncated or corrupted, and save it again")


def _library_class(type_name: str) -> bool:
    """Whether ``type_name`` is a class defined in scikit-learn or numpy."""
    module_name, _, attr = type_name.rpartition(".")
    root = module_name.split(".")[0]
    if root not in _LIBRARY_CLASS_ROOTS or not attr:
        return False
    if _NEVER_IMPORT.intersection(module_name.split(".")):
        return False
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    obj = getattr(module, attr, None)
    return isinstance(obj, type) and obj.__module__.split(".")[0] == root
