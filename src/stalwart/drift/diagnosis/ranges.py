"""Range violations and missing-share changes.

*Range*: the share of current values outside the reference's ``[min, max]`` widened by a
tolerance (:func:`stalwart.quality.reference_bounds`), or outside a schema's declared
``min`` / ``max``. On raw data the counts and their p-values come from
:func:`stalwart.quality.invalid_values` (exact; the p-value is that of so many values past
the reference's end under ``BetaBinom(m, 1, n)``, see its docstring); on profiles the shares
are read from the KLL CDF (off by at most the rank error), and the p-value is that of the
share's lower bound (share less the rank error), so a sketch never reports what it cannot be
sure of: violations smaller than the rank error (about 1.3 % of rows at ``kll_k=200``) are
seen on raw data only.
Reference-range violations are reported when that p-value is below ``alpha``; declared-range
violations always.

*Missing share*: missing plus disguised-missing cells (``"N/A"``, ``""``... as counted by
:func:`stalwart.quality.missing_values`) on raw data, missing cells on profiles; a change is
reported when it is at least ``min_change`` and a two-proportion z-test gives p < ``alpha``.

>>> from stalwart.drift.diagnosis.summary import ColumnView
>>> import pandas as pd
>>> ref = {"a": ColumnView.from_series(pd.Series([1.0] * 90 + [None] * 10, name="a"), "numeric")}
>>> cur = {"a": ColumnView.from_series(pd.Series([1.0] * 50 + [None] * 50, name="a"), "numeric")}
>>> [round(f.evidence["change"], 2) for f in missing_share_changes(ref, cur, ["a"])]
[0.4]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ...data.schema import Schema
from ...quality import invalid_values, missing_values, reference_bounds
from .result import Finding
from .summary import ColumnView

__all__ = ["missing_share_changes", "range_violations"]

_RULES = {"below_reference_range": "reference", "above_reference_range": "reference",
          "below_min": "schema", "above_max": "schema", "infinite": "schema",
          "not_allowed": "schema"}


def _finding(name: str, rule: str, share: float, count: int, detail: str, p: float | None,
             approximate: bool, error: float, examples: list) -> Finding:
    source = _RULES[rule]
    severity = "fail" if source == "schema" or share >= 0.05 else (
        "warn" if share >= 0.01 else "info")
    return Finding("range_violation", (name,), severity,
                   f"column {name!r}: {share:.1%} of current rows {detail}",
                   {"rule": rule, "source": source, "share": share, "count": count,
                    "detail": detail, "p_value": p, "approximate": approximate,
                    "share_error_bound": error, "examples": examples})


def range_violations(ref: Mapping[str, ColumnView], cur: Mapping[str, ColumnView],
                     shared: Sequence[str], *, schema: Schema | None = None,
                     frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                     tolerance: float = 0.05, alpha: float = 0.001) -> list[Finding]:
    names = [n for n in shared if ref[n].kind == cur[n].kind == "numeric"
             and ref[n].numeric and cur[n].numeric]
    if frames is not None:
        return _raw(names, frames, schema, tolerance, alpha)
    out: list[Finding] = []
    for name in names:
        r, c = ref[name], cur[name]
        err = r.rank_error + c.rank_error
        lo, hi = reference_bounds(np.array([r.minimum, r.maximum]), tolerance)
        checks = [("below_reference_range", c.cdf_at(np.nextafter(lo, -np.inf)),
                   f"< {lo:g}, the reference's min less the tolerance"),
                  ("above_reference_range", 1 - c.cdf_at(hi),
                   f"> {hi:g}, the reference's max plus the tolerance")]
        spec = schema[name] if schema is not None and name in schema else None
        if spec is not None and spec.min is not None:
            checks.append(("below_min", c.cdf_at(np.nextafter(spec.min, -np.inf)),
                           f"< min {spec.min:g}"))
        if spec is not None and spec.max is not None:
            checks.append(("above_max", 1 - c.cdf_at(spec.max), f"> max {spec.max:g}"))
        for rule, share_of_values, detail in checks:
            count = int(round(share_of_values * c.count))
            # the sketch's share may be high by up to its rank error: judge the lower bound
            sure = int(np.floor(max(share_of_values - err, 0.0) * c.count))
            if count == 0 or sure == 0:
                continue
            p = None
            if _RULES[rule] == "reference":
                p = float(stats.betabinom.sf(sure - 1, c.count, 1, r.count))
                if p >= alpha:
                    continue
            out.append(_finding(name, rule, count / c.n_rows, count, detail, p, True, err, []))
    if schema is not None:
        out += _allowed_from_counts(cur, shared, schema)
    return out


def _allowed_from_counts(cur: Mapping[str, ColumnView], shared: Sequence[str],
                         schema: Schema) -> list[Finding]:
    """Declared ``allowed`` values checked against a profile's exact category counts."""
    out = []
    for name in shared:
        spec = schema[name] if name in schema else None
        c = cur[name]
        if spec is None or spec.allowed is None or not c.counts:
            continue
        if not c.counts_exact:
            out.append(Finding("not_examined", (name,), "info",
                               f"column {name!r}: allowed values not checked (the profile "
                               "keeps only the most frequent categories)", {"check": "range"}))
            continue
        allowed = {str(v) for v in spec.allowed}
        bad = {k: v for k, v in c.counts.items() if k not in allowed}
        if bad:
            count = sum(bad.values())
            out.append(_finding(name, "not_allowed", count / c.n_rows, count,
                                f"not in allowed {sorted(allowed)[:8]}", None, False, 0.0,
                                list(bad)[:5]))
    return out


