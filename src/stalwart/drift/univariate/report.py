"""Results of univariate drift detection: one :class:`ColumnDrift` per column, gathered in a
:class:`DriftReport` (JSON-able, ``schema_version`` "1.0").

>>> col = ColumnDrift(column="x", kind="numeric", method="ks", reason="rule", statistic=0.3,
...                   p_value=0.001, adjusted_p_value=0.002, effect_size=0.5,
...                   effect_name="wasserstein", effect_threshold=0.1, drifted=True,
...                   n_reference=100, n_current=100)
>>> rep = DriftReport(columns=(col,), method="auto", correction="bh", alpha=0.05,
...                   thresholds={"wasserstein": 0.1})
>>> rep.drifted, rep.share_drifted, rep.dataset_drift
(('x',), 1.0, True)
>>> rep.to_dict()["schema_version"]
'1.0'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..._json import jsonable

__all__ = ["ColumnDrift", "DriftReport"]


@dataclass(frozen=True)
class ColumnDrift:
    """Drift of one column: the test or distance, its effect size and the verdict."""

    column: str
    kind: str
    method: str | None
    reason: str
    statistic: float | None = None
    p_value: float | None = None
    adjusted_p_value: float | None = None
    effect_size: float | None = None
    effect_name: str | None = None
    effect_threshold: float | None = None
    drifted: bool = False
    n_reference: int = 0
    n_current: int = 0
    approximate: bool = False
    error_bound: float | None = None
    note: str = ""
    reference_hist: dict[str, list[Any]] | None = None
    current_hist: dict[str, list[Any]] | None = None

    @property
    def tested(self) -> bool:
        """Whether a method ran on the column (False: the note says why not)."""
        return self.statistic is not None

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


@dataclass(frozen=True)
class DriftReport:
    """Per-column drift with the settings that produced it."""

    columns: tuple[ColumnDrift, ...]
    method: str | dict[str, str]
    correction: str
    alpha: float
    thresholds: dict[str, float]
    drift_share: float = 0.5
    approximate: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    schema_version: str = "1.0"

    @property
    def drifted(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.columns if c.drifted)

    @property
    def tested(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.columns if c.tested)

    @property
    def not_tested(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.columns if not c.tested)

    @property
    def share_drifted(self) -> float:
        """Drifted columns over tested columns (0.0 when none could be tested)."""
        n = len(self.tested)
        return len(self.drifted) / n if n else 0.0

    @property
    def dataset_drift(self) -> bool:
        """True when the share of drifted columns reaches ``drift_share``."""
        return bool(self.tested) and self.share_drifted >= self.drift_share

    def __getitem__(self, column: str) -> ColumnDrift:
        for c in self.columns:
            if c.column == column:
                return c
        raise KeyError(column)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version,
            "method": self.method,
            "methods": {c.column: c.method for c in self.columns},
            "correction": self.correction,
            "alpha": self.alpha,
            "thresholds": self.thresholds,
            "drift_share": self.drift_share,
            "approximate": self.approximate,
            "dataset_drift": self.dataset_drift,
            "share_drifted": self.share_drifted,
            "drifted": list(self.drifted),
            "not_tested": list(self.not_tested),
            "notes": list(self.notes),
            "columns": [c.to_dict() for c in self.columns],
        })
