"""Serving several versions of a model: shadow mode and per-customer routing.

:class:`ShadowModel` scores every request with two versions and answers with the primary:
the shadow's predictions are kept next to the primary's (``agreement()`` gives the churn
so far, with the flip matrix for classification) and, given a ``Monitor``, logged as
events of the shadow's version, so the stored traffic of both versions can be compared
later. A failing shadow never fails the request: its error is counted and the primary's
answer returned.

:class:`PinnedRouter` answers each customer with the version the registry gives it (its
pin, else the champion): a batch mixing customers is split by version, each part scored
by its model, and the answers reassembled in the order of the rows.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])
>>> old = LogisticRegression().fit(X, y)
>>> new = LogisticRegression().fit(X, 1 - y)  # a deliberately different model
>>> shadowed = ShadowModel(old, new)
>>> shadowed.predict(X).tolist()  # the primary answers
[0, 0, 1, 1]
>>> agreement = shadowed.agreement()
>>> agreement.n_rows, agreement.churn
(4, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..exceptions import DataError, ModelError, ParameterError
from .compatibility import ShadowAgreement, shadow_agreement

__all__ = ["PinnedRouter", "ShadowModel"]


def _has(model: Any, method: str) -> bool:
    return callable(getattr(model, method, None))


def _labels(model: Any, proba: Any) -> np.ndarray:
    index = np.asarray(proba).argmax(axis=1)
    classes = getattr(model, "classes_", None)
    return index if classes is None else np.asarray(classes)[index]


class ShadowModel:
    """``primary`` answers, ``shadow`` is scored on the same rows and kept.

    ``monitor`` (a :class:`stalwart.monitoring.Monitor`) logs the shadow's rows as events of
    model version ``shadow_version`` (required with a monitor); a row's shadow event id is
    ``<primary event id>@<shadow_version>`` when the primary's ids are known (``event_ids=``
    passed, or a primary wrapped with ``monitor.wrap``), so both versions' events of one
    request join. ``task`` and ``tolerance`` say how agreement is judged (classes must be
    equal; regression outputs within ``tolerance``). ``keep`` bounds the rows kept (the
    latest ``keep``; default all), and so the rows ``agreement()`` covers.
    """

    def __init__(self, primary: Any, shadow: Any, *, monitor: Any = None,
                 shadow_version: str | None = None, task: str = "classification",
                 tolerance: float | None = None, keep: int | None = None,
                 feature_names: Sequence[str] | None = None) -> None:
        self.primary = primary
        self.shadow = shadow
        self.monitor = monitor
        self.shadow_version = shadow_version
        self.task = task
        self.tolerance = tolerance
        self.keep = keep
        self.feature_names = feature_names

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("primary", "shadow"):
            raise AttributeError(name)
        return getattr(self.primary, name)  # classes_, feature_names_in_, ...

    # -- state (created on the first call: the constructor only stores parameters) ------
    def _ready(self) -> None:
        if "_kept" in self.__dict__:
            return
        for role, model in (("primary", self.primary), ("shadow", self.shadow)):
            if not _has(model, "predict"):
                raise ModelError(f"{role} model", expected="an object with predict(X)",
                                 got=type(model).__name__, fix="pass fitted models")
        if self.keep is not None and (isinstance(self.keep, bool)
                                      or not isinstance(self.keep, int) or self.keep < 1):
            raise ParameterError("keep", expected="an integer >= 1 or None (all rows)",
                                 got=repr(self.keep), fix="pass keep=100_000")
        if self.task not in ("classification", "regression"):
            raise ParameterError("task", expected="'classification' or 'regression'",
                                 got=repr(self.task), fix="pass task='classification'")
        if self.task == "regression" and self.tolerance is None:
            raise ParameterError("tolerance", expected="a tolerance >= 0 for regression "
                                 "outputs", got="None", fix="pass tolerance=0.0 or larger")
        scorer = self.shadow
        if self.monitor is not None:
            if not isinstance(self.shadow_version, str) or not self.shadow_version:
                raise ParameterError("shadow_version", expected="the shadow's model version "
                                     "(its events are logged under it)",
                                     got=repr(self.shadow_version),
                                     fix="pass shadow_version='v2' with monitor=")
            from ..monitoring.wrap import MonitoredModel
            scorer = MonitoredModel(self.shadow, self.monitor, model_version=self.shadow_version,
                                    feature_names=self.feature_names)
        self._scorer = scorer
        self._kept: list[tuple[np.ndarray, np.ndarray]] = []
        self._n_kept = 0
        self.n_calls_ = 0
        self.n_rows_ = 0
        self.shadow_errors_ = 0
        self.last_shadow_error_: str | None = None

    # -- scoring --------------------------------------------------------------------------
    def predict(self, X: Any, *, event_ids: Sequence[str] | None = None,
                segment: str | None = None) -> Any:
        """The primary's ``predict(X)`` (``event_ids`` and ``segment``, when given, are
        passed to it, as a wrapped model takes them); the shadow scores the same rows."""
        self._ready()
        y = self.primary.predict(X, **_logging_options(event_ids, segment))
        self._shadow("predict", X, y, event_ids, segment)
        return y

    def predict_proba(self, X: Any, *, event_ids: Sequence[str] | None = None,
                      segment: str | None = None) -> Any:
        """The primary's probabilities; agreement compares the most probable classes."""
        self._ready()
        for role, model in (("primary", self.primary), ("shadow", self.shadow)):
            if not _has(model, "predict_proba"):
                raise ModelError(f"{role} model", expected="predict_proba(X)",
                                 got=f"{type(model).__name__} without it",
                                 fix="call predict instead")
        proba = self.primary.predict_proba(X, **_logging_options(event_ids, segment))
        self._shadow("predict_proba", X, _labels(self.primary, proba), event_ids, segment)
        return proba

    def _shadow(self, method: str, X: Any, answer: Any, event_ids: Sequence[str] | None,
                segment: str | None) -> None:
        self.n_calls_ += 1
        primary = np.asarray(answer).reshape(-1)
        options: dict[str, Any] = {}
        if self.monitor is not None:
            ids = self._shadow_ids(event_ids, len(primary))
            options = _logging_options(ids, segment)
        try:
            out = getattr(self._scorer, method)(X, **options)
            if method == "predict_proba":
                out = _labels(self.shadow, out)
            shadow = np.asarray(out).reshape(-1)
            if len(shadow) != len(primary):
                raise DataError("shadow predictions", expected=f"{len(primary)} (one per row)",
                                got=str(len(shadow)), fix="shadow a model of the same rows")
        except Exception as exc:  # noqa: BLE001 - the shadow must never fail the request
            self.shadow_errors_ += 1
            self.last_shadow_error_ = f"{type(exc).__name__}: {exc}"[:500]
            return
        self.n_rows_ += len(primary)
        self._kept.append((primary.copy(), shadow))
        self._n_kept += len(primary)
        while self.keep is not None and self._n_kept - len(self._kept[0][0]) >= self.keep:
            self._n_kept -= len(self._kept.pop(0)[0])

    def _shadow_ids(self, event_ids: Sequence[str] | None, n: int) -> list[str] | None:
        ids = event_ids
        if ids is None:
            last = getattr(self.primary, "last_event_ids", None)  # a monitor.wrap'ed primary
            ids = last if isinstance(last, list) and len(last) == n else None
        return None if ids is None else [f"{i}@{self.shadow_version}" for i in ids]

    # -- results --------------------------------------------------------------------------
    def predictions(self) -> tuple[np.ndarray, np.ndarray]:
        """The kept (primary, shadow) predictions, oldest row first."""
        self._ready()
        if not self._kept:
            return np.array([]), np.array([])
        primary = np.concatenate([p for p, _ in self._kept])
        shadow = np.concatenate([s for _, s in self._kept])
        if self.keep is not None:
            primary, shadow = primary[-self.keep:], shadow[-self.keep:]
        return primary, shadow

    def agreement(self) -> ShadowAgreement:
        """Churn of the shadow against the primary on the kept rows (and, for
        classification, the flip matrix primary -> shadow)."""
        primary, shadow = self.predictions()
        if primary.size == 0:
            raise DataError("shadow agreement", expected="at least one row scored by both",
                            got=f"none ({self.shadow_errors_} shadow error(s); last: "
                                f"{self.last_shadow_error_})",
                            fix="call predict first, and check the shadow model")
        return shadow_agreement(primary, shadow, task=self.task, tolerance=self.tolerance)

    def reset(self) -> ShadowModel:
        """Forget the kept predictions and counts."""
        self.__dict__.pop("_kept", None)
        self._ready()
        return self

    def __repr__(self) -> str:
        return f"ShadowModel({self.primary!r}, shadow={self.shadow!r})"


