"""Measure the monitoring server's ingest throughput and the overhead of ``monitor.wrap``.

    python benchmarks/ingest.py                          # SQLite and PostgreSQL, and wrap
    python benchmarks/ingest.py --stores sqlite --duration 10 --skip-wrap
    python benchmarks/ingest.py --only wrap              # wrap only; server part kept

What it does, in one run:

1. for each store (a fresh SQLite file in the cache folder; a fresh schema of the
   PostgreSQL database ``--pg-url``, dropped afterwards) starts ``stalwart serve`` with
   ``--workers`` uvicorn processes on loopback, then ``--clients`` client processes that POST
   batches of ``--batch`` seeded events over keep-alive connections
   (``benchmarks/_ingest_load.py``): ``--warmup`` seconds not counted, then ``--duration``
   seconds measured. Two loads on the same server: *closed loop* (each client sends its next
   batch when the previous answer arrived: the saturation rate, one run per ``--batch``
   size) and *open loop* (as wrk2 does: the clients together offer ``--rates`` events/s in
   ``--open-batch``-event batches on a fixed schedule, and each batch's latency runs from
   its *scheduled* send time, so a stall also charges the batches it delayed); achieved
   events/s and p50/p95/p99 batch latency of each;
2. with the server stopped, the baselines on the same database in one process without
   HTTP: ``Store.ingest_events`` and a plain SQLAlchemy ``executemany`` of the already
   validated rows (the database's own ceiling for this table);
3. ``monitor.wrap(model)`` against the bare ``predict`` of three fitted scikit-learn models
   on 1, 100 and 1000 rows per call (``benchmarks/_ingest_wrap.py``);
4. writes the ingest section of ``docs/benchmarks.md`` (between ``<!-- ingest:start -->`` and
   ``<!-- ingest:end -->``) and the raw numbers to ``<cache>/results/``, with the load
   average of the machine before and after each part.

Targets (from the issue): at least 20,000 events/s batched with p99 batch latency under
100 ms on both stores, judged on the open-loop run at 20,000 events/s (met only if the
achieved rate is at least 20,000 and its p99 is under 100 ms); ``wrap`` under 5% overhead on
batched calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _ingest_load import (baselines, busy_cores, client_main, cpu_times,  # noqa: E402
                          summarise)
from _ingest_report import render, replace_section  # noqa: E402
from _machine import THREAD_PINS, machine_info  # noqa: E402
from _publish import add_output_args, measure_and_publish, say as _say  # noqa: E402
from _venvs import default_cache_dir  # noqa: E402

__all__ = ["main", "parse_args", "run_benchmark", "run_store"]

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TOKEN = "bench-" + uuid.uuid4().hex



def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stores", default="sqlite,postgresql",
                   help="comma-separated: sqlite, postgresql")
    p.add_argument("--pg-url", default=PG_URL, help="PostgreSQL database (a schema is made)")
    p.add_argument("--clients", type=int, default=4, help="client processes")
    p.add_argument("--workers", type=int, default=2,
                   help="uvicorn worker processes (default: one per core of the 2-core "
                        "machine the section is measured on)")
    p.add_argument("--batch", default="1000,250",
                   help="comma-separated events per POST: one load run per size (the first "
                        "is the headline and the baselines' size)")
    p.add_argument("--rates", default="20000,25000",
                   help="comma-separated offered events/s of the open-loop runs (all clients "
                        "together; 0 or empty: none)")
    p.add_argument("--open-batch", type=int, default=500,
                   help="events per POST of the open-loop runs")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds not counted")
    p.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    p.add_argument("--baseline-batches", type=int, default=20,
                   help="batches of the in-process baselines")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--skip-wrap", action="store_true", help="no wrap overhead part")
    p.add_argument("--only", choices=["wrap"], default=None,
                   help="measure only this part; the server part is kept from the newest "
                        "saved raw ingest run (or --stores-from)")
    p.add_argument("--stores-from", type=Path, default=None,
                   help="with --only wrap: the raw run whose server part is kept")
    p.add_argument("--wrap-budget", type=float, default=4.0,
                   help="seconds of timed calls per wrap case (roughly)")
    add_output_args(p, section="ingest", keeps="stores")
    args = p.parse_args(argv)
    if args.only == "wrap":
        args.skip_wrap = False
    args.stores = [s for s in args.stores.split(",") if s]
    if unknown := sorted(set(args.stores) - {"sqlite", "postgresql"}):
        p.error(f"unknown stores: {', '.join(unknown)}")
    args.batches = [int(b) for b in str(args.batch).split(",") if b.strip()]
    args.batch = args.batches[0] if args.batches else 0
    args.rates = [float(r) for r in str(args.rates).split(",") if r.strip() and float(r) > 0]
    if (min(args.clients, args.workers, args.batch, args.open_batch, *args.batches) < 1
            or args.duration <= 0):
        p.error("--clients, --workers, --batch, --open-batch and --duration must be positive")
    return args


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(store_url: str, *, workers: int, log: Path,
                  tokens: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STALWART_")}
    env.update(THREAD_PINS)
    cmd = [sys.executable, "-c", "from stalwart.cli.serve import serve_command; "
           "serve_command()", "--store", store_url, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--token-file", str(tokens), "--log-level", "warning"]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=out, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited {proc.returncode}: "
                               f"{log.read_text(errors='replace')[-1500:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                time.sleep(0.5 * workers)  # every worker up, not only the first
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    _stop(proc)
    raise RuntimeError(f"the server did not answer /healthz in 60 s (log: {log})")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _drive(url: str, args: argparse.Namespace, run: str, batch: int,
           rate: float | None = None) -> dict[str, Any]:
    """One load run: closed loop, or open loop at ``rate`` events/s over all clients."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    # every client imported, then connected (one every 0.4 s), before the start
    start_at = time.time() + 3.0 + 0.4 * args.clients
    procs = [ctx.Process(target=client_main, args=(url, TOKEN),
                         kwargs={"client": c, "run": run, "batch": batch,
                                 "seed": args.seed, "start_at": start_at,
                                 "warmup": args.warmup, "duration": args.duration,
                                 "queue": queue, "clients": args.clients,
                                 "rate": None if rate is None else rate / args.clients})
             for c in range(args.clients)]
    for proc in procs:
        proc.start()
    time.sleep(max(0.0, start_at + args.warmup - time.time()))
    before = cpu_times()
    time.sleep(max(0.0, start_at + args.warmup + args.duration - time.time()))
    after = cpu_times()
    results = [queue.get(timeout=args.warmup + args.duration + 180)
               for _ in procs]
    for proc in procs:
        proc.join(30)
    out = summarise(results, start_at=start_at, warmup=args.warmup, duration=args.duration,
                    rate=rate)
    out["machine_busy_cores"] = busy_cores(before, after, args.duration)
    return out


