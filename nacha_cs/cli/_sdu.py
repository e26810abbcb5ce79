"""What the SDU staff commands (compliance, mandate, notice) share: the ledger, dates, output."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from nacha_cs.cli._output import fail

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from nacha_cs.sdu.facts import Facts

STATE_VARIABLE = "NACHA_CS_SDU_STATE"
"""The SDU's state when ``--state`` is not given (the ledger reads the same variable)."""


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date as YYYY-MM-DD", param_hint=option
                                 ) from None


def date_option(ctx: click.Context, param: click.Parameter, value: str | None
                ) -> dt.date | None:
    """Click callback: an ISO date or None."""
    return None if value is None else parse_date(value, f"--{param.name}".replace("_", "-"))


@contextmanager
def ledger(db: str | None, *, write: bool = False) -> Iterator[Connection]:
    """A connection to the ledger (one transaction when writing); every ledger problem becomes
    a one-line message and exit 2."""
    from sqlalchemy.exc import SQLAlchemyError

    from nacha_cs.sdu.ledger.db import LedgerError, connect, database_url, describe_error

    url = database_url(db)
    try:
        engine = connect(url)
    except LedgerError as error:
        fail(str(error))
    try:
        if write:
            with engine.begin() as connection:
                yield connection
        else:
            with engine.connect() as connection:
                yield connection
    except SQLAlchemyError as error:
        fail(describe_error(url, error))
    finally:
        engine.dispose()


@contextmanager
def facts_of(db: str | None) -> Iterator[Facts]:
    """The ledger's facts, usable inside the block (payments stream from the open
    connection)."""
    from nacha_cs.sdu.compliance_db import load_facts

    with ledger(db) as connection:
        yield load_facts(connection)


def remit_days(state: str | None) -> int:
    """Business days to remit under the named state profile (``--state`` or
    ``NACHA_CS_SDU_STATE``); 7, the federal limit, when neither names one."""
    from nacha_cs.validate.profiles import ProfileError, for_state, load_profile

    name = state or os.environ.get(STATE_VARIABLE)
    if not name:
        return 7
    profile = for_state(name) if len(name) == 2 else None
    if profile is None:
        try:
            profile = load_profile(name)
        except ProfileError as error:
            fail(str(error))
    return profile.remit_days


def emit(lines: list[str], output: str | None, force: bool, what: str) -> None:
    """Lines to standard output, or atomically to ``output`` (never over a file without
    ``--force``)."""
    from nacha_cs.ach.writer import OutputExistsError, atomic_output

    if output is None:
        click.echo("\n".join(lines))
        return
    try:
        with atomic_output(output, force=force, encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    except OutputExistsError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    click.echo(f"wrote {what} to {output}", err=True)


def plain(value: Any) -> Any:
    """A value as JSON and CSV want it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
