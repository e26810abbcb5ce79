"""The shipped migrations make exactly the tables of schema.py, on both databases, and the
bundled SDU samples are what scripts/make_sdu_samples.py makes today."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import REPO, Ledger

from nacha_cs.sdu.ledger.db import current_revision, head_revision
from nacha_cs.sdu.ledger.schema import metadata


def test_migrations_match_the_schema(ledger: Ledger) -> None:
    assert current_revision(ledger.engine) == head_revision()
    with ledger.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_sdu_samples_are_up_to_date() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "make_sdu_samples.py"),
                           "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
