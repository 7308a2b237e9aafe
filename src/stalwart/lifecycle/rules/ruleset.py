"""``RuleSet``: the ordered, versioned hot-fix rules in front of one model, and their
application to a batch of predictions.

Rules are tried in order and the **first match wins**: a row is decided by the first active
rule whose condition holds, and later rules do not see it. Every change (add, replace,
remove) returns a new rule set with ``version + 1``; ``to_dict()`` is the JSON document a
store keeps, ``from_dict`` reads it back.

Everything is validated before anything is computed: a condition naming a missing column,
an override to a class the model does not know, or probabilities outside [0, 1] raise a
clear error and no output is produced.

>>> import numpy as np, pandas as pd
>>> rules = RuleSet.from_dict({"version": 3, "rules": [
...     {"id": "big-de", "condition": 'country == "DE" and amount > 10000',
...      "action": "set prediction = 'deny'", "owner": "risk", "reason": "fraud ring"},
...     {"id": "no-email", "condition": "email is missing", "action": "review",
...      "owner": "ops", "reason": "identity check"}]})
>>> X = pd.DataFrame({"country": ["DE", "DE", "FR"], "amount": [20000, 50, 7],
...                   "email": [None, "a@b", None]})
>>> app = rules.apply(X, np.array(["approve", "approve", "deny"]),
...                   now=dt.date(2026, 1, 1))
>>> app.predictions.tolist(), app.fired.tolist()
(['deny', 'approve', 'deny'], ['big-de', None, 'no-email'])
>>> app.counts["big-de"], app.routed
({'hits': 1, 'changed': 1, 'rejected': 0, 'routed': 0}, (2,))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError, ModelError, ParameterError
from .application import RuleApplication
from .condition import column_kinds, series_kind
from .outputs import PROBA, as_frame, as_proba, rule_table, table_kinds
from .rule import Rule

__all__ = ["RuleSet", "match_class", "today"]

_COUNT_KEYS = ("hits", "changed", "rejected", "routed")


def today(now: Any = None) -> dt.date:
    """``now`` as a date (a date, a datetime or an ISO text); None is today in UTC."""
    if now is None:
        return dt.datetime.now(dt.timezone.utc).date()
    if isinstance(now, dt.datetime):
        return now.date()
    if isinstance(now, dt.date):
        return now
    if isinstance(now, str):
        try:
            return dt.date.fromisoformat(now[:10])
        except ValueError:
            pass
    raise ParameterError("now", expected="a date, a datetime or 'YYYY-MM-DD'", got=repr(now),
                         fix="pass now=datetime.date(2026, 1, 31)")


def match_class(value: Any, classes: Sequence[Any], where: str) -> Any:
    """The class equal to ``value`` (or whose text is ``value``'s text, since JSON documents
    write ``1`` and ``"1"`` alike); a value no class matches is a ParameterError."""
    for c in classes:
        if type(c) is type(value) and c == value:
            return _plain(c)
    for c in classes:
        if str(c) == str(value) or (isinstance(value, (int, float)) and not isinstance(
                c, (str, bool)) and c == value):
            return _plain(c)
    shown = [_plain(c) for c in classes]
    raise ParameterError(where, expected=f"one of the model's classes {shown}",
                         got=repr(value), fix="override to a class the model knows, or use a "
                         "review action")


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


@dataclass(frozen=True)
class RuleSet:
    """Ordered hot-fix rules with a version (see the module docstring)."""

    rules: tuple[Rule, ...] = ()
    version: int = 1
    schema_version: str = "1"

    def __post_init__(self) -> None:
        rules = tuple(r if isinstance(r, Rule) else Rule.from_dict(r) for r in self.rules)
        object.__setattr__(self, "rules", rules)
        ids = [r.id for r in rules]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ParameterError("rule ids", expected="each id once", got=f"repeated {dup}",
                                 fix="give every rule its own id")
        v = self.version
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ParameterError("rule set version", expected="an integer >= 1", got=repr(v),
                                 fix="start at version=1")

    # -- the document -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "version": self.version,
                "rules": [r.to_dict() for r in self.rules]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> RuleSet:
        if isinstance(raw, RuleSet):
            return raw
        if not isinstance(raw, Mapping) or not isinstance(raw.get("rules"), list):
            raise ParameterError("rule set document", expected="a mapping with a 'rules' list "
                                 "(and a 'version')", got=repr(raw)[:80],
                                 fix="pass RuleSet.to_dict() output, see docs/rules.md")
        unknown = sorted(set(raw) - {"schema_version", "version", "rules"})
        if unknown:
            raise ParameterError("rule set document", expected="keys schema_version, version, "
                                 "rules", got=f"unknown keys {unknown}", fix="drop those keys")
        return cls(tuple(Rule.from_dict(r) for r in raw["rules"]),
                   version=raw.get("version", 1))

    # -- versions ---------------------------------------------------------------------
    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise ParameterError("rule id", expected=f"one of {[r.id for r in self.rules]}",
                             got=repr(rule_id), fix="check the rule id")

    def add(self, rule: Rule | Mapping[str, Any], *, position: int | None = None) -> RuleSet:
        """A new version with ``rule`` appended (or inserted at ``position``)."""
        rule = rule if isinstance(rule, Rule) else Rule.from_dict(rule)
        rules = list(self.rules)
        rules.insert(len(rules) if position is None else position, rule)
        return RuleSet(tuple(rules), version=self.version + 1)

    def replace(self, rule: Rule | Mapping[str, Any]) -> RuleSet:
        """A new version where the rule with ``rule``'s id is replaced, in place."""
        rule = rule if isinstance(rule, Rule) else Rule.from_dict(rule)
        self.get(rule.id)
        return RuleSet(tuple(rule if r.id == rule.id else r for r in self.rules),
                       version=self.version + 1)

    def remove(self, *rule_ids: str) -> RuleSet:
        """A new version without the named rules (retirement)."""
        for rid in rule_ids:
            self.get(rid)
        return RuleSet(tuple(r for r in self.rules if r.id not in rule_ids),
                       version=self.version + 1)

    def active(self, now: Any = None) -> tuple[Rule, ...]:
        on = today(now)
        return tuple(r for r in self.rules if r.active(on))

    def expired(self, now: Any = None) -> tuple[Rule, ...]:
        on = today(now)
        return tuple(r for r in self.rules if not r.active(on))

    # -- validation -------------------------------------------------------------------
    def validate(self, columns: Mapping[str, str] | pd.DataFrame | Iterable[str], *,
                 classes: Sequence[Any] | None = None, has_proba: bool | None = None,
                 prediction_kind: str | None = None) -> RuleSet:
        """Check every rule (expired ones too) against the input columns (a DataFrame, a
        mapping name -> kind, or names) and the model's classes; returns ``self``."""
        if isinstance(columns, pd.DataFrame):
            kinds = column_kinds(columns)
        elif isinstance(columns, Mapping):
            kinds = {str(k): str(v) for k, v in columns.items()}
        else:
            kinds = {str(c): "other" for c in columns}
        has_proba = classes is not None if has_proba is None else has_proba
        table = table_kinds(kinds, classes, prediction_kind=prediction_kind, has_proba=has_proba)
        for rule in self.rules:
            wanted = sorted(n for n in rule.parsed.names - set(kinds)
                            if n == PROBA or n.startswith(f"{PROBA}_"))
            if wanted and not has_proba:
                raise ModelError(f"rule {rule.id!r} condition", expected="class probabilities "
                                 f"for {wanted}", got="none (the model has no predict_proba, "
                                 "or proba=None)", fix="pass proba=, or drop probabilities "
                                 "from the rule")
            rule.parsed.check(table, where=f"rule {rule.id!r} condition")
            self._check_action(rule, classes, table["prediction"])
        return self

    def validate_for(self, model: Any, X: pd.DataFrame | Mapping[str, str] | Iterable[str]
                     ) -> RuleSet:
        """:meth:`validate` against a model (any model :func:`stalwart.models.wrap`
        accepts): its classes and whether it gives probabilities."""
        from ...models import wrap

        adapter = wrap(model)
        classes = None if adapter.classes_ is None else list(adapter.classes_)
        return self.validate(X, classes=classes, has_proba=adapter.can("predict_proba"),
                             prediction_kind="number" if adapter.task == "regression" else None)

    @staticmethod
    def _check_action(rule: Rule, classes: Sequence[Any] | None, prediction_kind: str) -> None:
        action = rule.action
        if action.type != "override":
            return
        where = f"rule {rule.id!r} override value"
        if classes is not None:
            match_class(action.value, classes, where)
            if action.proba is not None:
                names = sorted(str(c) for c in classes)
                if sorted(action.proba) != names:
                    raise ParameterError(f"rule {rule.id!r} override proba", expected=f"one "
                                         f"probability per class {names}",
                                         got=f"classes {sorted(action.proba)}",
                                         fix="give every class of the model a probability")
        elif prediction_kind == "number" and not isinstance(action.value, (int, float)):
            raise ParameterError(where, expected="a number (the model predicts numbers)",
                                 got=repr(action.value), fix="override to a number, or use "
                                 "a review action")
        elif action.proba is not None:
            raise ParameterError(f"rule {rule.id!r} override proba", expected="a model with "
                                 "classes", got="no classes", fix="pass classes= (or proba "
                                 "with class columns), or drop proba from the action")

    # -- application ------------------------------------------------------------------
    def apply(self, X: Any, predictions: Any, proba: Any = None, *,
              classes: Sequence[Any] | None = None, now: Any = None,
              feature_names: Sequence[str] | None = None) -> RuleApplication:
        """Apply the active rules to a batch: ``X`` the inputs (DataFrame, or an array with
        ``feature_names``), ``predictions`` the model's outputs, ``proba`` its class
        probabilities (a DataFrame whose columns are the classes, or an array with
        ``classes=``). Rules whose ``expires`` is on or before ``now`` are skipped and listed
        in ``expired``."""
        on = today(now)
        frame = as_frame(X, feature_names)
        n = len(frame)
        pred = np.asarray(predictions)
        if pred.ndim != 1 or len(pred) != n:
            raise DataError("predictions", expected=f"one per input row ({n})",
                            got=f"shape {pred.shape}", fix="pass the model's outputs for X")
        probs, classes = as_proba(proba, classes, n)
        classes = _align_classes(classes, pred)
        active = [r for r in self.rules if r.active(on)]
        self.validate(column_kinds(frame), classes=classes, has_proba=probs is not None,
                      prediction_kind=series_kind(pd.Series(pred)) if n else None)
        names = set().union(*(r.parsed.names for r in active)) if active else set()
        table = rule_table(frame, pred, probs, classes=classes, names=names)
        fired = np.full(n, -1)
        undecided = np.ones(n, dtype=bool)
        for i, rule in enumerate(active):
            hit = rule.parsed.evaluate(table, n_rows=n) & undecided
            fired[hit] = i
            undecided &= ~hit
        return _outcome(self, active, fired, pred, probs, classes, on)


