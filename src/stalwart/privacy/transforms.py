"""Anonymisation transforms of one column: salted hashing and generalisation.

Plain functions (a column in, a column out, missing values kept missing); :func:`anonymise
<stalwart.privacy.anonymise.anonymise>` applies a plan of them to a table.

* :func:`hash_values`: HMAC-SHA256 keyed with a secret salt, hex, truncated (Python's
  ``hmac``; a keyed hash, so values cannot be confirmed by hashing guesses without the
  salt). Deterministic per salt, so joins still work; a salt shorter than 16 characters
  is refused. Truncating to ``length`` hex characters keeps ``4 * length`` bits: at 16
  (64 bits) two of a billion distinct values collide with probability about 3%.
* :func:`bin_numbers`: numbers to ranges ``"[30, 40)"`` of a fixed width or declared edges.
* :func:`generalise_dates`: dates to month, quarter or year.
* :func:`keep_prefix`: strings to their first characters, the rest as ``*`` (postcodes).
* :func:`map_hierarchy`: a user's hierarchy mapping (city to region); values it lacks are
  an error unless a ``default`` is given.

Hashing is pseudonymisation, not anonymisation: a hashed identifier still links a person's
rows. Generalise quasi-identifiers, then measure k-anonymity.

>>> import pandas as pd
>>> hash_values(pd.Series(["ann", "bob", None]), salt="a-long-secret-salt", length=8).tolist()
['73518834', 'f9f2bb2a', None]
>>> bin_numbers(pd.Series([34, 41.5, None]), width=10).tolist()
['[30, 40)', '[40, 50)', None]
>>> generalise_dates(pd.Series(["2024-03-15", "2023-11-02"]), to="quarter").tolist()
['2024-Q1', '2023-Q4']
>>> keep_prefix(pd.Series(["75011", "69003"]), length=2).tolist()
['75***', '69***']
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError

__all__ = ["MIN_SALT_LENGTH", "bin_numbers", "generalise_dates", "hash_values", "keep_prefix",
           "map_hierarchy"]

MIN_SALT_LENGTH = 16


def _series(values: Any) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values)


def _apply(s: pd.Series, func: Any) -> pd.Series:
    out = pd.Series([None if pd.isna(v) else func(v) for v in s.astype(object)],
                    index=s.index, dtype=object, name=s.name)
    return out


def hash_values(values: Any, *, salt: str | bytes, length: int = 16) -> pd.Series:
    """HMAC-SHA256 of each value's text under ``salt``, as ``length`` hex characters."""
    key = salt.encode() if isinstance(salt, str) else salt
    if not isinstance(key, bytes) or len(key) < MIN_SALT_LENGTH:
        shown = (f"a {type(salt).__name__}, not text" if not isinstance(key, bytes)
                 else "an empty salt" if not key else f"a salt of {len(key)} characters")
        raise ParameterError("salt", expected=f"a secret of at least {MIN_SALT_LENGTH} "
                             "characters (str or bytes)", got=shown,
                             fix="generate one with python -c 'import secrets; "
                             "print(secrets.token_hex(16))' and keep it out of the data")
    if not isinstance(length, (int, np.integer)) or isinstance(length, bool) \
            or not 8 <= length <= 64:
        raise ParameterError("length", expected="an integer from 8 to 64 hex characters",
                             got=repr(length), fix="pass length=16 (64 bits)")
    return _apply(_series(values), lambda v: hmac.new(key, str(v).encode(), hashlib.sha256)
                  .hexdigest()[:length])


def _fmt(x: float) -> str:
    return f"{x:g}"


