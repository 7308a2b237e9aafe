"""A plain terminal summary: one line per check and a final line with the counts."""

from __future__ import annotations

from ..checks.result import SuiteResult
from ._format import STATUS_ORDER, fmt_duration, fmt_value, one_line, truncate

__all__ = ["render_text"]

_ANSI = {"pass": "32", "warn": "33", "fail": "31", "error": "35", "skip": "90"}
_TITLE_WIDTH = 36


def _paint(word: str, status: str, color: bool) -> str:
    return f"\x1b[1;{_ANSI[status]}m{word}\x1b[0m" if color else word


def render_text(result: SuiteResult, *, color: bool = False) -> str:
    """The suite as terminal text; ``color`` adds ANSI colours to the status words.

    Every piece of user text is put on one line with control characters escaped, so data
    cannot move the cursor or recolour the terminal.

    >>> from stalwart.checks.result import CheckResult, Status, SuiteResult
    >>> r = SuiteResult("audit", Status.FAIL, (
    ...     CheckResult("a", "Missing values", "data", Status.PASS, "no missing values"),
    ...     CheckResult("b", "Duplicates", "data", Status.FAIL, "12 duplicate rows")),
    ...     {"name": "train.csv", "n_rows": 1000, "n_columns": 5}, duration_s=0.5)
    >>> print(render_text(r))
    audit: FAIL  (train.csv, 1,000 rows x 5 columns)
      PASS   Missing values  no missing values
      FAIL   Duplicates      12 duplicate rows
    2 checks: 1 fail, 1 pass  (500 ms)
    """
    titles = [truncate(one_line(r.title), _TITLE_WIDTH) for r in result.results]
    width = max((len(t) for t in titles), default=0)
    data = result.data or {}
    about = ", ".join(part for part in (
        one_line(data["name"]) if data.get("name") else "",
        f"{fmt_value(data['n_rows'])} rows" if data.get("n_rows") is not None else "",
    ) if part)
    if data.get("n_columns") is not None and about:
        about += f" x {fmt_value(data['n_columns'])} columns"
    status = result.status.value
    head = f"{one_line(result.suite)}: {_paint(status.upper(), status, color)}"
    lines = [head + (f"  ({about})" if about else "")]
    for r, title in zip(result.results, titles, strict=True):
        word = _paint(f"{r.status.value.upper():<5}", r.status.value, color)
        lines.append(f"  {word}  {title:<{width}}  {one_line(r.summary)}".rstrip())
    counts = result.counts()
    shown = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
    n = len(result.results)
    lines.append(f"{n} check{'' if n == 1 else 's'}: {shown or 'none run'}  "
                 f"({fmt_duration(result.duration_s)})")
    return "\n".join(lines)

