"""The Check base class, its run context and the check registry.

A check computes :class:`Evidence` (metrics, tables, charts) in :meth:`Check.compute`;
its :class:`Condition` objects turn metrics into pass / warn / fail. Constructors only
store keyword options (as in scikit-learn); all work happens in ``run``.

Writing a check::

    @register_check
    class RowCount(Check):
        name = "row_count"
        title = "Row count"

        def __init__(self, *, min_rows=100, conditions=None):
            self.min_rows = min_rows
            self.conditions = conditions

        def default_conditions(self):
            return [Condition("n_rows", "ge", self.min_rows)]

        def compute(self, ctx):
            return Evidence({"n_rows": ctx.data.n_rows}, f"{ctx.data.n_rows} rows")
"""

from __future__ import annotations

import inspect
import time
import traceback
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .._registry import Registry
from ..data import Dataset
from ..exceptions import InputError
from .condition import Condition
from .result import CheckResult, Evidence, Status

__all__ = ["CHECKS", "Check", "CheckContext", "register_check"]

#: Every registered check class, by name. The conformance tests run over all of them.
CHECKS: Registry[type[Check]] = Registry("check")

NEEDS = frozenset({"target", "reference", "model"})


@dataclass
class CheckContext:
    """What a check may look at. ``cache`` lets checks of one run share costly work."""

    data: Dataset
    reference: Dataset | None = None
    model: Any = None
    random_state: int = 0
    max_rows_for_model_checks: int = 200_000
    cache: dict[str, Any] = field(default_factory=dict)

    def columns(self, chosen: Sequence[str] | None, *, default: Sequence[str]) -> list[str]:
        """The columns a check examines: ``chosen`` (validated against the schema, so an
        unknown name is a clear :class:`SchemaError`) or else ``default``."""
        if chosen is None:
            return list(default)
        return [self.data.schema[c].name for c in chosen]

    def cached(self, key: str, compute: Any) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


class Check(ABC):
    """Base class of every check; see the module docstring for how to write one."""

    name: ClassVar[str]
    title: ClassVar[str]
    category: ClassVar[str] = "data"
    #: what the check cannot run without: any of "target", "reference", "model"
    needs: ClassVar[frozenset[str]] = frozenset()
    #: options the user must set because they cannot be inferred (the quasi-identifiers of
    #: k-anonymity: they depend on what an attacker knows); unset, the check is skipped
    required_options: ClassVar[tuple[str, ...]] = ()
    conditions: Sequence[Condition] | None = None

    # -- parameters (scikit-learn style) ------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values()
                if p.name != "self" and p.kind is p.KEYWORD_ONLY]

    def get_params(self) -> dict[str, Any]:
        out = {}
        for name in self._param_names():
            if name == "conditions":
                continue
            out[name] = getattr(self, name)
        out["conditions"] = [c.to_dict() for c in self.resolved_conditions()]
        return out

    def default_conditions(self) -> list[Condition]:
        """Conditions used when the user gives none; informational checks return []."""
        return []

    def resolved_conditions(self) -> list[Condition]:
        return list(self.conditions) if self.conditions is not None else self.default_conditions()

    # -- work ---------------------------------------------------------------------------
    @abstractmethod
    def compute(self, ctx: CheckContext) -> Evidence:
        """Compute the evidence; raise :class:`InputError` when the data does not fit."""

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = []
        if "target" in self.needs and ctx.data.target is None:
            missing.append("a target column (--target)")
        if "reference" in self.needs and ctx.reference is None:
            missing.append("reference data (--reference)")
        if "model" in self.needs and ctx.model is None:
            missing.append("a model (--model)")
        missing += [f"the option {name}= (declared: it cannot be inferred)"
                    for name in self.required_options if not getattr(self, name, None)]
        return missing

    def run(self, ctx: CheckContext) -> CheckResult:
        start = time.perf_counter()
        params = self.get_params()
        missing = self.missing_needs(ctx)
        if missing:
            return CheckResult(self.name, self.title, self.category, Status.SKIP,
                               "not run: needs " + " and ".join(missing), params=params)
        try:
            evidence = self.compute(ctx)
        except InputError as exc:
            return CheckResult(self.name, self.title, self.category, Status.ERROR, str(exc),
                               params=params, duration_s=time.perf_counter() - start,
                               error=exc.to_dict())
        except Exception as exc:  # noqa: BLE001 - a crashing check must not sink the suite
            return CheckResult(self.name, self.title, self.category, Status.ERROR,
                               f"the check crashed: {type(exc).__name__}: {exc}",
                               params=params, duration_s=time.perf_counter() - start,
                               error={"type": type(exc).__name__, "message": str(exc),
                                      "traceback": traceback.format_exc(limit=8)})
        outcomes = tuple(c.evaluate(evidence.metrics, evidence.reference_metrics)
                         for c in self.resolved_conditions())
        # every condition skipped (nothing could be examined) stays SKIP: never a silent PASS
        status = Status.worst([o.status for o in outcomes]) if outcomes else Status.PASS
        return CheckResult(self.name, self.title, self.category, status, evidence.summary,
                           metrics=dict(evidence.metrics), conditions=outcomes,
                           tables=evidence.tables, charts=evidence.charts, params=params,
                           duration_s=time.perf_counter() - start)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._param_names()
                          if k != "conditions")
        return f"{type(self).__name__}({shown})"


def register_check(cls: type[Check]) -> type[Check]:
    """Class decorator: add a check to :data:`CHECKS` under its ``name``."""
    unknown = set(cls.needs) - NEEDS
    if unknown:
        raise TypeError(f"{cls.__name__}.needs has unknown entries {sorted(unknown)}")
    CHECKS.register(cls.name, cls, category=cls.category, needs=sorted(cls.needs))
    return cls
