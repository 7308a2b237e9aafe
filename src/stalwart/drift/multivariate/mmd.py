"""Maximum mean discrepancy (MMD) two-sample test with a Gaussian kernel.

MMD (Gretton et al., 2012, JMLR 13) is the distance between the kernel mean embeddings of
two distributions; with a Gaussian kernel it is zero only when the distributions are equal,
so it sees changes in the joint distribution (a correlation flip with unchanged marginals)
that per-column tests miss. Rows are encoded by
:class:`~stalwart.drift.multivariate._encode.TabularEncoder` (fitted on the reference), and
the kernel is ``k(x, y) = exp(-||x - y||^2 / (2 sigma^2))`` with ``sigma`` the median
pairwise distance of the pooled sample (the median heuristic) unless ``bandwidth`` is given.

Two tests, chosen explicitly (``method="auto"``) and recorded in the result:

- ``"permutation"``: the unbiased statistic MMD^2_u (Gretton et al., eq. 3) and a
  permutation p-value ``(1 + #{perm >= observed}) / (1 + n_permutations)``, valid at any
  sample size. The pooled kernel matrix is computed once; every permutation is a relabelling,
  evaluated for a batch of permutations with one matrix product. Quadratic in rows: samples
  above ``max_samples`` are subsampled (stated in the notes).
- ``"linear"``: the linear-time statistic MMD^2_l (Gretton et al., section 6: the mean of
  ``h = k(x1,x2) + k(y1,y2) - k(x1,y2) - k(x2,y1)`` over disjoint pairs) with its asymptotic
  normal test. Linear in rows and uses every row (up to the smaller sample), but has less
  power per row. ``"auto"`` takes it when either sample exceeds ``max_samples``.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ref = rng.normal(size=(200, 3))
>>> det = MMDDrift(n_permutations=100).fit(ref)
>>> det.detect(rng.normal(size=(150, 3))).drifted
False
>>> r = det.detect(rng.normal(size=(150, 3)) + [1.0, 0.0, 0.0])
>>> r.drifted, r.details["test"], r.p_value < 0.02
(True, 'permutation', True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats
from sklearn.metrics.pairwise import euclidean_distances

from ...exceptions import ParameterError, StageError
from ._encode import TabularEncoder, check_rows
from .result import MultivariateDriftResult

__all__ = ["MMDDrift", "gaussian_kernel", "median_bandwidth", "mmd2_unbiased"]

MIN_ROWS = 10           # per sample
_BANDWIDTH_POINTS = 1000  # pooled points used for the median heuristic in the linear test
_BATCH = 64             # permutations evaluated per matrix product


def gaussian_kernel(a: np.ndarray, b: np.ndarray, bandwidth: float) -> np.ndarray:
    """``exp(-||a_i - b_j||^2 / (2 bandwidth^2))`` for every pair of rows."""
    d2 = euclidean_distances(a, b, squared=True)
    return np.exp(-np.maximum(d2, 0.0) / (2.0 * bandwidth ** 2))


def median_bandwidth(pooled: np.ndarray) -> tuple[float, str]:
    """Median pairwise distance of ``pooled`` (the median heuristic) and what was done."""
    d2 = euclidean_distances(pooled, squared=True)
    iu = np.triu_indices(len(pooled), k=1)
    dist = np.sqrt(np.maximum(d2[iu], 0.0))
    med = float(np.median(dist)) if dist.size else 0.0
    if med > 0:
        return med, "median pairwise distance of the pooled sample"
    positive = dist[dist > 0]
    if positive.size:  # more than half the pairs are ties (mostly categorical rows)
        return float(positive.mean()), ("mean of the non-zero pairwise distances (over half "
                                        "the pairs were identical rows)")
    return 1.0, "1.0 (every pooled row is identical)"


def mmd2_unbiased(kxx: np.ndarray, kyy: np.ndarray, kxy: np.ndarray) -> float:
    """Unbiased MMD^2 from the three kernel blocks (Gretton et al. 2012, eq. 3)."""
    m, n = len(kxx), len(kyy)
    sxx = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
    syy = (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
    return float(sxx + syy - 2.0 * kxy.mean())


class MMDDrift:
    """Kernel two-sample test of reference vs current rows (see the module docstring)."""

    def __init__(self, *, n_permutations: int = 200, max_samples: int = 2000,
                 method: str = "auto", bandwidth: float | None = None, alpha: float = 0.05,
                 random_state: int | None = 0) -> None:
        self.n_permutations = n_permutations
        self.max_samples = max_samples
        self.method = method
        self.bandwidth = bandwidth
        self.alpha = alpha
        self.random_state = random_state

    def _validate(self) -> None:
        if self.method not in ("auto", "permutation", "linear"):
            raise ParameterError("method", expected="'auto', 'permutation' or 'linear'",
                                 got=repr(self.method), fix="use 'auto'")
        if not (isinstance(self.n_permutations, int) and self.n_permutations >= 19):
            raise ParameterError("n_permutations", expected="an integer >= 19 (so p can "
                                 "reach 0.05)", got=repr(self.n_permutations),
                                 fix="use 200 or more")
        if not (isinstance(self.max_samples, int) and self.max_samples >= MIN_ROWS):
            raise ParameterError("max_samples", expected=f"an integer >= {MIN_ROWS}",
                                 got=repr(self.max_samples), fix="use 2000")
        if not 0 < self.alpha < 1:
            raise ParameterError("alpha", expected="a level in (0, 1)", got=repr(self.alpha),
                                 fix="use 0.05")
        if self.bandwidth is not None and not self.bandwidth > 0:
            raise ParameterError("bandwidth", expected="a positive kernel width or None",
                                 got=repr(self.bandwidth), fix="leave None for the median "
                                 "heuristic")

    def fit(self, reference: Any) -> MMDDrift:
        self._validate()
        self.encoder_ = TabularEncoder().fit(reference)
        self.reference_ = self.encoder_.transform(reference, "reference")
        check_rows(len(self.reference_), MIN_ROWS, "reference", "the MMD test")
        return self

    def detect(self, current: Any) -> MultivariateDriftResult:
        if not hasattr(self, "reference_"):
            raise StageError("MMDDrift.detect called before fit: call fit(reference) first")
        y = self.encoder_.transform(current, "current")
        x = self.reference_
        check_rows(len(y), MIN_ROWS, "current", "the MMD test")
        notes = list(self.encoder_.notes_) + list(self.encoder_.last_notes_)
        rng = np.random.default_rng(self.random_state)
        m, n = len(x), len(y)
        test, reason = self.method, f"method={self.method!r} was asked for"
        if test == "auto":
            if max(m, n) <= self.max_samples:
                test, reason = "permutation", (f"both samples have at most max_samples="
                                               f"{self.max_samples} rows")
            else:
                test, reason = "linear", (f"a sample exceeds max_samples={self.max_samples} "
                                          "rows: the linear-time test uses every row")
        if test == "permutation":
            stat, p, extra = self._permutation(x, y, rng, notes)
        else:
            stat, p, extra = self._linear(x, y, rng, notes)
        details = {"test": test, "reason": reason, "kernel": "gaussian",
                   "n_features_encoded": x.shape[1], **extra}
        return MultivariateDriftResult(
            method="mmd", statistic=stat, p_value=p, alpha=self.alpha,
            drifted=bool(p < self.alpha), n_reference=m, n_current=n,
            statistic_name="mmd2_unbiased" if test == "permutation" else "mmd2_linear",
            details=details, notes=tuple(notes))

    def _subsample(self, a: np.ndarray, rng: np.random.Generator, what: str,
                   notes: list[str]) -> np.ndarray:
        if len(a) <= self.max_samples:
            return a
        notes.append(f"{what}: {self.max_samples} of {len(a)} rows drawn at random for the "
                     "quadratic-time permutation test")
        return a[rng.choice(len(a), self.max_samples, replace=False)]

    def _bandwidth(self, pooled: np.ndarray, rng: np.random.Generator) -> tuple[float, str]:
        if self.bandwidth is not None:
            return float(self.bandwidth), "given"
        if len(pooled) > _BANDWIDTH_POINTS:
            pick = rng.choice(len(pooled), _BANDWIDTH_POINTS, replace=False)
            bw, rule = median_bandwidth(pooled[pick])
            return bw, rule + f" ({_BANDWIDTH_POINTS} points drawn at random)"
        return median_bandwidth(pooled)

    def _permutation(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator,
                     notes: list[str]) -> tuple[float, float, dict[str, Any]]:
        x = self._subsample(x, rng, "reference", notes)
        y = self._subsample(y, rng, "current", notes)
        m, n = len(x), len(y)
        pooled = np.vstack([x, y])
        bw, rule = self._bandwidth(pooled, rng)
        d2 = euclidean_distances(pooled, squared=True)
        np.fill_diagonal(d2, 0.0)
        k = np.exp(-np.maximum(d2, 0.0) / (2.0 * bw ** 2))
        del d2
        total, rows = k.sum(), k.sum(axis=1)

        # MMD^2_u of a labelling z (1 = first sample), from z'Kz and z'K1 alone, so that a
        # batch of relabellings costs one matrix product K @ Z (no library does this).
        def stat(z: np.ndarray) -> np.ndarray:
            zkz = np.einsum("ij,ij->j", z, k @ z)
            zr = rows @ z
            return ((zkz - m) / (m * (m - 1)) + (total - 2 * zr + zkz - n) / (n * (n - 1))
                    - 2 * (zr - zkz) / (m * n))

        observed = float(stat(np.r_[np.ones(m), np.zeros(n)][:, None])[0])
        exceed, done = 0, 0
        while done < self.n_permutations:
            b = min(_BATCH, self.n_permutations - done)
            z = np.zeros((m + n, b))
            for j in range(b):
                z[rng.permutation(m + n)[:m], j] = 1.0
            exceed += int(np.sum(stat(z) >= observed - 1e-12))
            done += b
        p = (1 + exceed) / (1 + self.n_permutations)
        return observed, float(p), {"bandwidth": bw, "bandwidth_rule": rule,
                                    "n_permutations": self.n_permutations,
                                    "n_used_reference": m, "n_used_current": n}

    def _linear(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator,
                notes: list[str]) -> tuple[float, float, dict[str, Any]]:
        half = min(len(x), len(y)) // 2
        larger = max(len(x), len(y))
        x = x[rng.permutation(len(x))[:2 * half]]
        y = y[rng.permutation(len(y))[:2 * half]]
        if larger > 2 * half:
            notes.append(f"linear-time test: {2 * half} rows of each sample used in {half} "
                         "disjoint pairs (the smaller sample sets the count)")
        bw, rule = self._bandwidth(np.vstack([x, y]), rng)
        x1, x2, y1, y2 = x[0::2], x[1::2], y[0::2], y[1::2]

        def k(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # row-wise kernel, O(n d)
            return np.exp(-np.sum((a - b) ** 2, axis=1) / (2.0 * bw ** 2))

        h = k(x1, x2) + k(y1, y2) - k(x1, y2) - k(x2, y1)
        stat = float(h.mean())
        sd = float(h.std(ddof=1))
        if sd > 0:
            z = stat / (sd / np.sqrt(half))
            p = float(stats.norm.sf(z))
        else:
            z, p = (np.inf, 0.0) if stat > 0 else (0.0, 1.0)
            notes.append("linear-time test: the pair statistics have no spread (identical "
                         "rows); the p-value is 0 or 1")
        return stat, p, {"bandwidth": bw, "bandwidth_rule": rule, "n_pairs": half,
                         "z": z, "n_used_reference": 2 * half, "n_used_current": 2 * half}

