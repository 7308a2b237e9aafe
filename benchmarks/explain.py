"""Time stalwart's counterfactuals against dice-ml, and its SHAP and permutation importance
against calling shap and scikit-learn directly, on the same models and query rows.

    python benchmarks/explain.py                  # stalwart, direct shap/sklearn, dice-ml
    python benchmarks/explain.py --skip-peers     # no dice-ml

What it does, in one run:

1. creates dice-ml's own virtual environment in the cache folder, once
   (``benchmarks/_venvs.py``; dice-ml 0.12 with the scikit-learn stalwart uses, so both
   sides fit identical models);
2. runs each side in a fresh process (``benchmarks/_workers/explain_worker.py``) with one
   BLAS/OpenMP thread: stalwart and the direct calls ``--repeats`` times, dice-ml
   (methods ``random`` and ``genetic``) ``--peer-repeats`` times;
3. judges every side's counterfactual rows with one metric (``_explain_report.judge``);
4. writes the explain section of ``docs/benchmarks.md`` (between ``<!-- explain:start -->``
   and ``<!-- explain:end -->``) and the raw measurements to ``<cache>/results/``.

Target (from the issue): counterfactuals at least 5x faster than dice-ml at equal or
smaller change size, judged per model and dice-ml method (``_explain_report.verdicts``):
the speed-up of the median times, and both the mean changed features and the mean scaled
L1 distance at most dice-ml's. 30 query rows per model by default (10 in the first run):
the change-size means rest on 90 rows per side instead of 30; stalwart searches the rows
as one batch, so its fixed cost per call is shared by more rows, while dice-ml's cost grows
per row; run ``--queries 10`` to see the smaller batch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _explain_report import judge, render, replace_section  # noqa: E402
from _machine import machine_info  # noqa: E402
from _publish import (add_output_args, load_module, measure_and_publish, run_worker,
                      say as _say)  # noqa: E402
from _venvs import PEERS, default_cache_dir, ensure_peer  # noqa: E402

PEERS.setdefault("dice-ml", (("dice-ml==0.12", "scikit-learn==1.9.1", "pandas<3"),
                             "import dice_ml, sklearn"))
WORKER = HERE / "_workers" / "explain_worker.py"

__all__ = ["main", "parse_args", "run_benchmark"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--queries", type=int, default=30,
                   help="query rows per model (the same rows for every side)")
    p.add_argument("--n", type=int, default=3, help="counterfactuals per query row")
    p.add_argument("--repeats", type=int, default=3, help="runs of stalwart and direct")
    p.add_argument("--peer-repeats", type=int, default=2, help="runs of dice-ml (median)")
    p.add_argument("--skip-peers", action="store_true", help="do not run dice-ml")
    p.add_argument("--timeout", type=float, default=3600, help="seconds one worker may run")
    add_output_args(p, section="explain", keeps="venvs")
    args = p.parse_args(argv)
    if min(args.queries, args.n, args.repeats, args.peer_repeats) < 1:
        p.error("--queries, --n, --repeats and --peer-repeats must be at least 1")
    return args



def _load() -> str:
    return "{:.2f}".format(os.getloadavg()[0])


def run_benchmark(args: argparse.Namespace, argv: Sequence[str] | None = None) -> dict[str, Any]:
    cache = Path(args.cache_dir or default_cache_dir()).expanduser()
    worker = load_module(WORKER, "explain_worker")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    load_before = _load()
    sides = {"stalwart": (sys.executable, args.repeats), "direct": (sys.executable, args.repeats)}
    notes: list[str] = []
    if args.skip_peers:
        notes.append("dice-ml was not run (--skip-peers).")
    else:
        try:
            sides["dice"] = (str(ensure_peer("dice-ml", cache)), args.peer_repeats)
        except (OSError, RuntimeError) as exc:
            notes.append(f"dice-ml was not run: its environment could not be built ({exc}).")
    counterfactuals: dict[str, dict[str, Any]] = {}
    attributions: dict[str, dict[str, Any]] = {}
    versions: dict[str, dict[str, str]] = {}
    for side, (python, repeats) in sides.items():
        for i in range(repeats):
            cmd = [python, str(WORKER), "--side", side, "--queries", str(args.queries),
                   "--n", str(args.n)]
            log = cache / "logs" / f"explain-{stamp}-{side}-{i + 1}.log"
            out = run_worker(cmd, side=side, prefix=worker.RESULT_PREFIX, log=log,
                             timeout=args.timeout)
            versions[side] = out["versions"]
            for name, per_model in out.get("counterfactuals", {}).items():
                for model, r in per_model.items():
                    slot = counterfactuals.setdefault(name, {}).setdefault(
                        model, {"seconds": [], "rows": r["counterfactuals"]})
                    slot["seconds"].append(r["seconds"])
            for name, per_model in out.get("attributions", {}).items():
                for model, r in per_model.items():
                    slot = attributions.setdefault(name, {}).setdefault(
                        model, {"shap_seconds": [], "permutation_seconds": [],
                                "shap_algorithm": r["shap_algorithm"]})
                    slot["shap_seconds"].append(r["shap_seconds"])
                    slot["permutation_seconds"].append(r["permutation_seconds"])
            _say(f"{side} run {i + 1}/{repeats} done")
    cases = worker.build()
    for name, per_model in counterfactuals.items():
        for model, slot in per_model.items():
            slot["judged"] = judge(cases, slot.pop("rows"), model, args.n)
    command = "python benchmarks/explain.py" + "".join(
        " " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    return {"config": {"queries": args.queries, "n": args.n, "repeats": args.repeats,
                       "peer_repeats": args.peer_repeats, "command": command,
                       "date": dt.date.today().isoformat(), "load_before": load_before,
                       "load_after": _load()},
            "machine": machine_info(), "versions": versions,
            "counterfactuals": counterfactuals, "attributions": attributions, "notes": notes}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return measure_and_publish(args, name="explain",
                               measure=lambda: run_benchmark(args, argv=argv),
                               render=render, replace_section=replace_section)


if __name__ == "__main__":
    sys.exit(main())
