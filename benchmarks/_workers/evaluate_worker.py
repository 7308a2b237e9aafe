"""Run one side of the model-evaluation benchmark and print one JSON line.

It runs in whichever environment holds the side's library (stalwart's own, or a peer's
virtual environment), so it imports nothing at the top but the standard library and the
audit worker's measuring helpers (peak RSS, versions, BLAS threads).

    python evaluate_worker.py --side stalwart
    python evaluate_worker.py --side deepchecks
    python evaluate_worker.py --side giskard
    python evaluate_worker.py --side null --seeds 20

Every side builds the same data and model: scikit-learn's bundled breast cancer table
(569 rows, 30 numeric features, no download), split 75/25 stratified with
``random_state=0``, and ``GradientBoostingClassifier(random_state=0)`` fitted on the
training rows in the side's own environment. The fit is not timed; ``suite_s`` times only
building the side's dataset/model wrappers and running its suite: stalwart's
``evaluate_suite_run``, Deepchecks' ``model_evaluation()`` suite, Giskard's ``scan``.

Side ``null`` runs stalwart's ``weak_segments`` check, ``--seeds`` times, on all 569 rows
and a model whose errors cannot depend on the features: the labels are shuffled (seeded) and the model
is ``DummyClassifier(strategy="stratified")``, so every slice it reports is spurious.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_worker import (  # noqa: E402
    _blas, _peak_bytes, _release_free_memory, _reset_peak, _rss_bytes, _timed,
    deepchecks_outcome)

RESULT_PREFIX = "@@evaluate-benchmark@@ "
TARGET = "target"
_VERSIONS = ("pandas", "numpy", "scikit-learn", "scipy", "stalwart", "deepchecks", "giskard")


def _versions() -> dict[str, str]:
    out = {}
    for name in _VERSIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def load_split() -> tuple[Any, Any]:
    """The breast cancer table as train and test frames (features + ``target``)."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    frame = load_breast_cancer(as_frame=True).frame
    frame.columns = [str(c).replace(" ", "_") for c in frame.columns]
    train, test = train_test_split(frame, test_size=0.25, random_state=0,
                                   stratify=frame[TARGET])
    return train.reset_index(drop=True), test.reset_index(drop=True)


def fit_model(train: Any) -> Any:
    from sklearn.ensemble import GradientBoostingClassifier

    model = GradientBoostingClassifier(random_state=0)
    return model.fit(train.drop(columns=TARGET), train[TARGET])


def prepare_stalwart() -> dict[str, Any]:
    import stalwart
    from stalwart.checks.evaluation.suite import _load

    _load()  # the suite's check modules are imports, not suite time
    return {"stalwart": stalwart}


def run_stalwart(train: Any, test: Any, model: Any, state: dict[str, Any]) -> dict[str, Any]:
    result = state["stalwart"].evaluate_suite_run(test, model=model, target=TARGET,
                                                   reference=train, random_state=0)
    rows = [{"check": r.check, "status": r.status.value, "duration_s": r.duration_s,
             "summary": r.summary[:160]} for r in result.results]
    return {"findings": sum(r["status"] in ("fail", "warn") for r in rows),
            "errors": sum(r["status"] == "error" for r in rows), "checks": rows,
            "detail": {"status": result.status.value, "counts": result.counts()}}


def prepare_deepchecks() -> dict[str, Any]:
    from deepchecks.tabular import Dataset
    from deepchecks.tabular.suites import model_evaluation

    return {"Dataset": Dataset, "model_evaluation": model_evaluation}


def run_deepchecks(train: Any, test: Any, model: Any, state: dict[str, Any]) -> dict[str, Any]:
    suite = state["model_evaluation"]()
    durations: dict[int, float] = {}
    for check in suite.checks.values():
        check.run_logic = _timed(check.run_logic, durations, id(check))
    ds_train = state["Dataset"](train, label=TARGET, cat_features=[])
    ds_test = state["Dataset"](test, label=TARGET, cat_features=[])
    return deepchecks_outcome(
        suite.run(train_dataset=ds_train, test_dataset=ds_test, model=model), durations)


def prepare_giskard() -> dict[str, Any]:
    os.environ.setdefault("GSK_DISABLE_ANALYTICS", "True")  # no usage reports sent home
    import giskard

    return {"giskard": giskard}


