"""Run one side of the explanation benchmark and print one JSON line.

It runs in whichever environment holds the side's library (stalwart's own for ``stalwart``
and ``direct``, dice-ml's virtual environment for ``dice``), so it imports nothing at the top
but the standard library.

    python explain_worker.py --side stalwart --queries 10
    python explain_worker.py --side direct            # shap and scikit-learn called directly
    python explain_worker.py --side dice --methods random,genetic

Every side builds the same data and models (:func:`build`): scikit-learn's bundled breast
cancer table with ``GradientBoostingClassifier(random_state=0)`` and a scaled
``LogisticRegression``; and an adult-like generated table (numbers and categories) with a
one-hot pipeline into ``RandomForestClassifier(random_state=0)``; split 75/25 with
``random_state=0``. The query rows are the first ``--queries`` test rows. Counterfactual
sides return their rows, which the driver judges with one metric for all (validity with the
model, changed features, scaled L1 distance); times include the side's set-up.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from typing import Any

RESULT_PREFIX = "@@explain-benchmark@@ "
TARGET = "target"
#: adult-like table: what may not change (the same for every side)
IMMUTABLE = {"adult_forest": ["age", "sex"]}


def adult_frame(n: int = 2000, seed: int = 0) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    edu = rng.choice(["school", "college", "bachelor", "master", "doctorate"], n,
                     p=[0.35, 0.25, 0.25, 0.1, 0.05])
    job = rng.choice(["clerical", "craft", "sales", "tech", "managerial", "service"], n)
    frame = pd.DataFrame({
        "age": rng.integers(18, 75, n),
        "education": edu,
        "occupation": job,
        "hours_per_week": np.clip(np.round(rng.normal(40, 10, n)), 5, 90).astype(int),
        "capital_gain": np.round(rng.exponential(800, n), 0),
        "sex": rng.choice(["female", "male"], n),
        "marital_status": rng.choice(["single", "married", "divorced"], n, p=[.4, .45, .15]),
    })
    score = (0.035 * (frame["age"] - 40) + 0.05 * (frame["hours_per_week"] - 40)
             + frame["education"].map({"school": -1.2, "college": -0.4, "bachelor": 0.5,
                                       "master": 1.0, "doctorate": 1.5})
             + frame["occupation"].map({"clerical": -0.3, "craft": -0.2, "sales": 0.0,
                                        "tech": 0.6, "managerial": 0.9, "service": -0.8})
             + frame["marital_status"].map({"single": -0.5, "married": 0.6, "divorced": -0.2})
             + frame["capital_gain"] / 1500)
    frame[TARGET] = (score + rng.normal(0, 0.5, n) > 0.3).astype(int)
    return frame


def build() -> dict[str, dict[str, Any]]:
    """name -> {"train", "test" (frames with the target), "model", "continuous"}."""
    from sklearn.compose import ColumnTransformer
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    cancer = load_breast_cancer(as_frame=True).frame
    cancer.columns = [str(c).replace(" ", "_") for c in cancer.columns]
    adult = adult_frame()
    out = {}
    for name, frame, model in (
            ("cancer_boosting", cancer, GradientBoostingClassifier(random_state=0)),
            ("cancer_logistic", cancer, make_pipeline(StandardScaler(),
                                                      LogisticRegression(max_iter=5000))),
            ("adult_forest", adult, make_pipeline(
                ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"),
                                    ["education", "occupation", "sex", "marital_status"])],
                                  remainder="passthrough"),
                RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)))):
        train, test = train_test_split(frame, test_size=0.25, random_state=0,
                                       stratify=frame[TARGET])
        train, test = train.reset_index(drop=True), test.reset_index(drop=True)
        model.fit(train.drop(columns=TARGET), train[TARGET])
        continuous = [c for c in frame.columns if c != TARGET and frame[c].dtype.kind in "if"]
        out[name] = {"train": train, "test": test, "model": model, "continuous": continuous}
    return out


def _rows(frame: Any) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records"))


def run_stalwart(cases: dict[str, Any], queries: int, n: int) -> dict[str, Any]:
    from stalwart.explain.counterfactual import Counterfactuals

    out = {}
    for name, case in cases.items():
        X = case["train"].drop(columns=TARGET)
        Q = case["test"].drop(columns=TARGET).iloc[:queries]
        start = time.perf_counter()
        cf = Counterfactuals().fit(case["model"], X, immutable=IMMUTABLE.get(name, []))
        res = cf.explain(Q, n=n, random_state=0)
        seconds = time.perf_counter() - start
        out[name] = {"seconds": seconds, "model_calls": res.n_model_calls,
                     "counterfactuals": [[dict(c.values) for c in q.counterfactuals]
                                         for q in res.queries],
                     "status": [q.status for q in res.queries]}
    return {"counterfactuals": {"stalwart": out}}


def run_dice(cases: dict[str, Any], queries: int, n: int, methods: list[str]) -> dict[str, Any]:
    import dice_ml

    result: dict[str, Any] = {}
    for method in methods:
        out = {}
        for name, case in cases.items():
            X = case["train"].drop(columns=TARGET)
            Q = case["test"].drop(columns=TARGET).iloc[:queries]
            vary = [c for c in X.columns if c not in IMMUTABLE.get(name, [])]
            start = time.perf_counter()
            data = dice_ml.Data(dataframe=case["train"], continuous_features=case["continuous"],
                                outcome_name=TARGET)
            explainer = dice_ml.Dice(data, dice_ml.Model(model=case["model"], backend="sklearn"),
                                     method=method)
            found = explainer.generate_counterfactuals(
                Q, total_CFs=n, desired_class="opposite", features_to_vary=vary,
                verbose=False, random_seed=0) if method == "random" else \
                explainer.generate_counterfactuals(Q, total_CFs=n, desired_class="opposite",
                                                   features_to_vary=vary, verbose=False)
            seconds = time.perf_counter() - start
            rows = []
            for example in found.cf_examples_list:
                cfs = example.final_cfs_df
                rows.append([] if cfs is None else _rows(cfs.drop(columns=TARGET,
                                                                  errors="ignore")))
            out[name] = {"seconds": seconds, "counterfactuals": rows}
        result[f"dice-{method}"] = out
    return {"counterfactuals": result}


def run_attributions(cases: dict[str, Any], queries: int, side: str) -> dict[str, Any]:
    """SHAP values of the query rows and permutation importance on the test rows."""
    import numpy as np
    import pandas as pd

    out: dict[str, Any] = {}
    for name, case in cases.items():
        model = case["model"]
        X = case["train"].drop(columns=TARGET)
        Q = case["test"].drop(columns=TARGET).iloc[:queries]
        test = case["test"]
        start = time.perf_counter()
        if side == "stalwart":
            from stalwart.explain import shap_values
            shap_result = shap_values(model, Q, background=X, max_background=100,
                                      random_state=0)
            algorithm = shap_result.algorithm
        else:
            import shap
            bg = X.iloc[np.sort(np.random.default_rng(0).choice(len(X), 100, replace=False))]
            if name == "cancer_boosting":
                algorithm = "tree"
                shap.TreeExplainer(model, data=bg.to_numpy(float),
                                   feature_perturbation="interventional",
                                   model_output="probability")(Q.to_numpy(float),
                                                               check_additivity=False)
            else:  # the algorithm stalwart's "auto" picks: exact up to 8 features
                cols = list(X.columns)
                algorithm = "exact" if len(cols) <= 8 else "permutation"

                # shap's maskers take numbers: categories as codes, decoded for the model
                cats = {c: pd.Categorical(X[c]).categories for c in cols
                        if X[c].dtype.kind not in "if"}

                def codes(frame: Any) -> Any:
                    return np.column_stack([pd.Categorical(frame[c], categories=cats[c]).codes
                                            if c in cats else frame[c].to_numpy(float)
                                            for c in cols]).astype(float)

                def f(z: Any, cols: list[str] = cols) -> Any:
                    data = {c: (np.asarray(cats[c])[z[:, j].astype(int)] if c in cats
                                else z[:, j].astype(X[c].dtype)) for j, c in enumerate(cols)}
                    return model.predict_proba(pd.DataFrame(data))
                masker = shap.maskers.Independent(codes(bg), max_samples=100)
                if algorithm == "exact":
                    shap.explainers.Exact(f, masker)(codes(Q))
                else:
                    shap.PermutationExplainer(f, masker, seed=0)(
                        codes(Q), max_evals=max(500, 2 * len(cols) + 1), silent=True)
        shap_s = time.perf_counter() - start
        start = time.perf_counter()
        if side == "stalwart":
            from stalwart.explain import permutation_importance
            permutation_importance(model, test.drop(columns=TARGET), test[TARGET],
                                   n_repeats=10, random_state=0)
        else:
            from sklearn.inspection import permutation_importance as sk_permutation
            sk_permutation(model, test.drop(columns=TARGET), test[TARGET], n_repeats=10,
                           random_state=0)
        perm_s = time.perf_counter() - start
        out[name] = {"shap_seconds": shap_s, "shap_algorithm": algorithm,
                     "permutation_seconds": perm_s, "test_rows": len(test)}
    return {"attributions": {side: out}}


def _versions() -> dict[str, str]:
    from importlib import metadata
    out = {}
    for name in ("numpy", "pandas", "scikit-learn", "shap", "dice-ml", "stalwart"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--side", choices=("stalwart", "direct", "dice"), required=True)
    p.add_argument("--queries", type=int, default=10)
    p.add_argument("--n", type=int, default=3, help="counterfactuals per query row")
    p.add_argument("--methods", default="random,genetic", help="dice-ml methods")
    p.add_argument("--skip-attributions", action="store_true")
    args = p.parse_args(argv)
    warnings.filterwarnings("ignore")  # peers' deprecation noise must not reach stdout
    cases = build()
    result: dict[str, Any] = {"side": args.side, "versions": _versions()}
    if args.side == "stalwart":
        result.update(run_stalwart(cases, args.queries, args.n))
    if args.side == "dice":
        result.update(run_dice(cases, args.queries, args.n, args.methods.split(",")))
    if args.side in ("stalwart", "direct") and not args.skip_attributions:
        result.update(run_attributions(cases, args.queries, args.side))
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
