"""Judge the explanation benchmark's counterfactuals with one metric, and draw the section.

Every side's counterfactual rows are judged here, in stalwart's environment, with the same
models rebuilt by the worker (same data, seeds and scikit-learn version): *validity* is the
share of returned rows whose predicted class differs from the query row's; *changed
features* counts the features that differ; the *scaled L1 distance* is the sum over
numeric features of ``|change| / MAD`` (training median absolute deviation) plus one per
changed category (DiCE's default proximity, summed instead of averaged).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from _sections import replace_between

START, END = "<!-- explain:start -->", "<!-- explain:end -->"
TARGET = "target"
MODELS = {"cancer_boosting": "breast cancer, GradientBoosting",
          "cancer_logistic": "breast cancer, scaled LogisticRegression",
          "adult_forest": "adult-like, one-hot + RandomForest"}

__all__ = ["END", "SPEEDUP", "START", "judge", "render", "replace_section", "verdicts"]

#: the issue's target: at least this many times faster at equal or smaller change size
SPEEDUP = 5.0


def judge(cases: Mapping[str, Any], rows: list[list[dict[str, Any]]], name: str,
          requested: int) -> dict[str, Any]:
    """Validity, changed features and distance of one side's rows for one model."""
    from stalwart.explain.counterfactual_space import FeatureSpace

    case = cases[name]
    X = case["train"].drop(columns=TARGET)
    Q = case["test"].drop(columns=TARGET).iloc[:len(rows)]
    space = FeatureSpace.learn(X, immutable=[], integer=[], ranges={}, increase_only=[],
                               decrease_only=[], categorical=None)
    base = case["model"].predict(Q)
    valid, changed, dist, nearest, returned, distinct = [], [], [], [], 0, []
    for i, cfs in enumerate(rows):
        returned += len(cfs)
        if not cfs:
            continue
        frame = pd.DataFrame(cfs)[list(X.columns)].astype(X.dtypes.to_dict())
        ok = case["model"].predict(frame) != base[i]
        valid += ok.tolist()
        x = space.encode(Q.iloc[[i]])[0]
        Z = space.encode(frame)[ok]
        if len(Z):
            d = space.distance(x, Z)
            moved = space.changed(x, Z)
            distinct.append(len({tuple(row) for row in moved.tolist()}) == len(Z))
            changed += moved.sum(axis=1).tolist()
            dist += d.tolist()
            nearest.append(float(d.min()))
    mean = (lambda v: float(np.mean(v)) if v else None)  # noqa: E731
    return {"queries": len(rows), "requested": requested * len(rows), "returned": returned,
            "validity": mean(valid), "queries_with_valid": len(nearest),
            "changed_features": mean(changed), "distance": mean(dist),
            "nearest_distance": mean(nearest), "distinct_sets": mean(distinct)}


