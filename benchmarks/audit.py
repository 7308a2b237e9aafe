"""Time stalwart's data audit against Deepchecks' data-integrity suite on the same table.

    python benchmarks/audit.py                      # 1,000,000 rows x 50 columns
    python benchmarks/audit.py --rows 20000 --skip-peers

What it does, in one run:

1. writes a seeded table (numeric and string columns with planted issues, a binary target)
   to Parquet in the cache folder, once (``benchmarks/_audit_data.py``);
2. creates Deepchecks' own virtual environment in the cache folder, once: it cannot share
   stalwart's environment (``benchmarks/_venvs.py``);
3. runs each side in a fresh process on the same file (``benchmarks/_workers/``): a plain
   pandas baseline and stalwart ``--repeats`` times, Deepchecks ``--peer-repeats`` times,
   interleaved, all with one BLAS/OpenMP thread;
4. writes the medians, ratios, peak memory, findings and stalwart's per-check times to the
   audit section of ``docs/benchmarks.md`` (between ``<!-- audit:start -->`` and
   ``<!-- audit:end -->``), and the raw measurements to ``<cache>/results/``.

Targets (from the issue): Deepchecks / stalwart at least 10x; the memory the audit adds at
its peak under 3x the data's own in-memory size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _audit_data import ensure_data, layout  # noqa: E402
from _audit_report import render, replace_section  # noqa: E402
from _machine import machine_info  # noqa: E402
from _publish import (add_output_args, load_module, measure_and_publish, run_worker,
                      say as _say)  # noqa: E402
from _venvs import PEERS, default_cache_dir, ensure_peer  # noqa: E402

WORKER = HERE / "_workers" / "audit_worker.py"
Runner = Callable[..., dict[str, Any]]

__all__ = ["WORKER", "load_worker", "main", "parse_args", "run_benchmark", "subprocess_runner"]


def load_worker() -> ModuleType:
    """The worker module (it runs as a script in each side's environment)."""
    return load_module(WORKER, "audit_worker")


def subprocess_runner(side: str, data: Path, *, python: str, target: str,
                      cat_features: Sequence[str], checks: Sequence[str] | None,
                      log: Path, timeout: float) -> dict[str, Any]:
    """Run the worker for ``side`` in a fresh process and return its JSON."""
    prefix = load_worker().RESULT_PREFIX
    cmd = [python, str(WORKER), "--side", side, "--data", str(data), "--target", target,
           "--cat-features", ",".join(cat_features)]
    if checks is not None:
        cmd += ["--checks", ",".join(checks)]
    return run_worker(cmd, side=side, prefix=prefix, log=log, timeout=timeout)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--cols", type=int, default=50, help="feature columns (target extra)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=3, help="runs of stalwart and the baseline")
    p.add_argument("--peer-repeats", type=int, default=1,
                   help="runs of Deepchecks (default 1: one run takes minutes)")
    p.add_argument("--skip-peers", action="store_true", help="run stalwart and baseline only")
    p.add_argument("--checks", default=None,
                   help="comma-separated subset of stalwart audit checks (default: all)")
    p.add_argument("--timeout", type=float, default=3 * 3600,
                   help="seconds one worker may run")
    add_output_args(p, section="audit", keeps="venvs, data")
    args = p.parse_args(argv)
    if args.repeats < 1 or args.peer_repeats < 1:
        p.error("--repeats and --peer-repeats must be at least 1")
    return args



def run_benchmark(args: argparse.Namespace, *, runner: Runner = subprocess_runner,
                  argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run every side and return the raw measurements (what :func:`render` draws)."""
    cache = Path(args.cache_dir or default_cache_dir()).expanduser()
    lay = layout(args.cols)
    _say(f"data: {args.rows:,} rows x {args.cols} columns (seed {args.seed})")
    path = ensure_data(cache, args.rows, args.cols, seed=args.seed)
    pythons = {"baseline": sys.executable, "stalwart": sys.executable}
    skipped: dict[str, str] = {}
    if args.skip_peers:
        skipped.update({name: "--skip-peers" for name in PEERS})
    else:
        for name in PEERS:
            try:
                pythons[name] = str(ensure_peer(name, cache))
            except (OSError, RuntimeError) as exc:  # no registry, or the pins broke
                skipped[name] = f"its environment could not be built: {exc}"
                _say(skipped[name])
    checks = None if args.checks is None else [c for c in args.checks.split(",") if c]
    sides: dict[str, list[dict[str, Any]]] = {name: [] for name in pythons}
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    rounds = max(args.repeats, args.peer_repeats if not args.skip_peers else 0)
    for i in range(rounds):
        for side, python in pythons.items():
            wanted = args.peer_repeats if side in PEERS else args.repeats
            if i >= wanted or side in skipped:
                continue
            log = cache / "logs" / f"audit-{stamp}-{side}-{i + 1}.log"
            try:
                result = runner(side, path, python=python, target=lay.target,
                                cat_features=lay.categorical,
                                checks=checks if side == "stalwart" else None,
                                log=log, timeout=args.timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                if side not in PEERS:
                    raise
                # a peer that crashes or runs out of time is reported, not fatal
                skipped[side] = f"run {i + 1} failed: {str(exc).splitlines()[0]} (log: {log})"
                sides[side].clear()
                _say(skipped[side])
                continue
            sides[side].append(result)
            _say(f"{side} run {i + 1}/{wanted}: suite {result['suite_s']:.2f} s, "
                 f"peak RSS {result['peak_rss_suite_bytes'] / 2 ** 20:,.0f} MiB, "
                 f"{result['findings']} findings")
    command = "python benchmarks/audit.py" + "".join(
        " " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    return {
        "config": {"rows": args.rows, "cols": args.cols, "seed": args.seed,
                   "repeats": args.repeats, "peer_repeats": args.peer_repeats,
                   "checks": checks, "command": command,
                   "date": dt.date.today().isoformat()},
        "machine": machine_info(),
        "data": {"path": str(path), "file_bytes": path.stat().st_size, "rows": args.rows,
                 "features": args.cols, "numeric": len(lay.numeric),
                 "categorical": len(lay.categorical)},
        "sides": sides,
        "skipped": skipped,
        "notes": _notes(sides),
    }


def _notes(sides: dict[str, list[dict[str, Any]]]) -> list[str]:
    notes = []
    if sides.get("deepchecks"):
        notes.append("Deepchecks runs with its defaults, as a user gets them: some of its "
                     "checks sample the rows (Feature-Feature Correlation 10,000, Feature "
                     "Label Correlation 100,000, Outlier Sample Detection 5,000). Its Identifier Label Correlation "
                     "check needs an index or datetime column and reports an error on this "
                     "table.")
    if any(not r["peak_reset"] for runs in sides.values() for r in runs):
        notes.append("The kernel did not allow resetting the peak RSS after loading, so "
                     "peak RSS includes the load.")
    return notes


def main(argv: Sequence[str] | None = None, *, runner: Runner = subprocess_runner) -> int:
    args = parse_args(argv)
    return measure_and_publish(args, name="audit",
                               measure=lambda: run_benchmark(args, runner=runner, argv=argv),
                               render=render, replace_section=replace_section)

if __name__ == "__main__":
    sys.exit(main())
