"""The registers payments post against, imported from CSV or JSON: employers (with the agents
they link) and income withholding orders (e-IWO action and disposition codes, SDU.md).

An import is checked whole before anything is written: every problem is reported with its row
(the CSV line, or the JSON list position from 1) and column, and one bad row imports nothing.
Money is written in dollars (``"123.45"``); a JSON number is refused for money, as in the
generator's config, because binary fractions have no place near cents.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs
from sqlalchemy import Connection, Engine, Table, select, update

from nacha_cs.amounts import parse_amount
from nacha_cs.sdu.ledger.codes import ACK_REASONS, ACK_STATUSES, FREQUENCIES, IWO_ACTIONS
from nacha_cs.sdu.ledger.schema import agents, employer_agents, employers, orders
from nacha_cs.sdu.ledger.settings import LedgerSettings, ensure_key

T = TypeVar("T")

FREQUENCY_WORDS = {"weekly": "W", "biweekly": "B", "every two weeks": "B", "semimonthly": "S",
                   "twice a month": "S", "monthly": "M"}
MONEY_COLUMNS = ("current_support", "past_due_support", "cash_medical", "spousal_support",
                 "other_amount", "lump_sum")
DATE_COLUMNS = ("order_date", "iwo_sent_date", "ack_date", "terminated_date")


@attrs.frozen
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@attrs.frozen
class ImportResult:
    rows: int
    created: int = 0
    updated: int = 0
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


class RegisterFileError(ValueError):
    """The register file as a whole cannot be read (not CSV/JSON, no rows, missing columns)."""


def read_rows(path: str | os.PathLike[str]) -> list[tuple[int, dict[str, str]]]:
    """(row number, values) from a CSV file with a header line or a JSON list of objects (or
    an object holding one list). CSV rows are numbered by their line in the file."""
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8-sig", newline="") as stream:
            if name.lower().endswith(".json"):
                return _json_rows(name, stream.read())
            reader = csv.DictReader(stream)
            if not reader.fieldnames:
                raise RegisterFileError(f"{name} is empty: a CSV register starts with a header")
            rows = []
            for values in reader:
                cleaned = {(k or "").strip().lower(): (v or "").strip()
                           for k, v in values.items() if k is not None}
                rows.append((reader.line_num, cleaned))
            return rows
    except UnicodeDecodeError as error:
        raise RegisterFileError(f"{name} is not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise RegisterFileError(f"{name}: {error}") from error


def _json_rows(name: str, text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegisterFileError(f"{name} is not JSON: {error.msg} at line {error.lineno}, "
                                f"column {error.colno}") from error
    if isinstance(document, dict) and len(document) == 1:
        document = next(iter(document.values()))
    if not isinstance(document, list):
        raise RegisterFileError(f"{name}: a JSON register is a list of objects")
    rows = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise RegisterFileError(f"{name}: item {number} is not an object")
        rows.append((number, {str(k).strip().lower(): _json_text(v) for k, v in item.items()}))
    return rows


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return f"\0float:{value}"  # refused by the money and count readers, with a reason
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else str(value).strip()


class _Row:
    """One row's values and the errors found reading them."""

    def __init__(self, number: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.number = number
        self.values = values
        self.errors = errors

    def fail(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False, size: int | None = None) -> str:
        value = self.values.get(column, "")
        if value.startswith("\0float:"):
            value = value[len("\0float:"):]
        if required and not value:
            self.fail(column, "is required")
        if size is not None and len(value) > size:
            self.fail(column, f"is {len(value)} characters; at most {size}")
        return value

    def read(self, column: str, parse: Callable[[str], T | None], what: str) -> T | None:
        value = self.values.get(column, "")
        if not value:
            return None
        parsed = parse(value) if not value.startswith("\0float:") else None
        if parsed is None:
            shown = value.removeprefix("\0float:")
            self.fail(column, f"{shown!r} is not {what}")
        return parsed

    def ein(self, column: str) -> str:
        value = self.text(column, required=True).replace("-", "")
        if value and not (len(value) == 9 and value.isdigit()):
            self.fail(column, f"{value!r} is not an EIN (nine digits, 12-3456789)")
        return value

    def money(self, column: str) -> int:
        return self.read(column, parse_amount, "an amount in dollars (\"123.45\")") or 0

    def date(self, column: str) -> dt.date | None:
        return self.read(column, _date, "a date (YYYY-MM-DD)")

    def flag(self, column: str) -> bool:
        return bool(self.read(column, _flag, "Y or N"))

    def code(self, column: str, codes: dict[str, str], *, default: str = "") -> str:
        value = self.text(column).upper() or default
        if value and value not in codes:
            self.fail(column, f"{value!r} is not one of {', '.join(codes)}")
        return value


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _flag(text: str) -> bool | None:
    return {"y": True, "yes": True, "true": True, "1": True, "n": False, "no": False,
            "false": False, "0": False}.get(text.lower())


def _count(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# -- employers -----------------------------------------------------------------------------------


def _agent_list(row: _Row) -> dict[str, str]:
    """``agents``: ``EIN`` or ``EIN:NAME`` items separated by ``;``."""
    found: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in row.text("agents").split(";"))):
        ein, _, name = item.partition(":")
        ein = ein.strip().replace("-", "")
        if not (len(ein) == 9 and ein.isdigit()):
            row.fail("agents", f"{item!r} is not an agent's EIN (nine digits, then :NAME)")
            continue
        found[ein] = name.strip()
    return found


