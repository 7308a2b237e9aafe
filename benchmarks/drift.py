"""Time stalwart's univariate drift against Evidently, NannyML, whylogs and plain scipy.

    python benchmarks/drift.py                         # 100k and 1M rows, 10M-row profile
    python benchmarks/drift.py --sizes 20000 --stream-rows 20000,40000 --skip-peers

What it does, in one run:

1. writes a seeded reference and current set of each size (25 columns, drift planted in
   exactly 5) to Parquet in the cache folder, once (``benchmarks/_drift_data.py``);
2. creates Evidently's, NannyML's and whylogs' own virtual environments in the cache
   folder, once (``benchmarks/_venvs.py``): they cannot share stalwart's environment;
3. runs each side in a fresh process on the same files (``benchmarks/_workers/
   drift_worker.py``), all with one BLAS/OpenMP thread, with DEFAULT settings: scipy
   (KS / chi-squared + Benjamini-Hochberg), stalwart ``detect_drift`` on the tables, stalwart
   on profiles of the tables, Evidently ``DataDriftPreset``, NannyML
   ``UnivariateDriftCalculator``, whylogs ``calculate_drift_scores``;
4. profiles ``--stream-rows`` rows generated chunk by chunk (never held whole) to show the
   profile's peak memory does not grow with the rows;
5. writes medians, ratios, peak memory and the columns each side flagged to the drift
   section of ``docs/benchmarks.md`` (between ``<!-- drift:start -->`` and
   ``<!-- drift:end -->``), and the raw measurements to ``<cache>/results/``.

Targets (from the issue): exactly the 5 planted columns flagged at both sizes; at 1M rows
within 2x of the scipy baseline and at least 20x faster than Evidently; extra memory no more
than the data's own size; a 10M-row profile in constant memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _drift_data import CATEGORICAL, NUMERIC, PLANTED, ensure_data  # noqa: E402
from _drift_report import render, replace_section  # noqa: E402
from _machine import machine_info  # noqa: E402
from _publish import (add_output_args, load_module, measure_and_publish, run_worker,
                      say as _say)  # noqa: E402
from _venvs import PEERS, default_cache_dir, ensure_peer  # noqa: E402

# the drift peers, beside those _venvs.py already knows (registered here, as evaluate.py
# does, so the audit benchmark does not build them). Evidently sets no upper bound on pandas
# and fails to import under pandas 3; nannyml 0.13.1 imports statsmodels (its plots) without
# declaring it; whylogs.viz (calculate_drift_scores) needs ipython and scipy.
PEERS.setdefault("evidently", (("evidently==0.7.23", "pandas<3", "pyarrow"),
                               "import evidently, pyarrow; "
                               "from evidently.presets import DataDriftPreset"))
PEERS.setdefault("nannyml", (("nannyml==0.13.1", "statsmodels", "pyarrow"),
                             "import nannyml, pyarrow; nannyml.UnivariateDriftCalculator"))
PEERS.setdefault("whylogs", (("whylogs==1.6.4", "ipython", "scipy", "pandas<3", "pyarrow"),
                             "import whylogs, pyarrow; from whylogs.viz.drift."
                             "column_drift_algorithms import calculate_drift_scores"))

WORKER = HERE / "_workers" / "drift_worker.py"
#: sides run with stalwart's own Python, and the peers (each in its own venv)
OWN_SIDES = ("scipy", "stalwart", "stalwart_profile")
PEER_SIDES = ("evidently", "nannyml", "nannyml_chunked", "whylogs")
#: side -> the venv it runs in, where that is not the side's own name
VENV = {"nannyml_chunked": "nannyml"}
Runner = Callable[..., dict[str, Any]]

__all__ = ["OWN_SIDES", "PEER_SIDES", "WORKER", "load_worker", "main", "parse_args",
           "run_benchmark", "subprocess_runner"]


def load_worker() -> ModuleType:
    """The worker module (it runs as a script in each side's environment)."""
    if str(WORKER.parent) not in sys.path:
        sys.path.insert(0, str(WORKER.parent))  # it imports the audit worker's helpers
    return load_module(WORKER, "drift_worker")


def subprocess_runner(side: str, *, python: str, reference: Path | None, current: Path | None,
                      rows: int, seed: int, log: Path, timeout: float) -> dict[str, Any]:
    """Run the worker for ``side`` in a fresh process and return its JSON."""
    prefix = load_worker().RESULT_PREFIX
    cmd = [python, str(WORKER), "--side", side, "--seed", str(seed)]
    if side == "stream":
        cmd += ["--rows", str(rows)]
    else:
        cmd += ["--reference", str(reference), "--current", str(current)]
    return run_worker(cmd, side=side, prefix=prefix, log=log, timeout=timeout)


def _ints(text: str) -> list[int]:
    return [int(float(t)) for t in text.split(",") if t.strip()]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=_ints, default=[100_000, 1_000_000],
                   help="comma-separated rows of each set (reference and current)")
    p.add_argument("--stream-rows", type=_ints, default=[1_000_000, 10_000_000],
                   help="rows of the chunk-by-chunk profiles (empty: none)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=3, help="runs of scipy and stalwart")
    p.add_argument("--peer-repeats", type=int, default=2, help="runs of each peer")
    p.add_argument("--peer-repeat-limit", type=float, default=300.0,
                   help="seconds: a peer whose first run at a size took longer runs once")
    p.add_argument("--skip-peers", action="store_true", help="run scipy and stalwart only")
    p.add_argument("--sides", default=None,
                   help=f"comma-separated subset of {', '.join(OWN_SIDES + PEER_SIDES)}")
    p.add_argument("--timeout", type=float, default=1800.0,
                   help="seconds one worker may run (a peer past it is reported, not fatal)")
    add_output_args(p, section="drift", keeps="venvs, data")
    args = p.parse_args(argv)
    if args.repeats < 1 or args.peer_repeats < 1:
        p.error("--repeats and --peer-repeats must be at least 1")
    known = OWN_SIDES + PEER_SIDES
    args.sides = list(known) if args.sides is None else [s for s in args.sides.split(",") if s]
    if unknown := sorted(set(args.sides) - set(known)):
        p.error(f"unknown sides: {', '.join(unknown)}")
    if args.skip_peers:
        args.sides = [s for s in args.sides if s not in PEER_SIDES]
    return args



def _pythons(args: argparse.Namespace, cache: Path) -> tuple[dict[str, str], dict[str, str]]:
    pythons, skipped = {}, {}
    for side in OWN_SIDES + PEER_SIDES:
        if side not in args.sides:
            skipped[side] = "--skip-peers" if args.skip_peers and side in PEER_SIDES else \
                "not in --sides"
        elif side in OWN_SIDES:
            pythons[side] = sys.executable
        else:
            try:
                pythons[side] = str(ensure_peer(VENV.get(side, side), cache))
            except (OSError, RuntimeError) as exc:  # no registry, or the pins broke
                skipped[side] = f"its environment could not be built: {exc}"
                _say(skipped[side])
    return pythons, skipped


def _describe(result: dict[str, Any]) -> str:
    flagged = result.get("flagged")
    tail = "" if flagged is None else f", flagged {len(flagged)}: {','.join(flagged)}"
    return (f"{result['run_s']:.2f} s (CPU {result['cpu_s']:.2f} s), "
            f"peak RSS {result['peak_rss_run_bytes'] / 2 ** 20:,.0f} MiB{tail}")


def run_benchmark(args: argparse.Namespace, *, runner: Runner = subprocess_runner,
                  argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run every side at every size and the streamed profiles; the raw measurements."""
    cache = Path(args.cache_dir or default_cache_dir()).expanduser()
    pythons, skipped = _pythons(args, cache)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    sizes: dict[str, Any] = {}
    for rows in args.sizes:
        _say(f"data: {rows:,} rows x {len(NUMERIC) + len(CATEGORICAL)} columns, "
             f"reference and current (seed {args.seed})")
        paths = ensure_data(cache, rows, seed=args.seed)
        sides: dict[str, list[dict[str, Any]]] = {s: [] for s in pythons}
        failed: dict[str, str] = {}
        slow: set[str] = set()
        for i in range(max(args.repeats, args.peer_repeats)):
            for side, python in pythons.items():
                wanted = args.peer_repeats if side in PEER_SIDES else args.repeats
                if i >= wanted or side in failed or (i > 0 and side in slow):
                    continue
                log = cache / "logs" / f"drift-{stamp}-{rows}-{side}-{i + 1}.log"
                t0 = time.perf_counter()
                try:
                    result = runner(side, python=python, reference=paths["reference"],
                                    current=paths["current"], rows=rows, seed=args.seed,
                                    log=log, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    failed[side] = f"timed out after {args.timeout:,.0f} s (log: {log})"
                except RuntimeError as exc:
                    if side == "scipy":
                        raise
                    # a side that crashes is reported, not fatal
                    failed[side] = f"failed: {str(exc).splitlines()[-1][:300]} (log: {log})"
                else:
                    sides[side].append(result)
                    if time.perf_counter() - t0 > args.peer_repeat_limit and \
                            side in PEER_SIDES:
                        slow.add(side)
                    _say(f"{rows:,} rows, {side} run {i + 1}/{wanted}: {_describe(result)}")
                    continue
                sides[side].clear()
                _say(f"{rows:,} rows, {side}: {failed[side]}")
        sizes[str(rows)] = {
            "rows": rows, "file_bytes": sum(p.stat().st_size for p in paths.values()),
            "paths": {k: str(v) for k, v in paths.items()}, "sides": sides,
            "failed": failed, "ran_once": sorted(slow)}
    stream = []
    for rows in args.stream_rows:
        log = cache / "logs" / f"drift-{stamp}-stream-{rows}.log"
        try:
            result = runner("stream", python=sys.executable, reference=None, current=None,
                            rows=rows, seed=args.seed, log=log, timeout=args.timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            stream.append({"rows": rows, "error": str(exc).splitlines()[-1][:300]})
            _say(f"stream profile of {rows:,} rows failed: {stream[-1]['error']}")
            continue
        stream.append(result)
        _say(f"stream profile of {rows:,} rows: {_describe(result)}")
    command = "python benchmarks/drift.py" + "".join(
        " " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    return {
        "config": {"sizes": args.sizes, "stream_rows": args.stream_rows, "seed": args.seed,
                   "repeats": args.repeats, "peer_repeats": args.peer_repeats,
                   "peer_repeat_limit": args.peer_repeat_limit, "timeout": args.timeout,
                   "command": command, "date": dt.date.today().isoformat()},
        "machine": machine_info(),
        "columns": {"numeric": list(NUMERIC), "categorical": list(CATEGORICAL)},
        "planted": dict(PLANTED),
        "sizes": sizes,
        "stream": stream,
        "skipped": skipped,
    }


def main(argv: Sequence[str] | None = None, *, runner: Runner = subprocess_runner) -> int:
    args = parse_args(argv)
    return measure_and_publish(args, name="drift",
                               measure=lambda: run_benchmark(args, runner=runner, argv=argv),
                               render=render, replace_section=replace_section)

if __name__ == "__main__":
    sys.exit(main())
