"""The seeded table the audit benchmark runs on, written once to Parquet.

The table mixes what a real training table has and plants issues both tools look for, so
neither side times an empty pass:

* numeric columns with mixed distributions (normal, log-normal, uniform, exponential,
  Poisson counts, bimodal, Student t), every fourth one with 1-20 % missing values;
* ``num_00`` is near-constant (99.95 % zeros); ``num_01`` leaks the target (target plus
  small noise);
* string columns of cardinalities from 2 to 20 000 (Zipf-like frequencies), a few with
  missing values; ``cat_00`` holds case/whitespace variants of the same words (" Paris",
  "paris", "PARIS");
* a binary ``target`` learnt from a few features with label noise;
* 0.5 % of the rows are exact copies of other rows, and 0.1 % copy another row's features
  with the opposite label (conflicting labels).

Column names and kinds come from :func:`layout`, so the harness knows which columns are
categorical without reading the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DATA_VERSION", "PLANTED", "Layout", "data_path", "ensure_data", "layout", "make_frame"]

#: bump when the generator changes, so cached files of the old kind are not reused
DATA_VERSION = 1
TARGET = "target"

_NUMERIC_KINDS = ("normal", "lognormal", "uniform", "exponential", "poisson", "bimodal",
                  "student_t")
_CARDINALITIES = (2, 3, 5, 8, 12, 20, 50, 100, 300, 1000, 5000, 20000, 4, 7, 30)
_CITY_VARIANTS = ("Paris", "paris", " Paris", "PARIS", "Lyon", "lyon ", "Nice", "nice",
                  "Lille", "LILLE")


#: each planted issue, and the check of each side that looks for it (None: no such check)
PLANTED: tuple[tuple[str, str | None, str | None], ...] = (
    ("missing values in every fourth numeric and every third string column",
     "missing_values", None),
    ("near-constant `num_00` (99.95 % zeros)", "constant_columns", "Single Value in Column"),
    ("`num_01` leaks the target (target + N(0, 0.3))", "feature_leakage",
     "Feature Label Correlation"),
    ("case/whitespace variants in `cat_00`", None, "String Mismatch"),
    ("0.5 % exact duplicate rows", "duplicates", "Data Duplicates"),
    ("0.1 % rows repeating features with the other label", "conflicting_labels",
     "Conflicting Labels"),
)


@dataclass(frozen=True)
class Layout:
    """Which columns the generated table has: numeric and string features, and the target."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    target: str = TARGET

    @property
    def columns(self) -> list[str]:
        return [*self.numeric, *self.categorical, self.target]


def layout(cols: int) -> Layout:
    """Split ``cols`` feature columns into 70 % numeric and 30 % string columns.

    >>> lay = layout(50)
    >>> len(lay.numeric), len(lay.categorical), lay.columns[-1]
    (35, 15, 'target')
    """
    if cols < 4:
        raise ValueError(f"cols must be at least 4 (got {cols}): the table needs two numeric "
                         "columns with planted issues and at least one string column")
    n_cat = max(1, round(cols * 0.3))
    n_num = cols - n_cat
    return Layout(tuple(f"num_{i:02d}" for i in range(n_num)),
                  tuple(f"cat_{i:02d}" for i in range(n_cat)))


