"""Run one side of the drift benchmark on a reference and a current Parquet file; print JSON.

It runs in whichever environment holds the side's library (stalwart's own, or a peer's
virtual environment), so at the top it imports only the standard library and the audit
worker's memory helpers (standard library too).

    python drift_worker.py --side stalwart --reference ref.parquet --current cur.parquet
    python drift_worker.py --side stream --rows 10000000       # profile generated chunks

Sides (each with its DEFAULT settings):

* ``scipy``: ``scipy.stats.ks_2samp`` per numeric column, ``chi2_contingency`` on the 2 x k
  table of counts per string column, Benjamini-Hochberg (``false_discovery_control``) at 5 %;
* ``stalwart``: ``stalwart.drift.univariate.detect_drift(reference, current)``;
* ``stalwart_profile``: ``stalwart.stats.profile.profile`` of each set, then
  ``detect_drift`` on the two profiles;
* ``evidently``: a ``Report`` with ``DataDriftPreset()``; a column is flagged when its
  ``ValueDrift`` is past its threshold;
* ``nannyml``: ``UnivariateDriftCalculator`` (default methods, one chunk = the whole
  current set); a column is flagged when any of its methods alerts;
* ``nannyml_chunked``: the same with NannyML's default chunking (10 chunks a set, which its
  default thresholds, 3 standard deviations of the reference chunks, need); a column is
  flagged when any chunk alerts;
* ``whylogs``: ``why.log`` of each set, then ``calculate_drift_scores`` with its default
  thresholds; a column is flagged when its category is ``DRIFT``;
* ``stream``: stalwart's profile of ``--rows`` rows of the reference set generated chunk by
  chunk (never held whole); only memory and time, no flags.

Timing: imports (``import_s``) and reading the files (``load_s``) are not counted in
``run_s``. Memory: the resident-set peak is reset after loading (as in the audit worker), so
``peak_rss_run - rss_before_run`` is what the side added on top of the loaded data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

from audit_worker import _blas, _peak_bytes, _release_free_memory, _reset_peak, _rss_bytes

RESULT_PREFIX = "@@drift-benchmark@@ "
#: the peers' usage telemetry, switched off: a blocked network makes them retry (time that
#: is not the tool's work), and a benchmark should not report home
TELEMETRY_OFF = {"NML_DISABLE_USAGE_LOGGING": "1", "WHYLOGS_NO_ANALYTICS": "True",
                 "DO_NOT_TRACK": "1", "EVIDENTLY_DISABLE_TELEMETRY": "1"}
_VERSIONS = ("pandas", "numpy", "pyarrow", "scipy", "stalwart", "datasketches", "evidently",
             "nannyml", "whylogs")
CATEGORICAL_PREFIX = "cat_"


def _versions() -> dict[str, str]:
    out = {}
    for name in _VERSIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _split(frame: Any) -> tuple[list[str], list[str]]:
    cat = [c for c in frame.columns if str(c).startswith(CATEGORICAL_PREFIX)]
    return [c for c in frame.columns if c not in cat], cat


# --- scipy ------------------------------------------------------------------------------

def prepare_scipy() -> dict[str, Any]:
    from scipy import stats
    return {"stats": stats}


def run_scipy(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    stats = state["stats"]
    numeric, categorical = _split(ref)
    names, pvalues = [], []
    for c in numeric:
        names.append(c)
        pvalues.append(stats.ks_2samp(ref[c].to_numpy(), cur[c].to_numpy()).pvalue)
    for c in categorical:
        table = pd.concat([ref[c].value_counts(), cur[c].value_counts()], axis=1).fillna(0)
        names.append(c)
        pvalues.append(stats.chi2_contingency(table.to_numpy().T).pvalue)
    adjusted = stats.false_discovery_control(np.asarray(pvalues), method="bh")
    flagged = [n for n, p in zip(names, adjusted) if p < 0.05]
    return {"flagged": flagged, "detail": {"adjusted_p": dict(zip(names, map(float, adjusted)))}}


# --- stalwart ---------------------------------------------------------------------------

def prepare_stalwart() -> dict[str, Any]:
    from stalwart.drift.univariate import detect_drift
    return {"detect_drift": detect_drift}


def _stalwart_detail(report: Any) -> dict[str, Any]:
    return {c.column: {"method": c.method, "statistic": c.statistic,
                       "adjusted_p": c.adjusted_p_value, "effect": c.effect_size,
                       "effect_name": c.effect_name, "effect_threshold": c.effect_threshold,
                       "drifted": c.drifted}
            for c in report.columns}


def run_stalwart(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    report = state["detect_drift"](ref, cur)
    return {"flagged": list(report.drifted), "detail": _stalwart_detail(report)}


def prepare_stalwart_profile() -> dict[str, Any]:
    from stalwart.drift.univariate import detect_drift
    from stalwart.stats.profile import profile
    return {"detect_drift": detect_drift, "profile": profile}


def run_stalwart_profile(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    p_ref, p_cur = state["profile"](ref), state["profile"](cur)
    t1 = time.perf_counter()
    report = state["detect_drift"](p_ref, p_cur)
    t2 = time.perf_counter()
    return {"flagged": list(report.drifted), "detail": _stalwart_detail(report),
            "parts": {"profile_s": t1 - t0, "detect_s": t2 - t1,
                      "profile_bytes": len(p_ref.to_bytes()) + len(p_cur.to_bytes())}}


# --- Evidently --------------------------------------------------------------------------

def prepare_evidently() -> dict[str, Any]:
    from evidently import Report
    from evidently.presets import DataDriftPreset
    return {"Report": Report, "DataDriftPreset": DataDriftPreset}


def run_evidently(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    report = state["Report"]([state["DataDriftPreset"]()])
    snapshot = report.run(current_data=cur, reference_data=ref)
    return evidently_flags(snapshot.dict(), list(ref.columns))


def evidently_flags(snap: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """Columns whose ValueDrift metric is past its threshold, from ``Snapshot.dict()``."""
    flagged, detail = [], {}
    for metric in snap.get("metrics", []):
        config = metric.get("config", {})
        if config.get("type", "").split(":")[-1] != "ValueDrift":
            continue
        column, value = config.get("column"), metric.get("value")
        method, threshold = config.get("method"), config.get("threshold")
        if value is None or threshold is None:
            continue
        # Evidently's ValueDrift: a p-value method drifts below its threshold, a distance
        # above it (its own rule, in evidently/metrics/column_statistics.py)
        is_pvalue = "p_value" in str(method).lower() or "test" in str(method).lower()
        drifted = value < threshold if is_pvalue else value >= threshold
        detail[column] = {"method": method, "value": value, "threshold": threshold,
                          "drifted": bool(drifted)}
        if drifted:
            flagged.append(column)
    return {"flagged": [c for c in columns if c in flagged], "detail": detail}


# --- NannyML ----------------------------------------------------------------------------

def prepare_nannyml() -> dict[str, Any]:
    import nannyml
    return {"nml": nannyml}


def run_nannyml(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    return _nannyml(ref, cur, state, chunk_size=max(len(cur), len(ref)))


def run_nannyml_chunked(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    # NannyML's own default chunking (10 chunks a set); a column counts if any chunk alerts
    return _nannyml(ref, cur, state, chunk_size=None)


def _nannyml(ref: Any, cur: Any, state: dict[str, Any], *,
             chunk_size: int | None) -> dict[str, Any]:
    columns = list(ref.columns)
    calc = state["nml"].UnivariateDriftCalculator(column_names=columns, chunk_size=chunk_size)
    calc.fit(ref)
    result = calc.calculate(cur).filter(period="analysis")
    frame = result.to_df()
    flagged, detail = [], {}
    for column in columns:
        alerts = {}
        for key in frame.columns:
            if key[0] == column and key[-1] == "alert":
                alerts[key[1]] = bool(frame[key].any())
        detail[column] = alerts
        if any(alerts.values()):
            flagged.append(column)
    return {"flagged": flagged, "detail": detail, "parts": {"chunks": int(len(frame))}}


# --- whylogs ----------------------------------------------------------------------------

def prepare_whylogs() -> dict[str, Any]:
    import whylogs as why
    from whylogs.viz.drift.column_drift_algorithms import calculate_drift_scores
    return {"why": why, "scores": calculate_drift_scores}


def run_whylogs(ref: Any, cur: Any, state: dict[str, Any]) -> dict[str, Any]:
    why = state["why"]
    t0 = time.perf_counter()
    ref_view = why.log(pandas=ref).view()
    cur_view = why.log(pandas=cur).view()
    t1 = time.perf_counter()
    scores = state["scores"](target_view=cur_view, reference_view=ref_view,
                             with_thresholds=True)
    t2 = time.perf_counter()
    flagged, detail = [], {}
    for column in ref.columns:
        s = scores.get(column) or {}
        category = s.get("drift_category")
        detail[column] = {"algorithm": s.get("algorithm"), "p_value": s.get("pvalue"),
                          "statistic": s.get("statistic"), "category": category}
        if category == "DRIFT":
            flagged.append(column)
    possible = [c for c, d in detail.items() if d["category"] == "POSSIBLE_DRIFT"]
    return {"flagged": flagged, "detail": detail,
            "parts": {"profile_s": t1 - t0, "detect_s": t2 - t1, "possible_drift": possible}}


SIDES = {"scipy": (prepare_scipy, run_scipy), "stalwart": (prepare_stalwart, run_stalwart),
         "stalwart_profile": (prepare_stalwart_profile, run_stalwart_profile),
         "evidently": (prepare_evidently, run_evidently),
         "nannyml": (prepare_nannyml, run_nannyml),
         "nannyml_chunked": (prepare_nannyml, run_nannyml_chunked),
         "whylogs": (prepare_whylogs, run_whylogs)}


def _common() -> dict[str, Any]:
    return {"python": platform.python_version(), "versions": _versions(), "blas": _blas(),
            "threads_env": {k: os.environ.get(k) for k in
                            ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}}


def measure(side: str, reference: str, current: str) -> dict[str, Any]:
    """Load both files, run ``side`` on them; times, memory and the columns it flagged."""
    import pandas as pd

    prepare, run = SIDES[side]
    t0 = time.perf_counter()
    state = prepare()
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref, cur = pd.read_parquet(reference), pd.read_parquet(current)
    load_s = time.perf_counter() - t0
    data_bytes = int(ref.memory_usage(deep=True).sum() + cur.memory_usage(deep=True).sum())
    _release_free_memory()
    rss_before = _rss_bytes()
    reset = _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    out = run(ref, cur, state)
    run_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    peak = _peak_bytes()
    return {"side": side, "run_s": run_s, "cpu_s": cpu_s, "import_s": import_s,
            "load_s": load_s, "rows": int(len(cur)), "columns": int(ref.shape[1]),
            "data_bytes": data_bytes, "rss_before_run_bytes": rss_before,
            "peak_rss_run_bytes": peak, "peak_reset": reset, **_common(), **out}


def measure_stream(rows: int, seed: int) -> dict[str, Any]:
    """Profile ``rows`` generated rows chunk by chunk; the generator's time is kept apart."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from _drift_data import CHUNK, iter_chunks
    from stalwart.stats.profile import profile

    gen_s = 0.0

    def chunks():
        nonlocal gen_s
        it = iter_chunks("reference", rows, seed=seed)
        while True:
            t = time.perf_counter()
            chunk = next(it, None)
            gen_s += time.perf_counter() - t
            if chunk is None:
                return
            yield chunk

    _release_free_memory()
    rss_before = _rss_bytes()
    reset = _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    prof = profile(chunks(), chunk_size=CHUNK)
    run_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    peak = _peak_bytes()
    return {"side": "stream", "rows": int(prof.n_rows), "columns": len(prof.columns),
            "run_s": run_s, "cpu_s": cpu_s, "generate_s": gen_s, "profile_s": run_s - gen_s,
            "chunk_rows": CHUNK, "rss_before_run_bytes": rss_before,
            "peak_rss_run_bytes": peak, "peak_reset": reset,
            "profile_bytes": len(prof.to_bytes()), **_common()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=sorted([*SIDES, "stream"]), required=True)
    parser.add_argument("--reference", help="Parquet file")
    parser.add_argument("--current", help="Parquet file")
    parser.add_argument("--rows", type=int, default=0, help="rows to stream (side stream)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # peers' deprecation chatter is not part of the result
    for key, value in TELEMETRY_OFF.items():
        os.environ.setdefault(key, value)
    if args.side == "stream":
        out = measure_stream(args.rows, args.seed)
    else:
        if not (args.reference and args.current):
            parser.error("--reference and --current are required")
        out = measure(args.side, args.reference, args.current)
    sys.stdout.write(RESULT_PREFIX + json.dumps(out, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
