"""Fairness audit: rates by sensitive group and intersection, disparities, intervals, warnings.

For every sensitive column, and (``intersections=True``) for all of them together, the audit
computes per group the selection rate, TPR, FPR, FNR, precision (PPV), accuracy and count
(see :mod:`.measures`), plus any extra metric ``f(y_true, y_pred)`` through
:func:`stalwart.slicing.metric_frame`, and with ``proba`` the group's expected calibration
error (equal-width bins on the positive class's probability, as
:func:`sklearn.calibration.calibration_curve` bins it), mean probability and observed rate.

Disparities (fairlearn's ``between_groups`` definitions, equal to its functions on the same
inputs): demographic parity, equalized odds, equal opportunity and predictive parity as a
difference and a ratio, and the calibration gap (largest minus smallest group ECE).
Disparate impact is each group's selection rate over the most-favoured group's; the
four-fifths rule asks for at least 0.8. Every disparity has a percentile bootstrap interval
from ``n_boot`` replicates resampled within each intersection cell (group sizes fixed,
seeded by ``random_state``).

Nothing degenerate is silent: a sensitive column with one group is an error; groups under
``min_group_size`` rows are listed and marked unstable; a rate with a zero denominator
(TPR of a group with no positive label) is NaN, the group is left out of that measure and a
warning says so.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> g = rng.choice(["a", "b"], 400)
>>> y = rng.integers(0, 2, 400)
>>> pred = (rng.random(400) < np.where(g == "a", 0.6, 0.3)).astype(int)
>>> audit = fairness_audit(y, pred, sensitive=g, n_boot=50)
>>> d = audit.disparity("demographic_parity")
>>> round(d.ratio, 3), d.passes_four_fifths, audit.four_fifths_passed
(0.572, False, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..exceptions import ParameterError
from ..metrics.bootstrap import check_bootstrap_options, fix_seed, percentile_interval
from ..slicing import metric_frame
from .audit_result import FOUR_FIFTHS, Disparity, FairnessAudit, GroupImpact, GroupStats
from .groups import Grouping, SensitiveGroups, sensitive_frame, sensitive_groups
from .measures import MEASURES, calibration_error, disparity, rates_from_counts, spread
from .outcomes import binary_outcomes, positive_scores
from .resampling import key_sums, stratified_indices

__all__ = ["fairness_audit"]

_COUNTS = ("n", "pos", "sel", "tp")
_CAL = ("c", "p", "y")
# why a rate can be undefined in a group
_WHY = {"tpr": "no positive label", "fnr": "no positive label", "fpr": "no negative label",
        "ppv": "no positive prediction"}


def _check_options(min_group_size: Any, calibration_bins: Any, n_boot: int,
                   confidence: float) -> None:
    for name, value, low in (("min_group_size", min_group_size, 1),
                             ("calibration_bins", calibration_bins, 2)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ParameterError(name, expected=f"an integer >= {low}", got=repr(value),
                                 fix=f"pass {name}={30 if low == 1 else 10}")
    check_bootstrap_options(n_boot, confidence)


def _to_groups(sums: Mapping[str, np.ndarray], grouping: Grouping, *,
               bins: bool = False) -> dict[str, np.ndarray]:
    """Cell sums -> group sums; the cells are the last axis (``bins``: the one before)."""
    onehot = np.zeros((grouping.cell_to_group.size, len(grouping.keys)))
    onehot[np.arange(grouping.cell_to_group.size), grouping.cell_to_group] = 1.0
    if bins:
        return {k: np.einsum("...ck,cg->...gk", v, onehot) for k, v in sums.items()}
    return {k: v @ onehot for k, v in sums.items()}


def _cell_bins(sums: Mapping[str, np.ndarray], n_cells: int, k: int) -> dict[str, np.ndarray]:
    return {name: v.reshape(*v.shape[:-1], n_cells, k) for name, v in sums.items()}


def _group_stats(groups: SensitiveGroups, cells: Mapping[str, np.ndarray],
                 cal: Mapping[str, np.ndarray] | None, k: int, min_group_size: int):
    """Per grouping: rates of every group, and the GroupStats."""
    out = []
    for gr in groups.groupings:
        s = _to_groups(cells, gr)
        rates = rates_from_counts(n=s["n"], pos=s["pos"], sel=s["sel"], tp=s["tp"])
        if cal is not None:
            c = _to_groups(_cell_bins(cal, groups.n_cells, k), gr, bins=True)
            rates["ece"] = calibration_error(c["c"], c["p"], c["y"])
            rates["mean_proba"] = c["p"].sum(axis=-1) / c["c"].sum(axis=-1)
            rates["observed_rate"] = s["pos"] / s["n"]
        stats = tuple(GroupStats(gr.columns, key, int(s["n"][i]), int(s["pos"][i]),
                                 int(s["sel"][i]), {r: float(v[i]) for r, v in rates.items()},
                                 bool(s["n"][i] < min_group_size),
                                 tuple(r for r in _WHY if np.isnan(rates[r][i])))
                      for i, key in enumerate(gr.keys))
        out.append((gr, rates, stats))
    return out


def _replicate_rates(groups: SensitiveGroups, weights: dict[str, np.ndarray], cal_w: Any,
                     cal_key: Any, k: int, n_boot: int, seed: int) -> list[dict[str, np.ndarray]]:
    """Per grouping, every rate of every replicate: arrays of shape (n_boot, n_groups)."""
    cell_parts: dict[str, list[np.ndarray]] = {c: [] for c in _COUNTS}
    cal_parts: dict[str, list[np.ndarray]] = {c: [] for c in _CAL}
    for idx in stratified_indices(groups.cell, n_boot=n_boot, random_state=seed):
        for name, v in key_sums(groups.cell, weights, groups.n_cells, idx).items():
            cell_parts[name].append(v)
        if cal_w is not None:
            for name, v in key_sums(cal_key, cal_w, groups.n_cells * k, idx).items():
                cal_parts[name].append(v)
    cells = {c: np.concatenate(v) for c, v in cell_parts.items()}
    cal = {c: np.concatenate(v) for c, v in cal_parts.items()} if cal_w is not None else None
    out = []
    for gr in groups.groupings:
        s = _to_groups(cells, gr)
        rates = rates_from_counts(n=s["n"], pos=s["pos"], sel=s["sel"], tp=s["tp"])
        if cal is not None:
            c = _to_groups(_cell_bins(cal, groups.n_cells, k), gr, bins=True)
            rates["ece"] = calibration_error(c["c"], c["p"], c["y"])
        out.append(rates)
    return out


def _extremes(values: np.ndarray, used: np.ndarray, keys: tuple) -> tuple[Any, Any]:
    if used.sum() < 1:
        return None, None
    pos = np.flatnonzero(used)
    v = values[used]
    return keys[pos[int(np.argmin(v))]], keys[pos[int(np.argmax(v))]]


def _disparities(gr: Grouping, rates: dict[str, np.ndarray], stats: tuple[GroupStats, ...],
                 reps: dict[str, np.ndarray] | None, confidence: float) -> list[Disparity]:
    used = {r: np.isfinite(v) for r, v in rates.items()}
    small = {g.key for g in stats if g.unstable}
    out = []
    names = [*MEASURES, *(["calibration"] if "ece" in rates else [])]
    for m in names:
        parts = MEASURES.get(m, ("ece",))
        if m == "calibration":
            diff, ratio = spread(rates["ece"], used["ece"])
            ratio = None
            rep = None if reps is None else (spread(reps["ece"], used["ece"])[0], None)
        else:
            diff, ratio = disparity(rates, m, used)
            ratio = float(ratio)
            rep = None if reps is None else disparity(reps, m, used)
        # the rate behind the measure: for equalized odds, the one with the larger gap
        main = max(parts, key=lambda r: np.nan_to_num(spread(rates[r], used[r])[0], nan=-1.0))
        lo, hi = _extremes(rates[main], used[main], gr.keys)
        excluded = tuple(sorted({gr.keys[i] for r in parts for i in np.flatnonzero(~used[r])}))
        mask = np.logical_and.reduce([used[r] for r in parts])
        out.append(Disparity(
            m, gr.columns, float(diff), ratio,
            None if rep is None else percentile_interval(float(diff), rep[0],
                                                         confidence=confidence),
            None if rep is None or ratio is None else percentile_interval(
                ratio, rep[1], confidence=confidence),
            lo, hi, int(mask.sum()), excluded, bool({lo, hi} & small)))
    return out


def _extra_metrics(metrics: Any, y_true: Any, y_pred: Any, sensitive: Any, n: int,
                   groups: SensitiveGroups, n_bins: int, min_group_size: int,
                   stats: list) -> tuple[dict[str, float], list[str]]:
    frame = sensitive_frame(sensitive, n)
    overall: dict[str, float] = {}
    notes: list[str] = []
    for gr, _, group_stats in stats:
        mf = metric_frame(np.asarray(y_true), np.asarray(y_pred), by=frame[list(gr.columns)],
                          metrics=metrics, n_bins=n_bins, min_group_size=min_group_size,
                          max_categories=max(2, n))  # the audit's groups: none merged
        overall = dict(mf.overall)
        notes += [w for w in mf.warnings if "fewer than" not in w]
        found = {g.key: g.values for g in mf.groups}
        for g in group_stats:
            g.values.update(found[g.key])
    return overall, notes


def fairness_audit(y_true: Any, y_pred: Any, *, sensitive: Any, proba: Any = None,
                   pos_label: Any = 1,
                   metrics: Callable[..., Any] | Mapping[str, Callable[..., Any]] | None = None,
                   intersections: bool = True, min_group_size: int = 30, n_boot: int = 500,
                   confidence: float = 0.95, random_state: Any = 0,
                   multiclass: str = "error", n_bins: int = 5,
                   calibration_bins: int = 10) -> FairnessAudit:
    """Audit binary decisions ``y_pred`` against ``y_true`` across ``sensitive`` groups.

    ``sensitive``: a column (Series or array) or several (DataFrame or dict); numeric
    columns with more than ``n_bins`` values are cut into quantile bins (a warning says
    so); every category is its own group, none merged. ``proba``: the
    positive class's probability (1-D), for calibration by group. ``metrics``: extra
    ``f(y_true, y_pred)`` by group. ``n_boot=0`` turns the intervals off.
    """
    _check_options(min_group_size, calibration_bins, n_boot, confidence)
    seed = fix_seed(random_state)
    if isinstance(pos_label, np.generic):  # a numpy scalar from model.classes_: plain value
        pos_label = pos_label.item()
    yt, yp = binary_outcomes(y_true, y_pred, pos_label=pos_label, multiclass=multiclass)
    n = yt.size
    groups = sensitive_groups(sensitive, n_rows=n, intersections=intersections, n_bins=n_bins)
    weights = {"n": np.ones(n), "pos": yt.astype(float), "sel": yp.astype(float),
               "tp": (yt * yp).astype(float)}
    k = int(calibration_bins)
    cal_w = cal_key = None
    if proba is not None:
        p = positive_scores(proba, n)
        edges = np.linspace(0.0, 1.0, k + 1)
        cal_key = groups.cell * k + np.searchsorted(edges[1:-1], p)
        cal_w = {"c": np.ones(n), "p": p, "y": yt.astype(float)}
    cells = key_sums(groups.cell, weights, groups.n_cells)
    cal = None if cal_w is None else key_sums(cal_key, cal_w, groups.n_cells * k)
    stats = _group_stats(groups, cells, cal, k, min_group_size)
    reps = (_replicate_rates(groups, weights, cal_w, cal_key, k, n_boot, seed)
            if n_boot else [None] * len(stats))
    overall = {r: float(v[0]) for r, v in rates_from_counts(
        n=np.array([n]), pos=np.array([yt.sum()]), sel=np.array([yp.sum()]),
        tp=np.array([(yt * yp).sum()])).items()}
    notes: list[str] = []
    if proba is not None:
        whole = {c: v.reshape(groups.n_cells, k).sum(axis=0) for c, v in cal.items()}
        overall.update(ece=float(calibration_error(whole["c"], whole["p"], whole["y"])),
                       mean_proba=float(p.mean()), observed_rate=float(yt.mean()))
    if metrics is not None:
        extra, extra_notes = _extra_metrics(metrics, y_true, y_pred, sensitive, n, groups,
                                            n_bins, min_group_size, stats)
        overall.update(extra)
        notes += extra_notes
    disparities, impact = [], []
    for (gr, rates, group_stats), rep in zip(stats, reps):
        disparities += _disparities(gr, rates, group_stats, rep, confidence)
        sel = rates["selection_rate"]
        top = float(np.max(sel))
        for g, s in zip(group_stats, sel):
            ratio = float(s / top) if top > 0 else float("nan")
            impact.append(GroupImpact(gr.columns, g.key, float(s), ratio,
                                      None if top == 0 else bool(ratio >= FOUR_FIFTHS),
                                      g.unstable))
    all_stats = tuple(g for _, _, st in stats for g in st)
    warnings = [f"numeric sensitive column {c!r} has more than {n_bins} values, so it is "
                f"grouped into quantile bins ({', '.join(labels)}); pass it as text, or a "
                "larger n_bins, to audit every value" for c, labels in (groups.binned or
                                                                        {}).items()]
    warnings += _warnings(all_stats, disparities, min_group_size, impact) + notes
    options = {"pos_label": pos_label, "intersections": intersections,
               "min_group_size": min_group_size, "n_boot": n_boot, "confidence": confidence,
               "random_state": seed, "multiclass": multiclass, "n_bins": n_bins,
               "calibration_bins": k, "metrics": None if metrics is None else (
                   sorted(metrics) if isinstance(metrics, Mapping)
                   else [getattr(metrics, "__name__", "metric")])}
    return FairnessAudit(groups.columns, pos_label, n, overall, all_stats, tuple(disparities),
                         tuple(impact), int(min_group_size), tuple(warnings), options)


def _warnings(stats: tuple[GroupStats, ...], disparities: list[Disparity], min_group_size: int,
              impact: list[GroupImpact]) -> list[str]:
    out = []
    small = [g for g in stats if g.unstable]
    if small:
        shown = ", ".join(f"{g.label} ({g.size})" for g in small[:10])
        out.append(f"{len(small)} group(s) have fewer than {min_group_size} rows, so their "
                   f"rates are unstable: {shown}{' ...' if len(small) > 10 else ''}")
    for rate, why in _WHY.items():
        if rate == "fnr":
            continue
        bad = [g.label for g in stats if rate in g.undefined]
        if bad:
            out.append(f"{rate.upper()} is undefined (not 0) for {len(bad)} group(s) with "
                       f"{why}: {', '.join(bad[:10])}; they are left out of the measures "
                       "that use it")
    for d in disparities:
        if d.unstable:
            out.append(f"{d.measure} on {' & '.join(d.grouping)} is driven by a group "
                       f"smaller than {min_group_size} rows; treat it as unstable")
        if d.n_groups_used < 2:
            out.append(f"{d.measure} on {' & '.join(d.grouping)} is undefined: fewer than "
                       "two groups have the rates it compares")
    if any(i.passes is None for i in impact):
        out.append("no row is selected in some grouping, so disparate impact is undefined "
                   "there")
    return out