def import_employers(engine: Engine, path: str | os.PathLike[str], *,
                     as_of: dt.date | None = None) -> ImportResult:
    """Add or update employers and their agents. Each row lists the agents the employer links
    now (seed 001: only the employer links or removes one): an agent no longer listed is
    removed from ``as_of`` (today), a new one linked from then."""
    rows = read_rows(path)
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, values in rows:
        row = _Row(number, values, errors)
        ein = row.ein("ein")
        if ein in seen:
            row.fail("ein", f"{ein} appears twice")
        seen.add(ein)
        parsed.append({
            "ein": ein,
            "name": row.text("name", required=True, size=120),
            "employee_count": row.read("employee_count", _count, "a whole number"),
            "federal_tax_eft": row.flag("federal_tax_eft"),
            "state": row.text("state", size=2).upper() or None,
            "agents": _agent_list(row),
        })
    if errors:
        return ImportResult(len(rows), errors=tuple(errors))
    today = as_of or dt.date.today()
    created = updated = 0
    with engine.begin() as connection:
        for item in parsed:
            links = item.pop("agents")
            item["updated_at"] = _now()
            exists = connection.execute(select(employers.c.ein).where(
                employers.c.ein == item["ein"])).first() is not None
            if exists:
                connection.execute(update(employers).where(employers.c.ein == item["ein"])
                                   .values(**item))
                updated += 1
            else:
                connection.execute(employers.insert().values(**item))
                created += 1
            _set_links(connection, item["ein"], links, today)
    refresh_statistics(engine, employers, employer_agents)
    return ImportResult(len(rows), created, updated)


def refresh_statistics(engine: Engine, *tables: Table) -> None:
    """PostgreSQL plans ingest's lookups from table statistics; right after a large import
    they are missing or stale (autovacuum comes later), and a lookup of 500 cases was then
    planned as a scan of every order: a million-payment ingest spent half its time there."""
    if engine.dialect.name != "postgresql":
        return
    quote = engine.dialect.identifier_preparer
    with engine.begin() as connection:
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {quote.format_table(table)}")


def _set_links(connection: Connection, ein: str, links: dict[str, str], today: dt.date) -> None:
    for agent, name in links.items():
        known = connection.execute(select(agents.c.name).where(agents.c.agent_id == agent)
                                   ).first()
        if known is None:
            connection.execute(agents.insert().values(agent_id=agent, name=name or agent))
        elif name and known[0] != name:
            connection.execute(update(agents).where(agents.c.agent_id == agent)
                               .values(name=name))
    link = employer_agents.c
    active = {r[0]: r[1] for r in connection.execute(
        select(link.agent_id, link.id).where(link.employer_ein == ein,
                                             link.removed_on.is_(None)))}
    for agent, link_id in active.items():
        if agent not in links:
            connection.execute(update(employer_agents).where(link.id == link_id)
                               .values(removed_on=today))
    for agent in links:
        if agent not in active:
            connection.execute(employer_agents.insert().values(
                employer_ein=ein, agent_id=agent, linked_on=today))


# -- orders --------------------------------------------------------------------------------------


def _frequency(row: _Row) -> str:
    value = row.text("frequency", required=True)
    code = FREQUENCY_WORDS.get(value.lower(), value.upper())
    if value and code not in FREQUENCIES:
        row.fail("frequency", f"{value!r} is not one of {', '.join(FREQUENCIES)} "
                 "(or weekly, biweekly, semimonthly, monthly)")
    return code


