"""The fairness report of a model: its audit and, when asked, a mitigation's cost.

Plain data computed by :func:`~stalwart.checks.fairness.audit_model` (or given directly);
``to_html`` and ``to_text`` only lay it out (the audit's numbers, its tables and charts).
``checks`` holds the fairness checks' verdicts on the audit (``audit_model`` fills it);
:meth:`FairnessReport.exit_code` is the gate: 1 when a check failed (or warned, with
``fail_on="warn"``), else 0.

>>> import numpy as np
>>> from stalwart.fairness import fairness_audit
>>> y = np.array([0, 1] * 20); g = np.array(["a", "b"] * 10 + ["b", "a"] * 10)
>>> r = FairnessReport(audit=fairness_audit(y, y, sensitive=g, n_boot=0), mitigation=None,
...                    model={"name": "m"}, data={"name": "d"}, target="y")
>>> r.to_dict()["audit"]["four_fifths_passed"], "<svg" in r.to_html(), r.exit_code()
(True, True, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..._json import jsonable
from ...fairness import FairnessAudit, MitigationReport
from ...reports.page import render_page
from ..result import Chart, SuiteResult

__all__ = ["FairnessReport"]


def _num(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def _fmt(v: Any) -> str:
    v = _num(v)
    return "undefined" if v is None else f"{v:.3f}"


@dataclass(frozen=True)
class FairnessReport:
    """A model's fairness audit on a table, with the mitigation report when one was run."""

    audit: FairnessAudit
    mitigation: MitigationReport | None
    model: dict[str, Any]
    data: dict[str, Any]
    target: str
    notes: tuple[str, ...] = ()
    checks: SuiteResult | None = None
    schema_version: str = "1.0"

    @property
    def status(self) -> str | None:
        """The worst verdict of the fairness checks ("pass", "warn", "fail", ...); None
        when no check was run."""
        return None if self.checks is None else self.checks.status.value

    def exit_code(self, *, fail_on: str = "fail") -> int:
        """0 when every fairness check passed, 1 when one failed (or warned, with
        ``fail_on="warn"``); 0 when no check was run."""
        return 0 if self.checks is None else self.checks.exit_code(fail_on=fail_on)

    def _check_rows(self) -> list[list[Any]]:
        if self.checks is None:
            return []
        rows = []
        for r in self.checks.results:
            said = [c.message for c in r.conditions if c.status.value != "pass"]
            rows.append([r.check, r.status.value,
                         "; ".join(said) or "; ".join(c.message for c in r.conditions)
                         or r.summary])
        return rows

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "model": self.model,
                         "data": self.data, "target": self.target,
                         "audit": self.audit.to_dict(),
                         "mitigation": None if self.mitigation is None
                         else self.mitigation.to_dict(), "notes": list(self.notes),
                         "status": self.status,
                         "checks": None if self.checks is None else [
                             {"check": r.check, "status": r.status.value,
                              "summary": r.summary,
                              "conditions": [c.to_dict() for c in r.conditions]}
                             for r in self.checks.results]})

    def headline(self) -> str:
        dp = self.audit.disparity("demographic_parity", worst="ratio")
        eo = self.audit.disparity("equalized_odds")
        four = {True: "meets", False: "fails", None: "cannot judge"}[self.audit.four_fifths_passed]
        return (f"demographic parity ratio {_fmt(dp.ratio)} on {' & '.join(dp.grouping)} "
                f"({four} the four-fifths rule); equalized odds difference "
                f"{_fmt(eo.difference)} on {' & '.join(eo.grouping)}")

    def _disparity_rows(self) -> list[list[Any]]:
        rows = []
        for d in self.audit.disparities:
            ci = d.difference_interval
            rows.append([d.measure, " & ".join(d.grouping), _num(d.difference),
                         None if ci is None else _num(ci.low),
                         None if ci is None else _num(ci.high), _num(d.ratio),
                         " & ".join(d.lowest_group or ()), " & ".join(d.highest_group or ()),
                         "yes" if d.unstable else ""])
        return rows

    def to_text(self) -> str:
        lines = [f"fairness of {self.model.get('name', 'the model')} on "
                 f"{self.data.get('name', 'the data')} ({self.audit.n_rows} rows, positive "
                 f"class {self.audit.pos_label!r})", self.headline(), "",
                 f"{'measure':<20} {'grouping':<24} {'difference':>10} {'95% interval':>17} "
                 f"{'ratio':>7}"]
        for m, g, diff, lo, hi, ratio, *_ in self._disparity_rows():
            ci = "" if lo is None else f"[{_fmt(lo)}, {_fmt(hi)}]"
            lines.append(f"{m:<20} {g[:24]:<24} {_fmt(diff):>10} {ci:>17} {_fmt(ratio):>7}")
        failing = [f"{' & '.join(i.key)} ({i.impact_ratio:.2f})"
                   for i in self.audit.disparate_impact if i.passes is False]
        if failing:
            lines.append(f"below four-fifths: {', '.join(failing[:10])}")
        if self.checks is not None:
            lines += ["", f"checks: {self.status}"]
            lines += [f"  {name:<20} {status:<5} {said}"
                      for name, status, said in self._check_rows()]
        if self.mitigation is not None:
            m = self.mitigation
            lines += ["", f"mitigation: {m.method} (on {m.n_rows} held-out rows)",
                      f"  accuracy {m.accuracy_before:.4f} -> {m.accuracy_after:.4f} "
                      f"(cost {m.accuracy_cost:+.4f})"]
            for name, v in m.disparities.items():
                lines.append(f"  {name:<32} {_fmt(v['before'])} -> {_fmt(v['after'])}")
            lines += [f"  warning: {w}" for w in m.warnings if w not in self.audit.warnings]
        lines += [f"warning: {w}" for w in self.audit.warnings]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_html(self) -> str:
        a = self.audit
        facts = [("model", self.model.get("name")), ("data", self.data.get("name")),
                 ("rows", a.n_rows), ("target", self.target), ("positive class", a.pos_label),
                 ("sensitive columns", list(a.columns)),
                 ("four-fifths rule", {True: "met", False: "failed", None: "undefined"}[
                     a.four_fifths_passed]), ("bootstrap replicates", a.options["n_boot"])]
        if self.checks is not None:
            facts.append(("checks", self.status))
        tables = [("Disparities", ["measure", "grouping", "difference", "low", "high", "ratio",
                                   "lowest group", "highest group", "unstable"],
                   self._disparity_rows())]
        if self.checks is not None:
            tables.append(("Checks", ["check", "status", "verdict"], self._check_rows()))
        for grouping in a.groupings:
            frame = a.by_group(grouping)
            cols = [c for c in frame.columns if c != "unstable"]
            rows = [[" & ".join(map(str, k)) if isinstance(k, tuple) else str(k),
                     *(_num(float(v)) for v in r[cols]), "yes" if r["unstable"] else ""]
                    for k, r in frame.iterrows()]
            tables.append((f"Groups of {' & '.join(grouping)}", ["group", *cols, "unstable"],
                           rows))
        tables.append(("Disparate impact (four-fifths rule)",
                       ["grouping", "group", "selection rate", "impact ratio", "passes"],
                       [[" & ".join(i.grouping), " & ".join(i.key), i.selection_rate,
                         _num(i.impact_ratio), {True: "yes", False: "no", None: "undefined"}[
                             i.passes]] for i in a.disparate_impact]))
        charts = [Chart("bar", "Selection rate by group", a.chart(), x_label="group",
                        y_label="selection rate")]
        m = self.mitigation
        if m is not None:
            facts += [("mitigation", m.method), ("accuracy before", m.accuracy_before),
                      ("accuracy after", m.accuracy_after), ("accuracy cost", m.accuracy_cost)]
            tables.append(("Mitigation: before and after", ["measure", "before", "after"],
                           [[k, _num(v["before"]), _num(v["after"])]
                            for k, v in m.disparities.items()]))
            labels = list(m.selection_rates)
            charts.append(Chart("bar", "Selection rate before (current) and after (reference) "
                                "mitigation",
                                {"labels": labels,
                                 "values": [m.selection_rates[k]["before"] for k in labels],
                                 "reference_values": [m.selection_rates[k]["after"]
                                                      for k in labels]},
                                x_label="group", y_label="selection rate"))
        extra = () if m is None else tuple(f"mitigation: {w}" for w in m.warnings
                                           if w not in a.warnings)
        tables.append(("Warnings", ["warning"],
                       [[w] for w in (*a.warnings, *extra, *self.notes)]))
        return render_page("Fairness audit", message=self.headline(), facts=facts,
                           tables=tables, charts=charts)
