"""The pages over the SDU ledger: ingest a file, the files received, payments search, the
suspense queue, and charts of money received. Each table sorts by a click on its header and
downloads as CSV.

Glue only: ingest, posting and every query live in :mod:`nacha_cs.sdu.ledger` (and the chart
totals in :mod:`nacha_cs.sdu.summaries`); these handlers read forms and render rows.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import attrs
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from nacha_cs.sdu.ledger import (
    IngestResult,
    LedgerError,
    LedgerSettings,
    MissingKey,
    connect,
    ingest_file,
    load_settings,
)
from nacha_cs.sdu.ledger.queries import iter_payments, list_files, payments_query
from nacha_cs.sdu.ledger.statement import employer_statement
from nacha_cs.sdu.ledger.statement import render_csv as render_statement_csv
from nacha_cs.sdu.ledger.statement import render_json as render_statement_json
from nacha_cs.sdu.ledger.statement import render_text as render_statement_text
from nacha_cs.sdu.ledger.suspense import ResolveError, list_suspense, resolve
from nacha_cs.sdu.summaries import received_per_day, received_per_employer
from nacha_cs.validate.present import place
from nacha_cs.web.analysis import safe_name
from nacha_cs.web.chart import bar_chart
from nacha_cs.web.common import (
    csrf_failed,
    page,
    problem,
    read_form,
    read_upload,
)
from nacha_cs.web.security import CSRF_FIELD, csrf_ok
from nacha_cs.web.tables import Column, Row, iter_csv, make_table, rows_csv

SHOWN_ROWS = 1_000
"""Rows a table shows on the page; its CSV download has all of them."""


@attrs.frozen
class LedgerAccess:
    """The open ledger and what writing to it needs (None with the reason when it cannot)."""

    engine: Engine
    url: str
    settings: LedgerSettings | None
    settings_problem: str | None = None


def open_ledger(url: str) -> LedgerAccess:
    """The ledger at ``url`` (LedgerError when it is not one) and the settings ingest needs;
    without an SSN key the pages still read, and the ingest page says what is missing."""
    engine = connect(url)
    try:
        return LedgerAccess(engine, url, load_settings())
    except MissingKey as missing:
        return LedgerAccess(engine, url, None, str(missing))
    except LedgerError as error:
        return LedgerAccess(engine, url, None, str(error))


def ledger_access(request: Request) -> LedgerAccess:
    access: LedgerAccess = request.app.state.ledger
    return access


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
    )


# --- ingest ---------------------------------------------------------------------------------


async def ingest_form(request: Request) -> Response:
    access = ledger_access(request)
    return page(
        request,
        "ingest.html",
        {
            "problem_text": access.settings_problem,
            "max_upload_mb": request.app.state.config.max_upload // 1_000_000,
        },
    )


def _ingest_bytes(access: LedgerAccess, data: bytes, name: str) -> IngestResult:
    """Store an upload through the ledger's own ingest, which reads a path: the bytes go to a
    private folder (mode 0700) for the time it takes, then the folder is removed."""
    assert access.settings is not None
    folder = tempfile.mkdtemp(prefix="nacha-cs-ingest-")
    try:
        path = os.path.join(folder, safe_name(name))
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        return ingest_file(access.engine, path, access.settings)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def ingest(request: Request) -> Response:
    access = ledger_access(request)
    if access.settings is None:
        return problem(request, 503, "Ingest is not available", access.settings_problem or "")
    upload = await read_upload(request, "the ingest form", "Ingest")
    if isinstance(upload, Response):
        return upload
    data, name = upload.data, upload.name
    try:
        result = await run_in_threadpool(_ingest_bytes, access, data, name)
    except LedgerError as error:
        return problem(request, 503, "The ledger could not store the file", str(error))
    del data
    status = 200 if result.status in ("stored", "duplicate") else 422
    return page(
        request,
        "ingested.html",
        {
            "r": result,
            "name": safe_name(name),
            "places": [(f.code, f.severity, place(f)) for f in result.findings[:50]],
        },
        status,
    )


# --- files ----------------------------------------------------------------------------------

FILE_COLUMNS = (
    Column("id", "#", numeric=True),
    Column("name", "File"),
    Column("ingested_at", "Ingested"),
    Column("immediate_origin", "Origin"),
    Column("creation_date", "Created"),
    Column("file_id_modifier", "Mod"),
    Column("batches", "Batches", numeric=True),
    Column("entries", "Entries", numeric=True),
    Column("payments", "Payments", numeric=True),
    Column("total_credit", "Credits", money=True),
    Column("errors", "Errors", numeric=True),
    Column("warnings", "Warnings", numeric=True),
    Column("returns", "Returns", numeric=True),
    Column("duplicate", "Duplicate of"),
)


def _file_row(row: Row) -> Row:
    shown = dict(row)
    shown["name"] = os.path.basename(str(row.get("path", "")))
    same = row.get("same_as_file_id")
    shown["duplicate"] = f"same file as #{same}" if same else ""
    return shown


async def files_page(request: Request) -> Response:
    access = ledger_access(request)
    rows = [_file_row(r) for r in await run_in_threadpool(list_files, access.engine, 10_000)]
    table = make_table("files", FILE_COLUMNS, rows, request.query_params, "/files")
    if request.query_params.get("format") == "csv":
        return _csv(table.csv_text(), "files-received")
    return page(request, "files.html", {"t": table})


# --- payments -------------------------------------------------------------------------------

PAYMENT_COLUMNS = (
    Column("id", "#", numeric=True),
    Column("received_date", "Received"),
    Column("pay_date", "Pay date"),
    Column("case_id", "Case"),
    Column("posted_case", "Posted to"),
    Column("amount", "Amount", money=True),
    Column("employer_ein", "Employer"),
    Column("ssn", "SSN"),
    Column("name", "Name"),
    Column("fips", "FIPS"),
    Column("status", "Status"),
    Column("suspense_reason", "Suspense reason"),
    Column("review", "Review"),
    Column("terminated", "Terminated"),
    Column("trace", "Trace"),
    Column("file_id", "File", numeric=True),
)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    return dt.date.fromisoformat(text.strip())


def payment_filters(query: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The ledger's payment filters from the search form, and what was wrong with it.

    >>> payment_filters({"case": " OK123 ", "from": "2025-03-01", "to": "March"})[1]
    ["'March' is not a date: write it as YYYY-MM-DD"]
    """
    filters: dict[str, Any] = {}
    problems: list[str] = []
    if query.get("case", "").strip():
        filters["case_id"] = query["case"].strip()
    if query.get("employer", "").strip():
        filters["employer_ein"] = query["employer"].strip()
    if query.get("status", "").strip():
        filters["status"] = query["status"].strip()
    if query.get("file", "").strip().isdigit():
        filters["file_id"] = int(query["file"])
    if query.get("by") == "received_date":
        filters["date_field"] = "received_date"
    for key, name in (("from", "date_from"), ("to", "date_to")):
        try:
            value = _date(query.get(key))
        except ValueError:
            problems.append(f"{query[key]!r} is not a date: write it as YYYY-MM-DD")
            continue
        if value is not None:
            filters[name] = value
    return filters, problems


