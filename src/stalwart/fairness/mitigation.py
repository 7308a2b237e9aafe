"""The accuracy cost of a mitigation: disparities and accuracy before and after, same rows.

A mitigation (group thresholds, a reweighed refit) trades accuracy for parity. The report
compares two sets of decisions on the same held-out rows: every disparity measure on the
finest grouping of the sensitive columns, accuracy and balanced accuracy, and each group's
selection rate, before and after. ``accuracy_cost`` is accuracy before minus after
(positive: the mitigation costs accuracy).

>>> import numpy as np
>>> y = np.array([1, 0, 1, 0, 1, 0, 1, 0])
>>> g = np.array(list("aaaabbbb"))
>>> before = np.array([1, 1, 1, 0, 0, 0, 1, 0])
>>> after = np.array([1, 0, 1, 0, 1, 0, 0, 0])
>>> r = mitigation_report(y, before, after, sensitive=g, method="example")
>>> r.disparities["demographic_parity_difference"], round(r.accuracy_cost, 3)
({'before': 0.5, 'after': 0.25}, -0.125)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._json import jsonable
from .audit import fairness_audit
from .measures import MEASURES

__all__ = ["MitigationReport", "mitigation_report"]


@dataclass(frozen=True)
class MitigationReport:
    """Before / after on the same rows: disparities (difference and ratio of each measure),
    accuracy, balanced accuracy, selection rate per group; the cost, and warnings."""

    method: str
    grouping: tuple[str, ...]
    n_rows: int
    disparities: dict[str, dict[str, float]]
    accuracy_before: float
    accuracy_after: float
    balanced_accuracy_before: float
    balanced_accuracy_after: float
    selection_rates: dict[str, dict[str, float]]
    warnings: tuple[str, ...]
    details: dict[str, Any]
    schema_version: str = "1.0"

    @property
    def accuracy_cost(self) -> float:
        return self.accuracy_before - self.accuracy_after

    @property
    def balanced_accuracy_cost(self) -> float:
        return self.balanced_accuracy_before - self.balanced_accuracy_after

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "method": self.method,
                         "grouping": self.grouping, "n_rows": self.n_rows,
                         "disparities": self.disparities,
                         "accuracy_before": self.accuracy_before,
                         "accuracy_after": self.accuracy_after,
                         "accuracy_cost": self.accuracy_cost,
                         "balanced_accuracy_before": self.balanced_accuracy_before,
                         "balanced_accuracy_after": self.balanced_accuracy_after,
                         "balanced_accuracy_cost": self.balanced_accuracy_cost,
                         "selection_rates": self.selection_rates, "warnings": self.warnings,
                         "details": self.details})


def _balanced(overall: dict[str, float]) -> float:
    return 0.5 * (overall["tpr"] + 1.0 - overall["fpr"])


def mitigation_report(y_true: Any, before: Any, after: Any, *, sensitive: Any,
                      pos_label: Any = 1, method: str = "mitigation",
                      min_group_size: int = 30, details: dict[str, Any] | None = None,
                      notes: tuple[str, ...] = ()) -> MitigationReport:
    """Compare decisions ``before`` and ``after`` a mitigation on the same labelled rows;
    ``notes`` (such as the fit's warnings) open the report's warnings."""
    kw = {"sensitive": sensitive, "pos_label": pos_label, "n_boot": 0,
          "min_group_size": min_group_size}
    a, b = fairness_audit(y_true, before, **kw), fairness_audit(y_true, after, **kw)
    grouping = a.groupings[-1]
    disparities = {}
    for m in MEASURES:
        da, db = a.disparity(m, grouping), b.disparity(m, grouping)
        disparities[f"{m}_difference"] = {"before": da.difference, "after": db.difference}
        disparities[f"{m}_ratio"] = {"before": da.ratio, "after": db.ratio}
    ga, gb = a.by_group(grouping), b.by_group(grouping)
    labels = [" & ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in ga.index]
    rates = {lab: {"before": float(x), "after": float(z), "size": int(s)}
             for lab, x, z, s in zip(labels, ga["selection_rate"], gb["selection_rate"],
                                     ga["size"])}
    warnings = tuple(dict.fromkeys(tuple(notes) + a.warnings + b.warnings))
    for name, audit in (("before", a), ("after", b)):
        for key in ("tpr", "fpr"):
            if np.isnan(audit.overall[key]):
                warnings += (f"{key.upper()} is undefined {name} (one class only), so "
                             "balanced accuracy is too",)
    return MitigationReport(method, grouping, a.n_rows, disparities, a.overall["accuracy"],
                            b.overall["accuracy"], _balanced(a.overall),
                            _balanced(b.overall), rates, warnings, dict(details or {}))
