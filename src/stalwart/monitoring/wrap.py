"""``monitor.wrap(model)``: the model's ``predict`` with every row logged.

The wrapper times the model's own call, copies the inputs and answers (a few numpy
copies), and queues ONE record per call. The background thread sends it as one *column
block* (:mod:`stalwart.store.columnar`; over HTTP in a binary frame,
:mod:`stalwart.store.frames`: the input rows as one array, no per-row Python) and
the server, or a local sink, expands it into one event per row (features by name,
``prediction``, ``proba`` per class, the call's latency and ``metadata={"batch_rows":
n}``). The model's answer is returned unchanged.

Row ids are ``<wrapper id>-<call number>-<row>`` unless ``event_ids=`` is passed;
``last_event_ids`` gives the ids of the last call (to join labels later).

>>> import numpy as np
>>> from stalwart.monitoring.client import Monitor
>>> from stalwart.monitoring.sinks import MemorySink
>>> class Doubler:
...     def predict(self, X):
...         return np.asarray(X)[:, 0] * 2
>>> sink = MemorySink()
>>> with Monitor(sink, model="m", model_version="1", spill_path=None) as monitor:
...     model = monitor.wrap(Doubler(), feature_names=["a", "b"])
...     model.predict(np.array([[1.0, 5.0], [2.0, 6.0]])).tolist()
...     ids = model.last_event_ids
[2.0, 4.0]
>>> event = sink.events[ids[1]]
>>> event["features"], event["outputs"]["prediction"], event["metadata"]
({'a': 2.0, 'b': 6.0}, 4.0, {'batch_rows': 2})
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..exceptions import DataError, ModelError
from ..store.frames import ColumnMatrix

__all__ = ["MonitoredModel"]


class _CallRecord:
    """One wrapped call: sent as one column block, or expanded into per-row events."""

    __slots__ = ("names", "values", "preds", "proba", "classes", "latency", "when",
                 "ids", "prefix", "segment", "model", "version")

    def __init__(self, names: Any, values: np.ndarray, preds: np.ndarray, proba: Any,
                 classes: Any, latency: float, when: float, ids: list[str] | None,
                 prefix: str, segment: str | None, model: str, version: str) -> None:
        self.names = names
        self.values = values
        self.preds = preds
        self.proba = proba
        self.classes = classes
        self.latency = latency
        self.when = when
        self.ids = ids
        self.prefix = prefix
        self.segment = segment
        self.model = model
        self.version = version

    def block(self) -> dict[str, Any]:
        """The call as one column block (numpy columns; see :mod:`stalwart.store.columnar`)."""
        n = len(self.preds)
        names = self.names if isinstance(self.names, list) else [str(c) for c in self.names]
        # the input rows and the probabilities stay one 2-D array each: a frame carries
        # them as such (no copy per column); elsewhere they read as {name: column}
        if isinstance(self.values, _FrameBlocks):  # assembled here, off the caller's thread
            self.values = self.values.array()
        features = ColumnMatrix(names, self.values)
        proba = None
        if self.proba is not None:
            proba = ColumnMatrix([str(c) for c in self.classes], self.proba)
        stamp = dt.datetime.fromtimestamp(self.when, dt.timezone.utc).isoformat()
        block: dict[str, Any] = {"model": self.model, "model_version": self.version,
                                 "segment": self.segment}
        if self.ids is None:
            block["id_prefix"] = self.prefix
        else:
            block["event_ids"] = self.ids
        block.update({"timestamp": stamp, "latency_ms": self.latency, "features": features,
                      "outputs": {"prediction": self.preds, "proba": proba},
                      "metadata": {"batch_rows": n}})
        return block

    def expand(self) -> list[dict[str, Any]]:
        """One event per row (the spill file, the dead-letter file and per-event sinks)."""
        from ..store.columnar import expand_blocks
        return expand_blocks([self.block()])[0]


class MonitoredModel:
    """A stand-in for ``model``: ``predict`` (and ``predict_proba`` when the model has it)
    log every row through ``monitor``; every other attribute is the model's.

    ``with_proba=True`` makes ``predict`` also call ``predict_proba`` to log
    probabilities (one more model call). ``feature_names`` names the columns of arrays
    (default: the model's ``feature_names_in_``, else ``x0, x1, ...``). ``model_version``
    logs the rows under another version of the monitor's model (a shadow or challenger
    scored beside the live one, through the same queue and spill file).
    """

    def __init__(self, model: Any, monitor: Any, *, feature_names: Sequence[str] | None = None,
                 segment: str | None = None, with_proba: bool = False,
                 model_version: str | None = None) -> None:
        if not callable(getattr(model, "predict", None)):
            raise ModelError("wrapped model", expected="an object with predict(X)",
                             got=type(model).__name__, fix="wrap a fitted estimator")
        self.model = model
        self.monitor = monitor
        self.feature_names = None if feature_names is None else [str(f) for f in feature_names]
        self.segment = segment
        if model_version is not None and (not isinstance(model_version, str)
                                          or not model_version):
            raise ModelError("wrap model_version", expected="a non-empty string or None (the "
                             "monitor's version)", got=repr(model_version),
                             fix="pass e.g. model_version='v2' for a shadow model")
        self.model_version = model_version
        self.with_proba = with_proba and callable(getattr(model, "predict_proba", None))
        self._prefix = uuid.uuid4().hex[:16]
        self._calls = itertools.count()
        self._names_cache: list[str] | None = None
        self._column_names: tuple[Any, list[str]] = (None, [])
        self._last: tuple[str | None, list[str] | None, int] = (None, None, 0)
        if callable(getattr(model, "predict_proba", None)):
            self.predict_proba = self._predict_proba

    def __getattr__(self, name: str) -> Any:
        if name in ("model", "_names_cache", "_column_names", "__setstate__"):
            raise AttributeError(name)
        return getattr(self.model, name)

    @property
    def last_event_ids(self) -> list[str]:
        """The event ids of the rows of the last call."""
        prefix, ids, n = self._last
        if ids is not None:
            return list(ids)
        return [] if prefix is None else [f"{prefix}-{i}" for i in range(n)]

    def predict(self, X: Any, *, event_ids: Sequence[str] | None = None,
                segment: str | None = None) -> Any:
        start = time.perf_counter()
        y = self.model.predict(X)
        proba = self.model.predict_proba(X) if self.with_proba else None
        latency = (time.perf_counter() - start) * 1000.0
        self._log(X, y, proba, latency, event_ids, segment)
        return y

    def _predict_proba(self, X: Any, *, event_ids: Sequence[str] | None = None,
                       segment: str | None = None) -> Any:
        start = time.perf_counter()
        proba = self.model.predict_proba(X)
        latency = (time.perf_counter() - start) * 1000.0
        classes = getattr(self.model, "classes_", None)
        index = np.asarray(proba).argmax(axis=1)
        y = np.asarray(classes)[index] if classes is not None else index
        self._log(X, y, proba, latency, event_ids, segment)
        return proba

    def _log(self, X: Any, y: Any, proba: Any, latency: float,
             event_ids: Sequence[str] | None, segment: str | None) -> None:
        when = time.time()
        names, values = self._features(X)
        preds = _native(np.array(y, copy=True).reshape(-1))
        n = len(preds)
        if values.shape[0] != n:
            raise DataError("wrapped predict", expected=f"one prediction per row "
                            f"({values.shape[0]})", got=f"{n} predictions",
                            fix="wrap a model returning one per row")
        if event_ids is not None:
            event_ids = [str(e) for e in event_ids]
            if len(event_ids) != n:
                raise DataError("event_ids", expected=f"{n} ids (one per row)",
                                got=f"{len(event_ids)}", fix="pass one id per row of X")
        classes = None
        if proba is not None:
            proba = np.array(proba, dtype=float, copy=True).reshape(n, -1)
            classes = getattr(self.model, "classes_", None)
            classes = list(range(proba.shape[1])) if classes is None else list(classes)
        prefix = f"{self._prefix}-{next(self._calls)}"
        record = _CallRecord(names, values, preds, proba, classes, latency, when, event_ids,
                             prefix, self.segment if segment is None else segment,
                             self.monitor.model,
                             self.model_version or self.monitor.model_version)
        self._last = (prefix, event_ids, n)
        self.monitor._enqueue("batch", record, n)

    def _features(self, X: Any) -> tuple[Any, Any]:
        columns = getattr(X, "columns", None)
        if columns is not None and hasattr(X, "to_numpy"):  # a pandas DataFrame
            seen, names = self._column_names  # one tuple: safe when threads share a wrapper
            if columns is not seen:  # an immutable Index, often the same object call to call
                names = [str(c) for c in columns]
                self._column_names = (columns, names)
            blocks = _FrameBlocks.copy_of(X, len(names))
            if blocks is not None:  # numbers only: no check of the values needed
                return names, blocks
            values = X.to_numpy(copy=True)
        else:
            if hasattr(X, "toarray"):  # a scipy sparse matrix
                X = X.toarray()
            values = np.array(X, copy=True)
            if values.ndim == 1:
                values = values.reshape(1, -1)
            names = self.feature_names
            if names is None:
                names = self._array_names(values.shape[1] if values.ndim == 2 else 0)
        if values.ndim != 2 or len(names) != values.shape[1]:
            raise DataError("wrapped predict X", expected=f"a 2-D table with {len(names)} "
                            "columns (the feature names)", got=f"shape {values.shape}",
                            fix="pass feature_names= matching the columns of X")
        if values.dtype == object:
            from .client import _check_value
            _check_value(values.ravel().tolist(), "features")
        return names, _native(values)

    def _array_names(self, width: int) -> list[str]:
        cached = self._names_cache
        if cached is not None and len(cached) == width:
            return cached
        fitted = getattr(self.model, "feature_names_in_", None)
        names = ([str(c) for c in fitted] if fitted is not None
                 else [f"x{i}" for i in range(width)])
        self._names_cache = names
        return names

    def __repr__(self) -> str:
        return f"MonitoredModel({self.model!r})"


class _FrameBlocks:
    """A numeric DataFrame's values, copied block by block on the caller's thread and made
    into one array by the background thread.

    ``DataFrame.to_numpy`` on a frame of several blocks (columns added one by one, or of
    mixed int and float types) costs the caller 8-20 us in pandas' own bookkeeping for
    any number of rows, 2-4% of a fast model's ``predict``; copying each block's array
    costs 2-4 us. This reads pandas' block manager (``_mgr.blocks``, ``values``,
    ``mgr_locs``: internal, but unchanged from pandas 1.x to 3.x) and falls back to
    ``to_numpy`` for anything else: a frame without it, an extension or object block, a
    boolean block (pandas turns bool mixed with numbers into objects, and so does the
    fallback), a layout that does not add up.
    """

    __slots__ = ("parts", "shape")

    def __init__(self, parts: list[tuple[Any, np.ndarray]],
                 shape: tuple[int, int]) -> None:
        self.parts = parts
        self.shape = shape

    @classmethod
    def copy_of(cls, X: Any, width: int) -> _FrameBlocks | None:
        try:
            blocks = X._mgr.blocks
            parts = []
            covered = 0
            for blk in blocks:
                v = blk.values
                if type(v) is not np.ndarray or v.ndim != 2 or v.dtype.kind not in "iuf":
                    return None
                placement = blk.mgr_locs
                covered += len(placement)
                # the indexer (a slice for a run of columns) builds no array per call
                parts.append((placement.indexer, v.copy()))
            if covered != width or not parts:
                return None
            return cls(parts, (parts[0][1].shape[1], width))
        except (AttributeError, TypeError, IndexError):
            return None

    def array(self) -> np.ndarray:
        """The values as one (rows, columns) array, as ``to_numpy`` gives them."""
        dtype = np.result_type(*[v.dtype for _, v in self.parts])
        out = np.empty(self.shape, dtype=dtype)
        for locs, v in self.parts:
            out[:, locs] = v.T
        return _native(out)


def _native(values: np.ndarray) -> np.ndarray:
    """``values`` in the machine's byte order (orjson reads a big-endian array's bytes as
    if they were native, so such a column would be logged as wrong numbers)."""
    return values if values.dtype.isnative else values.astype(values.dtype.newbyteorder("="))
