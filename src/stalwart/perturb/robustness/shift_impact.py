"""What a simulated shift costs: the model's metric on each shifted sample, its drop from
the clean rows, and the achieved size of each shift.

``shifts`` are :class:`~stalwart.perturb.shift.ShiftedSample` objects (from
:func:`~stalwart.perturb.shift.covariate_shift`, ``label_shift``, ``concept_shift`` or a
``TemporalSplit.sample``), a mapping of names to them, or callables ``f(X, y)`` returning
one. The drop follows the metric's direction (positive: worse), as in ``stress_test``.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from stalwart.perturb.shift import label_shift
>>> X = np.linspace(-2, 2, 200)[:, None]
>>> y = (X[:, 0] + np.tile([-0.5, 0.5], 100) > 0).astype(int)
>>> model = LogisticRegression().fit(X, y)
>>> r = shift_impact(model, X, y, [label_shift(X, y, knock_out=[0])])
>>> r.rows[0].name, r.rows[0].size["priors_after"]
('label knock out 0', {0: 0.0, 1: 1.0})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import ModelError, ParameterError
from ...models import wrap
from ..shift import ShiftedSample
from ._inputs import as_labels
from ._metrics import resolve_metric

__all__ = ["ShiftImpact", "ShiftImpactResult", "shift_impact"]


@dataclass(frozen=True)
class ShiftImpact:
    """The model on one shifted sample."""

    name: str
    kind: str
    n_rows: int
    score: float | None
    drop: float | None
    size: Mapping[str, Any]
    warnings: tuple[str, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"name": self.name, "kind": self.kind, "n_rows": self.n_rows,
                         "score": self.score, "drop": self.drop, "size": dict(self.size),
                         "warnings": list(self.warnings), "error": self.error})


@dataclass(frozen=True)
class ShiftImpactResult:
    """The clean score and one :class:`ShiftImpact` per shift, in the order given."""

    metric: str
    greater_is_better: bool
    clean_score: float
    n_rows: int
    rows: tuple[ShiftImpact, ...]
    model: Mapping[str, Any]
    schema_version: str = "1.0"

    def worst(self) -> ShiftImpact | None:
        """The shift with the largest drop (None when every shift errored)."""
        scored = [r for r in self.rows if r.drop is not None]
        return max(scored, key=lambda r: r.drop) if scored else None

    def to_dict(self) -> dict[str, Any]:
        worst = self.worst()
        return jsonable({"schema_version": self.schema_version, "metric": self.metric,
                         "greater_is_better": self.greater_is_better,
                         "clean_score": self.clean_score, "n_rows": self.n_rows,
                         "rows": [r.to_dict() for r in self.rows],
                         "worst": None if worst is None else worst.name,
                         "model": dict(self.model)})


def shift_impact(model: Any, X: Any, y: Any, shifts: Any, *,
                 metric: Any = None) -> ShiftImpactResult:
    """Score ``model`` on clean ``X, y`` and on each of ``shifts``."""
    adapter = wrap(model)
    labels = as_labels(y, len(X), task=adapter.task, classes=adapter.classes_)
    if labels is None:
        raise ParameterError("y", expected="the labels of X", got="None",
                             fix="pass y: a shift's cost is a change of the metric")
    scorer = resolve_metric(metric, task=adapter.task)
    try:
        clean = scorer.score(labels, adapter.predict(X))
    except Exception as exc:  # noqa: BLE001 - any model error on the clean rows is the user's
        raise ModelError("model", expected="predictions on the clean rows",
                         got=f"{type(exc).__name__}: {exc}"[:200],
                         fix="pass rows in the form the model was trained on") from None
    samples = _samples(shifts, X, labels)
    rows = []
    for name, s in samples:
        try:
            pred = adapter.predict(s.X)
            score = scorer.score(s.y, pred)
            rows.append(ShiftImpact(name, s.kind, len(s.X), score,
                                    scorer.drop(clean=clean, perturbed=score), s.size,
                                    s.warnings))
        except Exception as exc:  # noqa: BLE001 - the model failing on a shift is a finding
            rows.append(ShiftImpact(name, s.kind, len(s.X), None, None, s.size, s.warnings,
                                    f"{type(exc).__name__}: {exc}"[:300]))
    return ShiftImpactResult(scorer.name, scorer.greater_is_better, clean, len(X),
                             tuple(rows), adapter.describe())


def _samples(shifts: Any, X: Any, y: np.ndarray) -> list[tuple[str, ShiftedSample]]:
    items = list(shifts.items()) if isinstance(shifts, Mapping) else [
        (None, s) for s in ([shifts] if isinstance(shifts, ShiftedSample) or callable(shifts)
                            else list(shifts))]
    if not items:
        raise ParameterError("shifts", expected="at least one shifted sample", got="none",
                             fix="pass e.g. [covariate_shift(X, y, feature='age')]")
    out = []
    for name, s in items:
        if callable(s) and not isinstance(s, ShiftedSample):
            s = s(X, y)
        if not isinstance(s, ShiftedSample) or s.y is None:
            raise ParameterError("shifts", expected="ShiftedSample objects with labels (or "
                                 "callables returning them)", got=repr(s)[:80],
                                 fix="build them with stalwart.perturb.shift and pass y")
        out.append((s.name if name is None else str(name), s))
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise ParameterError("shifts", expected="distinct names",
                             got=f"repeated {sorted({n for n in names if names.count(n) > 1})}",
                             fix="pass a mapping {name: shift}")
    return out
