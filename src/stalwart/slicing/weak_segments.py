"""Find slices (one feature value or bin, or a pair of them) where the model is worse.

Every candidate slice with at least ``min_size`` rows (and as many outside it) is compared
with its complement by a one-sided two-sample test on the per-row loss:

* a 0/1 loss (errors) uses Fisher's exact test, computed as the hypergeometric tail
  ``P(X >= errors in slice)`` (the one-sided Fisher p-value, vectorised over all slices);
* any other loss uses Welch's t-test on the means.

The p-values of *all* tested candidates are corrected together (Holm by default, or
Benjamini-Hochberg), and the number of candidates is recorded. A slice is reported when its
corrected p-value is at most ``alpha`` and its effect (slice mean loss minus the rest's) is
at least ``min_effect``. A reported pair slice must also be significantly worse than the rest
of each of its two parent single slices (same test, the larger of the two p-values, corrected
across the pairs): otherwise it is pruned, as the parent already explains it. Reported
slices are ranked by corrected p-value, then by effect times size.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"city": rng.choice(list("abcd"), 2000), "x": rng.normal(size=2000)})
>>> err = (rng.random(2000) < np.where(X["city"] == "c", 0.4, 0.1)).astype(float)
>>> found = find_weak_segments(X, err)
>>> found.segments[0].conditions
('city == c',)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from ..stats import adjust_p_values
from .binning import bin_frame

__all__ = ["CORRECTIONS", "WeakSegment", "WeakSegments", "find_weak_segments"]

CORRECTIONS = ("holm", "bh")


@dataclass(frozen=True)
class WeakSegment:
    """One slice where the loss is significantly higher than on the rest."""

    conditions: tuple[str, ...]
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    size: int
    slice_loss: float
    rest_loss: float
    effect: float
    ratio: float
    p_value: float
    adjusted_p_value: float


@dataclass(frozen=True)
class WeakSegments:
    """The reported slices, ranked, and how many candidates were tested and pruned."""

    segments: tuple[WeakSegment, ...]
    n_rows: int
    overall_loss: float
    n_candidates: int
    n_significant: int
    n_pruned: int
    test: str
    correction: str
    alpha: float
    min_size: int
    min_effect: float
    schema_version: int = 1

    def chart(self) -> dict[str, Any]:
        """Data for a bar chart of slice loss against the rest, one bar per slice."""
        return {"labels": [" & ".join(s.conditions) for s in self.segments],
                "slice_loss": [s.slice_loss for s in self.segments],
                "rest_loss": [s.rest_loss for s in self.segments],
                "sizes": [s.size for s in self.segments], "overall_loss": self.overall_loss}

    def to_dict(self) -> dict[str, Any]:
        return jsonable({**{k: getattr(self, k) for k in (
            "schema_version", "n_rows", "overall_loss", "n_candidates", "n_significant",
            "n_pruned", "test", "correction", "alpha", "min_size", "min_effect")},
            "segments": list(self.segments), "chart": self.chart()})


def _check_int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(name, expected=f"an integer >= {low}", got=repr(value),
                             fix=f"pass {name}={max(low, 30) if name == 'min_size' else low}")
    return int(value)


def _candidates(binned: list, loss: np.ndarray, max_order: int):
    """Size, loss sum and squared-loss sum of every observed slice, via bincount."""
    cols, codes, n, s1, s2 = [], [], [], [], []
    for order in range(1, max_order + 1):
        for combo in combinations(range(len(binned)), order):
            sizes = [len(binned[i].labels) for i in combo]
            flat = np.ravel_multi_index(tuple(binned[i].codes for i in combo), sizes)
            total = int(np.prod(sizes))
            cnt = np.bincount(flat, minlength=total)
            seen = np.flatnonzero(cnt)
            cols += [combo] * seen.size
            codes += list(zip(*np.unravel_index(seen, sizes)))
            n.append(cnt[seen])
            s1.append(np.bincount(flat, weights=loss, minlength=total)[seen])
            s2.append(np.bincount(flat, weights=loss ** 2, minlength=total)[seen])
    return cols, codes, np.concatenate(n), np.concatenate(s1), np.concatenate(s2)


def _pvalues(test: str, n: np.ndarray, s1: np.ndarray, s2: np.ndarray,
             big_n: Any, total: Any, total_sq: Any) -> np.ndarray:
    """One-sided p-values of slices (size n, loss sums s1, s2) against the rest of their
    population (size big_n, sums total, total_sq); scalars or arrays."""
    if test == "fisher":
        k = np.rint(s1).astype(int)
        return stats.hypergeom.sf(k - 1, big_n, np.rint(total).astype(int), n)
    nc = big_n - n
    m_s, m_c = s1 / n, (total - s1) / nc
    v_s = np.maximum(s2 - n * m_s ** 2, 0.0) / np.maximum(n - 1, 1)
    v_c = np.maximum((total_sq - s2) - nc * m_c ** 2, 0.0) / np.maximum(nc - 1, 1)
    a, b = v_s / n, v_c / nc
    se = np.sqrt(a + b)
    diff = m_s - m_c
    with np.errstate(divide="ignore", invalid="ignore"):
        t = diff / se
        df = (a + b) ** 2 / (a ** 2 / np.maximum(n - 1, 1) + b ** 2 / np.maximum(nc - 1, 1))
        p = stats.t.sf(t, df)
    return np.where(se > 0, p, np.where(diff > 0, 0.0, 1.0))


def _vs_parents(test: str, i: int, parents: list[int], n: np.ndarray, s1: np.ndarray,
                s2: np.ndarray) -> float:
    """p-value that pair slice ``i`` is worse than the rest of *both* parent single slices
    (intersection-union test: the larger of the two one-sided p-values)."""
    par = np.array(parents)
    if np.any(n[par] == n[i]):
        return 1.0  # the pair is one of its parents
    p = _pvalues(test, np.full(par.size, n[i]), np.full(par.size, s1[i]),
                 np.full(par.size, s2[i]), n[par], s1[par], s2[par])
    return float(np.max(p))


def find_weak_segments(features: pd.DataFrame, loss: Any, *, n_bins: int = 5,
                       max_order: int = 2, min_size: int = 30, min_effect: float = 0.0,
                       alpha: float = 0.05, correction: str = "holm",
                       test: str = "auto", max_categories: int = 20) -> WeakSegments:
    """Slices of ``features`` whose mean ``loss`` (see :func:`.row_loss`) is significantly
    higher than on the rest. ``test="auto"`` picks Fisher for a 0/1 loss, else Welch."""
    if not isinstance(features, pd.DataFrame) or features.shape[1] == 0:
        raise DataError("features", expected="a DataFrame with at least one column",
                        got=type(features).__name__, fix="pass the feature columns")
    y = np.asarray(loss, dtype=float)
    if y.shape != (len(features),) or not np.all(np.isfinite(y)):
        raise DataError("loss", expected=f"{len(features)} finite values (one per row)",
                        got=f"shape {y.shape}" if y.shape != (len(features),) else "NaN/inf",
                        fix="compute it with row_loss(y_true, y_pred=...)")
    min_size = _check_int("min_size", min_size, 1)
    max_order = _check_int("max_order", max_order, 1)
    if max_order > 2:
        raise ParameterError("max_order", expected="1 (single features) or 2 (pairs)",
                             got=repr(max_order), fix="pass max_order=2")
    if not min_effect >= 0:
        raise ParameterError("min_effect", expected="a number >= 0 (in units of the loss)",
                             got=repr(min_effect), fix="pass min_effect=0.02 for 2 points")
    if not 0 < alpha < 1:
        raise ParameterError("alpha", expected="a number in (0, 1)", got=repr(alpha),
                             fix="pass alpha=0.05")
    binary = bool(np.all((y == 0) | (y == 1)))
    if test == "auto":
        test = "fisher" if binary else "welch"
    if test not in ("fisher", "welch") or (test == "fisher" and not binary):
        raise ParameterError("test", expected="'auto', 'welch', or 'fisher' for a 0/1 loss",
                             got=repr(test), fix="pass test='auto'")
    if correction not in CORRECTIONS:
        raise ParameterError("correction", expected=f"one of {CORRECTIONS}", got=repr(correction),
                             fix="use 'holm' (few false slices) or 'bh' (more power)")
    binned = bin_frame(features.reset_index(drop=True), n_bins=n_bins,
                       max_categories=max_categories)
    cols, codes, n, s1, s2 = _candidates(binned, y, max_order)
    big_n, total, total_sq = y.size, float(y.sum()), float((y ** 2).sum())
    keep = (n >= min_size) & (big_n - n >= min_size)
    idx = np.flatnonzero(keep)
    p = _pvalues(test, n[idx], s1[idx], s2[idx], big_n, total, total_sq)
    adj = adjust_p_values(p, correction)
    slice_loss = s1[idx] / n[idx]
    rest_loss = (total - s1[idx]) / (big_n - n[idx])
    effect = slice_loss - rest_loss
    hit = (adj <= alpha) & (effect > 0) & (effect >= min_effect)
    single = {(c[0], k[0]): i for i, (c, k) in enumerate(zip(cols, codes)) if len(c) == 1}
    hits = np.flatnonzero(hit)
    pair = np.array([len(cols[idx[j]]) == 2 for j in hits], dtype=bool)
    p_parent = np.array([_vs_parents(test, idx[j], [single[(c, k)] for c, k in
                                                    zip(cols[idx[j]], codes[idx[j]])],
                                     n, s1, s2) for j in hits[pair]])
    keep_pair = adjust_p_values(p_parent, correction) <= alpha
    kept = np.ones(hits.size, dtype=bool)
    kept[np.flatnonzero(pair)] = keep_pair
    segments = []
    for j in hits[kept]:
        i = idx[j]
        combo, code = cols[i], codes[i]
        with np.errstate(divide="ignore"):
            ratio = slice_loss[j] / rest_loss[j] if rest_loss[j] > 0 else float("inf")
        segments.append(WeakSegment(
            tuple(binned[c].condition(int(k)) for c, k in zip(combo, code)),
            tuple(binned[c].name for c in combo),
            tuple(binned[c].labels[int(k)] for c, k in zip(combo, code)), int(n[i]),
            float(slice_loss[j]), float(rest_loss[j]), float(effect[j]), float(ratio),
            float(p[j]), float(adj[j])))
    segments.sort(key=lambda s: (s.adjusted_p_value, s.p_value, -s.effect * s.size))
    return WeakSegments(tuple(segments), big_n, total / big_n, int(idx.size), int(hit.sum()),
                        int((~kept).sum()), test, correction, float(alpha), min_size,
                        float(min_effect))
