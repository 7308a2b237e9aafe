"""The checks built on one drift diagnosis: each reports the findings of some kinds.

:func:`stalwart.drift.diagnosis.diagnose` runs once per run (cached) and every check here
shows its share of the findings, so schema, unit and value changes gate apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from ...drift.diagnosis import Diagnosis, diagnose
from ..check import Check, CheckContext
from ..condition import Condition
from ..result import Evidence, Table
from ._inputs import compared_sides

__all__ = ["DiagnosisCheck", "diagnosis_of"]


def diagnosis_of(ctx: CheckContext) -> Diagnosis:
    """The run's diagnosis of reference vs current (raw data or profiles), computed once."""
    reference, current = compared_sides(ctx)
    return ctx.cached("drift:diagnosis", lambda: diagnose(reference, current))


class DiagnosisCheck(Check):
    """Findings of the kinds in ``kinds``: fail-severity findings fail the check and
    warn-severity ones warn (the diagnosis sets severities, see docs/drift-diagnosis.md)."""

    kinds: ClassVar[tuple[str, ...]] = ()
    category = "drift"
    needs = frozenset({"reference"})

    def __init__(self, *, conditions: Sequence[Condition] | None = None) -> None:
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_fail_findings", "eq", 0, name="no serious finding"),
                Condition("n_warn_findings", "eq", 0, severity="warn",
                          name="no finding worth a look")]

    def compute(self, ctx: CheckContext) -> Evidence:
        diagnosis = diagnosis_of(ctx)
        found = [f for f in diagnosis.findings if f.kind in self.kinds]
        counts = {s: sum(f.severity == s for f in found) for s in ("fail", "warn", "info")}
        metrics: dict[str, Any] = {"n_findings": len(found),
                                   "n_fail_findings": counts["fail"],
                                   "n_warn_findings": counts["warn"],
                                   "n_info_findings": counts["info"]}
        rows = tuple((f.severity, f.kind, ", ".join(f.columns), f.message) for f in found)
        tables = (Table(f"{self.title}: findings", ("severity", "kind", "columns", "message"),
                        rows),) if rows else ()
        how = "from profiles" if diagnosis.method == "profile" else "on raw data"
        if found:
            summary = (f"{len(found)} finding(s) {how} ({counts['fail']} serious, "
                       f"{counts['warn']} to look at): " + "; ".join(f.message
                                                                   for f in found[:3]))
        else:
            summary = f"no {self.title.lower()} {how}"
        return Evidence(metrics, summary, tables)
