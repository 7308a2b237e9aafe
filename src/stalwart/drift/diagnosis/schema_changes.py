"""Schema changes: missing, new and renamed columns; kind, type and dtype changes.

A *rename* is a reference column that vanished and a current column that appeared whose
values match: for numbers, a two-sample KS distance below :func:`~.unit_change.ks_threshold`
(exact on raw values, from the sketches' CDFs on profiles); for categories, the same
categories (Jaccard overlap of at least 0.8) in close shares (total variation distance at
most 0.1). Pairs are matched best first, each column at most once.

A *type change* compares the Python-level type tallies of a column (``int``, ``float``,
``str``, ``bool``, ``datetime``, ``list``, ``dict``...): the dominant type changed (``int ->
float``, ``float -> str``), or a type the reference never held now makes up at least 1 % of
the values (``scalar -> list`` when lists or dicts appear among scalars).

>>> import pandas as pd
>>> from stalwart.drift.diagnosis.summary import ColumnView
>>> ref = {"a": ColumnView.from_series(pd.Series([1, 2, 3], name="a"), "numeric")}
>>> cur = {"a": ColumnView.from_series(pd.Series([[1], [2], 3], name="a"), "other")}
>>> [(f.kind, f.message) for f in type_changes(ref, cur, ["a"])]
[('kind_change', "column 'a': numeric -> other"), ('type_change', "column 'a': scalar -> list")]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .result import Finding
from .summary import ColumnView, container_types
from .unit_change import ks_statistic_sorted, ks_threshold

__all__ = ["column_changes", "ks_distance", "type_changes"]

_NEW_TYPE_SHARE = 0.01
_RENAME_JACCARD = 0.8
_RENAME_TV = 0.1
_GRID = np.linspace(0.0, 1.0, 101)


def ks_distance(ref: ColumnView, cur: ColumnView, scale: float = 1.0, offset: float = 0.0
                ) -> float:
    """KS distance of ``ref * scale + offset`` to ``cur``: exact on raw values; on profiles
    the largest CDF gap over both sketches' percentiles (within their rank errors)."""
    if ref.values is not None and cur.values is not None:
        return ks_statistic_sorted(ref.values * scale + offset, cur.values)
    xs = np.unique(np.concatenate([cur.quantiles(_GRID),
                                   ref.quantiles(_GRID) * scale + offset]))
    gap = np.abs(cur.cdf(xs) - ref.cdf((xs - offset) / scale))
    return float(gap.max()) if len(gap) else 0.0


def _shares(view: ColumnView) -> dict[str, float]:
    total = sum(view.counts.values()) if view.counts else 0
    return {k: v / total for k, v in view.counts.items()} if total else {}


def _match(ref: ColumnView, cur: ColumnView) -> tuple[float, dict] | None:
    """A distance in [0, 1] and its evidence when the two columns' values match."""
    if ref.numeric and cur.numeric and ref.kind == cur.kind:
        d = ks_distance(ref, cur)
        limit = ks_threshold(ref.count, cur.count) + ref.rank_error + cur.rank_error
        if d <= limit:
            return d, {"statistic": "ks", "distance": d, "threshold": limit}
        return None
    if ref.counts and cur.counts and ref.kind == cur.kind:
        a, b = _shares(ref), _shares(cur)
        keys = set(a) | set(b)
        jaccard = len(set(a) & set(b)) / len(keys)
        tv = 0.5 * sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in keys)
        if jaccard >= _RENAME_JACCARD and tv <= _RENAME_TV:
            return tv, {"statistic": "total_variation", "distance": tv, "jaccard": jaccard}
    return None