def _numeric(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    if kind == "normal":
        return rng.normal(rng.uniform(-5, 5), rng.uniform(0.5, 3), n)
    if kind == "lognormal":
        return rng.lognormal(rng.uniform(0, 3), rng.uniform(0.3, 1.0), n)
    if kind == "uniform":
        return rng.uniform(0, rng.uniform(1, 100), n)
    if kind == "exponential":
        return rng.exponential(rng.uniform(0.5, 5), n)
    if kind == "poisson":
        return rng.poisson(rng.uniform(1, 20), n).astype(np.float64)
    if kind == "bimodal":
        side = rng.random(n) < 0.4
        return np.where(side, rng.normal(-3, 1, n), rng.normal(4, 1.5, n))
    return rng.standard_t(3, n)


def _strings(rng: np.random.Generator, index: int, n: int) -> np.ndarray:
    if index == 0:
        labels = np.array(_CITY_VARIANTS, dtype=object)
        p = np.array([40, 3, 2, 1, 25, 2, 15, 1, 10, 1], dtype=np.float64)
    else:
        card = _CARDINALITIES[index % len(_CARDINALITIES)]
        labels = np.array([f"c{index}_v{k}" for k in range(card)], dtype=object)
        p = 1.0 / np.arange(1, card + 1) ** 1.1  # Zipf-like: a few common values, a long tail
    codes = rng.choice(len(labels), size=n, p=p / p.sum())
    return labels[codes]


def make_frame(rows: int, cols: int, *, seed: int = 0) -> pd.DataFrame:
    """Build the benchmark table (``cols`` features plus ``target``) from ``seed``.

    >>> frame = make_frame(200, 6, seed=1)
    >>> frame.shape, int(frame["target"].isin([0, 1]).all())
    ((200, 7), 1)
    """
    if rows < 100:
        raise ValueError(f"rows must be at least 100 (got {rows}) to plant duplicates")
    lay = layout(cols)
    rng = np.random.default_rng(seed)
    data: dict[str, np.ndarray] = {}
    for i, name in enumerate(lay.numeric):
        data[name] = _numeric(rng, _NUMERIC_KINDS[i % len(_NUMERIC_KINDS)], rows)
    for i, name in enumerate(lay.categorical):
        data[name] = _strings(rng, i, rows)

    # the target depends on two numeric features and one string feature, plus noise
    a, b = data[lay.numeric[2 % len(lay.numeric)]], data[lay.numeric[3 % len(lay.numeric)]]
    logit = (0.8 * (a - a.mean()) / a.std() - 0.5 * (b - b.mean()) / b.std()
             + 0.7 * (data[lay.categorical[0]] == "Paris") - 0.3)
    target = (rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    data[lay.numeric[0]] = np.where(rng.random(rows) < 0.0005, 1.0, 0.0)  # near-constant
    data[lay.numeric[1]] = target + rng.normal(0, 0.3, rows)  # leaks the target

    # missing values: every fourth numeric column, and every third string column after the
    # first; the rates differ per column
    for i, name in enumerate(lay.numeric):
        if i % 4 == 2:
            data[name][rng.random(rows) < rng.uniform(0.01, 0.2)] = np.nan
    for i, name in enumerate(lay.categorical):
        if i % 3 == 1:
            data[name][rng.random(rows) < rng.uniform(0.01, 0.1)] = None
    data[TARGET] = target

    # plant exact duplicates, then rows that copy features with the opposite label
    n_dup, n_conflict = max(1, rows // 200), max(1, rows // 1000)
    picked = rng.choice(rows, size=2 * (n_dup + n_conflict), replace=False)
    src, dst = picked[: n_dup + n_conflict], picked[n_dup + n_conflict:]
    for values in data.values():
        values[dst] = values[src]
    flip = dst[n_dup:]
    target[flip] = 1 - target[flip]
    return pd.DataFrame(data)


def data_path(cache_dir: Path, rows: int, cols: int, seed: int) -> Path:
    return Path(cache_dir) / "data" / f"audit-v{DATA_VERSION}-{rows}x{cols}-seed{seed}.parquet"


def ensure_data(cache_dir: Path, rows: int, cols: int, *, seed: int = 0) -> Path:
    """Write the table to the cache once (atomically) and return its path."""
    path = data_path(cache_dir, rows, cols, seed)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = make_frame(rows, cols, seed=seed)
    tmp = path.with_suffix(".tmp")
    # plain (not dictionary-encoded) strings, so each side reads them as its pandas' default
    # string type, as a user's file would be read
    frame.to_parquet(tmp, index=False, engine="pyarrow", use_dictionary=False,
                     compression="snappy")
    tmp.replace(path)
    return path