def _logging_options(event_ids: Sequence[str] | None, segment: str | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if event_ids is not None:
        options["event_ids"] = event_ids
    if segment is not None:
        options["segment"] = segment
    return options


class PinnedRouter:
    """Answer each customer with its version: ``registry.versions_for`` (the pin, else the
    champion) picks the model in ``models_by_version`` (version -> fitted model)."""

    def __init__(self, models_by_version: Mapping[str, Any], registry: Any) -> None:
        self.models_by_version = models_by_version
        self.registry = registry

    def route(self, customer: Any, n_rows: int) -> np.ndarray:
        """The version answering each of ``n_rows`` rows: ``customer`` is one customer for
        all rows, one per row (a sequence), or None (the champion for all)."""
        if customer is None:
            return np.full(n_rows, self.registry.version_for(None), dtype=object)
        if isinstance(customer, str):
            return np.full(n_rows, self.registry.version_for(customer), dtype=object)
        customers = np.asarray(customer, dtype=object).reshape(-1)
        if len(customers) != n_rows:
            raise DataError("customer", expected=f"one customer per row ({n_rows})",
                            got=f"{len(customers)} customers",
                            fix="pass a single customer, or one per row of X")
        versions = self.registry.versions_for(customers.tolist())
        return np.array([versions[c] for c in customers.tolist()], dtype=object)

    def _model(self, version: str) -> Any:
        model = self.models_by_version.get(version)
        if model is None or not _has(model, "predict"):
            raise ModelError(f"model for version {version!r}",
                             expected="a fitted model in models_by_version (has: "
                             f"{', '.join(map(repr, self.models_by_version)) or 'none'})",
                             got="none" if model is None else type(model).__name__,
                             fix=f"load version {version!r} into models_by_version")
        return model

    def predict(self, X: Any, *, customer: Any) -> Any:
        """Each row scored by its customer's version, answers in the order of the rows."""
        n = _n_rows(X)
        versions = self.route(customer, n)
        order = list(dict.fromkeys(versions.tolist()))  # first appearance: deterministic
        models = {v: self._model(v) for v in order}  # all resolved before any is called
        if len(order) == 1:  # one version: its answer as is
            return models[order[0]].predict(X)
        rows = [np.flatnonzero(versions == v) for v in order]
        parts = [np.asarray(models[v].predict(_take(X, idx))) for v, idx in zip(order, rows)]
        for v, idx, part in zip(order, rows, parts):
            if len(part) != len(idx):
                raise DataError(f"predictions of version {v!r}",
                                expected=f"{len(idx)} (one per routed row)",
                                got=str(len(part)), fix="route to models predicting per row")
        return _reassemble(parts, rows, n)

    def __repr__(self) -> str:
        return f"PinnedRouter({sorted(self.models_by_version)!r}, {self.registry!r})"


def _n_rows(X: Any) -> int:
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) >= 1:
        return int(shape[0])
    try:
        return len(X)
    except TypeError:
        raise DataError("X", expected="rows to score (an array, a DataFrame or a list)",
                        got=type(X).__name__, fix="pass a 2-D table") from None


def _take(X: Any, idx: np.ndarray) -> Any:
    if hasattr(X, "iloc"):  # pandas: keep the frame (column names, dtypes)
        return X.iloc[idx]
    if hasattr(X, "shape"):  # numpy arrays and scipy sparse matrices
        return X[idx]
    return [X[i] for i in idx.tolist()]


def _reassemble(parts: list[np.ndarray], rows: list[np.ndarray], n: int) -> np.ndarray:
    """The parts put back at their rows. numpy would silently turn numbers into text when
    one version answers numbers and another text: mixed kinds become an object array."""
    kinds = {"n" if p.dtype.kind in "biuf" else p.dtype.kind for p in parts}
    dtype = (np.result_type(*parts) if len(kinds) == 1 and kinds <= {"n", "U", "S"}
             else object)
    out = np.empty((n, *parts[0].shape[1:]), dtype=dtype)
    for idx, part in zip(rows, parts):
        if part.shape[1:] != out.shape[1:]:
            raise DataError("routed predictions", expected=f"the same shape per row from "
                            f"every version ({out.shape[1:]})", got=str(part.shape[1:]),
                            fix="route between versions with the same outputs")
        out[idx] = part
    return out
