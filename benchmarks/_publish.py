"""Plumbing shared by the benchmarks: run a worker process, keep raw results, write the doc."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from _machine import THREAD_PINS
from _venvs import default_cache_dir


def say(msg: str) -> None:
    """A progress line on standard error (standard output may carry a worker's JSON)."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def add_output_args(p: argparse.ArgumentParser, *, section: str, keeps: str) -> None:
    """The options every benchmark shares: where it keeps ``keeps`` (its venvs, data or
    stores) and raw results, the Markdown file whose ``section`` it replaces, and rendering
    from a saved raw result instead of measuring."""
    p.add_argument("--cache-dir", type=Path, default=None,
                   help=f"{keeps} and raw results (default {default_cache_dir()})")
    p.add_argument("--out", type=Path,
                   default=Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md",
                   help=f"Markdown file whose {section} section is replaced")
    p.add_argument("--from-json", type=Path, default=None,
                   help="render the section from a saved raw result (<cache>/results/*.json) "
                        "instead of measuring")


def load_module(path: Path, name: str) -> ModuleType:
    """Import a worker script by path (it runs as a script in each side's environment)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_worker(cmd: list[str], *, side: str, prefix: str, log: Path,
               timeout: float) -> dict[str, Any]:
    """Run one worker process with pinned threads; return the JSON it prints after ``prefix``."""
    env = {**os.environ, **THREAD_PINS}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as err:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                              timeout=timeout, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(prefix):
            return json.loads(line[len(prefix):])
    tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
    raise RuntimeError(f"the {side} worker exited {done.returncode} without a result:\n{tail}")


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


def measure_and_publish(args: Any, *, name: str,
                        measure: Callable[[], dict[str, Any]],
                        render: Callable[[dict[str, Any]], str],
                        replace_section: Callable[[str, str], str],
                        reload: Callable[[dict[str, Any]], None] | None = None) -> int:
    """A benchmark's ``main``: measure (or, with ``--from-json``, re-read a saved raw run
    and let ``reload`` refresh what is derived from it), keep the raw run, write the doc."""
    if args.from_json is not None:
        raw = args.from_json
        run = json.loads(raw.read_text(encoding="utf-8"))
        if reload is not None:
            reload(run)
    else:
        run = measure()
        raw = save_raw(run, name=name, cache_dir=args.cache_dir)
    return publish(run, out=args.out, raw=raw, render=render, replace_section=replace_section)
