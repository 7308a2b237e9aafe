"""Run one side of the adversarial-attack benchmark and print one JSON line.

It runs in whichever environment holds the side's library (stalwart's own, ART's or
Giskard's virtual environment), so it imports nothing at the top but the standard library
and the evaluate worker's data and model (the same split and model in every environment).

    python stress_worker.py --side stalwart --rows 50
    python stress_worker.py --side art --rows 50
    python stress_worker.py --side giskard

Every side builds scikit-learn's bundled breast cancer table, split 75/25 stratified with
``random_state=0``, and ``GradientBoostingClassifier(random_state=0)`` fitted on the
training rows. The attacked rows are the first ``--rows`` test rows the model classifies
correctly. Every attack works in the same geometry: features standardised by the training
mean and standard deviation, values kept within the training minimum and maximum (ART gets
the standardised table and those bounds as ``clip_values``; stalwart's default ranges are the
same bounds). Each side counts the rows its model scores; a success is an adversarial row
the model classifies differently from the original, inside the bounds.

Sides: ``stalwart`` (decision and score attacks, L2, budget ``--budget`` rows per attacked
row; the tree lower bound; the tabular stress battery ``stress_test`` on the test rows),
``art`` (HopSkipJump and Boundary with ART's defaults, except Boundary's ``max_iter``),
``giskard`` (``scan(only="robustness")``: its numerical perturbation detector).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate_worker import TARGET, fit_model, load_split  # noqa: E402

RESULT_PREFIX = "@@stress-benchmark@@ "
_VERSIONS = ("numpy", "scikit-learn", "stalwart", "adversarial-robustness-toolbox", "giskard")


def _versions() -> dict[str, str]:
    out = {}
    for name in _VERSIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def setup(rows: int) -> dict[str, Any]:
    """Data, model, attacked rows and the shared geometry (numpy arrays)."""
    import numpy as np

    train, test = load_split()
    model = fit_model(train)
    Xtr, Xte = train.drop(columns=TARGET), test.drop(columns=TARGET)
    pred = model.predict(Xte)
    correct = np.flatnonzero(pred == test[TARGET].to_numpy())[:rows]
    proba = model.predict_proba(Xte)[:, 1]
    fingerprint = hashlib.sha256(np.round(proba, 6).tobytes()).hexdigest()[:16]
    return {"model": model, "Xtr": Xtr, "Xte": Xte, "y": test[TARGET].to_numpy(),
            "rows": correct, "mean": Xtr.to_numpy().mean(axis=0),
            "std": Xtr.to_numpy().std(axis=0), "lo": Xtr.to_numpy().min(axis=0),
            "hi": Xtr.to_numpy().max(axis=0), "fingerprint": fingerprint,
            "accuracy": float((pred == test[TARGET].to_numpy()).mean())}


def summarise(s: dict[str, Any], X: Any, adv: Any, *, rows_scored: int, seconds: float,
              tool: str, method: str, settings: str) -> dict[str, Any]:
    """The same metrics for every attack, from its adversarial rows (raw units)."""
    import numpy as np
    import pandas as pd

    adv = np.asarray(adv, dtype=float)
    y = s["y"][s["rows"]]
    slack = 1e-9 * (np.abs(s["lo"]) + np.abs(s["hi"]) + 1)  # standardising round trip
    inside = np.all((adv >= s["lo"] - slack) & (adv <= s["hi"] + slack), axis=1)
    flipped = s["model"].predict(pd.DataFrame(adv, columns=s["Xte"].columns)) != y
    ok = inside & flipped & np.isfinite(adv).all(axis=1)
    l2 = np.sqrt((((adv - X) / s["std"]) ** 2).sum(axis=1))
    return {"tool": tool, "method": method, "settings": settings, "rows": len(X),
            "success_rate": float(ok.mean()),
            # failures that came back as the original row (no adversarial start found)
            "unchanged": int(np.sum(~ok & np.all(np.isclose(adv, X), axis=1))),
            "outside_bounds": int(np.sum(~inside)), "not_flipped": int(np.sum(~flipped)),
            "rows_scored_per_row": rows_scored / len(X),
            "median_l2_scaled": float(np.median(l2[ok])) if ok.any() else None,
            "seconds": seconds, "seconds_per_row": seconds / len(X)}


def run_stalwart(s: dict[str, Any], budget: int) -> dict[str, Any]:
    import numpy as np

    from stalwart.perturb.attacks import attack, tree_lower_bound

    X = s["Xte"].iloc[s["rows"]]
    y = s["y"][s["rows"]]
    out = []
    for method in ("decision", "score"):
        t0 = time.perf_counter()
        result = attack(s["model"], X, y, method=method, norm="l2", budget=budget,
                        reference=s["Xtr"], random_state=0)
        seconds = time.perf_counter() - t0
        adv = np.array([a if a is not None else [np.nan] * X.shape[1]
                        for a in result.adversarial], dtype=float)
        out.append(summarise(s, X.to_numpy(), adv, rows_scored=result.total_calls,
                             seconds=seconds, tool="stalwart", method=method,
                             settings=f"budget={budget} rows per attacked row, L2"))
    t0 = time.perf_counter()
    bound = tree_lower_bound(s["model"], X, reference=s["Xtr"])
    linf = attack(s["model"], X, y, method="decision", norm="linf", budget=budget,
                  reference=s["Xtr"], random_state=0)
    sizes = np.array([v if v is not None else np.inf for v in linf.size])
    extra = {"tree_bound": {"seconds": time.perf_counter() - t0,
                            "median_bound_linf": float(np.median(bound.bound)),
                            "median_attack_linf": float(np.median(sizes)),
                            "bound_le_attack_all_rows": bool((bound.bound <= sizes).all())}}
    try:
        from stalwart.perturb.robustness import stress_test
    except ImportError as exc:  # pragma: no cover - the battery is another helper's module
        extra["battery"] = {"skipped": str(exc)}
    else:
        t0 = time.perf_counter()
        res = stress_test(s["model"], s["Xte"], s["y"], reference=s["Xtr"], random_state=0)
        d = res.to_dict()
        extra["battery"] = {"seconds": time.perf_counter() - t0, "rows": len(s["Xte"]),
                            "cells": len(d.get("cells", []))}
    return {"attacks": out, **extra}


def run_art(s: dict[str, Any], boundary_iter: int) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    from art.attacks.evasion import BoundaryAttack, HopSkipJump
    from art.estimators.classification import BlackBoxClassifier

    X = s["Xte"].iloc[s["rows"]].to_numpy()
    mean, std = s["mean"], s["std"]
    counted = [0]

    def predict(U: Any) -> Any:  # labels only, one-hot: what a decision attack may see
        counted[0] += len(U)
        raw = pd.DataFrame(np.asarray(U) * std + mean, columns=s["Xte"].columns)
        return np.eye(2)[s["model"].predict(raw)]

    clip = ((s["lo"] - mean) / std, (s["hi"] - mean) / std)
    clf = BlackBoxClassifier(predict, input_shape=(X.shape[1],), nb_classes=2,
                             clip_values=clip)
    out = []
    U = (X - mean) / std
    attacks = [("HopSkipJump", "ART defaults (max_iter=50, max_eval=10000, init_eval=100), "
                "L2", lambda: HopSkipJump(clf, norm=2, verbose=False)),
               ("Boundary", f"ART defaults except max_iter={boundary_iter}",
                lambda: BoundaryAttack(clf, targeted=False, max_iter=boundary_iter,
                                       verbose=False))]
    for name, settings, make in attacks:
        counted[0] = 0
        np.random.seed(0)  # ART draws from numpy's global generator
        t0 = time.perf_counter()
        adv = make().generate(U.astype(np.float64))
        seconds = time.perf_counter() - t0
        out.append(summarise(s, X, adv * std + mean, rows_scored=counted[0], seconds=seconds,
                             tool="ART", method=name, settings=settings))
    return {"attacks": out}


def run_giskard(s: dict[str, Any]) -> dict[str, Any]:
    import giskard
    import pandas as pd

    counted = [0]
    columns = list(s["Xte"].columns)

    def predict(frame: Any) -> Any:
        counted[0] += len(frame)
        return s["model"].predict_proba(pd.DataFrame(frame[columns], columns=columns))

    test = s["Xte"].assign(**{TARGET: s["y"]})
    t0 = time.perf_counter()
    model = giskard.Model(model=predict, model_type="classification",
                          classification_labels=[0, 1], feature_names=columns)
    data = giskard.Dataset(test, target=TARGET, column_types={c: "numeric" for c in columns})
    report = giskard.scan(model, data, only=["robustness"], raise_exceptions=True,
                          verbose=False)
    seconds = time.perf_counter() - t0
    issues = [{"detector": type(i).__name__, "feature": getattr(i, "feature", None),
               "text": str(getattr(i, "description", ""))[:200],
               "fail_rate": (i.meta or {}).get("fail_rate") if hasattr(i, "meta") else None}
              for i in report.issues]
    return {"detectors": {"tool": "Giskard", "method": "scan(only=robustness)",
                          "rows": len(test), "rows_scored": counted[0], "seconds": seconds,
                          "issues": issues, "n_issues": len(issues),
                          "perturbation": "numeric features x1.01, x0.99, +N(0, 0.01)"}}


def measure(side: str, *, rows: int = 50, budget: int = 2000,
            boundary_iter: int = 500) -> dict[str, Any]:
    warnings.filterwarnings("ignore")
    s = setup(rows)
    if side == "stalwart":
        body = run_stalwart(s, budget)
    elif side == "art":
        body = run_art(s, boundary_iter)
    else:
        body = run_giskard(s)
    return {"side": side, "versions": _versions(), "model_fingerprint": s["fingerprint"],
            "test_accuracy": s["accuracy"], "attacked_rows": s["rows"].tolist(), **body}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=("stalwart", "art", "giskard"), required=True)
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--budget", type=int, default=2000)
    parser.add_argument("--boundary-iter", type=int, default=500)
    args = parser.parse_args(argv)
    out = measure(args.side, rows=args.rows, budget=args.budget,
                  boundary_iter=args.boundary_iter)
    sys.stdout.write(RESULT_PREFIX + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
