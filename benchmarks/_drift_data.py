"""The seeded reference and current sets the drift benchmark runs on, written once to Parquet.

25 columns: ``num_00`` .. ``num_19`` (numeric) and ``cat_00`` .. ``cat_04`` (strings).
Drift is planted in exactly five of them (:data:`PLANTED`):

* ``num_03``: the mean moves by 0.4 standard deviations (normal, same spread);
* ``num_09``: the spread grows by 1.4x (normal, same mean);
* ``num_15``: the shape changes with the mean and variance kept: a normal becomes a
  symmetric two-humped mixture (humps at +-0.9 sd, each of sd 0.436);
* ``cat_01``: frequencies of 4 values move from 40/30/20/10 % to 25 % each;
* ``cat_03``: one of 12 values (Zipf-like frequencies) goes from 5 % to 20 % of the rows.

Every other column is drawn from the SAME distribution for reference and current, with
independent random numbers: normal, log-normal, uniform, exponential, Poisson counts (as
floats), a bimodal mixture and Student t for the numeric ones; 3, 12 and 50 values for the
string ones. No missing values.

Rows come in chunks of :data:`CHUNK` rows, each from its own seed, so a set of any size can be
streamed chunk by chunk (:func:`iter_chunks`) without holding it whole (the 10M-row profile),
and the Parquet files hold exactly the same rows as the stream.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CATEGORICAL", "CHUNK", "COLUMNS", "DATA_VERSION", "NUMERIC", "PLANTED",
           "data_paths", "ensure_data", "iter_chunks", "make_chunk", "make_frame"]

#: bump when the generator changes, so cached files of the old kind are not reused
DATA_VERSION = 1
CHUNK = 100_000
NUMERIC = tuple(f"num_{i:02d}" for i in range(20))
CATEGORICAL = tuple(f"cat_{i:02d}" for i in range(5))
COLUMNS = NUMERIC + CATEGORICAL

#: planted drifted column -> what changes
PLANTED: dict[str, str] = {
    "num_03": "mean shift of 0.4 sd",
    "num_09": "scale change (sd x1.4)",
    "num_15": "shape change (normal -> two humps, same mean and variance)",
    "cat_01": "frequencies 40/30/20/10 % -> 25 % each",
    "cat_03": "one of 12 values 5 % -> 20 %",
}
SETS = ("reference", "current")

_KINDS = ("normal", "lognormal", "uniform", "exponential", "poisson", "bimodal", "student_t")
_CAT_SIZES = {"cat_00": 3, "cat_01": 4, "cat_02": 12, "cat_03": 12, "cat_04": 50}


def _numeric_specs(seed: int) -> dict[str, tuple[str, float, float]]:
    """Column -> (kind, location, scale), fixed by ``seed`` and shared by both sets."""
    rng = np.random.default_rng([seed, 7919])
    specs = {}
    for i, name in enumerate(NUMERIC):
        kind = "normal" if name in PLANTED else _KINDS[i % len(_KINDS)]
        specs[name] = (kind, float(rng.uniform(-5, 5)), float(rng.uniform(0.5, 3)))
    return specs


def _draw(rng: np.random.Generator, kind: str, loc: float, scale: float, n: int) -> np.ndarray:
    if kind == "normal":
        return rng.normal(loc, scale, n)
    if kind == "lognormal":
        return rng.lognormal(abs(loc) / 3, scale / 4, n)
    if kind == "uniform":
        return rng.uniform(loc, loc + 10 * scale, n)
    if kind == "exponential":
        return rng.exponential(scale, n)
    if kind == "poisson":
        return rng.poisson(3 * scale, n).astype(np.float64)
    if kind == "bimodal":
        side = rng.random(n) < 0.4
        return np.where(side, rng.normal(loc - 3, 1, n), rng.normal(loc + 4, 1.5, n))
    return loc + scale * rng.standard_t(3, n)


def _planted_numeric(rng: np.random.Generator, name: str, loc: float, scale: float,
                     n: int) -> np.ndarray:
    if name == "num_03":
        return rng.normal(loc + 0.4 * scale, scale, n)
    if name == "num_09":
        return rng.normal(loc, 1.4 * scale, n)
    # two humps at +-0.9 sd of sd sqrt(1 - 0.81): mean and variance equal the reference's
    hump = np.where(rng.random(n) < 0.5, -0.9, 0.9)
    return loc + scale * (hump + rng.normal(0.0, np.sqrt(1 - 0.81), n))


def _cat_probs(name: str, which: str) -> np.ndarray:
    k = _CAT_SIZES[name]
    if name == "cat_01":
        p = np.array([0.4, 0.3, 0.2, 0.1]) if which == "reference" else np.full(4, 0.25)
        return p
    p = 1.0 / np.arange(1, k + 1) ** 1.1  # Zipf-like
    p = p / p.sum()
    if name == "cat_03" and which == "current":
        # value 5 (5.2 % in the reference) takes 20 % of the rows; the others shrink evenly
        p = p * (0.8 / (1 - p[5]))
        p[5] = 0.2
    return p / p.sum()


def make_chunk(which: str, index: int, rows: int = CHUNK, *, seed: int = 0) -> pd.DataFrame:
    """Chunk ``index`` of the ``which`` set ("reference" or "current"), ``rows`` rows.

    >>> ref = make_chunk("reference", 0, 1000)
    >>> ref.shape, list(ref.columns[:2]), list(ref.columns[-1:])
    ((1000, 25), ['num_00', 'num_01'], ['cat_04'])
    >>> bool(make_chunk("reference", 0, 1000).equals(ref))
    True
    """
    if which not in SETS:
        raise ValueError(f"which must be one of {SETS} (got {which!r})")
    rng = np.random.default_rng([seed, SETS.index(which), index])
    data: dict[str, np.ndarray] = {}
    for name, (kind, loc, scale) in _numeric_specs(seed).items():
        if which == "current" and name in PLANTED:
            data[name] = _planted_numeric(rng, name, loc, scale, rows)
        else:
            data[name] = _draw(rng, kind, loc, scale, rows)
    for name in CATEGORICAL:
        p = _cat_probs(name, which)
        labels = np.array([f"{name[-1]}v{k:02d}" for k in range(len(p))], dtype=object)
        data[name] = labels[rng.choice(len(p), size=rows, p=p)]
    return pd.DataFrame(data)


def iter_chunks(which: str, rows: int, *, seed: int = 0,
                chunk: int = CHUNK) -> Iterator[pd.DataFrame]:
    """The ``which`` set of ``rows`` rows as DataFrames of at most ``chunk`` rows."""
    if chunk != CHUNK and rows > chunk:
        raise ValueError("chunk sizes other than CHUNK would change the rows drawn")
    done, index = 0, 0
    while done < rows:
        n = min(chunk, rows - done)
        yield make_chunk(which, index, n, seed=seed)
        done += n
        index += 1


def make_frame(which: str, rows: int, *, seed: int = 0) -> pd.DataFrame:
    """The whole ``which`` set as one DataFrame (the same rows as :func:`iter_chunks`)."""
    return pd.concat(list(iter_chunks(which, rows, seed=seed)), ignore_index=True)


def data_paths(cache_dir: Path, rows: int, seed: int) -> dict[str, Path]:
    stem = f"drift-v{DATA_VERSION}-{rows}x{len(COLUMNS)}-seed{seed}"
    return {w: Path(cache_dir) / "data" / f"{stem}-{w}.parquet" for w in SETS}


def ensure_data(cache_dir: Path, rows: int, *, seed: int = 0) -> dict[str, Path]:
    """Write the reference and current sets to the cache once (atomically); their paths."""
    paths = data_paths(cache_dir, rows, seed)
    for which, path in paths.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        # plain (not dictionary-encoded) strings, as a user's file would usually hold them
        make_frame(which, rows, seed=seed).to_parquet(
            tmp, index=False, engine="pyarrow", use_dictionary=False, compression="snappy")
        tmp.replace(path)
    return paths
