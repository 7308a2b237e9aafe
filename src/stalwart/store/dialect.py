"""``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL through their dialects.

>>> import sqlalchemy as sa
>>> t = sa.Table("t", sa.MetaData(), sa.Column("k", sa.String, primary_key=True))
>>> e = sa.create_engine("sqlite://")
>>> with e.connect() as c:
...     print(str(insert_ignore(c, t, ["k"]).compile(dialect=c.dialect)).split(") ", 1)[1])
VALUES (?) ON CONFLICT (k) DO NOTHING
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = ["dialect_insert", "insert_ignore"]


def dialect_insert(conn: sa.Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def insert_ignore(conn: sa.Connection, table: sa.Table, keys: list[str]) -> Any:
    """An insert of ``table`` that skips rows whose ``keys`` already exist."""
    return dialect_insert(conn, table).on_conflict_do_nothing(index_elements=keys)
