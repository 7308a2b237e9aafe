"""Open a store database by URL, set SQLite pragmas, and apply the shipped migrations.

``sqlite:///path`` (the default is ``<workspace>/stalwart.db``) or
``postgresql+psycopg://user@host/db`` (``postgresql://`` and ``postgres://`` mean psycopg 3).
Migrations are the alembic scripts in ``stalwart/store/migrations``; ``upgrade head`` runs on
every open, under a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so
concurrent openers of a fresh database do not race.

>>> engine = create_store_engine("sqlite://")
>>> migrate(engine) == head_revision()
True
>>> migrate(engine) == head_revision()  # idempotent
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from .._json import jsonable
from .._optional import require
from ..exceptions import DataError, ParameterError

__all__ = ["WriteTurns", "create_store_engine", "head_revision", "migrate", "resolve_url",
           "utcnow", "writing"]

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x57A1_3A27  # PostgreSQL advisory lock for migrations
_SCHEMES = "sqlite:///<path>, postgresql+psycopg://<user>@<host>:<port>/<db>"


def utcnow() -> dt.datetime:
    """Now in UTC, naive (the store's storage convention)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _dumps(value: Any) -> str:
    return json.dumps(value, allow_nan=False, default=jsonable)


def resolve_url(url: str | None, *, workspace: str | Path | None = None) -> sa.URL:
    """The SQLAlchemy URL for ``url``; ``None`` means ``<workspace>/stalwart.db``."""
    if url is None:
        if workspace is None:
            from .._config import Settings
            workspace = Settings.from_env().workspace
        folder = Path(workspace)
        folder.mkdir(parents=True, exist_ok=True)
        return make_url(f"sqlite:///{(folder / 'stalwart.db').resolve()}")
    if not isinstance(url, str) or "://" not in url:
        raise ParameterError("store URL", expected=f"a database URL such as {_SCHEMES}",
                             got=repr(url), fix="pass a URL with a scheme, or None for the "
                             "workspace's SQLite file")
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy's ArgumentError and friends
        raise ParameterError("store URL", expected=f"a database URL such as {_SCHEMES}",
                             got=repr(url), fix=f"correct the URL ({exc})") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgres":
        backend = "postgresql"
    if backend == "postgresql" and driver in ("", "psycopg"):
        require("psycopg", extra="sql", purpose="a PostgreSQL store")
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return parsed.set(drivername="sqlite")
    raise ParameterError("store URL scheme", expected=f"sqlite or postgresql ({_SCHEMES})",
                         got=repr(parsed.drivername), fix="use a SQLite file or a PostgreSQL "
                         "database through psycopg 3")


def create_store_engine(url: str | None = None, *,
                        workspace: str | Path | None = None) -> Engine:
    """An engine for ``url`` with the store's settings (no connection is made yet)."""
    resolved = resolve_url(url, workspace=workspace)
    kwargs: dict[str, Any] = {"json_serializer": _dumps, "future": True}
    if resolved.get_backend_name() == "sqlite":
        if resolved.database in (None, "", ":memory:"):
            kwargs.update(poolclass=StaticPool,
                          connect_args={"check_same_thread": False})
        else:
            kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
        engine = sa.create_engine(resolved, **kwargs)
        _sqlite_events(engine)
        if resolved.database not in (None, "", ":memory:"):
            turns = _TURNS[engine] = WriteTurns(resolved.database)
            weakref.finalize(engine, turns.close)
    else:
        kwargs.update(pool_pre_ping=True, connect_args={"connect_timeout": 5})
        engine = sa.create_engine(resolved, **kwargs)
    return engine


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        for pragma in ("busy_timeout=60000", "journal_mode=WAL", "synchronous=NORMAL",
                       "foreign_keys=ON"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("stalwart_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class WriteTurns:
    """Writers of one SQLite file wait their turn here before ``BEGIN IMMEDIATE``: a lock
    between the threads of this process, then ``flock`` on a side file (``<db>-writers``)
    between processes.

    Hand-written because SQLite's own wait for its write lock (``busy_timeout``) polls with
    sleeps of 1, 2, 5, 10 ... up to 100 ms: a writer that arrives while another commits
    sleeps past the moment the lock is free, which under concurrent ingest was tens of
    milliseconds of a batch's latency. The operating system's locks wake the next writer as
    soon as the previous one is done. SQLite's lock still decides; this only orders the
    waiting, so a writer that does not take its turn here (another program) is still safe.
    A turn is re-entrant within a thread (a nested write waits on SQLite, as before).
    """

    def __init__(self, database: str) -> None:
        self.path = f"{database}-writers"
        self._lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # a forked child opens its own
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            self._pid = os.getpid()
        return self._fd

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0 and _fcntl is not None:
                _fcntl.flock(self._file(), _fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and _fcntl is not None:
                    _fcntl.flock(self._file(), _fcntl.LOCK_UN)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
            self._fd = None


try:
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows: threads take turns, processes poll
    _fcntl = None


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: on SQLite it takes the write lock up front (waiting its turn in
    :class:`WriteTurns` first, for a file database)."""
    turns = _TURNS.get(engine)
    with contextlib.nullcontext() if turns is None else turns.turn():
        with engine.connect() as conn:
            conn.execution_options(stalwart_write=True)
            with conn.begin():
                yield conn


#: the write turns of each file-backed SQLite engine (dropped with the engine)
_TURNS: weakref.WeakKeyDictionary[Engine, WriteTurns] = weakref.WeakKeyDictionary()


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def migrate(engine: Engine) -> str:
    """Apply the shipped migrations up to head (a no-op when current); return the revision."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    try:
        with writing(engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            current = MigrationContext.configure(conn).get_current_revision()
            if current != head:
                cfg = Config()
                cfg.set_main_option("script_location", str(MIGRATIONS))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
    except sa.exc.OperationalError as exc:
        raise DataError("store database", expected="a reachable, writable database",
                        got=f"{engine.url.render_as_string(hide_password=True)}: "
                        f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}",
                        fix="check the URL, that the server runs and accepts this user, "
                        "or that the folder is writable") from None
    return head
