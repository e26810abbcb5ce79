"""The SDU ledger's commands that write: `db upgrade`, `ingest`, `orders import`,
`employers import`. Each opens the database named by --db or NACHA_CS_DB (./nacha-cs.db by
default); any problem with the database itself is one sentence and exit 2."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from nacha_cs.cli._output import fail, open_input
from nacha_cs.privacy import mask_ded_text
from nacha_cs.sdu.ledger.db import (
    LedgerError,
    connect,
    database_url,
    describe_error,
    shown_url,
    upgrade,
)
from nacha_cs.sdu.ledger.ingest import IngestResult, ingest_file
from nacha_cs.sdu.ledger.registers import (
    ImportResult,
    RegisterFileError,
    import_employers,
    import_orders,
)
from nacha_cs.sdu.ledger.settings import LedgerSettings, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    return click.option(
        "--db", "db", metavar="URL",
        help="The ledger: sqlite:///path.db or postgresql+psycopg://user@host/name "
             "(default: $NACHA_CS_DB, else sqlite:///nacha-cs.db).")(function)


def config_option(function: F) -> F:
    return click.option(
        "--config", type=click.Path(dir_okay=False), metavar="FILE",
        help="TOML with a [ledger] table: ssn_key, state (the environment's "
             "NACHA_CS_SSN_KEY and NACHA_CS_SDU_STATE come first).")(function)


def open_ledger(db: str | None) -> Engine:
    """The ledger, or a clear message and exit 2."""
    try:
        return connect(database_url(db))
    except LedgerError as error:
        fail(str(error))


def settings_or_exit(config: str | None, state: str | None = None) -> LedgerSettings:
    try:
        return load_settings(config, state=state)
    except LedgerError as error:
        fail(str(error))


@click.group()
def db() -> None:
    """Create or migrate the SDU ledger database."""


@db.command("upgrade", epilog="Example: nacha-cs db upgrade --db sqlite:///sdu.db")
@db_option
def db_upgrade(db: str | None) -> None:
    """Create the ledger, or bring it to the newest schema (safe to run again)."""
    url = database_url(db)
    try:
        before, after = upgrade(url)
    except LedgerError as error:
        fail(str(error))
    if before is None:
        click.echo(f"created the ledger at {shown_url(url)} (schema {after})")
    elif before == after:
        click.echo(f"{shown_url(url)} is at the newest schema ({after})")
    else:
        click.echo(f"upgraded {shown_url(url)} from schema {before} to {after}")


INGEST_EXAMPLE = """\b
Examples:
  nacha-cs ingest fixtures/sdu/acme-2025-03-07.ach
  NACHA_CS_DB=postgresql+psycopg://sdu@db/ledger nacha-cs ingest incoming/*.ach
