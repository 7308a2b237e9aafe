"""The real server as a child process: ``python -m uvicorn --factory`` on ``create_app``,
configured through the environment (``STALWART_STORE_URL``, ``STALWART_TOKENS``), so a test
can SIGKILL it and start another one on the same store and the same port.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

__all__ = ["ServerProcess", "free_port"]


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``uvicorn`` serving ``stalwart.service.app:create_app`` on ``port`` over ``store_url``.

    ``start()`` waits until ``/healthz`` answers; ``kill()`` sends SIGKILL (no shutdown hook
    runs); ``stop()`` sends SIGTERM. Its stderr goes to ``log_path`` for failure messages.
    """

    def __init__(self, store_url: str, tokens: dict, *, log_path: Path,
                 port: int | None = None) -> None:
        self.store_url = store_url
        self.tokens = tokens
        self.port = free_port() if port is None else port
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STALWART_")}
        env.update(STALWART_STORE_URL=self.store_url, STALWART_TOKENS=json.dumps(self.tokens))
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "stalwart.service.app:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             "--no-access-log"], stdout=log, stderr=log, env=env)
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not start:\n{self.log()}")
            time.sleep(0.05)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except FileNotFoundError:
            return ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL and reap: the process gets no chance to flush or close anything."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