def column_changes(ref: Mapping[str, ColumnView], cur: Mapping[str, ColumnView]
                   ) -> list[Finding]:
    """Missing, new and renamed columns."""
    missing = [c for c in ref if c not in cur]
    new = [c for c in cur if c not in ref]
    out: list[Finding] = []
    if not (set(ref) & set(cur)):
        out.append(Finding("no_shared_columns", (), "fail",
                           "reference and current share no column: every reference column is "
                           "missing and every current column is new",
                           {"reference_columns": list(ref), "current_columns": list(cur)}))
    pairs = []
    for m in missing:
        for n in new:
            hit = _match(ref[m], cur[n])
            if hit is not None:
                pairs.append((hit[0], m, n, hit[1]))
    pairs.sort(key=lambda t: t[0])
    renamed_from, renamed_to = set(), set()
    for _, m, n, evidence in pairs:
        if m in renamed_from or n in renamed_to:
            continue
        renamed_from.add(m)
        renamed_to.add(n)
        out.append(Finding("renamed_column", (m, n), "warn",
                           f"column {m!r} looks renamed: {m} -> {n} (same values)",
                           {"from": m, "to": n, "kind": ref[m].kind, **evidence,
                            "approximate": not (ref[m].exact and cur[n].exact)}))
    for m in missing:
        if m not in renamed_from:
            out.append(Finding("missing_column", (m,), "fail",
                               f"column {m!r} is missing from the current data",
                               {"kind": ref[m].kind}))
    for n in new:
        if n not in renamed_to:
            out.append(Finding("new_column", (n,), "info", f"column {n!r} is new",
                               {"kind": cur[n].kind}))
    return out


def _family(t: str) -> str:
    return "number" if t in ("int", "float") else t


def _describe(a: str, b: str, containers_new: bool) -> str:
    if containers_new:
        return f"scalar -> {b}"
    if _family(a) != _family(b) and "number" in (_family(a), _family(b)):
        return f"{_family(a)} -> {_family(b)}" if a != "bool" and b != "bool" else f"{a} -> {b}"
    return f"{a} -> {b}"


def type_changes(ref: Mapping[str, ColumnView], cur: Mapping[str, ColumnView],
                 shared: Sequence[str]) -> list[Finding]:
    """Kind, dtype and type-tally changes of the columns both sides hold."""
    out: list[Finding] = []
    containers = set(container_types())
    for name in shared:
        r, c = ref[name], cur[name]
        before = len(out)
        if r.kind != c.kind:
            out.append(Finding("kind_change", (name,), "warn",
                               f"column {name!r}: {r.kind} -> {c.kind}",
                               {"reference": r.kind, "current": c.kind}))
        rt, ct = r.type_counts, c.type_counts
        rn, cn = sum(rt.values()), sum(ct.values())
        if rn and cn:
            r_share = {k: v / rn for k, v in rt.items() if k != "null"}
            c_share = {k: v / cn for k, v in ct.items() if k != "null"}
            r_dom = max(r_share, key=r_share.get) if r_share else None
            c_dom = max(c_share, key=c_share.get) if c_share else None
            appeared = sorted(k for k, s in c_share.items()
                              if s >= _NEW_TYPE_SHARE and k not in r_share)
            new_containers = [k for k in appeared if k in containers]
            reference_scalar = not (set(r_share) & containers)
            if (r_dom != c_dom or appeared) and r_dom is not None and c_dom is not None:
                target = new_containers[0] if new_containers and reference_scalar else (
                    c_dom if c_dom != r_dom else appeared[0])
                containers_new = bool(new_containers) and reference_scalar
                severity = "fail" if containers_new or _family(r_dom) != _family(c_dom) else (
                    "warn")
                out.append(Finding(
                    "type_change", (name,), severity,
                    f"column {name!r}: {_describe(r_dom, target, containers_new)}",
                    {"reference_types": rt, "current_types": ct, "reference_dominant": r_dom,
                     "current_dominant": c_dom, "new_types": appeared,
                     "new_type_shares": {k: c_share[k] for k in appeared}}))
        said = len(out) > before  # a dtype change is news only when nothing else is
        if r.dtype is not None and c.dtype is not None and r.dtype != c.dtype and not said:
            out.append(Finding("dtype_change", (name,), "info",
                               f"column {name!r}: dtype {r.dtype} -> {c.dtype}",
                               {"reference": r.dtype, "current": c.dtype}))
    return out
