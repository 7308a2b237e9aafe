"""The result of a fairness audit: rates by group, disparities with intervals, four-fifths.

Plain frozen dataclasses; ``FairnessAudit.to_dict()`` is JSON-safe and carries a
``schema_version``. The HTML page is drawn one layer up, by
:class:`stalwart.checks.fairness.FairnessReport` (renderers live above the algorithms).

>>> d = Disparity("demographic_parity", ("sex",), 0.1, 0.8, None, None, ("f",), ("m",), 2,
...               (), False)
>>> d.to_dict()["ratio"], d.passes_four_fifths
(0.8, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._json import jsonable
from ..exceptions import ParameterError
from ..metrics.bootstrap import BootstrapInterval
from .measures import MEASURES

__all__ = ["ALL_MEASURES", "FOUR_FIFTHS", "Disparity", "FairnessAudit", "GroupImpact",
           "GroupStats"]

#: the four-fifths rule of the US Uniform Guidelines on Employee Selection (29 CFR 1607.4 D)
FOUR_FIFTHS = 0.8
ALL_MEASURES = (*MEASURES, "calibration")


def _interval(iv: BootstrapInterval | None) -> dict[str, Any] | None:
    return None if iv is None else iv.to_dict()


@dataclass(frozen=True)
class GroupStats:
    """One group of one grouping: its size, counts, rates (and extra metrics).

    ``unstable``: fewer rows than the audit's ``min_group_size``; ``undefined`` names the
    rates with a zero denominator here (NaN in ``values``, never 0).
    """

    grouping: tuple[str, ...]
    key: tuple[str, ...]
    size: int
    n_positive: int
    n_predicted_positive: int
    values: dict[str, float]
    unstable: bool
    undefined: tuple[str, ...]

    @property
    def label(self) -> str:
        return " & ".join(self.key)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"grouping": self.grouping, "key": self.key, "size": self.size,
                         "n_positive": self.n_positive,
                         "n_predicted_positive": self.n_predicted_positive,
                         "values": self.values, "unstable": self.unstable,
                         "undefined": self.undefined})


@dataclass(frozen=True)
class Disparity:
    """One disparity measure on one grouping, with bootstrap intervals.

    ``lowest_group``/``highest_group`` hold the extreme groups of the compared rate (for
    equalized odds, of the rate with the larger difference; for calibration, the best and
    worst calibrated). ``excluded_groups`` had the rate undefined; ``unstable`` is true when
    an extreme group is smaller than ``min_group_size``. ``ratio`` is None for calibration.
    """

    measure: str
    grouping: tuple[str, ...]
    difference: float
    ratio: float | None
    difference_interval: BootstrapInterval | None
    ratio_interval: BootstrapInterval | None
    lowest_group: tuple[str, ...] | None
    highest_group: tuple[str, ...] | None
    n_groups_used: int
    excluded_groups: tuple[tuple[str, ...], ...]
    unstable: bool

    @property
    def passes_four_fifths(self) -> bool | None:
        """Ratio at least 0.8 (None when the ratio is undefined)."""
        if self.ratio is None or math.isnan(self.ratio):
            return None
        return self.ratio >= FOUR_FIFTHS

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"measure": self.measure, "grouping": self.grouping,
                         "difference": self.difference, "ratio": self.ratio,
                         "difference_interval": _interval(self.difference_interval),
                         "ratio_interval": _interval(self.ratio_interval),
                         "lowest_group": self.lowest_group, "highest_group": self.highest_group,
                         "n_groups_used": self.n_groups_used,
                         "excluded_groups": self.excluded_groups, "unstable": self.unstable})


@dataclass(frozen=True)
class GroupImpact:
    """Disparate impact of one group: its selection rate over the most-favoured group's,
    and whether it meets the four-fifths rule (None when undefined)."""

    grouping: tuple[str, ...]
    key: tuple[str, ...]
    selection_rate: float
    impact_ratio: float
    passes: bool | None
    unstable: bool

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"grouping": self.grouping, "key": self.key,
                         "selection_rate": self.selection_rate,
                         "impact_ratio": self.impact_ratio, "passes": self.passes,
                         "unstable": self.unstable})


@dataclass(frozen=True)
class FairnessAudit:
    """Rates by group (each sensitive column and their intersection), disparities with
    bootstrap intervals, disparate impact per group, and every warning."""

    columns: tuple[str, ...]
    pos_label: Any
    n_rows: int
    overall: dict[str, float]
    groups: tuple[GroupStats, ...]
    disparities: tuple[Disparity, ...]
    disparate_impact: tuple[GroupImpact, ...]
    min_group_size: int
    warnings: tuple[str, ...]
    options: dict[str, Any]
    schema_version: str = "1.0"

    @property
    def groupings(self) -> tuple[tuple[str, ...], ...]:
        return tuple(dict.fromkeys(g.grouping for g in self.groups))

    @property
    def small_groups(self) -> tuple[GroupStats, ...]:
        return tuple(g for g in self.groups if g.unstable)

    @property
    def four_fifths_passed(self) -> bool | None:
        """Every group of every grouping meets the four-fifths rule (None: undefined)."""
        judged = [i.passes for i in self.disparate_impact if i.passes is not None]
        return all(judged) if judged else None

    def disparity(self, measure: str, grouping: Any = None, *,
                  worst: str = "difference") -> Disparity:
        """The ``measure`` on ``grouping`` (a column name or tuple); by default the worst
        grouping: the largest difference (``worst="difference"``) or the smallest ratio
        (``worst="ratio"``, what the four-fifths rule judges), undefined ones last. Without
        intersections the two can name different groupings."""
        if measure not in ALL_MEASURES:
            raise ParameterError("measure", expected=f"one of {ALL_MEASURES}",
                                 got=repr(measure), fix="pick a measure from the list")
        if worst not in ("difference", "ratio") or (worst == "ratio" and
                                                    measure == "calibration"):
            raise ParameterError("worst", expected="'difference', or 'ratio' for a measure "
                                 "with a ratio", got=repr(worst),
                                 fix="pass worst='difference' (calibration has no ratio)")
        found = [d for d in self.disparities if d.measure == measure]
        if not found:
            raise ParameterError("measure", expected="a measure the audit computed",
                                 got=repr(measure), fix="pass proba= for calibration")
        if grouping is None:
            if worst == "ratio":
                return min(found, key=lambda d: (math.isnan(d.ratio),
                                                 math.inf if math.isnan(d.ratio) else d.ratio))
            return max(found, key=lambda d: (not math.isnan(d.difference),
                                             -math.inf if math.isnan(d.difference)
                                             else d.difference))
        want = (grouping,) if isinstance(grouping, str) else tuple(grouping)
        for d in found:
            if d.grouping == want:
                return d
        raise ParameterError("grouping", expected=f"one of {list(self.groupings)}",
                             got=repr(grouping), fix="name the audit's sensitive columns")

    def by_group(self, grouping: Any = None) -> pd.DataFrame:
        """One row per group of ``grouping`` (default: the last, finest one): size, counts,
        rates and extra metrics; a column ``unstable`` flags the small groups."""
        want = self.groupings[-1] if grouping is None else (
            (grouping,) if isinstance(grouping, str) else tuple(grouping))
        rows = [g for g in self.groups if g.grouping == want]
        if not rows:
            raise ParameterError("grouping", expected=f"one of {list(self.groupings)}",
                                 got=repr(grouping), fix="name the audit's sensitive columns")
        index = (pd.Index([g.key[0] for g in rows], name=want[0]) if len(want) == 1 else
                 pd.MultiIndex.from_tuples([g.key for g in rows], names=list(want)))
        return pd.DataFrame([{"size": g.size, "n_positive": g.n_positive,
                              "n_predicted_positive": g.n_predicted_positive, **g.values,
                              "unstable": g.unstable} for g in rows], index=index)

    def chart(self, rate: str = "selection_rate", grouping: Any = None) -> dict[str, Any]:
        """Bar-chart data: one bar per group of ``grouping`` for ``rate``, and the overall."""
        frame = self.by_group(grouping)
        return {"labels": [" & ".join(map(str, k)) if isinstance(k, tuple) else str(k)
                           for k in frame.index],
                "values": frame[rate].tolist(), "sizes": frame["size"].tolist(),
                "overall": self.overall.get(rate)}

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "columns": self.columns,
                         "pos_label": self.pos_label, "n_rows": self.n_rows,
                         "overall": self.overall,
                         "groups": [g.to_dict() for g in self.groups],
                         "disparities": [d.to_dict() for d in self.disparities],
                         "disparate_impact": [i.to_dict() for i in self.disparate_impact],
                         "four_fifths_passed": self.four_fifths_passed,
                         "min_group_size": self.min_group_size, "warnings": self.warnings,
                         "options": self.options, "chart": self.chart()})
