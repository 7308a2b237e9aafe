"""``stalwart serve`` tunes the garbage collector of its own process only: the start-up
objects frozen, the young threshold raised; building an app elsewhere changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("fastapi")

_PROBE = """
import gc, json, sys
before = (gc.get_threshold(), gc.get_freeze_count())
from stalwart.cli import serve
if sys.argv[1] == "worker":
    app = serve.worker_app()
    built = type(app).__name__
else:
    from stalwart.service import create_app
    app = create_app()
    built = type(app).__name__
after = (gc.get_threshold(), gc.get_freeze_count())
print(json.dumps({"before": before, "after": after, "built": built,
                  "young": serve.GC_YOUNG_THRESHOLD}))
"""


def _probe(mode: str, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STALWART_")}
    env.update(STALWART_STORE_URL=f"sqlite:///{tmp_path / 'gc.db'}",
               STALWART_TOKENS=json.dumps({"tok-gc-0123": ["admin"]}))
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_serve_worker_freezes_start_up_objects_and_raises_the_young_threshold(tmp_path):
    out = _probe("worker", tmp_path)
    assert out["built"] == "FastAPI"
    (young0, middle0, old0), frozen0 = out["before"]
    (young, middle, old), frozen = out["after"]
    assert frozen0 == 0 and frozen > 10_000  # the loaded server, out of every collection
    assert young == out["young"] > young0
    assert (middle, old) == (middle0, old0)


def test_create_app_alone_leaves_the_collector_alone(tmp_path):
    out = _probe("app", tmp_path)
    assert out["built"] == "FastAPI"
    assert out["after"] == out["before"]
