"""Keep a benchmark's raw measurements and write its section of docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _venvs import default_cache_dir


def save_raw(run: dict[str, Any], *, name: str, cache_dir: str | None) -> Path:
    """Write the raw run to ``<cache>/results/<name>-<time>.json``; return the path."""
    cache = Path(cache_dir or default_cache_dir()).expanduser()
    raw = cache / "results" / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(run, indent=1), encoding="utf-8")
    return raw


def publish(run: dict[str, Any], *, out: str | Path, raw: Path,
            render: Callable[[dict[str, Any]], str],
            replace_section: Callable[[str, str], str]) -> int:
    """Render the section, replace it in ``out`` (other sections untouched), and print it."""
    section = render(run)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    print(f"[bench] wrote {target} and {raw}", file=sys.stderr, flush=True)
    return 0
