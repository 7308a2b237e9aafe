"""What :func:`~.checklist_run.run_checklist` returns: per test, its failure rate and
examples of failures.

Each :class:`ChecklistOutcome` gives the cases the test could run (``n_cases``), those
its edit could not apply to (``n_not_applicable``: no name to swap, no auxiliary to
negate), the failures and their rate, and up to ``n_examples`` failing cases (the text,
the variant, the labels and, for DIR, the probabilities before and after). A test with no
applicable case has status ``not_applicable`` and a warning in the result, never a pass.
``to_dict`` is the JSON form; the HTML page belongs to the checks layer (this layer
imports no renderer).

>>> o = ChecklistOutcome(name="INV: names", kind="INV", expectation="same label",
...                      n_cases=4, n_not_applicable=1, n_failed=1, examples=())
>>> o.failure_rate, o.status
(0.25, 'failed')
>>> r = ChecklistResult(outcomes=(o,), model={"name": "m"}, options={})
>>> r.to_dict()["tests"][0]["failure_rate"], r.n_failed_tests
(0.25, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._json import jsonable

__all__ = ["ChecklistOutcome", "ChecklistResult"]


@dataclass(frozen=True)
class ChecklistOutcome:
    """One CheckList test's outcome (see the module docstring)."""

    name: str
    kind: str
    expectation: str
    n_cases: int
    n_not_applicable: int
    n_failed: int
    examples: tuple[Mapping[str, Any], ...]
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def failure_rate(self) -> float | None:
        return self.n_failed / self.n_cases if self.n_cases else None

    @property
    def status(self) -> str:
        if not self.n_cases:
            return "not_applicable"
        return "failed" if self.n_failed else "passed"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"name": self.name, "kind": self.kind, "expectation": self.expectation,
                         "status": self.status, "n_cases": self.n_cases,
                         "n_not_applicable": self.n_not_applicable,
                         "n_failed": self.n_failed, "failure_rate": self.failure_rate,
                         "options": dict(self.options),
                         "examples": [dict(e) for e in self.examples]})


@dataclass(frozen=True)
class ChecklistResult:
    """The outcomes of a CheckList run on one model."""

    outcomes: tuple[ChecklistOutcome, ...]
    model: Mapping[str, Any]
    options: Mapping[str, Any]
    warnings: tuple[str, ...] = ()
    schema_version: str = "1.0"

    @property
    def n_failed_tests(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes)

    def outcome(self, name: str) -> ChecklistOutcome:
        """The outcome of the test called ``name``."""
        for o in self.outcomes:
            if o.name == name:
                return o
        raise KeyError(f"no CheckList test named {name!r}; tests: "
                       f"{[o.name for o in self.outcomes]}")

    def rows(self) -> list[list[Any]]:
        """One row per test: name, kind, status, cases, not applicable, failed, rate."""
        return [[o.name, o.kind, o.status, o.n_cases, o.n_not_applicable, o.n_failed,
                 o.failure_rate] for o in self.outcomes]

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "model": dict(self.model),
                         "options": dict(self.options),
                         "n_tests": len(self.outcomes), "n_failed_tests": self.n_failed_tests,
                         "warnings": list(self.warnings),
                         "tests": [o.to_dict() for o in self.outcomes]})
