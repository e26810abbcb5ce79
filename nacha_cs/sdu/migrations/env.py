"""Alembic's environment for the ledger: run from :func:`nacha_cs.sdu.ledger.db.upgrade`, which
passes the open connection in ``config.attributes["connection"]`` (no alembic.ini, no URL
here)."""

from __future__ import annotations

from alembic import context

from nacha_cs.sdu.ledger.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by the alembic command by mistake
    raise RuntimeError("run migrations with `nacha-cs db upgrade`, not the alembic command")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
