"""Alembic environment: runs on the connection that ``stalwart.store.engine.migrate`` passes."""

from __future__ import annotations

from alembic import context

from stalwart.store.schema import metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # pragma: no cover - the alembic CLI is not how the store migrates
        raise RuntimeError("run migrations through stalwart.store.open_store(url)")
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # imported by alembic, not by a test collector
    run()
