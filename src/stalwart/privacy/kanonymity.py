"""k-anonymity and l-diversity over declared quasi-identifiers.

Rows that share the same values of the quasi-identifiers (age band, postcode, sex...) form
an *equivalence class*: someone who knows a person's quasi-identifiers can narrow them down
to that class, and no further.

* **k-anonymity** (Sweeney 2002): ``k`` is the size of the smallest class. A table is
  k-anonymous for a target ``k`` when every class holds at least ``k`` rows.
* **distinct l-diversity** (Machanavajjhala et al. 2007): the smallest number of distinct
  sensitive values within a class; a class with one value discloses it to anyone who can
  place a person in it, however large the class.
* **entropy l-diversity**: ``exp`` of the smallest within-class entropy of the sensitive
  values (natural log): a class is entropy l-diverse when its entropy is at least ``log l``.
  It is at most the distinct l and penalises classes dominated by one value.

Missing values count as a value of their own, in quasi-identifiers and sensitive columns
(a blank postcode is as identifying as any rare postcode). Violating classes are listed with
their quasi-identifier values masked (first character, then ``*``).

>>> import pandas as pd
>>> t = pd.DataFrame({"zip": ["750", "750", "750", "691"], "sex": ["F", "F", "F", "M"],
...                   "disease": ["flu", "cold", "flu", "flu"]})
>>> r = k_anonymity(t, ["zip", "sex"], target_k=2)
>>> r.k, r.class_sizes, r.violating
(1, {1: 1, 3: 1}, (({'zip': '6**', 'sex': 'M'}, 1),))
>>> ld = l_diversity(t, ["zip", "sex"], "disease")
>>> ld.distinct_l, round(ld.entropy_l, 3)
(1, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError, SchemaError

__all__ = ["KAnonymityResult", "LDiversityResult", "equivalence_classes", "k_anonymity",
           "l_diversity", "mask_quasi_value"]

_MAX_LISTED = 50


def mask_quasi_value(value: Any) -> str:
    """The first character of a quasi-identifier value, the rest as ``*``.

    >>> mask_quasi_value(75011), mask_quasi_value("F"), mask_quasi_value(None)
    ('7****', 'F', '<missing>')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "<missing>"
    text = str(value)
    return text[:1] + "*" * (len(text) - 1)


def _columns(frame: pd.DataFrame, names: Sequence[str] | str | None, what: str,
             fix: str) -> list[str]:
    if not isinstance(frame, pd.DataFrame):
        raise DataError("data", expected="a pandas DataFrame", got=type(frame).__name__,
                        fix="pass a DataFrame (read files with stalwart.data.read_table)")
    chosen = [names] if isinstance(names, str) else list(names or [])
    if not chosen:
        raise ParameterError(what, expected="at least one column name", got=repr(names), fix=fix)
    missing = [c for c in chosen if c not in frame.columns]
    if missing:
        raise SchemaError(what, expected="columns of the data", got=f"unknown {missing}",
                          fix=f"use names among {list(frame.columns)[:12]}")
    return chosen


def equivalence_classes(frame: pd.DataFrame, quasi_identifiers: Sequence[str]) -> np.ndarray:
    """The class code of each row (rows with equal quasi-identifiers, missing included)."""
    qi = _columns(frame, quasi_identifiers, "quasi_identifiers",
                  "declare the quasi-identifiers, e.g. quasi_identifiers=['age', 'zip']")
    if len(frame) == 0:
        return np.zeros(0, dtype=np.int64)
    grouped = frame[qi].astype(object).groupby(qi, dropna=False, sort=False)
    return grouped.ngroup().to_numpy(dtype=np.int64)


def _first_rows(codes: np.ndarray) -> np.ndarray:
    _, first = np.unique(codes, return_index=True)
    return first  # the first row of each class, in code order


@dataclass(frozen=True)
class KAnonymityResult:
    """``k`` (smallest class), the class size distribution and the classes below target."""

    quasi_identifiers: tuple[str, ...]
    n_rows: int
    n_classes: int
    k: int | None  # None for an empty table
    target_k: int
    class_sizes: dict[int, int]  # class size -> number of classes of that size
    n_rows_violating: int
    violating: tuple[tuple[dict[str, str], int], ...]  # (masked values, size), smallest first
    schema_version: str = "1.0"

    @property
    def satisfied(self) -> bool:
        return self.k is not None and self.k >= self.target_k

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version,
                         "quasi_identifiers": list(self.quasi_identifiers),
                         "n_rows": self.n_rows, "n_classes": self.n_classes, "k": self.k,
                         "target_k": self.target_k, "satisfied": self.satisfied,
                         "class_sizes": {str(s): n for s, n in self.class_sizes.items()},
                         "n_rows_violating": self.n_rows_violating,
                         "violating": [{"values": v, "size": s} for v, s in self.violating]})


