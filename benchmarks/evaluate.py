"""Time stalwart's model-evaluation suite against Deepchecks' and Giskard's on the same model.

    python benchmarks/evaluate.py                   # stalwart, Deepchecks, Giskard, null model
    python benchmarks/evaluate.py --skip-peers      # stalwart and the null model only

What it does, in one run:

1. creates Deepchecks' and Giskard's own virtual environments in the cache folder, once
   (``benchmarks/_venvs.py``; Giskard's classic scan is ``giskard>=2,<3``);
2. runs each side in a fresh process (``benchmarks/_workers/evaluate_worker.py``) on
   scikit-learn's bundled breast cancer table with ``GradientBoostingClassifier
   (random_state=0)``: stalwart ``--repeats`` times, each peer ``--peer-repeats`` times,
   interleaved, all with one BLAS/OpenMP thread;
3. runs stalwart's ``weak_segments`` check on a null model (shuffled labels, a stratified
   dummy classifier) over ``--seeds`` seeds and counts the slices it reports;
4. writes suite time, peak memory and reported issues to the evaluate section of
   ``docs/benchmarks.md`` (between ``<!-- evaluate:start -->`` and ``<!-- evaluate:end -->``)
   and the raw measurements to ``<cache>/results/``.

Targets (from the issue): at least 5x faster than either peer; no spurious slices on the
null model.
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

from _evaluate_report import render, replace_section  # noqa: E402
from _machine import machine_info  # noqa: E402
from _publish import (add_output_args, load_module, measure_and_publish, run_worker,
                      say as _say)  # noqa: E402
from _venvs import PEERS, default_cache_dir, ensure_peer  # noqa: E402

# Giskard 2.x (the classic tabular scan; giskard 3 is a different product) beside the
# peers _venvs.py already knows; pandas 3 is not supported by giskard 2, pkg_resources
# went away in setuptools 81
PEERS.setdefault("giskard", (("giskard==2.19.2", "pandas<3", "setuptools<81"),
                             "import giskard"))
EVAL_PEERS = ("deepchecks", "giskard")
WORKER = HERE / "_workers" / "evaluate_worker.py"
Runner = Callable[..., dict[str, Any]]

__all__ = ["EVAL_PEERS", "WORKER", "load_worker", "main", "parse_args", "run_benchmark",
           "subprocess_runner"]


def load_worker() -> ModuleType:
    """The worker module (it runs as a script in each side's environment)."""
    return load_module(WORKER, "evaluate_worker")


def subprocess_runner(side: str, *, python: str, seeds: int, log: Path,
                      timeout: float) -> dict[str, Any]:
    """Run the worker for ``side`` in a fresh process and return its JSON."""
    prefix = load_worker().RESULT_PREFIX
    cmd = [python, str(WORKER), "--side", side, "--seeds", str(seeds)]
    return run_worker(cmd, side=side, prefix=prefix, log=log, timeout=timeout)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5, help="runs of stalwart")
    p.add_argument("--peer-repeats", type=int, default=3, help="runs of each peer")
    p.add_argument("--seeds", type=int, default=20, help="null-model seeds")
    p.add_argument("--skip-peers", action="store_true", help="run stalwart and the null only")
    p.add_argument("--timeout", type=float, default=3600, help="seconds one worker may run")
    add_output_args(p, section="evaluate", keeps="venvs")
    args = p.parse_args(argv)
    if args.repeats < 1 or args.peer_repeats < 1 or args.seeds < 1:
        p.error("--repeats, --peer-repeats and --seeds must be at least 1")
    return args



