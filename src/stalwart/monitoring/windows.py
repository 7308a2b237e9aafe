"""Window assignment: cut an events frame into time windows or count windows, on demand.

- a *time* window is a fixed pandas offset (``"1D"``, ``"6h"``, ``"15min"``): tumbling
  windows ``[start, start + offset)`` aligned to UTC midnight, from the window holding the
  first event (or ``start=``) to the one holding the last (or up to ``end=``). Windows with
  no events are yielded too, with an empty subframe: a quiet day is reported, never skipped.
- a *count* window is an integer ``N``: consecutive blocks of ``N`` events in time order;
  start and end are the first and last timestamps of the block (the last block may be
  shorter).

>>> import pandas as pd
>>> ts = pd.to_datetime(["2026-01-01 01:00", "2026-01-01 13:00", "2026-01-03 02:00"], utc=True)
>>> frame = pd.DataFrame({"timestamp": ts, "x": [1, 2, 3]})
>>> [(str(s.date()), len(sub)) for s, _, sub in assign_windows(frame, "1D")]
[('2026-01-01', 2), ('2026-01-02', 0), ('2026-01-03', 1)]
>>> [len(sub) for _, _, sub in assign_windows(frame, 2)]
[2, 1]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError

__all__ = ["assign_windows", "check_events", "parse_window", "window_label"]

TIMESTAMP = "timestamp"


def parse_window(window: Any) -> pd.Timedelta | int:
    """A count (int >= 1) or a fixed-length pandas offset as a :class:`pandas.Timedelta`."""
    if isinstance(window, (int, np.integer)) and not isinstance(window, bool):
        if int(window) < 1:
            raise ParameterError("window", expected="a count >= 1 or a pandas offset like '1D'",
                                 got=repr(window), fix="use e.g. window=1000 or window='1D'")
        return int(window)
    if not isinstance(window, str):
        raise ParameterError("window", expected="a pandas offset string ('1D', '6h') or an "
                             "event count (int)", got=repr(window),
                             fix="use e.g. window='1D' or window=1000")
    try:
        offset = pd.tseries.frequencies.to_offset(window)
        delta = pd.Timedelta(offset)
    except (ValueError, TypeError):
        raise ParameterError("window", expected="a fixed-length pandas offset such as '1D', "
                             "'6h' or '15min' (calendar offsets like '1M' vary in length)",
                             got=repr(window), fix="use e.g. window='1D'") from None
    if delta <= pd.Timedelta(0):
        raise ParameterError("window", expected="a positive duration", got=repr(window),
                             fix="use e.g. window='1D'")
    return delta


def window_label(window: Any) -> str | int:
    """The JSON form of a window (the string as given, or the count)."""
    parsed = parse_window(window)
    return parsed if isinstance(parsed, int) else str(window)


def check_events(frame: Any) -> pd.DataFrame:
    """The frame with a tz-aware UTC ``timestamp`` column, sorted by time (stable)."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError("events", expected="a pandas DataFrame of events (as the store "
                        "returns it)", got=type(frame).__name__,
                        fix="pass store.events(...) or pandas.DataFrame(events)")
    if TIMESTAMP not in frame.columns:
        raise DataError("events", expected="a 'timestamp' column", got="columns "
                        f"{list(frame.columns)[:10]}", fix="include each event's timestamp")
    ts = frame[TIMESTAMP]
    if not isinstance(ts.dtype, pd.DatetimeTZDtype):
        if len(frame) and pd.api.types.is_datetime64_any_dtype(ts):
            raise DataError("timestamp", expected="tz-aware UTC timestamps",
                            got="naive datetimes (no time zone)",
                            fix="frame['timestamp'] = frame['timestamp'].dt.tz_localize('UTC')")
        try:
            ts = pd.to_datetime(ts, utc=True, format="ISO8601")
        except (ValueError, TypeError):
            raise DataError("timestamp", expected="tz-aware UTC timestamps",
                            got=f"dtype {frame[TIMESTAMP].dtype}",
                            fix="pass datetimes, e.g. pd.to_datetime(col, utc=True)") from None
    if ts.isna().any():
        raise DataError("timestamp", expected="a timestamp on every event",
                        got=f"{int(ts.isna().sum())} missing", fix="drop or fix those events")
    out = frame.assign(**{TIMESTAMP: ts.dt.tz_convert("UTC")})
    return out.sort_values(TIMESTAMP, kind="stable").reset_index(drop=True)


def _utc(value: Any) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def assign_windows(frame: Any, window: Any, *, start: Any = None, end: Any = None
                   ) -> Iterator[tuple[pd.Timestamp, pd.Timestamp, pd.DataFrame]]:
    """Yield ``(start, end, subframe)`` for every window (empty ones included).

    Time windows are half-open ``[start, end)``; ``start=``/``end=`` widen (or cut) the
    range so that quiet windows at the edges are reported too.
    """
    size = parse_window(window)
    events = check_events(frame)
    ts = events[TIMESTAMP]
    if isinstance(size, int):
        for i in range(0, len(events), size):
            sub = events.iloc[i:i + size]
            yield sub[TIMESTAMP].iloc[0], sub[TIMESTAMP].iloc[-1], sub.reset_index(drop=True)
        return
    lo = _utc(start) if start is not None else (ts.iloc[0] if len(ts) else None)
    hi = _utc(end) if end is not None else (ts.iloc[-1] if len(ts) else None)
    if lo is None or hi is None:
        return
    midnight = lo.normalize()
    first = midnight + size * ((lo - midnight) // size)
    n = int(np.ceil((hi - first) / size)) if end is not None else int((hi - first) // size) + 1
    edges = pd.DatetimeIndex([first + size * k for k in range(max(n, 0) + 1)])
    cuts = ts.searchsorted(edges, side="left")
    for k in range(max(n, 0)):
        sub = events.iloc[cuts[k]:cuts[k + 1]].reset_index(drop=True)
        yield edges[k], edges[k + 1], sub
