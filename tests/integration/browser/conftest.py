"""Headless Chromium for the browser tests (Debian's package): where it is, the flags this
closed machine needs, and a fixture that skips without it, except on CI (the ``CI``
environment variable), where a missing browser is a failure: CI installs it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# without the background-networking flags Chromium keeps dialling out of a closed network
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


@dataclass(frozen=True)
class Chromium:
    path: Path
    flags: tuple[str, ...] = FLAGS

    def argv(self, *args: str) -> list[str]:
        """The command line: the browser, its headless flags, then ``args``."""
        return [str(self.path), *self.flags, *args]


@pytest.fixture(scope="session")
def chromium() -> Chromium:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Chromium for browser tests")
        pytest.skip(f"{CHROMIUM} is not installed")
    return Chromium(CHROMIUM)
