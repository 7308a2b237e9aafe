"""Turn result values into short display strings: shared by the text, HTML and SVG renderers.

Formatting is presentation only: it never changes a number, it only chooses how many digits
a person sees.

>>> fmt_value(0.123456789)
'0.1235'
>>> fmt_value(1234567)
'1,234,567'
>>> fmt_value(None)
'—'
>>> fmt_value(True)
'true'
>>> one_line("two\\nlines\\x1b[31m")
'two lines\\\\x1b[31m'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MISSING", "STATUS_ORDER", "fmt_duration", "fmt_number", "fmt_value", "is_scalar",
           "one_line", "printable", "slug", "truncate"]

#: what a missing value (None, NaN) looks like in a report
MISSING = "—"
#: statuses from most to least severe: the order of the counts shown in every report
STATUS_ORDER = ("fail", "error", "warn", "pass", "skip")

# C0/C1 control characters except tab and newline: they would corrupt terminals and XML
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """Replace control characters with visible ``\\xNN`` escapes (tab and newline stay)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def one_line(text: Any) -> str:
    """A value as one printable line: whitespace runs (newlines too) become one space."""
    return printable(" ".join(str(text).split()))


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int, float))


def fmt_number(value: float | int) -> str:
    """Integers with thousands separators; floats with 4 significant digits."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if math.isnan(value) or math.isinf(value):
        return MISSING if math.isnan(value) else ("∞" if value > 0 else "-∞")
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if 1e-4 <= abs(value) < 1e6:
        return f"{value:.4g}"
    return f"{value:.3e}"


def fmt_value(value: Any) -> str:
    """A display string for any JSON-like value (containers become compact JSON)."""
    if value is None:
        return MISSING
    if isinstance(value, (bool, int, float)):
        return fmt_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (Mapping, Sequence)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def fmt_duration(seconds: float) -> str:
    """``0.0123`` -> ``'12 ms'``; ``83.2`` -> ``'1 min 23 s'``.

    >>> fmt_duration(0.0123), fmt_duration(2.5), fmt_duration(83.2)
    ('12 ms', '2.50 s', '1 min 23 s')
    """
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest} s"


def slug(text: str) -> str:
    """A safe fragment for an HTML id: letters, digits, ``-`` and ``_`` only.

    >>> slug("missing values / <x>")
    'missing-values-x'
    """
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "check"
