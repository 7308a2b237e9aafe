"""``RuleApplication``: what a rule set did to one batch of predictions.

Per row: the final output (and probabilities), the rule that decided it (first match wins)
or None. Per rule: ``{"hits", "changed", "rejected", "routed"}``, the shape the store keeps
(``hits`` counts the rows a rule decided; ``changed`` those of its overrides whose output
differs from the model's; ``rejected`` / ``routed`` the rows it rejected or sent to review).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._json import jsonable
from ...checks.result import Chart
from ...reports.page import render_page

__all__ = ["RuleApplication"]


@dataclass(frozen=True, eq=False)
class RuleApplication:
    """The result of :meth:`RuleSet.apply` (see the module docstring)."""

    ruleset_version: int
    on: dt.date
    n_rows: int
    predictions: np.ndarray
    proba: np.ndarray | None
    classes: tuple[Any, ...] | None
    fired: np.ndarray            # rule id per row, or None
    counts: dict[str, dict[str, int]]
    changed: tuple[int, ...]     # row positions whose output an override changed
    routed: tuple[int, ...]
    rejected: tuple[int, ...]
    active: tuple[str, ...]
    expired: tuple[str, ...]
    schema_version: str = "1"

    @property
    def matched(self) -> tuple[int, ...]:
        """Row positions some active rule decided."""
        return tuple(int(i) for i in np.flatnonzero(self.fired != None))  # noqa: E711

    @property
    def traffic_share(self) -> float:
        """Share of rows some active rule matched (0 on an empty batch)."""
        return len(self.matched) / self.n_rows if self.n_rows else 0.0

    @property
    def changed_share(self) -> float:
        """Share of rows whose output an override changed (0 on an empty batch)."""
        return len(self.changed) / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "ruleset_version": self.ruleset_version,
            "on": self.on, "n_rows": self.n_rows, "n_active": len(self.active),
            "traffic_share": self.traffic_share, "changed_share": self.changed_share,
            "counts": self.counts, "active": list(self.active), "expired": list(self.expired),
            "changed": list(self.changed), "routed": list(self.routed),
            "rejected": list(self.rejected), "classes": self.classes,
            "predictions": self.predictions, "proba": self.proba,
            "fired": list(self.fired)})

    def to_html(self) -> str:
        d = self.to_dict()
        rows = [[rid, c["hits"], c["changed"], c["routed"], c["rejected"],
                 "expired" if rid in self.expired else "active"]
                for rid, c in d["counts"].items()]
        chart = Chart("bar", "Hits per rule", {"labels": [r[0] for r in rows],
                                               "values": [r[1] for r in rows]},
                      x_label="rule", y_label="rows")
        facts = [("rule set version", d["ruleset_version"]), ("applied on", d["on"]),
                 ("rows", d["n_rows"]), ("active rules", d["n_active"]),
                 ("expired rules", ", ".join(d["expired"]) or "none"),
                 ("traffic share matched", d["traffic_share"]),
                 ("share of outputs changed", d["changed_share"])]
        return render_page("Rule layer applied", facts=facts, charts=[chart], tables=[
            ("Per rule", ["rule", "hits", "changed", "routed", "rejected", "state"], rows)])
