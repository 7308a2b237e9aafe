"""Scan a table's columns for PII: sample values per column, run the detectors, keep only
masked examples.

Text columns (strings, objects, categories) are scanned by every detector that applies to
the column's name; datetime columns only by detectors tied to a column name (a date of
birth). Numbers are not scanned. At most ``sample_size`` non-missing values per column are
read (seeded), so the scan costs the same on a thousand rows or a billion.

>>> import pandas as pd
>>> frame = pd.DataFrame({"contact": ["ann@example.com", "bob@mail.org", None],
...                       "plan": ["basic", "pro", "pro"]})
>>> result = scan_pii(frame)
>>> [(f.column, f.detector, f.match_share, f.examples) for f in result.findings]
[('contact', 'email', 1.0, ('a***@e***.com', 'b***@m***.org'))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .pii import PII_DETECTORS, PiiDetector

__all__ = ["PiiFinding", "PiiScanResult", "sample_text_values", "scan_pii"]

_N_EXAMPLES = 3


@dataclass(frozen=True)
class PiiFinding:
    """A detector's matches in one column; ``examples`` are masked, never raw."""

    column: str
    detector: str
    description: str
    n_sampled: int
    n_matched: int
    examples: tuple[str, ...] = ()

    @property
    def match_share(self) -> float:
        return self.n_matched / self.n_sampled if self.n_sampled else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "detector": self.detector,
                "description": self.description, "n_sampled": self.n_sampled,
                "n_matched": self.n_matched, "match_share": self.match_share,
                "examples": list(self.examples)}


@dataclass(frozen=True)
class PiiScanResult:
    findings: tuple[PiiFinding, ...]  # every (column, detector) with a match, by share
    n_columns_scanned: int
    sample_size: int
    unscanned: tuple[tuple[str, str], ...] = ()  # (column, reason)

    def flagged(self, min_share: float) -> list[PiiFinding]:
        """Findings whose match share reaches ``min_share``."""
        return [f for f in self.findings if f.match_share >= min_share]

    def to_dict(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings],
                "n_columns_scanned": self.n_columns_scanned, "sample_size": self.sample_size,
                "unscanned": [{"column": c, "reason": r} for c, r in self.unscanned]}


def _is_text(s: pd.Series) -> bool:
    return (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object
            or isinstance(s.dtype, pd.CategoricalDtype))


def sample_text_values(s: pd.Series, sample_size: int, rng: np.random.Generator) -> pd.Series:
    """Up to ``sample_size`` non-missing values of a column as strings (object dtype).

    Reads a seeded sample of positions four times larger than needed, so mostly-missing
    columns still yield values, without touching the whole column.
    """
    n = len(s)
    if n > 4 * sample_size:
        positions = np.sort(rng.choice(n, 4 * sample_size, replace=False))
        s = s.iloc[positions]
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        values = s.dropna().dt.strftime("%Y-%m-%d")
    else:
        raw = s.dropna().astype(object)
        values = raw[raw.map(lambda v: isinstance(v, str))]  # lists, numbers: not text
    return values.astype(object).iloc[:sample_size].reset_index(drop=True)


def scan_pii(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
             detectors: Sequence[str] | None = None, sample_size: int = 1000,
             random_state: int = 0) -> PiiScanResult:
    """Run the PII detectors over a seeded sample of each text column's values."""
    chosen: list[PiiDetector] = (
        [d for _, d in PII_DETECTORS] if detectors is None
        else [PII_DETECTORS.get(name) for name in detectors])
    names = list(frame.columns if columns is None else columns)
    rng = np.random.default_rng(random_state)
    findings: list[PiiFinding] = []
    unscanned: list[tuple[str, str]] = []
    n_scanned = 0
    for name in names:
        s = frame[name]
        is_date = pd.api.types.is_datetime64_any_dtype(s.dtype)
        if not (_is_text(s) or is_date):
            continue
        applicable = [d for d in chosen if d.applies_to(name)
                      and (not is_date or d.column_pattern is not None)]
        if not applicable:
            continue
        try:
            values = sample_text_values(s, sample_size, rng)
        except (TypeError, ValueError) as exc:
            unscanned.append((name, f"could not read its values: {type(exc).__name__}: {exc}"))
            continue
        n_scanned += 1
        if len(values) == 0:
            continue
        for d in applicable:
            hits = d.match(values)
            n_hit = int(hits.sum())
            if n_hit:
                examples = tuple(d.mask(str(v)) for v in
                                 pd.unique(values[hits].to_numpy())[:_N_EXAMPLES])
                findings.append(PiiFinding(name, d.name, d.description, len(values), n_hit,
                                           examples))
    findings.sort(key=lambda f: (-f.match_share, f.column, f.detector))
    return PiiScanResult(tuple(findings), n_scanned, sample_size, tuple(unscanned))