async def payments_page(request: Request) -> Response:
    access = ledger_access(request)
    query = request.query_params
    filters, problems = payment_filters(query)
    if query.get("format") == "csv" and not problems:
        if query.get("sort") and query.get("table", "payments") == "payments":
            rows: Sequence[Row] = await run_in_threadpool(
                lambda: list(iter_payments(access.engine, **filters))
            )
            table = make_table("payments", PAYMENT_COLUMNS, rows, query, "/payments")
            return _csv(table.csv_text(), "payments")
        # In the ledger's order (pay date): streamed, whatever the size of the ledger.
        return StreamingResponse(
            iter_csv(PAYMENT_COLUMNS, iter_payments(access.engine, **filters)),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="payments.csv"'},
        )
    rows = []
    if not problems:
        rows = await run_in_threadpool(
            lambda: payments_query(access.engine, limit=SHOWN_ROWS + 1, **filters)
        )
    more = len(rows) > SHOWN_ROWS
    table = make_table("payments", PAYMENT_COLUMNS, rows[:SHOWN_ROWS], query, "/payments")
    total = sum(int(r.get("amount") or 0) for r in table.rows)
    return page(
        request,
        "payments.html",
        {"t": table, "q": query, "problems": problems, "more": more, "total": total},
        400 if problems else 200,
    )


# --- suspense -------------------------------------------------------------------------------

SUSPENSE_COLUMNS = (
    Column("id", "Item", numeric=True),
    Column("received_date", "Received"),
    Column("pay_date", "Pay date"),
    Column("case_id", "Case (as sent)"),
    Column("amount", "Amount", money=True),
    Column("employer_ein", "Employer"),
    Column("ssn", "SSN"),
    Column("name", "Name"),
    Column("reason_text", "Why it waits", wrap=True),
    Column("trace", "Trace"),
    Column("file_id", "File", numeric=True),
    Column("resolved_case", "Posted to"),
    Column("resolved_by", "By"),
    Column("resolved_at", "When"),
)