def _outcome(ruleset: RuleSet, active: list[Rule], fired: np.ndarray, pred: np.ndarray,
             probs: np.ndarray | None, classes: tuple[Any, ...] | None, on: dt.date
             ) -> RuleApplication:
    final = pred.astype(object) if pred.dtype.kind in "USb" else pred.copy()
    final_proba = None if probs is None else probs.copy()
    counts = {r.id: dict.fromkeys(_COUNT_KEYS, 0) for r in ruleset.rules}
    changed, routed, rejected = (np.zeros(len(pred), dtype=bool) for _ in range(3))
    for i, rule in enumerate(active):
        rows = fired == i
        n_hits = int(rows.sum())
        counts[rule.id]["hits"] = n_hits
        if not n_hits:
            continue
        action = rule.action
        if action.type == "override":
            value = action.value if classes is None else match_class(action.value, classes, "")
            differs = (pd.Series(pred[rows], dtype=object) != value).to_numpy(dtype=bool)
            final = _assign(final, rows, value)
            changed[np.flatnonzero(rows)[differs]] = True
            counts[rule.id]["changed"] = int(differs.sum())
            if final_proba is not None:
                final_proba[rows] = _proba_row(action.proba, value, classes)
        elif action.type == "review":
            routed |= rows
            counts[rule.id]["routed"] = n_hits
        else:
            rejected |= rows
            counts[rule.id]["rejected"] = n_hits
            final = _assign(final, rows, None)
            if final_proba is not None:
                final_proba[rows] = np.nan
    ids = np.array([r.id for r in active] + [None], dtype=object)
    return RuleApplication(
        ruleset_version=ruleset.version, on=on, n_rows=len(pred), predictions=final,
        proba=final_proba, classes=classes, fired=ids[fired], counts=counts,
        changed=_positions(changed), routed=_positions(routed), rejected=_positions(rejected),
        active=tuple(r.id for r in active),
        expired=tuple(r.id for r in ruleset.rules if not r.active(on)))


