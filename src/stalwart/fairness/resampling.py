"""Stratified bootstrap sums: every replicate redraws each stratum's rows within the stratum.

Stratifying by the sensitive cells keeps every group's size fixed across replicates, so an
interval reflects the noise of the rates inside the groups, not the luck of how many rows
each group drew (Efron & Tibshirani 1993, ch. 6: the bootstrap of a stratified sample).
Each replicate is reduced to sums per key (a cell, or a cell and calibration bin) with one
``np.bincount``; the replicates are drawn in chunks so memory stays near a few million
indices, as in :mod:`stalwart.metrics.bootstrap`.

>>> import numpy as np
>>> strata = np.array([0, 0, 1, 1, 1])
>>> sums = stratified_sums(strata, strata, {"n": np.ones(5)}, n_keys=2, n_boot=3,
...                        random_state=0)
>>> sums["n"].tolist()  # group sizes never change
[[2.0, 3.0], [2.0, 3.0], [2.0, 3.0]]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["key_sums", "stratified_indices", "stratified_sums"]

#: at most this many resampled indices are held at once (8 bytes each: about 32 MB)
_CHUNK_CELLS = 4_000_000


def stratified_indices(strata: np.ndarray, *, n_boot: int,
                       random_state: Any) -> Iterator[np.ndarray]:
    """Yield (chunk, n) matrices of row indices; column j always holds a row of the same
    stratum as row ``order[j]`` (rows sorted by stratum), so strata sizes are fixed."""
    rng = np.random.default_rng(random_state)
    n = strata.size
    order = np.argsort(strata, kind="stable")
    bounds = np.flatnonzero(np.diff(strata[order])) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [n]])
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for first in range(0, n_boot, step):
        size = min(step, n_boot - first)
        idx = np.empty((size, n), dtype=np.int64)
        for a, b in zip(starts, ends):
            idx[:, a:b] = order[a + rng.integers(0, b - a, size=(size, b - a))]
        yield idx


def key_sums(key: np.ndarray, weights: Mapping[str, np.ndarray], n_keys: int,
             idx: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Sum every weight array per key, on all rows (shape (n_keys,)) or on each row of the
    index matrix ``idx`` (shape (len(idx), n_keys))."""
    if idx is None:
        return {k: np.bincount(key, weights=w, minlength=n_keys) for k, w in weights.items()}
    c = idx.shape[0]
    flat = (key[idx] + n_keys * np.arange(c)[:, None]).ravel()
    return {k: np.bincount(flat, weights=w[idx].ravel(), minlength=c * n_keys)
            .reshape(c, n_keys) for k, w in weights.items()}


def stratified_sums(strata: np.ndarray, key: np.ndarray, weights: Mapping[str, np.ndarray],
                    *, n_keys: int, n_boot: int, random_state: Any) -> dict[str, np.ndarray]:
    """Per replicate sums of every weight array per key: arrays of shape (n_boot, n_keys)."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in weights}
    for idx in stratified_indices(strata, n_boot=n_boot, random_state=random_state):
        for k, v in key_sums(key, weights, n_keys, idx).items():
            parts[k].append(v)
    return {k: (np.concatenate(v) if v else np.empty((0, n_keys))) for k, v in parts.items()}