def _store_url(store: str, args: argparse.Namespace, folder: Path) -> tuple[str, Any]:
    if store == "sqlite":
        return f"sqlite:///{folder / 'ingest.db'}", None
    import sqlalchemy as sa
    schema = "bench_ingest_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(args.pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in args.pg_url else "?"
    return f"{args.pg_url}{sep}options=-csearch_path%3D{schema}", drop


def _versions(store: str, url: str) -> str:
    if store == "sqlite":
        import sqlite3
        return f"SQLite {sqlite3.sqlite_version}"
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        text = conn.execute(sa.text("SELECT version()")).scalar()
    engine.dispose()
    return " ".join(str(text).split()[:2])


def _line(s: dict[str, Any]) -> str:
    return (f"{s['events_per_s']:,.0f} events/s, p50 {s['p50_ms']:.1f} ms, p95 "
            f"{s['p95_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, {s['machine_busy_cores']:.2f} "
            f"cores busy, {s['errors']} errors, {s.get('unsent', 0)} unsent")


def run_store(store: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Serve one store, drive it, stop it, then the in-process baselines."""
    url, drop = _store_url(store, args, folder)
    tokens = folder / "tokens.json"
    tokens.write_text(json.dumps({TOKEN: ["ingest"]}), encoding="utf-8")
    try:
        out: dict[str, Any] = {"database": _versions(store, url), "load_before": _load()}
        proc, server = _start_server(url, workers=args.workers, log=folder / f"{store}.log",
                                     tokens=tokens)
        try:
            # the open loop first, the target's rate first: saturating the store before it
            # leaves PostgreSQL vacuuming and checkpointing the rows just written, work the
            # next run would share the two cores with
            out["open"] = {}
            for rate in args.rates:
                s = out["open"][f"{rate:g}"] = _drive(
                    server, args, run=f"{store}-r{rate:g}-{uuid.uuid4().hex[:6]}",
                    batch=args.open_batch, rate=rate)
                _say(f"{store}, open loop at {rate:,.0f} events/s, batches of "
                     f"{args.open_batch}: {_line(s)}")
            out["runs"] = {}
            for batch in args.batches:
                s = out["runs"][str(batch)] = _drive(
                    server, args, run=f"{store}-{batch}-{uuid.uuid4().hex[:6]}", batch=batch)
                _say(f"{store}, closed loop, batches of {batch}: {_line(s)}")
        finally:
            _stop(proc)
        out["server"] = out["runs"][str(args.batch)]
        out["load_after_server"] = _load()
        out["baselines"] = baselines(url, batch=args.batch, batches=args.baseline_batches,
                                     seed=args.seed)
        for name, b in out["baselines"].items():
            _say(f"{store} baseline {name}: {b['events_per_s']:,.0f} events/s")
        out["load_after"] = _load()
        return out
    finally:
        if drop is not None:
            drop()


def run_benchmark(args: argparse.Namespace, *,
                  argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Every store, then wrap; the raw measurements (``--only wrap``: wrap, merged into a
    saved run's server part, which keeps its own date and command)."""
    import platform

    import fastapi
    import sklearn
    import sqlalchemy
    import uvicorn

    try:
        import orjson
        orjson_version = orjson.__version__
    except ImportError:
        orjson_version = None
    cache = Path(args.cache_dir or default_cache_dir()).expanduser()
    cache.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {
        "benchmark": "ingest", "date": dt.datetime.now(dt.timezone.utc).isoformat(),
        "command": "python benchmarks/ingest.py" + ("" if not argv else " "
                                                    + shlex.join(argv)),
        "machine": machine_info(), "settings": {k: v for k, v in vars(args).items()
                                                if k not in ("cache_dir", "out", "from_json")},
        "versions": {"python": platform.python_version(), "fastapi": fastapi.__version__,
                     "uvicorn": uvicorn.__version__, "sqlalchemy": sqlalchemy.__version__,
                     "scikit-learn": sklearn.__version__, "orjson": orjson_version},
        "stores": {}}
    command = run["command"]
    if args.only == "wrap":
        saved = args.stores_from or _newest_run(cache)
        if saved is None:  # rendering without it would wipe the server tables from the doc
            raise SystemExit(f"--only wrap keeps the server part of a saved run, and none is "
                             f"in {cache / 'results'}: run the whole benchmark once "
                             f"(python benchmarks/ingest.py) or pass --stores-from FILE")
        kept = json.loads(Path(saved).read_text(encoding="utf-8"))
        run.update({k: kept[k] for k in ("date", "command", "settings", "stores")
                    if k in kept})
        _say(f"server part kept from {saved}")
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        for store in ([] if args.only == "wrap" else args.stores):
            folder = Path(tmp) / store
            folder.mkdir()
            _say(f"{store}: {args.workers} server worker(s), {args.clients} clients, "
                 f"closed loop with batches of {args.batches}, open loop at {args.rates} "
                 f"events/s in batches of {args.open_batch}, {args.warmup:g} s warm-up, "
                 f"{args.duration:g} s")
            run["stores"][store] = run_store(store, args, folder)
    if not args.skip_wrap:
        from _ingest_wrap import measure_wrap
        os.environ.update(THREAD_PINS)
        load = _load()
        run["wrap"] = {"load_before": load, "command": command,
                       "date": dt.datetime.now(dt.timezone.utc).isoformat(),
                       "cases": measure_wrap(seed=args.seed, budget_s=args.wrap_budget,
                                             say=_say),
                       "load_after": _load()}
    return run


def _newest_run(cache: Path) -> Path | None:
    """The newest saved raw ingest run that measured the server."""
    for path in sorted((cache / "results").glob("ingest-*.json"), reverse=True):
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("stores"):
                return path
        except (OSError, ValueError):
            continue
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return measure_and_publish(
        args, name="ingest", measure=lambda: run_benchmark(
            args, argv=list(sys.argv[1:] if argv is None else argv)),
        render=render, replace_section=replace_section)


if __name__ == "__main__":
    sys.exit(main())
