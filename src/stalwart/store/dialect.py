"""SQL helpers for both dialects: ``INSERT ... ON CONFLICT DO NOTHING``, and ``IN`` queries
over many keys in chunks (databases cap the number of bound parameters).

>>> import sqlalchemy as sa
>>> t = sa.Table("t", sa.MetaData(), sa.Column("k", sa.String, primary_key=True))
>>> e = sa.create_engine("sqlite://")
>>> with e.connect() as c:
...     print(str(insert_ignore(c, t, ["k"]).compile(dialect=c.dialect)).split(") ", 1)[1])
VALUES (?) ON CONFLICT (k) DO NOTHING
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

__all__ = ["dialect_insert", "insert_ignore", "rows_where_in"]

CHUNK = 500


def dialect_insert(conn: sa.Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def insert_ignore(conn: sa.Connection, table: sa.Table, keys: list[str]) -> Any:
    """An insert of ``table`` that skips rows whose ``keys`` already exist."""
    return dialect_insert(conn, table).on_conflict_do_nothing(index_elements=keys)


def rows_where_in(conn: sa.Connection, select: Any, column: Any, values: Sequence[Any], *,
                  chunk: int = CHUNK) -> Iterator[Any]:
    """The rows of ``select`` whose ``column`` is among ``values``, ``chunk`` values a query.

    >>> t = sa.Table("u", sa.MetaData(), sa.Column("k", sa.Integer, primary_key=True))
    >>> e = sa.create_engine("sqlite://")
    >>> with e.begin() as c:
    ...     t.create(c)
    ...     _ = c.execute(t.insert(), [{"k": i} for i in range(10)])
    ...     sorted(r.k for r in rows_where_in(c, sa.select(t), t.c.k, [1, 3, 5, 42], chunk=2))
    [1, 3, 5]
    """
    values = list(values)
    for start in range(0, len(values), chunk):
        yield from conn.execute(select.where(column.in_(values[start:start + chunk])))
