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

__all__ = ["create_store_engine", "head_revision", "migrate", "resolve_url", "utcnow",
           "writing"]

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


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: on SQLite it takes the write lock up front (waiting its turn)."""
    with engine.connect() as conn:
        conn.execution_options(stalwart_write=True)
        with conn.begin():
            yield conn


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