"""


def _result_json(result: IngestResult) -> dict[str, Any]:
    return {
        "path": result.path, "status": result.status, "message": result.message,
        "sha256": result.sha256, "file_id": result.file_id,
        "same_as_file_id": result.same_as_file_id, "payments": result.payments,
        "posted": result.posted, "suspense": result.suspense, "reviews": result.reviews,
        "returns": result.returns, "terminations": result.terminations,
        "errors": result.errors, "warnings": result.warnings,
        "findings": [{"code": f.code, "severity": f.severity, "line": f.line,
                      "column": f.column, "field": f.field,
                      "message": mask_ded_text(f.message)} for f in result.findings],
    }


def _print_result(result: IngestResult) -> None:
    label = {"stored": "stored", "duplicate": "refused", "rejected": "REJECTED",
             "unreadable": "UNREADABLE"}[result.status]
    click.echo(f"{result.path}: {label} - {result.message}")
    if result.status in ("rejected", "unreadable") or result.errors:
        for finding in [f for f in result.findings if f.severity == "error"][:5]:
            where = f"line {finding.line}" if finding.line else "file"
            click.echo(f"  {finding.code} {where}: {mask_ded_text(finding.message)}")


@click.command(epilog=INGEST_EXAMPLE)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@config_option
@click.option("--state", metavar="XX", help="The SDU's state (OK): a FIPS code of another "
              "state sends the payment to suspense (default: NACHA_CS_SDU_STATE).")
@click.option("--keep-invalid", is_flag=True,
              help="Store a file with validation errors anyway, its findings with it.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def ingest(paths: tuple[str, ...], db: str | None, config: str | None, state: str | None,
           keep_invalid: bool, output: str) -> None:
    """Validate ACH files and store them in the ledger, each in one transaction (all or
    nothing): payments, suspense items, returns, duplicates flagged. Exit 0 stored (or
    already stored), 1 refused for validation errors, 2 unreadable or a database problem."""
    settings = settings_or_exit(config, state)
    engine = open_ledger(db)
    results: list[IngestResult] = []
    worst = 0
    try:
        for path in paths:
            try:
                with open_input(path, "ingesting", progress=output == "text") as stream:
                    result = ingest_file(engine, path, settings, stream=stream,
                                         keep_invalid=keep_invalid)
            except OSError as error:
                result = IngestResult(path, "unreadable",
                                      f"cannot read the file: {error.strerror or error}")
            except LedgerError as error:
                fail(str(error))
            results.append(result)
            worst = max(worst, result.exit_code)
            if output == "text":
                _print_result(result)
    finally:
        engine.dispose()
    if output == "json":
        click.echo(json.dumps({"files": [_result_json(r) for r in results]}, indent=2,
                              default=str))
    raise SystemExit(worst)


def _import_register(db: str | None, path: str, what: str,
                     load: Callable[[Engine], ImportResult]) -> None:
    """Both registers import alike: one transaction, every problem said, exit 1 or 2."""
    engine = open_ledger(db)
    try:
        result = load(engine)
    except (RegisterFileError, LedgerError) as error:
        fail(str(error))
    except SQLAlchemyError as error:
        fail(describe_error(str(engine.url), error))
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    finally:
        engine.dispose()
    _report_import(result, what)


def _report_import(result: ImportResult, what: str) -> None:
    if result.errors:
        for error in result.errors[:50]:
            click.echo(f"nacha-cs: {error}", err=True)
        more = len(result.errors) - 50
        if more > 0:
            click.echo(f"nacha-cs: ... and {more} more", err=True)
        click.echo(f"nacha-cs: nothing imported: {len(result.errors)} problem(s) in "
                   f"{result.rows} row(s)", err=True)
        raise SystemExit(1)
    click.echo(f"{what}: {result.created} added, {result.updated} updated "
               f"({result.rows} row(s))")


@click.group()
def orders() -> None:
    """The income withholding orders register."""


@orders.command("import", epilog="Example: nacha-cs orders import fixtures/sdu/orders.csv")
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
@config_option
def orders_import(path: str, db: str | None, config: str | None) -> None:
    """Import orders from CSV or JSON: case_id, ncp_name, ncp_ssn, employer_ein, action
    (ORG/AMD/TRM/LUM), current_support, past_due_support, cash_medical, spousal_support,
    other_amount, lump_sum (dollars), frequency (W/B/S/M), arrears_over_12_weeks, order_date,
    iwo_sent_date, ack_date, ack_status (A/R), ack_reason (B S W D M N U X Z),
    terminated_date. One bad row imports nothing (exit 1)."""
    settings = settings_or_exit(config)
    _import_register(db, path, "orders", lambda engine: import_orders(engine, path, settings))


@click.group()
def employers() -> None:
    """The employers register (with the agents each employer links)."""


@employers.command("import",
                   epilog="Example: nacha-cs employers import fixtures/sdu/employers.csv")
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date agent links and removals take effect (default: today).")
def employers_import(path: str, db: str | None, as_of: dt.datetime | None) -> None:
    """Import employers from CSV or JSON: ein, name, employee_count, federal_tax_eft (Y/N),
    state, agents (EIN:NAME;... the agents the employer links now; only the employer links
    or removes an agent). One bad row imports nothing (exit 1)."""
    day = as_of.date() if as_of else None
    _import_register(db, path, "employers",
                     lambda engine: import_employers(engine, path, as_of=day))
