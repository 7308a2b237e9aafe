"""docs/benchmarks.md is shared: each benchmark owns the text between its two markers.

>>> page = replace_between("", "<!-- a:start -->\\nx\\n<!-- a:end -->", "<!-- a:start -->",
...                        "<!-- a:end -->")
>>> page.splitlines()[0], page.endswith("<!-- a:end -->\\n")
('# Benchmarks', True)
>>> replace_between(page, "<!-- a:start -->\\ny\\n<!-- a:end -->", "<!-- a:start -->",
...                 "<!-- a:end -->").count("\\ny\\n")
1
"""

from __future__ import annotations

__all__ = ["replace_between"]

HEADER = "# Benchmarks\n\nReproducible scripts live in `benchmarks/`.\n"


def replace_between(text: str, section: str, start: str, end: str) -> str:
    """``text`` with its ``start``..``end`` section replaced by ``section`` (which carries the
    markers), or with ``section`` appended; the other benchmarks' sections stay."""
    if start in text and end in text and text.index(start) < text.index(end):
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        return head + section.rstrip("\n") + tail
    if not text.strip():
        text = HEADER
    return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
