"""Run one side of the audit benchmark on a Parquet file and print one JSON line.

It runs in whichever environment holds the side's library (stalwart's own, or a peer's
virtual environment), so it imports nothing but the standard library and pandas at the top.

    python audit_worker.py --side stalwart --data table.parquet --target target
    python audit_worker.py --side deepchecks --data table.parquet --target target \
        --cat-features cat_00,cat_01

Sides: ``baseline`` (plain pandas: ``isna().mean()`` and ``duplicated().sum()``),
``stalwart`` (``stalwart.audit``, every check) and ``deepchecks`` (the ``data_integrity``
suite on a ``deepchecks.tabular.Dataset``).

Timing: the side's package and its suite modules are imported first (``import_s``), then
the Parquet file is read (``load_s``); ``suite_s`` times only building the side's dataset
object and running its suite. Imports a check makes lazily inside its own code (for
example scikit-learn's estimators) stay in ``suite_s``, as a first call pays them.

Memory: the kernel's resident-set high-water mark is reset (``/proc/self/clear_refs``)
after the file is loaded, so ``peak_rss_suite`` is the peak while the suite runs, not
while Parquet was decoded. Where the reset is not allowed the process peak is reported
and ``peak_reset`` is false.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import sys
import time
import warnings
from importlib import metadata
from typing import Any

RESULT_PREFIX = "@@audit-benchmark@@ "
_VERSIONS = ("pandas", "numpy", "pyarrow", "scikit-learn", "scipy", "stalwart", "deepchecks")


def _rss_bytes() -> int:
    """Current resident set size (Linux); 0 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")  # 5: reset the peak RSS to the current RSS (Linux >= 4.0)
        return True
    except OSError:
        return False


def _release_free_memory() -> None:
    """Hand memory freed while loading back to the system before the baseline RSS is read.

    Decoding Parquet frees large temporary buffers that pyarrow's pool and glibc's heap
    keep for reuse; left there, they would count in "RSS before the suite" and hide what
    the suite itself allocates.
    """
    gc.collect()
    try:
        import pyarrow
        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _versions() -> dict[str, str]:
    out = {}
    for name in _VERSIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _blas() -> list[dict[str, Any]]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
    return [{k: info.get(k) for k in keys} for info in threadpool_info()]


def prepare_baseline(checks: list[str] | None) -> dict[str, Any]:
    return {}


def run_baseline(frame: Any, state: dict[str, Any], *, target: str,
                 cat_features: list[str]) -> dict[str, Any]:
    missing = frame.isna().mean()
    dups = int(frame.duplicated().sum())
    return {"findings": int((missing > 0).sum()) + int(dups > 0), "errors": 0,
            "checks": [], "detail": {"duplicated_rows": dups,
                                     "columns_with_missing": int((missing > 0).sum())}}


def prepare_stalwart(checks: list[str] | None) -> dict[str, Any]:
    import importlib

    import stalwart
    from stalwart.checks.audit import AUDIT_CHECKS

    wanted = list(AUDIT_CHECKS) if checks is None else list(checks)
    missing = []
    for name in list(wanted):
        try:
            importlib.import_module(f"stalwart.checks.audit.{AUDIT_CHECKS[name]}")
        except Exception:  # noqa: BLE001 - a module not written yet, or half-written
            missing.append(name)
            wanted.remove(name)
    return {"stalwart": stalwart, "wanted": wanted, "missing": missing}


def run_stalwart(frame: Any, state: dict[str, Any], *, target: str,
                 cat_features: list[str]) -> dict[str, Any]:
    wanted, missing = state["wanted"], state["missing"]
    if missing:
        # audit() imports every module of the suite first; while some are not written yet,
        # run the same Suite over the checks that exist (the result says which are missing)
        from stalwart.checks import CHECKS, Suite
        suite = Suite("data_audit", [CHECKS.get(name)() for name in wanted])
        result = suite.run(frame, target=target)
    else:
        result = state["stalwart"].audit(frame, target=target, checks=wanted)
    rows = [{"check": r.check, "status": r.status.value, "duration_s": r.duration_s,
             "summary": r.summary[:160]} for r in result.results]
    return {"findings": sum(r["status"] in ("fail", "warn") for r in rows),
            "errors": sum(r["status"] == "error" for r in rows),
            "checks": rows, "missing_checks": missing,
            "detail": {"suite_duration_s": result.duration_s, "status": result.status.value,
                       "counts": result.counts()}}