STAFF_COOKIE = "nacha_cs_staff"
"""Remembers the name a person resolved with, to fill the next form (never a credential)."""


def _suspense_table(request: Request, limit: int | None = SHOWN_ROWS) -> Any:
    access = ledger_access(request)
    show_all = request.query_params.get("all") == "1"
    rows = list_suspense(access.engine, open_only=not show_all, limit=limit)
    columns = SUSPENSE_COLUMNS if show_all else SUSPENSE_COLUMNS[:-3]
    return make_table("suspense", columns, rows, request.query_params, "/suspense")


async def suspense_page(request: Request) -> Response:
    csv_wanted = request.query_params.get("format") == "csv"
    table = await run_in_threadpool(_suspense_table, request, None if csv_wanted else SHOWN_ROWS)
    if csv_wanted:
        return _csv(table.csv_text(), "suspense")
    return _suspense_view(request, table, None, 200)


def _suspense_view(request: Request, table: Any, error: str | None, status: int) -> Response:
    return page(
        request,
        "suspense.html",
        {
            "t": table,
            "done": request.query_params.get("resolved", ""),
            "show_all": request.query_params.get("all") == "1",
            "error": error,
            "staff": request.cookies.get(STAFF_COOKIE, ""),
        },
        status,
    )


async def resolve_item(request: Request) -> Response:
    """Post a suspense item to the case a person names; who and when are recorded."""
    access = ledger_access(request)
    form = await read_form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return csrf_failed(request)
    item = int(request.path_params["item"])
    case = str(form.get("case", "")).strip()
    by = str(form.get("by", "")).strip()[:80]
    note = str(form.get("note", "")).strip() or None
    try:
        if not case:
            raise ResolveError("name the case the payment belongs to")
        if not by:
            raise ResolveError("say who resolves the item (your name)")
        await run_in_threadpool(lambda: resolve(access.engine, item, case, by, note=note))
    except ResolveError as error:
        table = await run_in_threadpool(_suspense_table, request)
        return _suspense_view(request, table, f"Item {item}: {error}", 409)
    response = RedirectResponse(f"/suspense?resolved={item}", status_code=303)
    response.set_cookie(
        STAFF_COOKIE, by, max_age=30 * 86400, httponly=True, samesite="strict", path="/"
    )
    return response


# --- statements -----------------------------------------------------------------------------

STATEMENT_PAYMENT_COLUMNS = (
    Column("id", "#", numeric=True),
    Column("case", "Case"),
    Column("pay_date", "Pay date"),
    Column("received_date", "Received"),
    Column("amount", "Amount", money=True),
    Column("ssn", "SSN"),
    Column("status", "Status"),
    Column("suspense_reason", "Suspense reason"),
    Column("review", "Review"),
    Column("trace", "Trace"),
)
CASE_COLUMNS = (
    Column("case_id", "Case"),
    Column("payments", "Payments", numeric=True),
    Column("amount", "Amount", money=True),
)
RETURN_COLUMNS = (
    Column("code", "Code"),
    Column("kind", "Kind"),
    Column("amount", "Amount", money=True),
    Column("original_trace", "Trace"),
    Column("received_date", "Received"),
    Column("dishonored", "Dishonored"),
)


