"""What the promotion checks share: the comparison they read, and one check per metric.

The comparison of the two versions is computed by ``stalwart.lifecycle`` (a layer above the
checks) and handed down as its plain ``to_dict()`` form in the run's cache under
:data:`COMPARISON`: the checks read that documented JSON, never the lifecycle classes. A
check run without one (a plain ``Suite.run`` on a table) skips, saying so.

Each check judges one metric overall and for every pinned customer (a value of the
comparison's segment column): one condition per scope, so a failing customer is named in
the condition that fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from ...exceptions import DataError
from ..check import Check, CheckContext
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["COMPARISON", "PromotionCheck", "scoped_metric"]

#: cache key of the comparison (``VersionComparison.to_dict()``) a promotion run judges
COMPARISON = "promotion:comparison"


def scoped_metric(metric: str, customer: Any) -> str:
    """The name of ``metric`` on one pinned customer's rows, e.g. ``churn[acme]``."""
    return f"{metric}[{customer}]"


def _find(segments: Sequence[Mapping[str, Any]], customer: Any) -> Mapping[str, Any] | None:
    for seg in segments:
        if seg["segment"] == customer:
            return seg
    for seg in segments:  # pins typed on a command line arrive as text
        if str(seg["segment"]) == str(customer):
            return seg
    return None


class PromotionCheck(Check):
    """Base of the promotion checks: ``metric`` compared with ``op`` against the threshold
    held in the attribute named ``threshold_option``, overall and per pinned customer."""

    category = "model"
    needs = frozenset({"target"})
    metric: ClassVar[str]
    op: ClassVar[str]
    threshold_option: ClassVar[str]
    phrase: ClassVar[str]
    pinned: Sequence[Any] = ()

    @property
    def threshold(self) -> float:
        return float(getattr(self, self.threshold_option))

    def default_conditions(self) -> list[Condition]:
        word = "at most" if self.op == "le" else "at least"
        out = [Condition(self.metric, self.op, self.threshold,
                         name=f"{self.phrase} {word} {self.threshold:g} overall")]
        out += [Condition(scoped_metric(self.metric, c), self.op, self.threshold,
                          name=f"{self.phrase} {word} {self.threshold:g} for pinned customer "
                               f"{c!r}") for c in self.pinned]
        return out

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and COMPARISON not in ctx.cache:
            missing.append("a comparison of two model versions (run it through "
                           "stalwart.lifecycle.promotion_gate or `stalwart compare --gate`)")
        return missing

    def _scopes(self, comparison: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
        scopes = [("overall", comparison["overall"])]
        if not self.pinned:
            return scopes
        column = comparison.get("segment_column")
        if column is None:
            raise DataError("pinned customers", expected="a comparison per customer",
                            got=f"pins {list(self.pinned)[:10]} but no segment column",
                            fix="compare with segment='customer' (--segment customer)")
        absent = [c for c in self.pinned if _find(comparison["segments"], c) is None]
        if absent:
            raise DataError("pinned customers", expected=f"rows of every pinned customer in "
                            f"column {column!r}", got=f"no rows for {absent[:10]}",
                            fix="evaluate on data that covers every pinned customer, or "
                                "unpin the customers who left")
        return scopes + [(str(c), _find(comparison["segments"], c)) for c in self.pinned]

    def compute(self, ctx: CheckContext) -> Evidence:
        comparison = ctx.cache[COMPARISON]
        scopes = self._scopes(comparison)
        metrics: dict[str, Any] = {"n_rows": comparison["overall"]["n_rows"]}
        rows = []
        bad = []
        word = "<=" if self.op == "le" else ">="
        for i, (name, scope) in enumerate(scopes):
            value = scope["metrics"][self.metric]
            interval = scope["intervals"].get(self.metric, {})
            key = self.metric if i == 0 else scoped_metric(self.metric, self.pinned[i - 1])
            metrics[key] = value
            if i == 0:
                metrics[f"{self.metric}_low"] = interval.get("low")
                metrics[f"{self.metric}_high"] = interval.get("high")
            ok = None if value is None else (value <= self.threshold if self.op == "le"
                                             else value >= self.threshold)
            if ok is False and i > 0:
                bad.append(f"{name} ({value:.4f})")
            rows.append((name, scope["n_rows"], value, interval.get("low"), interval.get("high"),
                         "yes" if scope.get("small") else "no",
                         "undefined" if ok is None else ("holds" if ok else "fails")))
        table = Table(f"{self.phrase.capitalize()} per scope (must be {word} {self.threshold:g})",
                      ("scope", "rows", "value", "low", "high", "few rows", "verdict"),
                      tuple(rows))
        chart = Chart("bar", f"{self.phrase.capitalize()} overall and per pinned customer",
                      {"labels": [r[0] for r in rows], "values": [r[2] for r in rows]},
                      x_label="scope", y_label=self.metric)
        overall = metrics[self.metric]
        text = (f"{self.phrase} {'undefined' if overall is None else f'{overall:.4f}'} "
                f"overall (must be {word} {self.threshold:g})")
        if self.pinned:
            text += (f"; pinned customers failing: {', '.join(bad)}" if bad else
                     f"; all {len(self.pinned)} pinned customers hold")
        small = [r[0] for r in rows[1:] if r[5] == "yes"]
        if small:
            text += f"; few rows for {', '.join(small)} (noisy)"
        return Evidence(metrics, text, (table,), (chart,))