def bin_numbers(values: Any, *, width: float | None = None,
                edges: Sequence[float] | None = None) -> pd.Series:
    """Numbers to half-open ranges: multiples of ``width``, or between declared ``edges``
    (values outside the edges become ``"< first"`` / ``">= last"``)."""
    s = _series(values)
    try:
        num = pd.to_numeric(s, errors="raise").astype(float)
    except (TypeError, ValueError):
        raise DataError(f"column {s.name!r}", expected="numbers to bin", got="non-numeric "
                        "values", fix="bin numeric columns; use keep_prefix or map_hierarchy "
                        "for text") from None
    if (width is None) == (edges is None):
        raise ParameterError("bins", expected="exactly one of width= or edges=",
                             got=f"width={width!r}, edges={edges!r}", fix="pass width=10")
    if width is not None:
        if not (isinstance(width, (int, float, np.integer, np.floating))
                and not isinstance(width, bool) and np.isfinite(width) and width > 0):
            raise ParameterError("width", expected="a positive number", got=repr(width),
                                 fix="pass width=10")
        return _apply(num, lambda v: (f"[{_fmt(np.floor(v / width) * width)}, "
                                      f"{_fmt(np.floor(v / width) * width + width)})"))
    e = np.asarray(edges, dtype=float)
    if e.ndim != 1 or e.size < 2 or np.any(np.diff(e) <= 0) or not np.all(np.isfinite(e)):
        raise ParameterError("edges", expected="two or more increasing finite numbers",
                             got=repr(edges), fix="pass edges=[0, 18, 30, 50, 65, 120]")

    def label(v: float) -> str:
        if v < e[0]:
            return f"< {_fmt(e[0])}"
        if v >= e[-1]:
            return f">= {_fmt(e[-1])}"
        i = int(np.searchsorted(e, v, side="right")) - 1
        return f"[{_fmt(e[i])}, {_fmt(e[i + 1])})"
    return _apply(num, label)


_DATE_FORMATS = {"month": "%Y-%m", "year": "%Y"}


def generalise_dates(values: Any, *, to: str = "month") -> pd.Series:
    """Dates (or date strings) to ``"2024-03"`` (month), ``"2024-Q1"`` or ``"2024"``."""
    if to not in ("month", "quarter", "year"):
        raise ParameterError("to", expected="'month', 'quarter' or 'year'", got=repr(to),
                             fix="pick one of the three")
    s = _series(values)
    try:
        dates = pd.to_datetime(s, errors="raise", format="mixed")
    except (TypeError, ValueError):
        raise DataError(f"column {s.name!r}", expected="dates", got="values that are not "
                        "dates", fix="generalise date columns only") from None
    if to == "quarter":
        text = dates.dt.year.astype("Int64").astype(str) + "-Q" + \
            dates.dt.quarter.astype("Int64").astype(str)
    else:
        text = dates.dt.strftime(_DATE_FORMATS[to])
    return text.astype(object).where(dates.notna(), None).rename(s.name)


def keep_prefix(values: Any, *, length: int) -> pd.Series:
    """The first ``length`` characters of each value's text; the rest become ``*``."""
    if not isinstance(length, (int, np.integer)) or isinstance(length, bool) or length < 0:
        raise ParameterError("length", expected="an integer of 0 or more", got=repr(length),
                             fix="pass length=2 to keep a postcode's department")
    return _apply(_series(values), lambda v: str(v)[:length] + "*" * max(0, len(str(v)) - length))


def map_hierarchy(values: Any, *, mapping: Mapping[Any, Any], default: Any = None) -> pd.Series:
    """Each value replaced by its parent in ``mapping`` (city -> region); values missing
    from the mapping become ``default``, or are an error when no default is given."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise ParameterError("mapping", expected="a non-empty dict value -> generalised value",
                             got=repr(mapping), fix="pass mapping={'Lyon': 'Auvergne-RA', ...}")
    s = _series(values)
    present = s.dropna()
    unmapped = present[~present.isin(list(mapping))]
    if len(unmapped) and default is None:
        raise DataError(f"column {s.name!r}", expected="every value in the hierarchy mapping",
                        got=f"{unmapped.nunique()} values without a parent",
                        fix="extend the mapping, or pass default='other'")
    return _apply(s, lambda v: mapping.get(v, default))