async def statements_page(request: Request) -> Response:
    access = ledger_access(request)
    query = request.query_params
    ein = query.get("employer", "").strip()
    problems: list[str] = []
    bounds: list[dt.date | None] = []
    for key in ("from", "to"):
        try:
            bounds.append(_date(query.get(key)))
        except ValueError:
            problems.append(f"{query[key]!r} is not a date: write it as YYYY-MM-DD")
            bounds.append(None)
    context: dict[str, Any] = {"q": query, "problems": problems, "s": None}
    asked = bool(ein or query.get("from") or query.get("to"))
    if asked and not problems:
        if not ein:
            problems.append("give the employer's EIN")
        if bounds[0] is None or bounds[1] is None:
            problems.append("give both dates of the period")
    if problems or not asked:
        return page(request, "statements.html", context, 400 if problems else 200)
    assert bounds[0] is not None and bounds[1] is not None
    statement = await run_in_threadpool(
        employer_statement, access.engine, ein, bounds[0], bounds[1]
    )
    kind = query.get("format")
    stem = f"statement-{ein}-{bounds[0]}-{bounds[1]}"
    payments = [
        {**p, "case": p.get("posted_case") or p.get("case_id") or ""} for p in statement.payments
    ]
    tables = {
        "payments": make_table(
            "payments", STATEMENT_PAYMENT_COLUMNS, payments, query, "/statements"
        ),
        "cases": make_table("cases", CASE_COLUMNS, statement.cases, query, "/statements"),
        "returns": make_table("returns", RETURN_COLUMNS, statement.returns, query, "/statements"),
    }
    chosen = tables.get(query.get("table", ""))
    if kind == "csv" and chosen is not None:
        return _csv(chosen.csv_text(), f"{stem}-{chosen.name}")
    if kind == "csv":
        return _csv("\n".join(render_statement_csv(statement)) + "\n", stem)
    if kind == "json":
        return Response(
            "\n".join(render_statement_json(statement)) + "\n",
            media_type="application/json",
            headers={"content-disposition": f'attachment; filename="{stem}.json"'},
        )
    if kind == "text":
        return Response(
            "\n".join(render_statement_text(statement)) + "\n",
            media_type="text/plain; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{stem}.txt"'},
        )
    asked_for = {k: query[k] for k in ("employer", "from", "to") if k in query}
    more = len(statement.suspense) > SHOWN_ROWS or any(
        len(t.rows) > SHOWN_ROWS for t in tables.values()
    )
    tables = {k: attrs.evolve(t, rows=t.rows[:SHOWN_ROWS]) for k, t in tables.items()}
    context.update(
        s=statement,
        more=more,
        shown_rows=SHOWN_ROWS,
        **tables,
        links={
            k: f"/statements?{urlencode({**asked_for, 'format': k})}"
            for k in ("csv", "json", "text")
        },
    )
    return page(request, "statements.html", context)


# --- charts ---------------------------------------------------------------------------------

DAY_COLUMNS = (
    Column("day", "Received"),
    Column("payments", "Payments", numeric=True),
    Column("amount", "Amount", money=True),
)
EMPLOYER_COLUMNS = (
    Column("employer_ein", "Employer"),
    Column("name", "Name"),
    Column("payments", "Payments", numeric=True),
    Column("amount", "Amount", money=True),
)


async def charts_page(request: Request) -> Response:
    access = ledger_access(request)
    query = request.query_params
    problems: list[str] = []
    bounds: list[dt.date | None] = []
    for key in ("from", "to"):
        try:
            bounds.append(_date(query.get(key)))
        except ValueError:
            problems.append(f"{query[key]!r} is not a date: write it as YYYY-MM-DD")
            bounds.append(None)
    days = await run_in_threadpool(received_per_day, access.engine, bounds[0], bounds[1])
    employers = await run_in_threadpool(received_per_employer, access.engine, bounds[0], bounds[1])
    which = query.get("table")
    day_table = make_table("days", DAY_COLUMNS, days, query, "/charts")
    employer_table = make_table("employers", EMPLOYER_COLUMNS, employers, query, "/charts")
    if query.get("format") == "csv":
        chosen = employer_table if which == "employers" else day_table
        return _csv(rows_csv(chosen.columns, chosen.rows), f"received-per-{chosen.name}")
    day_chart = bar_chart(
        "Money received per day", [(r["day"].isoformat(), r["amount"]) for r in days]
    )
    employer_chart = bar_chart(
        "Money received per employer",
        [(r["name"] or r["employer_ein"], r["amount"]) for r in employers[:30]],
    )
    return page(
        request,
        "charts.html",
        {
            "q": query,
            "problems": problems,
            "day_chart": day_chart,
            "employer_chart": employer_chart,
            "days": day_table,
            "employers": employer_table,
        },
    )


ROUTES = [
    Route("/ingest", ingest_form, methods=["GET"]),
    Route("/ingest", ingest, methods=["POST"]),
    Route("/files", files_page),
    Route("/payments", payments_page),
    Route("/suspense", suspense_page),
    Route("/suspense/{item:int}/resolve", resolve_item, methods=["POST"]),
    Route("/statements", statements_page),
    Route("/charts", charts_page),
]

NAV = [
    ("/ingest", "Ingest"),
    ("/files", "Files received"),
    ("/payments", "Payments"),
    ("/suspense", "Suspense"),
    ("/statements", "Statements"),
    ("/charts", "Charts"),
]
