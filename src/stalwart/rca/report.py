"""The root-cause analysis report of one escalated prediction (JSON and HTML).

Every section is plain JSON-safe data computed by :mod:`.analysis`; :meth:`RCAReport.to_html`
only lays it out (:mod:`.report_html`). ``RCAReport.from_dict(report.to_dict())`` gives the
report back, so a stored report renders the same later.

>>> from stalwart.rca.attribution import attribute
>>> r = RCAReport(model={"name": "m"}, row={"x": 1.0}, prediction=1, expected=0,
...               probabilities={"0": 0.2, "1": 0.8}, at=None, unusual_features=[],
...               neighbours={}, explanation={}, monitoring=None, blast_radius=None,
...               slice=None, attribution=attribute({}), evidence={}, options={}, notes=())
>>> RCAReport.from_dict(r.to_dict()) == r
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._json import jsonable
from .attribution import Attribution

__all__ = ["RCAReport"]

_FIELDS = ("model", "row", "prediction", "expected", "probabilities", "at",
           "unusual_features", "neighbours", "explanation", "monitoring", "blast_radius",
           "slice", "evidence", "options")


@dataclass(frozen=True)
class RCAReport:
    """What went wrong with one prediction: the sections of issue 6, point 2.

    - ``unusual_features``: per feature percentile / robust z / category frequency, ranked
    - ``neighbours``: the nearest training rows and their labels
    - ``explanation``: per-feature replacement contributions (:mod:`.local_explanation`)
    - ``monitoring``: alerts and window results around the time (None without a store)
    - ``blast_radius``: similar production inputs within the neighbourhood radius
    - ``slice``: the row's slices and their error rates, the weak segment holding it
    - ``attribution``: the cause, its evidence, the remedy and the decision steps
    - ``evidence``: the remaining facts the decision read (drift, novelty, calibration...)
    """

    model: dict[str, Any]
    row: dict[str, Any]
    prediction: Any
    expected: Any
    probabilities: dict[str, float] | None
    at: str | None
    unusual_features: list[dict[str, Any]]
    neighbours: dict[str, Any]
    explanation: dict[str, Any]
    monitoring: dict[str, Any] | None
    blast_radius: dict[str, Any] | None
    slice: dict[str, Any] | None
    attribution: Attribution
    evidence: dict[str, Any]
    options: dict[str, Any]
    notes: tuple[str, ...]
    schema_version: str = "1.0"

    @property
    def cause(self) -> str:
        return self.attribution.cause

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version,
                         **{k: getattr(self, k) for k in _FIELDS},
                         "attribution": self.attribution.to_dict(),
                         "notes": list(self.notes)})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> RCAReport:
        return cls(**{k: raw[k] for k in _FIELDS},
                   attribution=Attribution.from_dict(raw["attribution"]),
                   notes=tuple(raw.get("notes", ())),
                   schema_version=raw.get("schema_version", "1.0"))

    def to_html(self, *, title: str | None = None) -> str:
        """A self-contained HTML page (inline CSS and SVG, no script)."""
        from .report_html import render_rca_html
        return render_rca_html(self, title=title)
