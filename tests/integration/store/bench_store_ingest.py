"""Measure ``Store.ingest_events`` on 10,000-event batches, SQLite and PostgreSQL.

Run: ``python tests/integration/store/bench_store_ingest.py [postgresql-url]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path


def main(pg_url: str) -> None:
    import sqlalchemy as sa

    sys.path.insert(0, str(Path(__file__).parent))
    from stalwart_store_worker import make_event

    from stalwart.store import open_store

    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for url in (f"sqlite:///{tmp}/bench.db",
                        f"{pg_url}?options=-csearch_path%3D{schema}"):
                with open_store(url) as store:
                    for rep in range(3):
                        events = [make_event(i + rep * 10_000) for i in range(10_000)]
                        t0 = time.perf_counter()
                        assert store.ingest_events(events).accepted == 10_000
                        t1 = time.perf_counter()
                        assert store.ingest_events(events).duplicates == 10_000
                        t2 = time.perf_counter()
                        print(f"{store.dialect:10s} batch {rep}: new {10_000 / (t1 - t0):,.0f}"
                              f" events/s, re-sent {10_000 / (t2 - t1):,.0f} events/s")
                    t0 = time.perf_counter()
                    n = len(store.events("churn"))
                    print(f"{store.dialect:10s} read {n} events: {time.perf_counter() - t0:.2f} s")
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1
         else "postgresql+psycopg://postgres@127.0.0.1:5432/test")