def _raw(names: list[str], frames: tuple[pd.DataFrame, pd.DataFrame], schema: Schema | None,
         tolerance: float, alpha: float) -> list[Finding]:
    ref_frame, cur_frame = frames
    declared = [n for n in (schema.names if schema is not None else [])
                if n in cur_frame.columns and n in ref_frame.columns]
    columns = list(dict.fromkeys([*names, *declared]))
    if not columns:
        return []
    spec = Schema.infer(ref_frame.loc[:, columns])
    for n in declared:
        d = schema[n]
        spec = spec.override(n, min=d.min, max=d.max, allowed=d.allowed)
    result = invalid_values(cur_frame, spec, reference=ref_frame, columns=columns,
                            range_tolerance=tolerance)
    out = []
    for v in result.violations:
        if v.rule not in _RULES:
            continue  # new categories are diagnosed with their breakdown in categories.py
        if _RULES[v.rule] == "reference" and (v.p_value is None or v.p_value >= alpha):
            continue
        out.append(_finding(v.column, v.rule, v.share, v.count, v.detail, v.p_value, False,
                            0.0, list(v.examples)))
    for column, reason in result.unexamined:
        out.append(Finding("not_examined", (column,), "info",
                           f"column {column!r}: range not checked: {reason}",
                           {"check": "range"}))
    return out


def missing_share_changes(ref: Mapping[str, ColumnView], cur: Mapping[str, ColumnView],
                          shared: Sequence[str], *,
                          frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                          min_change: float = 0.01, alpha: float = 0.001) -> list[Finding]:
    shares: dict[str, tuple[float, float, int, int]] = {}
    if frames is not None and shared:
        r_m = missing_values(frames[0], list(shared)).columns
        c_m = missing_values(frames[1], list(shared)).columns
        for a, b in zip(r_m, c_m):
            shares[a.name] = (a.total_share, b.total_share, a.n_disguised, b.n_disguised)
    else:
        for name in shared:
            r, c = ref[name], cur[name]
            shares[name] = (r.n_missing / r.n_rows if r.n_rows else 0.0,
                            c.n_missing / c.n_rows if c.n_rows else 0.0, 0, 0)
    out = []
    for name in shared:
        p_ref, p_cur, d_ref, d_cur = shares[name]
        n_ref, n_cur = ref[name].n_rows, cur[name].n_rows
        change = p_cur - p_ref
        if abs(change) < min_change:
            continue
        pooled = (p_ref * n_ref + p_cur * n_cur) / (n_ref + n_cur)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n_ref + 1 / n_cur))
        p = float(2 * stats.norm.sf(abs(change) / se)) if se > 0 else 0.0
        if p >= alpha:
            continue
        severity = "fail" if p_cur >= 0.99 else ("warn" if abs(change) >= 0.05 else "info")
        out.append(Finding(
            "missing_share_change", (name,), severity,
            f"column {name!r}: missing share {p_ref:.1%} -> {p_cur:.1%}",
            {"reference_share": p_ref, "current_share": p_cur, "change": change,
             "p_value": p, "reference_disguised": d_ref, "current_disguised": d_cur,
             "includes_disguised": frames is not None}))
    return out
