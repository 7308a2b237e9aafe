"""Run stalwart's black-box attacks beside ART's and Giskard's robustness detectors.

    python benchmarks/stress.py                   # stalwart, ART, Giskard
    python benchmarks/stress.py --skip-peers      # stalwart only

What it does, in one run:

1. creates ART's (adversarial-robustness-toolbox 1.20.1) and Giskard's (2.19.2) own virtual
   environments in the cache folder, once (``benchmarks/_venvs.py``);
2. runs each side in a fresh process (``benchmarks/_workers/stress_worker.py``) on
   scikit-learn's breast cancer table with ``GradientBoostingClassifier(random_state=0)``
   and the same attacked rows: stalwart's decision and score attacks, its tree lower bound
   and its tabular stress battery (``--repeats`` times); ART's HopSkipJump and Boundary
   attacks and Giskard's ``scan(only="robustness")`` (``--peer-repeats`` times);
3. writes success, rows scored per attacked row, median L2 and time to the stress section of
   ``docs/benchmarks.md`` (between ``<!-- stress:start -->`` and ``<!-- stress:end -->``)
   and the raw measurements to ``<cache>/results/``.

Targets (issue 8): at least 99% success on the undefended gradient-boosting model while
scoring at most 2,000 rows per attacked row; at least ART HopSkipJump's success with fewer
rows scored; the full tabular stress battery in under 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from _machine import machine_info  # noqa: E402
from _publish import (add_output_args, load_module, measure_and_publish, run_worker,
                      say as _say)  # noqa: E402
from _stress_report import render, replace_section  # noqa: E402
from _venvs import PEERS, default_cache_dir, ensure_peer  # noqa: E402

# ART's evasion attacks import `packaging` without declaring it; the worker reads the data
# with pandas; scikit-learn pinned to stalwart's so every side fits the very same model
PEERS.setdefault("art", (("adversarial-robustness-toolbox==1.20.1", "scikit-learn==1.9.1",
                          "numpy<2.3", "packaging", "pandas<3"),
                         "import art.attacks.evasion, pandas"))
PEERS.setdefault("giskard", (("giskard==2.19.2", "pandas<3", "setuptools<81"),
                             "import giskard"))
STRESS_PEERS = ("art", "giskard")
WORKER = HERE / "_workers" / "stress_worker.py"
Runner = Callable[..., dict[str, Any]]

__all__ = ["STRESS_PEERS", "WORKER", "load_worker", "main", "parse_args", "run_benchmark",
           "subprocess_runner"]


def load_worker() -> ModuleType:
    """The worker module (it runs as a script in each side's environment)."""
    sys.path.insert(0, str(WORKER.parent))
    return load_module(WORKER, "stress_worker")


def subprocess_runner(side: str, *, python: str, rows: int, budget: int, boundary_iter: int,
                      log: Path, timeout: float) -> dict[str, Any]:
    """Run the worker for ``side`` in a fresh process and return its JSON."""
    prefix = load_worker().RESULT_PREFIX
    cmd = [python, str(WORKER), "--side", side, "--rows", str(rows), "--budget", str(budget),
           "--boundary-iter", str(boundary_iter)]
    return run_worker(cmd, side=side, prefix=prefix, log=log, timeout=timeout)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=50, help="attacked rows")
    p.add_argument("--budget", type=int, default=2000,
                   help="stalwart's rows scored per attacked row")
    p.add_argument("--boundary-iter", type=int, default=500,
                   help="ART Boundary's max_iter (its default, 5000, takes hours)")
    p.add_argument("--repeats", type=int, default=3, help="runs of stalwart")
    p.add_argument("--peer-repeats", type=int, default=1, help="runs of each peer")
    p.add_argument("--skip-peers", action="store_true", help="run stalwart only")
    p.add_argument("--timeout", type=float, default=3600, help="seconds one worker may run")
    add_output_args(p, section="stress", keeps="venvs")
    args = p.parse_args(argv)
    if min(args.rows, args.repeats, args.peer_repeats) < 1 or args.budget < 20:
        p.error("--rows, --repeats and --peer-repeats must be at least 1, --budget 20")
    return args



def run_benchmark(args: argparse.Namespace, *, runner: Runner = subprocess_runner,
                  argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run every side and return the raw measurements (what :func:`render` draws)."""
    cache = Path(args.cache_dir or default_cache_dir()).expanduser()
    load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    pythons = {"stalwart": sys.executable}
    skipped: dict[str, str] = {}
    if args.skip_peers:
        skipped.update({name: "--skip-peers" for name in STRESS_PEERS})
    else:
        for name in STRESS_PEERS:
            try:
                pythons[name] = str(ensure_peer(name, cache))
            except (OSError, RuntimeError) as exc:  # no registry, or the pins broke
                skipped[name] = f"its environment could not be built: {exc}"
                _say(skipped[name])
    sides: dict[str, list[dict[str, Any]]] = {name: [] for name in pythons}
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for i in range(max(args.repeats, 0 if args.skip_peers else args.peer_repeats)):
        for side, python in pythons.items():
            wanted = args.repeats if side == "stalwart" else args.peer_repeats
            if i >= wanted or side in skipped:
                continue
            log = cache / "logs" / f"stress-{stamp}-{side}-{i + 1}.log"
            try:
                result = runner(side, python=python, rows=args.rows, budget=args.budget,
                                boundary_iter=args.boundary_iter, log=log,
                                timeout=args.timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                if side == "stalwart":
                    raise
                skipped[side] = f"run {i + 1} failed: {str(exc).splitlines()[0]} (log: {log})"
                sides[side].clear()
                _say(skipped[side])
                continue
            sides[side].append(result)
            _say(f"{side} run {i + 1}/{wanted} done")
    command = "python benchmarks/stress.py" + "".join(
        " " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    return {"config": {"rows": args.rows, "budget": args.budget,
                       "boundary_iter": args.boundary_iter, "repeats": args.repeats,
                       "peer_repeats": args.peer_repeats, "command": command,
                       "date": dt.date.today().isoformat()},
            "machine": machine_info(), "load_average": load, "sides": sides,
            "skipped": skipped,
            "fingerprints": {side: runs[0]["model_fingerprint"]
                             for side, runs in sides.items() if runs}}


def main(argv: Sequence[str] | None = None, *, runner: Runner = subprocess_runner) -> int:
    args = parse_args(argv)
    return measure_and_publish(args, name="stress",
                               measure=lambda: run_benchmark(args, runner=runner, argv=argv),
                               render=render, replace_section=replace_section)


if __name__ == "__main__":
    sys.exit(main())