def _align_classes(classes: tuple[Any, ...] | None, pred: np.ndarray
                   ) -> tuple[Any, ...] | None:
    """Class names read from column headers are text; where a prediction's text equals a
    class name, the class takes the prediction's value (``"1"`` becomes ``1``), so overrides
    and the changed counts compare like with like."""
    if classes is None:
        return None
    seen = {str(v): _plain(v) for v in pd.unique(pd.Series(pred, dtype=object).dropna())}
    numeric = np.asarray(pred).dtype.kind in "iuf"
    return tuple(seen.get(str(c), _as_number(c) if numeric else c) if isinstance(c, str)
                 else _plain(c) for c in classes)


def _as_number(text: str) -> Any:
    """A class header's text as the number it names, for a model predicting numbers (a class
    absent from this batch's predictions must not come back as text)."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() \
        else value


def _positions(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.flatnonzero(mask))


def _assign(final: np.ndarray, rows: np.ndarray, value: Any) -> np.ndarray:
    """``final[rows] = value``, widening the array when the value does not fit its dtype
    (None is missing: NaN in a float array)."""
    kind = final.dtype.kind
    fits = (kind == "O" or (kind == "f" and (value is None or isinstance(value, (int, float))))
            or (kind in "iu" and isinstance(value, (int, np.integer))
                and not isinstance(value, bool)))
    if not fits:
        final = final.astype(object)
    final[rows] = np.nan if value is None and final.dtype.kind == "f" else value
    return final


def _proba_row(proba: Mapping[str, float] | None, value: Any, classes: Sequence[Any] | None
               ) -> np.ndarray:
    names = [str(c) for c in classes or ()]
    if proba is not None:
        return np.array([proba[c] for c in names], dtype=float)
    return np.array([1.0 if c == str(value) else 0.0 for c in names], dtype=float)

