"""The SDU ledger's commands for staff: `suspense list|resolve`, `statement`, `payments`.
SSNs show as ***-**-6789: the ledger holds no more of them."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json
from typing import Any

import click
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from nacha_cs.ach.writer import OutputExistsError, write_lines_atomically
from nacha_cs.cli._output import fail, money, stdout_console
from nacha_cs.cli.ledger import db_option, open_ledger
from nacha_cs.sdu.ledger.db import LedgerError, describe_error
from nacha_cs.sdu.ledger.queries import PAYMENT_COLUMNS, payments_query
from nacha_cs.sdu.ledger.statement import (
    employer_statement,
    render_csv,
    render_json,
    render_text,
)
from nacha_cs.sdu.ledger.suspense import SUSPENSE_COLUMNS, list_suspense, resolve
from nacha_cs.spreadsheet import SafeDictWriter

DATE = click.DateTime(["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def _json(rows: list[dict[str, Any]], key: str) -> str:
    return json.dumps({key: rows}, indent=2, default=str)


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in columns})
    return buffer.getvalue().rstrip("\n")


@click.group()
def suspense() -> None:
    """Payments that could not be posted, and their resolution."""


@suspense.command("list", epilog="Example: nacha-cs suspense list --employer 123456789")
@db_option
@click.option("--all", "show_all", is_flag=True, help="Resolved items too.")
@click.option("--employer", metavar="EIN", help="Only this employer's items.")
@click.option("--format", "output", type=click.Choice(["text", "csv", "json"]),
              default="text", show_default=True)
def suspense_list(db: str | None, show_all: bool, employer: str | None, output: str) -> None:
    """Suspense items, oldest first, with the reason each payment could not be posted."""
    engine = open_ledger(db)
    try:
        rows = list_suspense(engine, open_only=not show_all, employer_ein=employer)
    except SQLAlchemyError as error:
        fail(describe_error(str(engine.url), error))
    finally:
        engine.dispose()
    if output == "json":
        click.echo(_json(rows, "suspense"))
        return
    if output == "csv":
        click.echo(_csv(rows, SUSPENSE_COLUMNS))
        return
    if not rows:
        click.echo("no open suspense items" if not show_all else "no suspense items")
        return
    table = Table(title=f"{len(rows)} suspense item(s)")
    for column in ("id", "received", "employer", "case", "pay date", "amount", "SSN",
                   "reason", "resolved"):
        table.add_column(column, justify="right" if column in ("id", "amount") else "left")
    for r in rows:
        done = (f"{r['resolved_case']} by {r['resolved_by']}" if r["resolved_at"] else "")
        table.add_row(str(r["id"]), str(r["received_date"]), r["employer_ein"],
                      r["case_id"] or "-", str(r["pay_date"] or "-"), money(r["amount"]),
                      r["ssn"] or "-", r["reason_text"], done)
    stdout_console().print(table)


@suspense.command("resolve",
                  epilog='Example: nacha-cs suspense resolve 3 --case 4010002 --by "J. Doe"')
@click.argument("item", type=int)
@click.option("--case", "case_id", required=True, help="The case to post the payment to.")
@click.option("--by", help="Who resolves it (default: the login name).")
@click.option("--note", help="Why, for the next person who reads it.")
@db_option
def suspense_resolve(item: int, case_id: str, by: str | None, note: str | None,
                     db: str | None) -> None:
    """Post suspense item ITEM to a case of the orders register; who and when are kept."""
    engine = open_ledger(db)
    try:
        done = resolve(engine, item, case_id, by or getpass.getuser(), note=note)
    except LedgerError as error:
        fail(str(error))
    except SQLAlchemyError as error:
        fail(describe_error(str(engine.url), error))
    finally:
        engine.dispose()
    click.echo(f"suspense item {item}: {money(done['amount'])} posted to case "
               f"{done['resolved_case']} by {done['resolved_by']} at "
               f"{done['resolved_at']:%Y-%m-%d %H:%M}")


@click.command(epilog="Example: nacha-cs statement --employer 123456789 --from 2025-03-01 "
               "--to 2025-03-31")
@click.option("--employer", required=True, metavar="EIN", help="The employer's EIN.")
@click.option("--from", "date_from", type=DATE, required=True, metavar="YYYY-MM-DD")
@click.option("--to", "date_to", type=DATE, required=True, metavar="YYYY-MM-DD")
@click.option("--format", "output", type=click.Choice(["text", "csv", "json"]),
              default="text", show_default=True)
@click.option("-o", "--output-file", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@db_option
def statement(employer: str, date_from: dt.datetime, date_to: dt.datetime, output: str,
              output_file: str | None, force: bool, db: str | None) -> None:
    """An employer's statement: every payment received in the period by case and pay date,
    totals, suspense items and returns (seed 001)."""
    if date_to < date_from:
        fail("--to is before --from")
    engine = open_ledger(db)
    try:
        made = employer_statement(engine, employer.replace("-", ""), date_from.date(),
                                  date_to.date())
    except SQLAlchemyError as error:
        fail(describe_error(str(engine.url), error))
    finally:
        engine.dispose()
    render = {"text": render_text, "csv": render_csv, "json": render_json}[output]
    lines = render(made)
    if output_file is None:
        click.echo("\n".join(lines))
        return
    try:
        write_lines_atomically(output_file, lines, force=force)
    except OutputExistsError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write {output_file}: {error.strerror or error}")
    click.echo(f"wrote the statement to {output_file}", err=True)


@click.command(epilog="Example: nacha-cs payments --case 4010001 --from 2025-03-01")
@click.option("--case", "case_id", help="Payments read for, or posted to, this case.")
@click.option("--employer", metavar="EIN", help="Payments for this employer.")
@click.option("--from", "date_from", type=DATE, metavar="YYYY-MM-DD")
@click.option("--to", "date_to", type=DATE, metavar="YYYY-MM-DD")
@click.option("--received", is_flag=True, help="Dates bound the day received, not the pay date.")
@click.option("--status", type=click.Choice(["posted", "suspense", "returned"]))
@click.option("--limit", type=int, default=1000, show_default=True)
@click.option("--format", "output", type=click.Choice(["text", "csv", "json"]),
              default="text", show_default=True)
@db_option
def payments(case_id: str | None, employer: str | None, date_from: dt.datetime | None,
             date_to: dt.datetime | None, received: bool, status: str | None, limit: int,
             output: str, db: str | None) -> None:
    """Payments in the ledger, by pay date."""
    engine = open_ledger(db)
    try:
        rows = payments_query(engine, limit=limit, case_id=case_id,
                              employer_ein=employer.replace("-", "") if employer else None,
                              date_from=_day(date_from), date_to=_day(date_to),
                              date_field="received_date" if received else "pay_date",
                              status=status)
    except SQLAlchemyError as error:
        fail(describe_error(str(engine.url), error))
    finally:
        engine.dispose()
    if output == "json":
        click.echo(_json(rows, "payments"))
        return
    if output == "csv":
        click.echo(_csv(rows, PAYMENT_COLUMNS))
        return
    if not rows:
        click.echo("no payments match")
        return
    table = Table(title=f"{len(rows)} payment(s)" + (" (--limit reached)"
                                                     if len(rows) == limit else ""))
    for column in ("id", "pay date", "received", "case", "employer", "amount", "SSN",
                   "status"):
        table.add_column(column, justify="right" if column in ("id", "amount") else "left")
    for r in rows:
        state = r["status"] + (f" ({r['suspense_reason']})" if r["status"] == "suspense"
                               else "") + (", review" if r["review"] else "")
        table.add_row(str(r["id"]), str(r["pay_date"] or "-"), str(r["received_date"]),
                      r["posted_case"] or r["case_id"] or "-", r["employer_ein"],
                      money(r["amount"]), r["ssn"] or "-", state)
    stdout_console().print(table)