def _target(target_k: Any) -> int:
    if not isinstance(target_k, (int, np.integer)) or isinstance(target_k, bool) or target_k < 1:
        raise ParameterError("target_k", expected="an integer of at least 1",
                             got=repr(target_k), fix="pass target_k=5 (a common minimum)")
    return int(target_k)


def k_anonymity(frame: pd.DataFrame, quasi_identifiers: Sequence[str], *,
                target_k: int = 5) -> KAnonymityResult:
    """Measure k-anonymity of ``frame`` on its ``quasi_identifiers``."""
    target = _target(target_k)
    codes = equivalence_classes(frame, quasi_identifiers)
    qi = tuple(quasi_identifiers if not isinstance(quasi_identifiers, str)
               else [quasi_identifiers])
    sizes = np.bincount(codes) if codes.size else np.zeros(0, dtype=np.int64)
    dist = dict(sorted(pd.Series(sizes).value_counts().astype(int).items()))
    small = np.flatnonzero(sizes < target)
    small = small[np.argsort(sizes[small], kind="stable")]
    first = _first_rows(codes)
    listed = []
    for c in small[:_MAX_LISTED]:
        row = frame.iloc[int(first[c])]
        listed.append(({q: mask_quasi_value(row[q]) for q in qi}, int(sizes[c])))
    return KAnonymityResult(qi, len(frame), int(sizes.size),
                            int(sizes.min()) if sizes.size else None, target,
                            {int(s): int(n) for s, n in dist.items()},
                            int(sizes[small].sum()), tuple(listed))


@dataclass(frozen=True)
class LDiversityResult:
    """Distinct and entropy l-diversity of a sensitive column within the classes."""

    quasi_identifiers: tuple[str, ...]
    sensitive: str
    n_classes: int
    distinct_l: int | None
    entropy_l: float | None
    target_l: int
    n_classes_violating: int  # classes with fewer than target_l distinct values
    worst: tuple[dict[str, Any], ...]  # least diverse classes, masked
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version,
                         "quasi_identifiers": list(self.quasi_identifiers),
                         "sensitive": self.sensitive, "n_classes": self.n_classes,
                         "distinct_l": self.distinct_l, "entropy_l": self.entropy_l,
                         "target_l": self.target_l,
                         "n_classes_violating": self.n_classes_violating,
                         "worst": list(self.worst)})


def l_diversity(frame: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str, *,
                target_l: int = 2) -> LDiversityResult:
    """Distinct and entropy l-diversity of ``sensitive`` within the quasi-identifier classes."""
    target = _target(target_l)
    if not isinstance(sensitive, str):
        raise ParameterError("sensitive", expected="one column name", got=repr(sensitive),
                             fix="name one sensitive column, e.g. sensitive='diagnosis'; "
                             "measure several columns one at a time")
    [sens] = _columns(frame, [sensitive], "sensitive",
                      "name one sensitive column, e.g. sensitive='diagnosis'")
    qi = tuple(quasi_identifiers if not isinstance(quasi_identifiers, str)
               else [quasi_identifiers])
    if sens in qi:
        raise ParameterError("sensitive", expected="a column that is not a quasi-identifier",
                             got=repr(sens), fix="drop it from quasi_identifiers")
    codes = equivalence_classes(frame, qi)
    if codes.size == 0:
        return LDiversityResult(qi, sens, 0, None, None, target, 0, ())
    values = frame[sens].astype(object).where(frame[sens].notna(), "<missing>").astype(str)
    pairs = pd.DataFrame({"c": codes, "v": values.to_numpy()})
    counts = pairs.groupby(["c", "v"], sort=False).size()
    distinct = counts.groupby(level="c").size().sort_index().to_numpy()
    p = counts / counts.groupby(level="c").transform("sum")
    entropy = (-(p * np.log(p))).groupby(level="c").sum().sort_index().to_numpy()
    ent_l = np.exp(entropy)
    sizes = np.bincount(codes)
    order = np.lexsort((ent_l, distinct))[:_MAX_LISTED]
    first = _first_rows(codes)
    worst = []
    for c in order[:10]:
        row = frame.iloc[int(first[c])]
        worst.append({"values": {q: mask_quasi_value(row[q]) for q in qi},
                      "size": int(sizes[c]), "distinct": int(distinct[c]),
                      "entropy_l": float(ent_l[c])})
    return LDiversityResult(qi, sens, int(sizes.size), int(distinct.min()),
                            float(ent_l.min()), target, int(np.sum(distinct < target)),
                            tuple(worst))