def run_giskard(train: Any, test: Any, model: Any, state: dict[str, Any]) -> dict[str, Any]:
    giskard = state["giskard"]
    features = [c for c in test.columns if c != TARGET]
    wrapped = giskard.Model(model=lambda df: model.predict_proba(df[features]),
                            model_type="classification",
                            classification_labels=list(model.classes_),
                            feature_names=features, name="gradient_boosting")
    dataset = giskard.Dataset(test, target=TARGET, name="breast_cancer_test",
                              cat_columns=[])
    report = giskard.scan(wrapped, dataset, raise_exceptions=False, verbose=False)
    issues = list(report.issues)
    rows = [{"check": getattr(getattr(i, "group", None), "name", type(i).__name__),
             "status": "warn", "duration_s": None,
             "summary": str(getattr(i, "description", ""))[:160]} for i in issues]
    by_group: dict[str, int] = {}
    for i in issues:
        group = getattr(getattr(i, "group", None), "name", type(i).__name__)
        by_group[group] = by_group.get(group, 0) + 1
    return {"findings": len(issues), "errors": 0, "checks": rows,
            "detail": {"issues_by_group": by_group}}


def prepare_null() -> dict[str, Any]:
    return prepare_stalwart()


def run_null(train: Any, test: Any, model: Any, state: dict[str, Any], *,
             seeds: int = 20) -> dict[str, Any]:
    import numpy as np
    from sklearn.dummy import DummyClassifier

    import pandas as pd

    # all 569 rows, not the 143 test rows: with 5 quantile bins a test-set bin has fewer
    # rows than the check's min_size (30), so it would judge almost no slices
    whole = pd.concat([train, test], ignore_index=True)
    features = [c for c in whole.columns if c != TARGET]
    per_seed = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        shuffled = whole.copy()
        shuffled[TARGET] = rng.permutation(shuffled[TARGET].to_numpy())
        dummy = DummyClassifier(strategy="stratified", random_state=seed)
        dummy.fit(train[features], train[TARGET])
        result = state["stalwart"].evaluate_suite_run(
            shuffled, model=dummy, target=TARGET, checks=["weak_segments"], random_state=seed)
        (r,) = result.results
        per_seed.append({"seed": seed, "status": r.status.value,
                         "n_weak_segments": r.metrics.get("n_weak_segments"),
                         "n_candidates": r.metrics.get("n_candidates")})
    spurious = [s["n_weak_segments"] or 0 for s in per_seed]
    return {"findings": int(sum(spurious)), "errors": sum(s["status"] == "error"
                                                          for s in per_seed),
            "checks": [], "detail": {"seeds": per_seed,
                                     "seeds_with_slices": sum(n > 0 for n in spurious)}}


#: side -> (import the library, run the suite); only the second is the suite's time
SIDES = {"stalwart": (prepare_stalwart, run_stalwart),
         "deepchecks": (prepare_deepchecks, run_deepchecks),
         "giskard": (prepare_giskard, run_giskard),
         "null": (prepare_null, run_null)}


def measure(side: str, *, seeds: int = 20) -> dict[str, Any]:
    """Build the data and model, run ``side`` and return times, memory and findings."""
    prepare, run = SIDES[side]
    rss_start = _rss_bytes()
    t0 = time.perf_counter()
    state = prepare()
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    train, test = load_split()
    model = fit_model(train)
    fit_s = time.perf_counter() - t0
    _release_free_memory()
    rss_before = _rss_bytes()
    reset = _reset_peak()
    kwargs = {"seeds": seeds} if side == "null" else {}
    t0, c0 = time.perf_counter(), time.process_time()
    out = run(train, test, model, state, **kwargs)
    suite_s, suite_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    return {
        "side": side, "suite_s": suite_s, "suite_cpu_s": suite_cpu_s, "fit_s": fit_s,
        "import_s": import_s, "train_rows": int(train.shape[0]),
        "test_rows": int(test.shape[0]), "features": int(test.shape[1] - 1),
        "rss_start_bytes": rss_start, "rss_before_suite_bytes": rss_before,
        "peak_rss_suite_bytes": _peak_bytes(), "peak_reset": reset,
        "python": platform.python_version(), "versions": _versions(), "blas": _blas(),
        "threads_env": {k: os.environ.get(k) for k in
                        ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        **out,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=sorted(SIDES), required=True)
    parser.add_argument("--seeds", type=int, default=20, help="null-model seeds")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # peers' deprecation chatter is not part of the result
    out = measure(args.side, seeds=args.seeds)
    sys.stdout.write(RESULT_PREFIX + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
