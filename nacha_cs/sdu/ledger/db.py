"""Opening the ledger database and migrating it: SQLite by default, PostgreSQL by URL.

Every failure a person can cause (a path that is not a database, a database that is not a
ledger or was made by a newer nacha-cs, a server that cannot be reached) becomes one
:class:`LedgerError` with a sentence that says what to do; callers print it and exit 2.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

DEFAULT_URL = "sqlite:///nacha-cs.db"
URL_VARIABLE = "NACHA_CS_DB"
BUSY_TIMEOUT_MS = 120_000
"""How long a SQLite writer waits for another (a concurrent ingest of a large file)."""


class LedgerError(Exception):
    """A problem with the ledger itself, said in one sentence (the CLI exits 2)."""


def database_url(given: str | None = None) -> str:
    """``--db`` if given, else ``NACHA_CS_DB``, else ``./nacha-cs.db``."""
    return given or os.environ.get(URL_VARIABLE) or DEFAULT_URL


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA cache_size = -32768")  # 32 MiB of page cache: index inserts
    cursor.close()


def engine_for(url: str) -> Engine:
    """An engine for ``url``, not yet connected; LedgerError for a URL that cannot work."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise LedgerError(f"{url!r} is not a database URL (sqlite:///path or "
                          "postgresql+psycopg://user@host/db)") from error
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and os.path.isdir(database):
            raise LedgerError(f"{database} is a folder, not a database file")
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except NoSuchModuleError as error:
        raise LedgerError(
            f"no driver for {parsed.drivername}; for PostgreSQL use postgresql+psycopg://... "
            "and pip install 'nacha-cs[postgres]'") from error
    except ImportError as error:
        raise LedgerError(f"the database driver is not installed ({error}); "
                          "pip install 'nacha-cs[postgres]'") from error


def describe_error(url: str, error: SQLAlchemyError) -> str:
    """One sentence for a database error met while opening: corrupt, foreign or unreachable."""
    original = getattr(error, "orig", None)
    text = str(original or error).strip().splitlines()[0] if str(original or error) else ""
    lowered = text.lower()
    where = shown_url(url)
    if "file is not a database" in lowered or "malformed" in lowered:
        return f"{where} is not a nacha-cs ledger: the file is not an SQLite database or is damaged"
    if "unable to open database" in lowered:
        return f"cannot open {where}: the folder does not exist or cannot be written"
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return f"lost the connection to {where}: {text}"
    return f"database {where}: {text}"


def _migrations_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    location = resources.files("nacha_cs.sdu") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration this nacha-cs ships."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_migrations_config(None)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; None for an empty database. LedgerError when the
    file is not a database, or holds tables but no ledger."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision is None and inspect(connection).get_table_names():
                raise LedgerError(f"{shown_url(str(engine.url))} holds tables but is not a "
                                  "nacha-cs ledger; name another database with --db")
            return revision
    except SQLAlchemyError as error:
        raise LedgerError(describe_error(str(engine.url), error)) from error


def upgrade(url: str) -> tuple[str | None, str]:
    """Create the ledger or bring it to the newest schema; returns (before, after) revisions."""
    from alembic import command

    engine = engine_for(url)
    try:
        before = current_revision(engine)
        head = head_revision()
        if before is not None and before != head and not _known(before):
            raise LedgerError(f"{shown_url(url)} was made by a newer nacha-cs (schema "
                              f"{before}); upgrade nacha-cs")
        try:
            with engine.begin() as connection:
                command.upgrade(_migrations_config(connection), "head")
        except SQLAlchemyError as error:
            raise LedgerError(describe_error(url, error)) from error
        return before, head
    finally:
        engine.dispose()


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_migrations_config(None))
    return any(r.revision == revision for r in script.walk_revisions())


def connect(url: str | None = None) -> Engine:
    """An engine on a ledger at the newest schema; LedgerError otherwise (saying to run
    ``nacha-cs db upgrade`` when the database is empty or older)."""
    url = database_url(url)
    parsed = make_url(url) if "://" in url else None
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not os.path.exists(database):
            raise LedgerError(f"there is no ledger at {database}: run "
                              f"`nacha-cs db upgrade --db {shown_url(url)}` to create it")
    engine = engine_for(url)
    revision = current_revision(engine)
    head = head_revision()
    if revision != head:
        engine.dispose()
        if revision is None:
            raise LedgerError(f"{shown_url(url)} is not a ledger yet: run "
                              f"`nacha-cs db upgrade --db {shown_url(url)}`")
        if not _known(revision):
            raise LedgerError(f"{shown_url(url)} was made by a newer nacha-cs (schema "
                              f"{revision}); upgrade nacha-cs")
        raise LedgerError(f"{shown_url(url)} is at an older schema ({revision}): run "
                          f"`nacha-cs db upgrade --db {shown_url(url)}`")
    return engine
