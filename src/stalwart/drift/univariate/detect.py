"""Univariate drift detection: one test or distance per column, effect sizes beside
p-values, and multiple-testing control across columns.

A column is *drifted* when its test's adjusted p-value is below ``alpha`` AND its effect size
reaches the effect threshold (normalised Wasserstein 0.1 for numeric columns, Jensen-Shannon
distance 0.1 for categorical ones), so a tiny harmless shift in a million rows does not page
anyone; a distance method (PSI, ...) flags on its threshold alone. Reference and current may
be raw tables or :class:`~stalwart.stats.profile.DatasetProfile` objects (then every value
is approximate, with its error bound where one is known).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=2000), "c": rng.choice(["a", "b"], 2000)})
>>> cur = pd.DataFrame({"x": rng.normal(0.5, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
>>> report = detect_drift(ref, cur)
>>> report.drifted, report["x"].method, report["c"].method
(('x',), 'ks', 'chi_square')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from ...data.dataset import Dataset, to_pandas
from ...data.schema import Role, Schema
from ...exceptions import DataError, ParameterError, StageError
from ...stats.multitest import CORRECTIONS, adjust_p_values
from . import ks
from .choice import choose
from .prepare import histograms, profile_histograms, values
from .profiles import profile_counts
from .registry import COUNT_KINDS, DRIFT_METHODS, NUMERIC_KINDS
from .report import ColumnDrift, DriftReport
from .samples import CountsPair, NumericPair, split_infinite

__all__ = ["UnivariateDrift", "detect_drift"]

_SKIP_ROLES = (Role.ID, Role.IGNORE)
#: a critical KS distance above this gets a "samples too small" note (about a 0.5 sd shift)
_SMALL_POWER_D = 0.2
#: the same for category tests: a critical Cohen's w above this (Cohen's "medium" effect)
_SMALL_POWER_W = 0.3


def _is_profile(obj: Any) -> bool:
    return type(obj).__name__ == "DatasetProfile" and hasattr(obj, "columns")


def _profile_of(data: Any) -> Any:
    if _is_profile(data):
        return data
    from ...stats.profile import profile
    return profile(data.frame if isinstance(data, Dataset) else to_pandas(data, what="data"))


class UnivariateDrift:
    """Per-column drift detector: ``fit(reference)`` then ``detect(current)``.

    Parameters are stored as given; ``fit`` validates them and prepares the reference once
    (sorted numeric columns, category counts), so one fitted detector serves many windows.
    """

    def __init__(self, *, method: str | Mapping[str, str] = "auto", correction: str = "bh",
                 alpha: float = 0.05, thresholds: Mapping[str, float] | None = None,
                 columns: Sequence[str] | None = None, schema: Schema | None = None,
                 drift_share: float = 0.5) -> None:
        self.method = method
        self.correction = correction
        self.alpha = alpha
        self.thresholds = thresholds
        self.columns = columns
        self.schema = schema
        self.drift_share = drift_share

    # -- parameters ----------------------------------------------------------------------
    def _validate(self) -> dict[str, float]:
        methods = self.method.values() if isinstance(self.method, Mapping) else [self.method]
        for m in methods:
            if m != "auto" and m not in DRIFT_METHODS:
                raise ParameterError("method", expected=f"'auto' or one of "
                                     f"{DRIFT_METHODS.names()} (or a column -> method mapping)",
                                     got=repr(m), fix="use method='auto'")
        if self.correction not in CORRECTIONS:
            raise ParameterError("correction", expected=f"one of {CORRECTIONS}",
                                 got=repr(self.correction), fix="use correction='bh'")
        if not 0 < float(self.alpha) < 1:
            raise ParameterError("alpha", expected="a number in (0, 1)", got=repr(self.alpha),
                                 fix="use alpha=0.05")
        out = {n: DRIFT_METHODS.capabilities(n)["default_threshold"] for n, _ in DRIFT_METHODS
               if DRIFT_METHODS.capabilities(n)["output"] == "distance"}
        for name, value in dict(self.thresholds or {}).items():
            if name not in out:
                raise ParameterError(f"thresholds[{name!r}]", expected=f"a distance among "
                                     f"{sorted(out)}", got=repr(name),
                                     fix="key thresholds by distance name, e.g. {'psi': 0.25}")
            if not float(value) >= 0:
                raise ParameterError(f"thresholds[{name!r}]", expected="a number >= 0",
                                     got=repr(value), fix="use a non-negative threshold")
            out[name] = float(value)
        return out

    # -- fit -----------------------------------------------------------------------------
    def fit(self, reference: Any) -> UnivariateDrift:
        self.thresholds_ = self._validate()
        self.notes_: list[str] = []
        if _is_profile(reference):
            if reference.n_rows == 0:
                raise DataError("reference profile", expected="at least one row", got="0 rows",
                                fix="profile a non-empty reference")
            self.profile_ = reference
            self.kinds_ = {n: c.kind for n, c in reference.columns.items()}
            self.reference_ = None
        else:
            ds = Dataset.from_any(reference, schema=self.schema, name="reference")
            self.profile_ = None
            self.kinds_ = {spec.name: spec.kind.value for spec in ds.schema}
            roles = {spec.name: spec.role for spec in ds.schema}
            self.reference_ = ds.frame
        names = list(self.columns) if self.columns is not None else list(self.kinds_)
        unknown = [c for c in names if c not in self.kinds_]
        if unknown:
            raise DataError("columns", expected="columns of the reference",
                            got=f"{unknown}", fix="pick from: " + ", ".join(list(self.kinds_)[:20]))
        if self.columns is None and self.profile_ is None:
            skipped = [c for c in names if roles[c] in _SKIP_ROLES]
            if skipped:
                self.notes_.append(f"id/ignored columns not tested: {skipped}")
            names = [c for c in names if roles[c] not in _SKIP_ROLES]
        self.columns_ = tuple(names)
        self.prepared_: dict[str, Any] = {}
        if self.profile_ is None:
            for name in names:
                kind = self.kinds_[name]
                if kind in NUMERIC_KINDS + COUNT_KINDS:
                    try:
                        self.prepared_[name] = values(self.reference_[name], kind)
                    except TypeError as exc:  # a declared kind the values do not fit
                        self.prepared_[name] = exc
        return self

    # -- detect --------------------------------------------------------------------------
    def detect(self, current: Any) -> DriftReport:
        if not hasattr(self, "columns_"):
            raise StageError("UnivariateDrift.detect called before fit: call "
                             "fit(reference) first")
        use_profiles = self.profile_ is not None or _is_profile(current)
        if use_profiles:
            cur_prof = _profile_of(current)
            if cur_prof.n_rows == 0:
                raise DataError("current", expected="at least one row", got="0 rows",
                                fix="check the window or filter that produced the data")
            ref_prof = self.profile_ if self.profile_ is not None else _profile_of(
                self.reference_[list(self.columns_)])
            rows = [self._column_profile(n, ref_prof, cur_prof) for n in self.columns_]
        else:
            frame = (current.frame if isinstance(current, Dataset)
                     else to_pandas(current, what="current"))
            if len(frame) == 0:
                raise DataError("current", expected="at least one row", got="0 rows",
                                fix="check the window or filter that produced the data")
            rows = [self._column_raw(n, frame) for n in self.columns_]
        return self._finish(rows, approximate=use_profiles)

    def _method_for(self, name: str, kind: str, n_ref: int, n_cur: int,
                    min_expected: float | None) -> tuple[str | None, str]:
        wanted = self.method.get(name, "auto") if isinstance(self.method, Mapping) else self.method
        if wanted != "auto":
            if kind in DRIFT_METHODS.capabilities(wanted)["kinds"]:
                return wanted, f"requested method {wanted!r}"
            auto, text = choose(kind, n_ref, n_cur, min_expected=min_expected)
            return auto, f"requested {wanted!r} does not support {kind} columns; {text}"
        return choose(kind, n_ref, n_cur, min_expected=min_expected)

    def _column_raw(self, name: str, frame: Any) -> dict[str, Any]:
        kind = self.kinds_[name]
        row: dict[str, Any] = {"column": name, "kind": kind, "method": None}
        if name not in frame.columns:
            return {**row, "reason": "not tested", "note": "missing from current data"}
        if kind not in NUMERIC_KINDS + COUNT_KINDS:
            return {**row, "reason": choose(kind, 0, 0)[1],
                    "note": f"no drift test supports the type {kind!r}"}
        ref = self.prepared_[name]
        if isinstance(ref, TypeError):
            return {**row, "reason": "not tested",
                    "note": f"reference column holds {ref} (declared {kind})"}
        try:
            cur = values(frame[name], kind)
        except TypeError as exc:
            return {**row, "reason": "not tested",
                    "note": f"current column holds {exc} (reference is {kind}); "
                            "see stalwart.drift.diagnosis"}
        inf_note = ""
        if kind in NUMERIC_KINDS:
            (ref, n_inf_ref), (cur, n_inf_cur) = split_infinite(ref), split_infinite(cur)
            if n_inf_ref or n_inf_cur:
                inf_note = (f"infinite values left out ({n_inf_ref} reference, {n_inf_cur} "
                            "current)")
            pair: NumericPair | CountsPair = NumericPair(ref, cur)
        else:
            pair = CountsPair.from_mappings(ref, cur)
        sides = (("reference", pair.n_ref), ("current", pair.n_cur))
        empty = [side for side, n in sides if n == 0]
        row.update(n_reference=pair.n_ref, n_current=pair.n_cur)
        if empty:
            missing = f"all values missing in the {' and '.join(empty)} data"
            return {**row, "reason": "not tested",
                    "note": "; ".join(filter(None, [missing, inf_note]))}
        min_exp = None
        if isinstance(pair, CountsPair):
            min_exp = pair.min_expected()
            row["_dof"] = int(np.count_nonzero(pair.ref + pair.cur)) - 1
        method, reason = self._method_for(name, kind, pair.n_ref, pair.n_cur, min_exp)
        out = DRIFT_METHODS.get(method).raw(pair)
        row.update(method=method, reason=reason, statistic=out.statistic, p_value=out.p_value,
                   note="; ".join(filter(None, [inf_note, out.note])))
        effect = DRIFT_METHODS.capabilities(method)["effect"]
        if effect is not None:
            eff = DRIFT_METHODS.get(effect).raw(pair)
            row.update(effect_name=effect, effect_size=eff.statistic)
            if eff.note:
                row["note"] = "; ".join(filter(None, [row["note"], eff.note]))
        row["reference_hist"], row["current_hist"] = histograms(pair)
        return row

    def _column_profile(self, name: str, ref_prof: Any, cur_prof: Any) -> dict[str, Any]:
        ref = ref_prof[name]
        kind = ref.kind
        row: dict[str, Any] = {"column": name, "kind": kind, "method": None, "approximate": True}
        if name not in cur_prof:
            return {**row, "reason": "not tested", "note": "missing from current data"}
        cur = cur_prof[name]
        if kind not in NUMERIC_KINDS + COUNT_KINDS:
            return {**row, "reason": choose(kind, 0, 0)[1],
                    "note": f"no drift test supports the type {kind!r}"}
        if cur.kind != kind and not {kind, cur.kind} <= set(COUNT_KINDS):
            return {**row, "reason": "not tested",
                    "note": f"current column is {cur.kind} (reference is {kind}); "
                            "see stalwart.drift.diagnosis"}
        row.update(n_reference=int(ref.count), n_current=int(cur.count))
        empty = [s for s, p in (("reference", ref), ("current", cur)) if int(p.count) == 0]
        if empty:
            return {**row, "reason": "not tested",
                    "note": f"all values missing in the {' and '.join(empty)} data"}
        min_exp = None
        if kind in COUNT_KINDS:
            counts = profile_counts(ref, cur)[0]
            min_exp = counts.min_expected()
            row["_dof"] = int(np.count_nonzero(counts.ref + counts.cur)) - 1
        method, reason = self._method_for(name, kind, int(ref.count), int(cur.count), min_exp)
        entry = DRIFT_METHODS.get(method)
        if entry.from_profile is None:
            return {**row, "reason": reason,
                    "note": f"{method!r} needs raw data and cannot run on profiles; "
                            "use 'ks', 'wasserstein' or a binned distance"}
        out = entry.from_profile(ref, cur)
        row.update(method=method, reason=reason, statistic=out.statistic, p_value=out.p_value,
                   note=out.note, error_bound=out.error_bound)
        effect = DRIFT_METHODS.capabilities(method)["effect"]
        if effect is not None:
            eff = DRIFT_METHODS.get(effect).from_profile(ref, cur)
            row.update(effect_name=effect, effect_size=eff.statistic)
            if eff.note:
                row["note"] = "; ".join(filter(None, [row["note"], eff.note]))
        row["reference_hist"], row["current_hist"] = profile_histograms(ref, cur)
        return row

    def _finish(self, rows: list[dict[str, Any]], *, approximate: bool) -> DriftReport:
        tested = [i for i, r in enumerate(rows) if r.get("p_value") is not None]
        adjusted = adjust_p_values([rows[i]["p_value"] for i in tested], self.correction)
        for i, adj in zip(tested, adjusted):
            rows[i]["adjusted_p_value"] = float(adj)
        out = []
        for r in rows:
            dof = r.pop("_dof", 0)
            method = r.get("method")
            if method is not None and r.get("statistic") is not None:
                self._verdict(r, dof)
            out.append(ColumnDrift(**r))
        return DriftReport(columns=tuple(out), method=_plain(self.method),
                           correction=self.correction, alpha=float(self.alpha),
                           thresholds=dict(self.thresholds_), drift_share=self.drift_share,
                           approximate=approximate, notes=tuple(self.notes_))

    def _verdict(self, r: dict[str, Any], dof: int) -> None:
        caps = DRIFT_METHODS.capabilities(r["method"])
        if caps["output"] == "distance":
            r.update(effect_name=r["method"], effect_size=r["statistic"])
        threshold = self.thresholds_[r["effect_name"]]
        r["effect_threshold"] = threshold
        big = r["effect_size"] >= threshold
        if caps["output"] == "distance":
            r["drifted"] = bool(big)
            return
        r["drifted"] = bool(r["adjusted_p_value"] < self.alpha and big)
        n1, n2 = r["n_reference"], r["n_current"]
        note = ""
        if r["kind"] in NUMERIC_KINDS:
            crit = ks.critical_d(self.alpha, n1, n2)
            if crit > _SMALL_POWER_D:
                shift = 2 * stats.norm.ppf((1 + min(crit, 0.999)) / 2)
                note = (f"samples too small for much power: at alpha={self.alpha:g} the KS "
                        f"test only detects D >= {crit:.2f} (about a {shift:.1f} sd shift of "
                        "a normal)")
        elif dof > 0:
            # chi-square ~ n1*n2/(n1+n2) * w**2 with Cohen's w**2 = sum((p1-p2)**2 / pooled)
            w = float(np.sqrt(stats.chi2.isf(self.alpha, dof) * (n1 + n2) / (n1 * n2)))
            if w > _SMALL_POWER_W:
                note = (f"samples too small for much power: at alpha={self.alpha:g} the "
                        f"{r['method']} test only detects Cohen's w >= {w:.2f} "
                        "(w**2 = sum((p_ref - p_cur)**2 / p_pooled))")
        if note:
            r["note"] = "; ".join(filter(None, [r.get("note", ""), note]))


def _plain(method: str | Mapping[str, str]) -> str | dict[str, str]:
    return dict(method) if isinstance(method, Mapping) else method


def detect_drift(reference: Any, current: Any, *, columns: Sequence[str] | None = None,
                 method: str | Mapping[str, str] = "auto", correction: str = "bh",
                 alpha: float = 0.05, thresholds: Mapping[str, float] | None = None,
                 schema: Schema | None = None, drift_share: float = 0.5) -> DriftReport:
    """Compare ``current`` with ``reference`` column by column (see :class:`UnivariateDrift`)."""
    detector = UnivariateDrift(method=method, correction=correction, alpha=alpha,
                               thresholds=thresholds, columns=columns, schema=schema,
                               drift_share=drift_share)
    return detector.fit(reference).detect(current)
