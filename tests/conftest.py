"""Shared fixtures.

``tests/`` has no ``__init__.py``, so pytest puts this folder on sys.path and test modules import
the shared strategies and factories as ``from strategies import ...``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PEER_TESTDATA = SHARED / "peer-testdata"


@pytest.fixture
def peer_testdata() -> Path:
    """moov-io/ach's test files, read from ../shared beside the repo (never copied in)."""
    if not PEER_TESTDATA.is_dir():
        pytest.skip("../shared/peer-testdata not found beside the repo")
    return PEER_TESTDATA


# -- the ledger, on SQLite and on PostgreSQL ----------------------------------------------------

PG_VARIABLE = "NACHA_CS_TEST_PG_URL"
SSN_KEY = "test-key-0123456789abcdef"


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for one test: a fresh SQLite file, or a fresh schema on the
    PostgreSQL server scripts/services/postgres.sh starts (its URL in NACHA_CS_TEST_PG_URL).
    Without that server the PostgreSQL half skips, or fails under CI=true."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    base = os.environ.get(PG_VARIABLE)
    if not base:
        message = (f"{PG_VARIABLE} is not set: start PostgreSQL with `bash scripts/test` "
                   "(it sources scripts/services/postgres.sh)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # a server that is not there: fail under CI, as the brief says
        admin.dispose()
        message = f"cannot reach PostgreSQL at {base}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@attrs.define
class Ledger:
    url: str
    engine: Any
    settings: Any


@pytest.fixture
def ledger(ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """A migrated ledger, its engine, and settings with the test SSN key (state OK)."""
    from nacha_cs.sdu import ledger as api

    monkeypatch.setenv("NACHA_CS_SSN_KEY", SSN_KEY)
    monkeypatch.setenv("NACHA_CS_SDU_STATE", "OK")
    api.upgrade(ledger_url)
    engine = api.connect(ledger_url)
    try:
        yield Ledger(ledger_url, engine, api.load_settings())
    finally:
        engine.dispose()