def prepare_deepchecks(checks: list[str] | None) -> dict[str, Any]:
    from deepchecks.tabular import Dataset
    from deepchecks.tabular.suites import data_integrity

    return {"Dataset": Dataset, "data_integrity": data_integrity}


def run_deepchecks(frame: Any, state: dict[str, Any], *, target: str,
                   cat_features: list[str]) -> dict[str, Any]:
    suite = state["data_integrity"]()
    durations: dict[int, float] = {}
    for check in suite.checks.values():
        check.run_logic = _timed(check.run_logic, durations, id(check))
    dataset = state["Dataset"](frame, label=target, cat_features=cat_features)
    return deepchecks_outcome(suite.run(dataset), durations)


def deepchecks_outcome(result: Any, durations: dict[int, float]) -> dict[str, Any]:
    """Status, time and summary of each check of a Deepchecks suite result, and the counts."""
    failed = {id(r) for r in result.get_not_passed_checks(fail_if_warning=False)}
    not_passed = {id(r) for r in result.get_not_passed_checks(fail_if_warning=True)}
    errors = {id(r) for r in result.get_not_ran_checks()}
    rows = []
    for r in result.results:
        if id(r) in errors:
            status, summary = "error", f"{type(r.exception).__name__}: {r.exception}"[:160]
        elif id(r) in failed:
            status, summary = "fail", ""
        elif id(r) in not_passed:
            status, summary = "warn", ""
        else:
            status, summary = ("pass" if r.have_conditions() else "info"), ""
        rows.append({"check": r.get_header(), "status": status,
                     "duration_s": durations.get(id(getattr(r, "check", None))),
                     "summary": summary})
    return {"findings": len(not_passed), "errors": len(errors), "checks": rows,
            "detail": {}}


def _timed(method: Any, durations: dict[int, float], key: int) -> Any:
    # Deepchecks records each check's run time in whole seconds only; time it ourselves
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            durations[key] = durations.get(key, 0.0) + time.perf_counter() - t0
    return wrapper


#: side -> (import the library, run the suite); only the second is the suite's time
SIDES = {"baseline": (prepare_baseline, run_baseline),
         "stalwart": (prepare_stalwart, run_stalwart),
         "deepchecks": (prepare_deepchecks, run_deepchecks)}


def measure(side: str, path: str, *, target: str, cat_features: list[str] | None = None,
            checks: list[str] | None = None) -> dict[str, Any]:
    """Load ``path``, run ``side`` on it and return times, memory and findings."""
    import pandas as pd

    prepare, run = SIDES[side]
    rss_start = _rss_bytes()
    t0 = time.perf_counter()
    state = prepare(checks)
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = pd.read_parquet(path)
    load_s = time.perf_counter() - t0
    data_bytes = int(frame.memory_usage(deep=True).sum())
    _release_free_memory()
    peak_load = _peak_bytes()
    rss_before = _rss_bytes()
    reset = _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    out = run(frame, state, target=target, cat_features=list(cat_features or []))
    suite_s, suite_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    peak_suite = _peak_bytes()
    return {
        "side": side, "suite_s": suite_s, "suite_cpu_s": suite_cpu_s, "load_s": load_s,
        "import_s": import_s,
        "rows": int(frame.shape[0]), "columns": int(frame.shape[1]),
        "data_bytes": data_bytes, "rss_start_bytes": rss_start,
        "rss_before_suite_bytes": rss_before, "peak_rss_load_bytes": peak_load,
        "peak_rss_suite_bytes": peak_suite, "peak_reset": reset,
        "python": platform.python_version(), "versions": _versions(), "blas": _blas(),
        "threads_env": {k: os.environ.get(k) for k in
                        ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        **out,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=sorted(SIDES), required=True)
    parser.add_argument("--data", required=True, help="Parquet file")
    parser.add_argument("--target", required=True)
    parser.add_argument("--cat-features", default="", help="comma-separated string columns")
    parser.add_argument("--checks", default=None,
                        help="comma-separated stalwart audit checks (default: all)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # peers' deprecation chatter is not part of the result
    out = measure(args.side, args.data, target=args.target,
                  cat_features=[c for c in args.cat_features.split(",") if c],
                  checks=None if args.checks is None else
                  [c for c in args.checks.split(",") if c])
    sys.stdout.write(RESULT_PREFIX + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
