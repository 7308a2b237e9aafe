"""Findings of a drift diagnosis: what changed between reference and current, and how.

Each :class:`Finding` has a ``kind`` (one of :data:`FINDING_KINDS`), the column(s) it is
about, a severity (``info`` < ``warn`` < ``fail``), a one-line message a person can act on and
the evidence behind it as plain values.

>>> f = Finding("new_column", ("b",), "info", "column 'b' is new", {"kind": "numeric"})
>>> d = Diagnosis((f,), n_reference=10, n_current=12, method="exact")
>>> [x.column for x in d.by_kind("new_column")], d.to_dict()["schema_version"]
(['b'], '1.0')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..._json import jsonable

__all__ = ["FINDING_KINDS", "SEVERITIES", "Diagnosis", "Finding"]

#: every kind of finding, in reporting order
FINDING_KINDS: tuple[str, ...] = (
    "no_shared_columns", "missing_column", "new_column", "renamed_column", "kind_change",
    "type_change", "dtype_change", "unit_change", "location_shift", "scale_change",
    "new_categories", "vanished_categories", "sentinel_value", "range_violation",
    "missing_share_change", "not_examined")
SEVERITIES: tuple[str, ...] = ("info", "warn", "fail")


@dataclass(frozen=True)
class Finding:
    """One thing that changed, in one or more columns."""

    kind: str
    columns: tuple[str, ...]
    severity: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def column(self) -> str | None:
        """The column the finding is about (for a rename: the current name)."""
        return self.columns[-1] if self.columns else None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"kind": self.kind, "columns": list(self.columns),
                         "severity": self.severity, "message": self.message,
                         "evidence": self.evidence})


@dataclass(frozen=True)
class Diagnosis:
    """All findings of :func:`~stalwart.drift.diagnosis.diagnose`, worst first.

    ``method`` is ``"exact"`` (raw data on both sides) or ``"profile"`` (sketches: quantile
    and mass estimates carry the profiles' rank error, stated in each finding's evidence).
    """

    findings: tuple[Finding, ...]
    n_reference: int
    n_current: int
    method: str
    shared_columns: tuple[str, ...] = ()
    schema_version: str = "1.0"

    def by_kind(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    def for_column(self, column: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if column in f.columns)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds found, in :data:`FINDING_KINDS` order."""
        present = {f.kind for f in self.findings}
        return tuple(k for k in FINDING_KINDS if k in present)

    @property
    def worst_severity(self) -> str | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITIES.index)

    def __len__(self) -> int:
        return len(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "method": self.method,
                         "n_reference": self.n_reference, "n_current": self.n_current,
                         "shared_columns": list(self.shared_columns),
                         "worst_severity": self.worst_severity,
                         "findings": [f.to_dict() for f in self.findings]})


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Worst first, then in :data:`FINDING_KINDS` order, then by column."""
    return tuple(sorted(findings, key=lambda f: (-SEVERITIES.index(f.severity),
                                                 FINDING_KINDS.index(f.kind), f.columns)))
