"""Scan a table's columns for PII: sample values per column, run the detectors, keep only
masked examples.

Text columns (strings, objects, categories) are scanned by every detector that applies to
the column's name; datetime columns only by detectors tied to a column name (a date of
birth). Numbers are not scanned. A finding with ``where="value"`` counts values that *are*
PII as a whole; with ``in_text=True`` (the default) the values that are not are searched for
PII *inside* them (:mod:`.text_pii`: an e-mail in a comment), giving findings with
``where="text"``, the values holding at least one match (``n_matched``) and the matches
(``n_occurrences``). At most ``sample_size`` non-missing values per column are
read (seeded), so the scan costs the same on a thousand rows or a billion.

>>> import pandas as pd
>>> frame = pd.DataFrame({"contact": ["ann@example.com", "bob@mail.org", None],
...                       "plan": ["basic", "pro", "pro"]})
>>> result = scan_pii(frame)
>>> [(f.column, f.detector, f.match_share, f.examples) for f in result.findings]
[('contact', 'email', 1.0, ('a***@e***.com', 'b***@m***.org'))]
>>> notes = pd.DataFrame({"note": ["call back at 06 12 34 56 78", "fine", "ok"]})
>>> [(f.detector, f.where, f.n_matched, f.examples) for f in scan_pii(notes).findings]
[('phone', 'text', 1, ('** ** ** ** 78',))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError, SchemaError
from .pii import PII_DETECTORS, PiiDetector
from .text_pii import find_pii, text_detector_names

__all__ = ["PiiFinding", "PiiScanResult", "sample_text_values", "scan_pii"]

_N_EXAMPLES = 3


@dataclass(frozen=True)
class PiiFinding:
    """A detector's matches in one column; ``examples`` are masked, never raw."""

    column: str
    detector: str
    description: str
    n_sampled: int
    n_matched: int  # values matching (where="value") or holding a match (where="text")
    examples: tuple[str, ...] = ()
    where: str = "value"  # "value": whole values; "text": found inside values
    n_occurrences: int = 0  # matches counted (text); equals n_matched for whole values

    @property
    def match_share(self) -> float:
        return self.n_matched / self.n_sampled if self.n_sampled else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "detector": self.detector,
                "description": self.description, "n_sampled": self.n_sampled,
                "n_matched": self.n_matched, "match_share": self.match_share,
                "examples": list(self.examples), "where": self.where,
                "n_occurrences": self.n_occurrences or self.n_matched}


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
             random_state: int = 0, in_text: bool = True) -> PiiScanResult:
    """Run the PII detectors over a seeded sample of each text column's values, and with
    ``in_text`` search the values that are not PII as a whole for PII inside them."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError("data", expected="a pandas DataFrame", got=type(frame).__name__,
                        fix="pass a DataFrame (read files with stalwart.data.read_table)")
    if not isinstance(sample_size, (int, np.integer)) or isinstance(sample_size, bool) \
            or sample_size < 1:
        raise ParameterError("sample_size", expected="an integer of at least 1 (values read "
                             "per column)", got=repr(sample_size), fix="pass sample_size=1000")
    if isinstance(columns, str):
        columns = [columns]
    missing = [] if columns is None else [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError("columns", expected="columns of the data", got=f"unknown {missing}",
                          fix=f"use names among {list(frame.columns)[:12]}")
    chosen: list[PiiDetector] = (
        [d for _, d in PII_DETECTORS] if detectors is None
        else [PII_DETECTORS.get(name) for name in detectors])
    names = list(frame.columns if columns is None else columns)
    text_names = [n for n in text_detector_names() if detectors is None or n in detectors]
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
        whole = np.zeros(len(values), dtype=bool)
        for d in applicable:
            hits = d.match(values)
            whole |= hits
            n_hit = int(hits.sum())
            if n_hit:
                examples = tuple(d.mask(str(v)) for v in
                                 pd.unique(values[hits].to_numpy())[:_N_EXAMPLES])
                findings.append(PiiFinding(name, d.name, d.description, len(values), n_hit,
                                           examples, "value", n_hit))
        if in_text and not is_date:
            findings.extend(_text_findings(name, values[~whole], len(values), text_names))
    findings.sort(key=lambda f: (-f.match_share, f.column, f.detector))
    return PiiScanResult(tuple(findings), n_scanned, sample_size, tuple(unscanned))


def _text_findings(column: str, values: pd.Series, n_sampled: int,
                   names: list[str]) -> list[PiiFinding]:
    """Per detector: the values holding PII inside them, the matches, masked examples."""
    holders: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    examples: dict[str, list[str]] = {}
    for text in values:
        seen = set()
        for hit in find_pii(str(text), names):
            occurrences[hit.detector] = occurrences.get(hit.detector, 0) + 1
            shown = examples.setdefault(hit.detector, [])
            if len(shown) < _N_EXAMPLES and hit.masked not in shown:
                shown.append(hit.masked)
            seen.add(hit.detector)
        for name in seen:
            holders[name] = holders.get(name, 0) + 1
    return [PiiFinding(column, name, PII_DETECTORS.get(name).description + " inside text",
                       n_sampled, holders[name], tuple(examples[name]), "text",
                       occurrences[name]) for name in sorted(holders)]
