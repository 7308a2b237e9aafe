"""What the fairness checks share: the audit of the model on the evaluation rows (cached),
and one check body (a measure, its groups table and bar chart, small-group warnings).

The sensitive columns come from ``sensitive=`` or the schema's sensitive role; a check
without either is skipped, saying so. The positive class is ``pos_label`` or, for a binary
classifier, its second class (scikit-learn's convention); a multiclass model needs
``pos_label`` (that class is audited against the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from ...exceptions import ParameterError
from ...fairness import FairnessAudit, fairness_audit
from ...fairness.measures import MEASURES, disparity, spread
from ..check import Check, CheckContext
from ..condition import Condition
from ..evaluation._common import model_outputs
from ..result import Chart, Evidence, Table

__all__ = ["FairnessCheck", "audit_cache_key", "model_audit"]

_TOP = 30


def _pos_label(classes: Any, pos_label: Any) -> tuple[Any, str]:
    labels = [] if classes is None else list(classes)
    if pos_label is not None:
        if labels and pos_label not in labels:
            # a label typed on the command line arrives as text: "1" names class 1
            same = [c for c in labels if str(c) == str(pos_label)]
            pos_label = same[0] if len(same) == 1 else pos_label
        if labels and pos_label not in labels:
            raise ParameterError("pos_label", expected=f"one of the model's classes {labels[:10]}",
                                 got=repr(pos_label), fix="pass the favourable class")
        return pos_label, "ovr" if len(labels) > 2 else "error"
    if len(labels) == 2:
        return labels[1], "error"
    raise ParameterError("pos_label", expected="a binary classifier, or pos_label= naming the "
                         "class to audit against the rest",
                         got=f"{len(labels)} classes {labels[:10]}",
                         fix="pass options {'pos_label': <class>} to the fairness checks")


def audit_cache_key(*, columns: list[str], pos_label: Any, min_group_size: int, n_boot: int,
                    intersections: bool) -> str:
    """Where a run's context caches the audit: checks with the same options share it, and
    :func:`~stalwart.checks.fairness.audit_model` places its own audit there to judge it."""
    return f"fairness:audit:{list(columns)}:{pos_label!r}:{min_group_size}:{n_boot}:" \
           f"{intersections}"


def model_audit(ctx: CheckContext, *, columns: list[str], pos_label: Any, min_group_size: int,
                n_boot: int, intersections: bool) -> FairnessAudit:
    """The fairness audit of the model on the labelled evaluation rows (cached per run)."""
    key = audit_cache_key(columns=columns, pos_label=pos_label, min_group_size=min_group_size,
                          n_boot=n_boot, intersections=intersections)

    def compute() -> FairnessAudit:
        out = model_outputs(ctx)
        label, multiclass = _pos_label(out.classes, pos_label)
        proba = None
        if out.proba is not None and out.classes is not None:
            proba = out.proba[:, list(out.classes).index(label)]
        sensitive = ctx.data.frame.loc[out.X.index, columns].reset_index(drop=True)
        return fairness_audit(out.y, out.pred, sensitive=sensitive, proba=proba,
                              pos_label=label, multiclass=multiclass,
                              intersections=intersections, min_group_size=min_group_size,
                              n_boot=n_boot, random_state=ctx.random_state)

    return ctx.cached(key, compute)


def stable_disparity(audit: FairnessAudit, measure: str, *, min_group_size: int,
                     worst: str) -> dict[str, Any]:
    """The measure over the groups of at least ``min_group_size`` rows only, in the grouping
    where it is worst (largest difference, or smallest ratio): what the checks judge.

    A gap between two groups of a handful of rows is mostly noise (with 10 rows a rate's
    standard error is up to 0.16), so a verdict resting on them would fail fair models and
    pass none the better; they stay in the audit's numbers and tables, flagged unstable.
    With fewer than two such groups in every grouping the values are None and the summary
    says so, so the check is skipped, never passed."""
    best: dict[str, Any] = {"difference": None, "ratio": None, "grouping": None, "n_groups": 0}
    for grouping in audit.groupings:
        frame = audit.by_group(grouping)
        big = (frame["size"] >= min_group_size).to_numpy()
        if measure == "calibration":
            values = frame["ece"].to_numpy(dtype=float) if "ece" in frame else None
            if values is None:
                continue
            used = big & np.isfinite(values)
            diff, ratio = float(spread(values, used)[0]), None
            n = int(used.sum())
        else:
            rates = {r: frame[r].to_numpy(dtype=float) for r in MEASURES[measure]}
            used = {r: big & np.isfinite(v) for r, v in rates.items()}
            d, r = disparity(rates, measure, used)
            diff, ratio = float(d), float(r)
            n = int(np.logical_and.reduce(list(used.values())).sum())
        if n < 2 or not np.isfinite(diff):
            continue
        ratio = ratio if ratio is not None and np.isfinite(ratio) else None
        current = best["ratio"] if worst == "ratio" and ratio is not None else best["difference"]
        mine = ratio if worst == "ratio" and ratio is not None else diff
        worse = (current is None or (mine < current if worst == "ratio" and ratio is not None
                                     else mine > current))
        if worse:
            best = {"difference": diff, "ratio": ratio, "grouping": " & ".join(grouping),
                    "n_groups": n}
    return best


def _fmt(value: Any) -> str:
    return "undefined" if value is None or (isinstance(value, float) and np.isnan(value)) \
        else f"{value:.3f}"


class FairnessCheck(Check):
    """Base of the fairness checks: options, needs, and the evidence of one measure."""

    measure: ClassVar[str]
    rates: ClassVar[tuple[str, ...]]
    #: which grouping is shown and judged: the one with the largest difference, or (for a
    #: check judging the ratio) the smallest ratio
    worst: ClassVar[str] = "difference"
    category = "model"
    needs = frozenset({"model", "target"})

    # 30 rows keeps the standard error of a group's rate under about 0.09; 200 bootstrap
    # replicates give 95% percentile limits to about +-0.01 at these sizes.
    def __init__(self, *, sensitive: Sequence[str] | None = None, pos_label: Any = None,
                 min_group_size: int = 30, n_boot: int = 200, intersections: bool = True,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.sensitive = sensitive
        self.pos_label = pos_label
        self.min_group_size = min_group_size
        self.n_boot = n_boot
        self.intersections = intersections
        self.conditions = conditions

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and ctx.model.task != "classification":
            missing.append("a classifier (group fairness measures compare decisions)")
        if not missing and self.sensitive is None and not ctx.data.schema.sensitive:
            missing.append("sensitive columns (declare them in the schema or pass sensitive=)")
        return missing

    def audit(self, ctx: CheckContext) -> FairnessAudit:
        columns = ctx.columns(self.sensitive, default=ctx.data.schema.sensitive)
        return model_audit(ctx, columns=columns, pos_label=self.pos_label,
                           min_group_size=self.min_group_size, n_boot=self.n_boot,
                           intersections=self.intersections)

    def compute(self, ctx: CheckContext) -> Evidence:
        audit = self.audit(ctx)
        d = audit.disparity(self.measure, worst=self.worst)
        metrics: dict[str, Any] = {
            "difference": d.difference, "ratio": d.ratio, "grouping": " & ".join(d.grouping),
            "lowest_group": None if d.lowest_group is None else " & ".join(d.lowest_group),
            "highest_group": None if d.highest_group is None else " & ".join(d.highest_group),
            "n_groups": d.n_groups_used, "n_small_groups": len(audit.small_groups),
            "unstable": d.unstable}
        for name, iv in (("difference", d.difference_interval), ("ratio", d.ratio_interval)):
            if iv is not None:
                metrics[f"{name}_low"], metrics[f"{name}_high"] = iv.low, iv.high
        stable = stable_disparity(audit, self.measure, min_group_size=self.min_group_size,
                                  worst=self.worst)
        metrics.update({"stable_difference": stable["difference"],
                        "stable_ratio": stable["ratio"], "stable_grouping": stable["grouping"],
                        "n_stable_groups": stable["n_groups"]})
        metrics.update(self.extra_metrics(audit))
        frame = audit.by_group(d.grouping)
        shown = frame.head(_TOP)
        columns = ("group", "rows", *self.rates, *self.extra_columns(), "unstable")
        impact = {i.key: i.impact_ratio for i in audit.disparate_impact
                  if i.grouping == d.grouping}
        rows = []
        for key, row in shown.iterrows():
            k = key if isinstance(key, tuple) else (key,)
            extra = [round(impact[k], 6)] if "impact_ratio" in self.extra_columns() else []
            rows.append((" & ".join(map(str, k)), int(row["size"]),
                         *(None if np.isnan(row[r]) else round(float(row[r]), 6)
                           for r in self.rates), *extra, "yes" if row["unstable"] else ""))
        table = Table(f"Groups of {' & '.join(d.grouping)}", columns, tuple(rows),
                      total_rows=len(frame))
        main = self.rates[0]
        chart = Chart("bar", f"{main} by group",
                      {"labels": [r[0] for r in rows], "values": [r[2] for r in rows],
                       "overall": audit.overall.get(main)}, x_label="group", y_label=main)
        return Evidence(metrics, self.summary(audit, d, metrics), (table,), (chart,))

    def extra_metrics(self, audit: FairnessAudit) -> dict[str, Any]:
        return {}

    def extra_columns(self) -> tuple[str, ...]:
        return ()

    def summary(self, audit: FairnessAudit, d: Any, metrics: dict[str, Any]) -> str:
        iv = d.ratio_interval if d.ratio is not None else d.difference_interval
        main = f"ratio {_fmt(d.ratio)}" if d.ratio is not None else \
            f"difference {_fmt(d.difference)}"
        ci = "" if iv is None else f" [{_fmt(iv.low)}, {_fmt(iv.high)}]"
        other = f", difference {_fmt(d.difference)}" if d.ratio is not None else ""
        text = (f"{self.measure.replace('_', ' ')} {main}{ci}{other} over "
                f"{d.n_groups_used} groups of {' & '.join(d.grouping)}")
        if d.lowest_group is not None:
            text += (f"; lowest {' & '.join(d.lowest_group)!r}, highest "
                     f"{' & '.join(d.highest_group)!r}")
        if audit.small_groups:
            text += (f"; {len(audit.small_groups)} group(s) under {audit.min_group_size} rows "
                     "(unstable)")
        if d.excluded_groups:
            text += f"; {len(d.excluded_groups)} group(s) left out (rate undefined)"
        if metrics.get("stable_grouping") is None:
            text += (f"; not judged: no grouping has two groups of at least "
                     f"{audit.min_group_size} rows (too small for a stable measure)")
        elif metrics["stable_grouping"] != metrics["grouping"] or d.unstable:
            main_stable = (f"ratio {_fmt(metrics['stable_ratio'])}"
                           if metrics.get("stable_ratio") is not None and self.worst == "ratio"
                           else f"difference {_fmt(metrics['stable_difference'])}")
            text += (f"; judged on the groups of at least {audit.min_group_size} rows: "
                     f"{main_stable} over {metrics['n_stable_groups']} groups of "
                     f"{metrics['stable_grouping']}")
        return text
