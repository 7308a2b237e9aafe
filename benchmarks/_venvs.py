"""One cached virtual environment per peer tool, outside the repository.

The peers cannot share stalwart's environment (or each other's): each gets its own venv
under ``<cache>/venvs/<peer>``, created once with pinned versions. A marker file records
the requirements it was built with; a changed pin rebuilds it on the next run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

__all__ = ["PEERS", "default_cache_dir", "ensure_peer"]

#: peer -> (pip requirements, a statement that must import)
PEERS: dict[str, tuple[tuple[str, ...], str]] = {
    # deepchecks 0.19.1 fails to import on scikit-learn >= 1.7 ('max_error' scorer), uses
    # np.Inf (gone in numpy 2), and imports pkg_resources (gone in setuptools 81);
    # pyarrow 21+ needs numpy 2, so pyarrow stays below 21 to read the Parquet file.
    "deepchecks": (("deepchecks==0.19.1", "scikit-learn==1.6.1", "pandas==2.2.3", "numpy<2",
                    "pyarrow<21", "setuptools<81"),
                   "import deepchecks.tabular.suites, pyarrow"),
}

_MARKER = ".stalwart-bench.json"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stalwart-bench"


def _python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_peer(name: str, cache_dir: Path, *, log: Path | None = None) -> Path:
    """Return the Python of ``name``'s venv, creating and installing it if needed."""
    requirements, probe = PEERS[name]
    env_dir = Path(cache_dir) / "venvs" / name
    marker = env_dir / _MARKER
    wanted = {"requirements": list(requirements), "python": sys.version.split()[0]}
    python = _python(env_dir)
    if marker.exists() and python.exists():
        if json.loads(marker.read_text()) == wanted:
            return python
    log = log or Path(cache_dir) / "logs" / f"install-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"[bench] creating the {name} environment in {env_dir} (pip log: {log})",
          file=sys.stderr, flush=True)
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    with open(log, "a", encoding="utf-8") as fh:
        for cmd in ([str(python), "-m", "pip", "install", "--upgrade", "pip"],
                    [str(python), "-m", "pip", "install", *requirements]):
            fh.write("$ " + " ".join(cmd) + "\n")
            fh.flush()
            done = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"installing {name} failed (exit {done.returncode}); "
                                   f"see {log}")
    done = subprocess.run([str(python), "-W", "ignore", "-c", probe], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} installed but does not import:\n{done.stderr[-2000:]}")
    marker.write_text(json.dumps(wanted))
    return python
