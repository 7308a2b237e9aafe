"""``RuledModel``: a stand-in for a model with its hot-fix rules in front.

``predict`` and ``predict_proba`` ask the model, apply the active rules and return the final
outputs; hit counters add up over calls in ``counts_`` (the shape the store keeps), and the
last call's :class:`~stalwart.lifecycle.rules.application.RuleApplication` is kept in
``last_application_``. A ``reject`` rule with ``mode="raise"`` raises
:class:`~stalwart.lifecycle.rules.rule.RuleRejection` and nothing is counted or logged.

With ``monitor=`` (a :class:`~stalwart.monitoring.client.Monitor`) every row is logged as an
event: the final ``prediction`` and ``proba``, plus ``rule`` (the rule that decided it, or
None), ``rule_changed`` and ``rule_review``. A saved monitor whose review policy is
``ReviewPolicy(flag="outputs.rule_review")`` puts the routed rows in the review queue on
its next run. A monitor with ``enqueue_reviews`` instead (a store) gets the routed rows'
``event_ids`` queued directly (pass ``event_ids=`` to ``predict``).

>>> import numpy as np, pandas as pd
>>> from stalwart.lifecycle.rules import RuleSet
>>> from stalwart.models import wrap
>>> model = wrap(lambda X: np.where(np.asarray(X)[:, 0] > 0, "yes", "no"),
...              classes=["no", "yes"], feature_names=["x"])
>>> rules = RuleSet.from_dict({"rules": [{"id": "big", "condition": "x > 100",
...     "action": "set prediction = 'no'", "owner": "o", "reason": "r"}]})
>>> ruled = RuledModel(model, rules, now="2026-01-01")
>>> ruled.predict(pd.DataFrame({"x": [-1.0, 5.0, 500.0]})).tolist()
['no', 'yes', 'no']
>>> ruled.counts_["big"]
{'hits': 1, 'changed': 1, 'rejected': 0, 'routed': 0}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...exceptions import ParameterError, StageError
from .application import RuleApplication
from .outputs import as_frame
from .rule import RuleRejection
from .ruleset import RuleSet

__all__ = ["RuledModel"]


class RuledModel:
    """The model with ``ruleset`` in front (see the module docstring)."""

    def __init__(self, model: Any, ruleset: RuleSet, *, monitor: Any = None,
                 now: Any = None) -> None:
        self.model = model
        self.ruleset = ruleset
        self.monitor = monitor
        self.now = now

    @property
    def adapter_(self) -> Any:
        from ...models import wrap

        if getattr(self, "_adapter", None) is None:
            if not isinstance(self.ruleset, RuleSet):
                raise ParameterError("ruleset", expected="a RuleSet", got=type(
                    self.ruleset).__name__, fix="pass RuleSet.from_dict(document)")
            self._adapter = wrap(self.model)
        return self._adapter

    @property
    def classes_(self) -> np.ndarray | None:
        return self.adapter_.classes_

    @property
    def feature_names(self) -> list[str] | None:
        return self.adapter_.feature_names

    @property
    def last_application_(self) -> RuleApplication:
        if getattr(self, "_last", None) is None:
            raise StageError("RuledModel.last_application_ before predict: call predict first")
        return self._last

    @property
    def counts_(self) -> dict[str, dict[str, int]]:
        """Hit counters summed over every call so far (every rule, zeros included)."""
        totals = getattr(self, "_counts", None) or {}
        return {r.id: dict(totals.get(r.id, dict.fromkeys(
            ("hits", "changed", "rejected", "routed"), 0))) for r in self.ruleset.rules}

    def apply(self, X: Any, *, event_ids: Sequence[str] | None = None) -> RuleApplication:
        """Score ``X`` with the model, apply the rules, count, log; the application."""
        adapter = self.adapter_
        self._check_monitor(event_ids, X)
        frame = as_frame(X, adapter.feature_names)
        inputs = frame[adapter.feature_names] if adapter.feature_names else X
        predictions = np.asarray(adapter.predict(inputs))
        proba = (np.asarray(adapter.predict_proba(inputs), dtype=float)
                 if adapter.can("predict_proba") else None)
        classes = None if adapter.classes_ is None else list(adapter.classes_)
        app = self.ruleset.apply(frame, predictions, proba, classes=classes, now=self.now)
        for rule_id in app.active:
            if self.ruleset.get(rule_id).action.mode == "raise":
                rows = [int(i) for i in np.flatnonzero(app.fired == rule_id)]
                if rows:
                    raise RuleRejection(rule_id, rows)
        self._count(app)
        self._last = app
        if self.monitor is not None:
            self._log(frame, app, predictions, event_ids)
        return app

    def predict(self, X: Any, **options: Any) -> np.ndarray:
        return self.apply(X, **options).predictions

    def predict_proba(self, X: Any, **options: Any) -> np.ndarray:
        app = self.apply(X, **options)
        if app.proba is None:
            from ...exceptions import ModelError
            raise ModelError("predict_proba", expected="a model with class probabilities",
                             got=f"{type(self.model).__name__} without predict_proba",
                             fix="call predict instead")
        return app.proba

    def _count(self, app: RuleApplication) -> None:
        totals = getattr(self, "_counts", None) or {}
        for rule_id, counts in app.counts.items():
            mine = totals.setdefault(rule_id, dict.fromkeys(counts, 0))
            for key, value in counts.items():
                mine[key] += value
        self._counts = totals

    def _check_monitor(self, event_ids: Sequence[str] | None, X: Any) -> None:
        """Refuse a bad monitor or ids before anything is counted or logged."""
        if event_ids is not None and len(event_ids) != len(X):
            raise ParameterError("event_ids", expected=f"one id per row ({len(X)})",
                                 got=f"{len(event_ids)} ids", fix="pass one id per input row")
        if self.monitor is None or callable(getattr(self.monitor, "log", None)):
            return
        if callable(getattr(self.monitor, "enqueue_reviews", None)):
            if event_ids is None:
                raise ParameterError("event_ids", expected="the stored event ids of the rows, "
                                     "to queue routed rows for review", got="none",
                                     fix="pass predict(X, event_ids=[...])")
            return
        raise ParameterError("monitor", expected="a Monitor (log) or a store "
                             "(enqueue_reviews)", got=type(self.monitor).__name__,
                             fix="pass monitor=Monitor(...) or monitor=open_store(url)")

    def _log(self, frame: Any, app: RuleApplication, predictions: np.ndarray,
             event_ids: Sequence[str] | None) -> None:
        routed = set(app.routed)
        changed = set(app.changed)
        if callable(getattr(self.monitor, "log", None)):
            records = frame.to_dict(orient="records")
            for i, features in enumerate(records):
                outputs: dict[str, Any] = {"prediction": _plain(app.predictions[i]),
                                           "rule": app.fired[i], "rule_changed": i in changed,
                                           "rule_review": i in routed}
                if app.proba is not None and app.classes is not None:
                    outputs["proba"] = {str(c): _plain(p) for c, p in zip(app.classes,
                                                                          app.proba[i])}
                self.monitor.log({str(k): _plain(v) for k, v in features.items()}, outputs,
                                 event_id=None if event_ids is None else event_ids[i])
        else:
            items = [{"event_id": event_ids[i], "reason": f"rule {app.fired[i]}"}
                     for i in sorted(routed)] if routed else []
            if items:
                self.monitor.enqueue_reviews(items)

    def __repr__(self) -> str:
        return (f"RuledModel({type(self.model).__name__}, rules v{self.ruleset.version}: "
                f"{len(self.ruleset.rules)})")


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value