def _parse_order(row: _Row, settings: LedgerSettings) -> dict[str, Any]:
    ssn = row.text("ncp_ssn").replace("-", "")
    if ssn and not (len(ssn) == 9 and ssn.isdigit()):
        row.fail("ncp_ssn", "is not nine digits")  # never echo what may be an SSN
        ssn = ""
    action = row.code("action", IWO_ACTIONS, default="ORG")
    order: dict[str, Any] = {
        "case_id": row.text("case_id", required=True, size=20),
        "employer_ein": row.ein("employer_ein"),
        "ncp_name": row.text("ncp_name", size=120) or None,
        "ncp_ssn_hash": settings.ssn_hash(ssn) if ssn else None,
        "ncp_ssn_last4": ssn[-4:] if ssn else None,
        "action": action,
        "frequency": _frequency(row),
        "arrears_over_12_weeks": row.flag("arrears_over_12_weeks"),
        "ack_status": row.code("ack_status", ACK_STATUSES) or None,
        "ack_reason": row.code("ack_reason", ACK_REASONS) or None,
    }
    for column in MONEY_COLUMNS:
        order[column] = row.money(column)
    for column in DATE_COLUMNS:
        order[column] = row.date(column)
    if order["ack_reason"] and order["ack_status"] != "R":
        row.fail("ack_reason", "a reason goes with ack_status R (rejected)")
    return order


def import_orders(engine: Engine, path: str | os.PathLike[str],
                  settings: LedgerSettings) -> ImportResult:
    """Apply income withholding orders: ORG adds (or replaces) a case's order with an
    employer, AMD changes it, TRM terminates it, LUM records a lump sum; an acknowledgment
    with status R marks it rejected. The employer must be in the employers register."""
    rows = read_rows(path)
    errors: list[RowError] = []
    parsed: list[tuple[_Row, dict[str, Any]]] = []
    for number, values in rows:
        row = _Row(number, values, errors)
        parsed.append((row, _parse_order(row, settings)))
    if errors:
        return ImportResult(len(rows), errors=tuple(errors))
    ensure_key(engine, settings)
    created = updated = 0
    with engine.begin() as connection:
        known = {r[0] for r in connection.execute(select(employers.c.ein).where(
            employers.c.ein.in_({o["employer_ein"] for _, o in parsed})))}
        for row, order in parsed:
            if order["employer_ein"] not in known:
                row.fail("employer_ein", f"{order['employer_ein']} is not in the employers "
                         "register (nacha-cs employers import)")
                continue
            outcome = _apply_order(connection, row, order)
            created += outcome == "created"
            updated += outcome == "updated"
        if errors:
            connection.rollback()
            return ImportResult(len(rows), errors=tuple(errors))
    refresh_statistics(engine, orders)
    return ImportResult(len(rows), created, updated)


def _apply_order(connection: Connection, row: _Row, order: dict[str, Any]) -> str:
    o = orders.c
    existing = connection.execute(select(o.id, o.status).where(
        o.case_id == order["case_id"], o.employer_ein == order["employer_ein"])).first()
    action = order["action"]
    values = dict(order, updated_at=_now())
    if action in ("AMD", "TRM") and existing is None:
        row.fail("action", f"{action} for case {order['case_id']} and employer "
                 f"{order['employer_ein']}, which have no order yet (send ORG first)")
        return "failed"
    if action == "TRM":
        values = {"action": "TRM", "status": "terminated", "updated_at": values["updated_at"],
                  "terminated_date": order["terminated_date"] or order["order_date"]
                  or dt.date.today()}
    else:
        if action != "ORG" and existing is not None:
            values = {k: v for k, v in values.items() if not _left_empty(row, k)}
        values["status"] = "rejected" if order["ack_status"] == "R" else "active"
    if existing is None:
        values.setdefault("frequency", order["frequency"])
        connection.execute(orders.insert().values(**values))
        return "created"
    connection.execute(update(orders).where(o.id == existing[0]).values(**values))
    return "updated"


def _left_empty(row: _Row, column: str) -> bool:
    """AMD and LUM change only what the row fills in."""
    if column in ("action", "updated_at", "case_id", "employer_ein"):
        return False
    source = {"ncp_ssn_hash": "ncp_ssn", "ncp_ssn_last4": "ncp_ssn"}.get(column, column)
    return not row.values.get(source, "")


def iter_orders(engine: Engine, case_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Orders as plain dicts (the NCP's SSN as its last four digits only)."""
    query = select(*(c for c in orders.c if c.name != "ncp_ssn_hash")).order_by(orders.c.id)
    if case_id is not None:
        query = query.where(orders.c.case_id == case_id)
    with engine.connect() as connection:
        for found in connection.execute(query).mappings():
            yield dict(found)