def run_benchmark(args: argparse.Namespace, *, runner: Runner = subprocess_runner,
                  argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run every side and return the raw measurements (what :func:`render` draws)."""
    cache = Path(args.cache_dir or default_cache_dir()).expanduser()
    pythons = {"stalwart": sys.executable}
    skipped: dict[str, str] = {}
    if args.skip_peers:
        skipped.update({name: "--skip-peers" for name in EVAL_PEERS})
    else:
        for name in EVAL_PEERS:
            try:
                pythons[name] = str(ensure_peer(name, cache))
            except (OSError, RuntimeError) as exc:  # no registry, or the pins broke
                skipped[name] = f"its environment could not be built: {exc}"
                _say(skipped[name])
    sides: dict[str, list[dict[str, Any]]] = {name: [] for name in (*pythons, "null")}
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    rounds = max(args.repeats, 0 if args.skip_peers else args.peer_repeats)
    for i in range(rounds):
        for side, python in pythons.items():
            wanted = args.peer_repeats if side in EVAL_PEERS else args.repeats
            if i >= wanted or side in skipped:
                continue
            log = cache / "logs" / f"evaluate-{stamp}-{side}-{i + 1}.log"
            try:
                result = runner(side, python=python, seeds=args.seeds, log=log,
                                timeout=args.timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                if side not in EVAL_PEERS:
                    raise
                # a peer that crashes or runs out of time is reported, not fatal
                skipped[side] = f"run {i + 1} failed: {str(exc).splitlines()[0]} (log: {log})"
                sides[side].clear()
                _say(skipped[side])
                continue
            sides[side].append(result)
            _say(f"{side} run {i + 1}/{wanted}: suite {result['suite_s']:.2f} s, "
                 f"peak RSS {result['peak_rss_suite_bytes'] / 2 ** 20:,.0f} MiB, "
                 f"{result['findings']} issues")
    log = cache / "logs" / f"evaluate-{stamp}-null.log"
    result = runner("null", python=sys.executable, seeds=args.seeds, log=log,
                    timeout=args.timeout)
    sides["null"].append(result)
    _say(f"null model: {result['detail']['seeds_with_slices']} of {args.seeds} seeds "
         f"reported a slice")
    command = "python benchmarks/evaluate.py" + "".join(
        " " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    return {"config": {"repeats": args.repeats, "peer_repeats": args.peer_repeats,
                       "seeds": args.seeds, "command": command,
                       "date": dt.date.today().isoformat()},
            "machine": machine_info(), "sides": sides, "skipped": skipped,
            "notes": _notes(sides)}


def _notes(sides: dict[str, list[dict[str, Any]]]) -> list[str]:
    notes = []
    if sides.get("deepchecks") or sides.get("giskard"):
        notes.append("Each peer runs with its defaults, as a user gets them. Issues are "
                     "counted as each tool reports them: stalwart's checks that warn or "
                     "fail, Deepchecks' checks that do not pass (warnings included), "
                     "Giskard's scan issues. The tools do different work: Deepchecks runs "
                     "most of its checks on both the train and the test set; Giskard's "
                     "scan probes the test set only; stalwart's suite tests the test set "
                     "against a baseline fitted on the train set.")
    stalwart = sides.get("stalwart") or []
    if stalwart:
        by_name = {c["check"]: c for c in stalwart[-1]["checks"]}
        if by_name.get("slice_performance", {}).get("status") == "skip":
            notes.append("stalwart's `slice_performance` is skipped: the table has no "
                         "sensitive column to slice by.")
        weak = by_name.get("weak_segments", {}).get("summary", "")
        if "among 2 candidates" in weak or "among 0 candidates" in weak:
            notes.append("On the 143 test rows stalwart's `weak_segments` judges almost no "
                         "slices: a quantile bin (a fifth of the rows, about 29) is below "
                         "its `min_size` of 30 rows, so few candidate slices reach that size "
                         "(see its summary). The null-model runs use all 569 rows for "
                         "that reason.")
    if any(not r["peak_reset"] for runs in sides.values() for r in runs):
        notes.append("The kernel did not allow resetting the peak RSS, so peak RSS includes "
                     "the imports and the model fit.")
    return notes


def main(argv: Sequence[str] | None = None, *, runner: Runner = subprocess_runner) -> int:
    args = parse_args(argv)
    return measure_and_publish(args, name="evaluate",
                               measure=lambda: run_benchmark(args, runner=runner, argv=argv),
                               render=render, replace_section=replace_section,
                               reload=lambda run: run.update(notes=_notes(run["sides"])))

if __name__ == "__main__":
    sys.exit(main())
