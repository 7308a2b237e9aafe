"""``stalwart serve --workers N``: several server processes on one port and one store; every
acknowledged event is stored once whichever process took the batch."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_several_workers_share_the_port_and_the_store(store_url, tmp_path, h):
    port = _port()
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps(h.TOKENS))
    env = {k: v for k, v in os.environ.items() if not k.startswith("STALWART_")}
    code = ("import sys; from stalwart.cli.serve import serve_command; "
            "serve_command(sys.argv[1:])")
    proc = subprocess.Popen([sys.executable, "-c", code, "--store", store_url, "--port",
                             str(port), "--token-file", str(tokens), "--workers", "2",
                             "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)

        def post(batch: list[int]) -> dict:
            # a new connection per batch: the two processes both take batches
            with httpx.Client(base_url=url, headers=h.INGEST, timeout=30) as client:
                r = client.post("/api/v1/events", json={"events": [h.event(i) for i in batch]})
                assert r.status_code == 200, r.text
                return r.json()

        # 12 overlapping batches of 50 over ids 0..199: each id is acknowledged as new once
        batches = [list(range(k * 15, k * 15 + 50)) for k in range(12)]
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(post, batches))
        assert sum(r["accepted"] for r in results) == len({i for b in batches for i in b})
        assert sum(r["accepted"] + r["duplicates"] for r in results) == 600
        assert all(r["rejected"] == [] for r in results)
        r = httpx.get(f"{url}/api/v1/events", params={"model": "churn", "limit": 1000},
                      headers=h.READ, timeout=30)
        assert r.json()["count"] == 215
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()[-2000:]