def verdicts(run: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One verdict per model and dice-ml method: the speed-up (median time of the peer over
    stalwart's) and whether stalwart's mean changed features AND mean scaled L1 are both at
    most the peer's; ``met`` needs both and a speed-up of at least :data:`SPEEDUP`. A side
    without valid rows has no change size and never meets it."""
    cf = run["counterfactuals"]
    out = []
    for name, label in MODELS.items():
        st = cf.get("stalwart", {}).get(name)
        if not st:
            continue
        sj = st["judged"]
        st_t = statistics.median(st["seconds"])
        for side in sorted(s for s in cf if s != "stalwart"):
            r = cf[side].get(name)
            if not r:
                continue
            j = r["judged"]
            speedup = statistics.median(r["seconds"]) / st_t
            sizes = (sj["changed_features"], j["changed_features"], sj["distance"],
                     j["distance"])
            defined = None not in sizes
            fewer = defined and sj["changed_features"] <= j["changed_features"]
            nearer = defined and sj["distance"] <= j["distance"]
            out.append({"model": label, "side": side, "speedup": speedup,
                        "fewer_features": fewer, "smaller_l1": nearer,
                        "met": bool(speedup >= SPEEDUP and fewer and nearer)})
    return out


def _f(v: Any, fmt: str = ".2f") -> str:
    return "n/a" if v is None else format(v, fmt)


def render(run: Mapping[str, Any]) -> str:
    cfg, m = run["config"], run["machine"]
    lines = [START, "## Explanations: counterfactuals vs dice-ml, SHAP and permutation "
             "importance vs calling shap and scikit-learn directly", "",
             f"Run on {cfg['date']} with `{cfg['command']}` on {m['cpu']} "
             f"({m['usable_cores']} usable cores), one BLAS/OpenMP thread per side, load "
             f"average {cfg['load_before']} before and {cfg['load_after']} after. Versions: "
             + "; ".join(f"{side}: " + ", ".join(f"{k} {v}" for k, v in sorted(vs.items()))
                         for side, vs in run["versions"].items()) + ". "
             f"Query rows: the first {cfg['queries']} test rows of each table, "
             f"{cfg['n']} counterfactuals each, class flipped to the other class; on the "
             "adult-like table `age` and `sex` may not change (stalwart `immutable`, dice-ml "
             "`features_to_vary`). Times are the median of the runs and include each "
             "tool's set-up (stalwart `fit`, dice-ml `Data`/`Model`/`Dice`); every row is "
             "judged the same way (see `benchmarks/_explain_report.py`): validity with the "
             "model, changed features and scaled L1 distance (MAD units, +1 per changed "
             "category) over the valid rows; distinct changed-feature sets is the share of "
             "query rows whose returned rows each change a different set of features "
             "(diversity). The load average is that of a machine shared with other jobs.",
             "",
             "| model | side | runs | time per query | dice-ml / stalwart | validity | "
             "rows returned | distinct changed-feature sets | mean changed features | "
             "mean scaled L1 | nearest per query |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    cf = run["counterfactuals"]
    for name, label in MODELS.items():
        st = cf.get("stalwart", {}).get(name)
        st_t = statistics.median(st["seconds"]) / st["judged"]["queries"] if st else None
        for side in ("stalwart", *sorted(s for s in cf if s != "stalwart")):
            r = cf.get(side, {}).get(name)
            if not r:
                continue
            j = r["judged"]
            t = statistics.median(r["seconds"]) / j["queries"]
            ratio = "" if side == "stalwart" or not st_t else f"{t / st_t:,.1f}x"
            lines.append(f"| {label} | {side} | {len(r['seconds'])} | {t * 1000:,.0f} ms | "
                         f"{ratio} | {_f(j['validity'])} | {j['returned']}/{j['requested']} | "
                         f"{_f(j.get('distinct_sets'))} | {_f(j['changed_features'], '.1f')} | "
                         f"{_f(j['distance'])} | {_f(j['nearest_distance'])} |")
    lines.append("")
    judged = verdicts(run)
    if judged:
        met = sum(v["met"] for v in judged)
        lines += [f"Target, counterfactuals at least {SPEEDUP:g}x faster than dice-ml at "
                  "equal or smaller change size (both the mean changed features and the mean "
                  "scaled L1 at most dice-ml's): "
                  + ("**met**" if met == len(judged) else "**not met**")
                  + f" on {met} of {len(judged)} model/method pairs.", "",
                  "| model | vs | speed-up | fewer or equal changed features | smaller or "
                  "equal scaled L1 | met |", "|---|---|---|---|---|---|"]
        lines += [f"| {v['model']} | {v['side']} | {v['speedup']:,.1f}x | "
                  f"{'yes' if v['fewer_features'] else 'NO'} | "
                  f"{'yes' if v['smaller_l1'] else 'NO'} | {'yes' if v['met'] else 'NO'} |"
                  for v in judged]
        lines.append("")
    att = run.get("attributions", {})
    if att:
        lines += ["| model | SHAP algorithm | stalwart `shap_values` | shap directly | ratio | "
                  "stalwart `permutation_importance` | scikit-learn `permutation_importance`"
                  " | ratio |", "|---|---|---|---|---|---|---|---|"]
        for name, label in MODELS.items():
            s, d = att.get("stalwart", {}).get(name), att.get("direct", {}).get(name)
            if not s or not d:
                continue
            ss, ds = statistics.median(s["shap_seconds"]), statistics.median(d["shap_seconds"])
            sp = statistics.median(s["permutation_seconds"])
            dp = statistics.median(d["permutation_seconds"])
            lines.append(f"| {label} | {s['shap_algorithm']} | {ss:,.2f} s | {ds:,.2f} s | "
                         f"{ss / ds:,.2f} | {sp:,.2f} s | {dp:,.2f} s | {sp / dp:,.2f} |")
        lines += ["", f"SHAP: {cfg['queries']} query rows against a 100-row background, "
                  "the algorithm stalwart's `auto` picks, called the same way directly. "
                  "Permutation importance: the test rows, 10 repeats, seed 0 (stalwart's "
                  "also computes a t interval over the repeats)."]
    for note in run.get("notes", []):
        lines += ["", note]
    lines.append(END)
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    return replace_between(text, section, START, END)
