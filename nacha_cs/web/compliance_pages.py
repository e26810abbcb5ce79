"""The compliance report (which employers and cases need a staff action, and the next step) and
the EFT mandate table (which employers must remit by EFT, and the section that decides), with
a chart of the open compliance rows by age.

Glue only: the criteria live in :mod:`nacha_cs.sdu.compliance`, the rules in
:mod:`nacha_cs.sdu.mandate`, the facts are read by :mod:`nacha_cs.sdu.compliance_db`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from nacha_cs.sdu.compliance import Settings, evaluate
from nacha_cs.sdu.compliance_db import RecordError, load_facts, record_action
from nacha_cs.sdu.facts import Facts, histories, with_exemptions
from nacha_cs.sdu.mandate import STATE_NAMES, MandateDecision, decide_all, state_code
from nacha_cs.validate.profiles import ProfileError, for_state, load_profile
from nacha_cs.web.chart import bar_chart
from nacha_cs.web.common import csrf_failed, page, problem, read_form
from nacha_cs.web.ledger_pages import STAFF_COOKIE, ledger_access
from nacha_cs.web.security import CSRF_FIELD, csrf_ok
from nacha_cs.web.tables import Column, Row, make_table

T = TypeVar("T")

STATE_VARIABLE = "NACHA_CS_SDU_STATE"

AGES = ((0, 29, "under 30 days"), (30, 44, "30-44 days"), (45, 59, "45-59 days"),
        (60, 89, "60-89 days"), (90, None, "90 days or more"))  # fmt: skip
"""The buckets of the chart of compliance rows by age (days on the row's clock)."""


def remit_days(state: str | None = None) -> tuple[int, str | None]:
    """Business days to remit under the SDU's state profile (NACHA_CS_SDU_STATE), 7 (the
    federal limit) without one; and a problem to show when the profile cannot be read."""
    name = state or os.environ.get(STATE_VARIABLE)
    if not name:
        return 7, None
    profile = for_state(name) if len(name) == 2 else None
    if profile is None:
        try:
            profile = load_profile(name)
        except ProfileError as error:
            return 7, f"{error}; the federal 7 business days are used"
    return profile.remit_days, None


def _with_facts(request: Request, work: Callable[[Facts], T]) -> T:
    """``work`` on the ledger's facts, inside the connection their payments stream from."""
    with ledger_access(request).engine.connect() as connection:
        return work(load_facts(connection))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text and text.strip() else None


def _facts_text(facts: Any) -> str:
    return "; ".join(f"{k}={v}" for k, v in facts.items() if v not in (None, [], ""))


COMPLIANCE_COLUMNS = (
    Column("code", "Code"),
    Column("title", "What"),
    Column("employer_ein", "Employer"),
    Column("employer_name", "Name"),
    Column("case_id", "Case"),
    Column("since", "Since"),
    Column("days", "Days", numeric=True),
    Column("next_step", "Next step", wrap=True),
    Column("facts", "Facts", wrap=True),
)


def age_bars(rows: list[Row]) -> list[tuple[str, int]]:
    """How many rows fall in each bucket of :data:`AGES`.

    >>> age_bars([{"days": 3}, {"days": 31}, {"days": 120}])[:2]
    [('under 30 days', 1), ('30-44 days', 1)]
    """
    bars = []
    for low, high, label in AGES:
        count = sum(1 for r in rows if r["days"] >= low and (high is None or r["days"] <= high))
        bars.append((label, count))
    return bars


async def compliance_page(request: Request) -> Response:
    query = request.query_params
    problems: list[str] = []
    try:
        day = _date(query.get("as_of")) or dt.date.today()
    except ValueError:
        problems.append(f"{query['as_of']!r} is not a date: write it as YYYY-MM-DD")
        day = dt.date.today()
    days, remit_problem = remit_days()
    if remit_problem:
        problems.append(remit_problem)
    employer = query.get("employer", "").strip()

    def report(facts: Facts) -> list[Row]:
        settings = Settings(remit_days=days)
        names = facts.employer_names
        rows: list[Row] = []
        for row in evaluate(facts.orders, facts.payments, facts.actions, day, settings):
            if employer and row.employer_ein != employer:
                continue
            record = row.as_dict()
            record["employer_name"] = names.get(row.employer_ein, "")
            record["facts"] = _facts_text(record["facts"])
            rows.append(record)
        return rows

    rows = await run_in_threadpool(_with_facts, request, report)
    table = make_table("compliance", COMPLIANCE_COLUMNS, rows, query, "/compliance")
    if query.get("format") == "csv":
        return Response(
            table.csv_text(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="compliance-{day}.csv"'},
        )
    chart = bar_chart("Compliance rows by age", age_bars(rows), money=False)
    return page(
        request,
        "compliance.html",
        {
            "t": table,
            "q": query,
            "day": day,
            "remit": days,
            "problems": problems,
            "chart": chart,
            "actions": ACTION_LABELS,
            "recorded": query.get("recorded", ""),
            "staff": request.cookies.get(STAFF_COOKIE, ""),
        },
        400 if problems and query.get("as_of") and "not a date" in problems[0] else 200,
    )


MANDATE_COLUMNS = (
    Column("ein", "Employer"),
    Column("name", "Name"),
    Column("required", "EFT required"),
    Column("sections", "Deciding section(s)"),
    Column("reasons", "Why", wrap=True),
    Column("also_met", "Also met (outweighed)", wrap=True),
    Column("unknown", "Cannot be decided", wrap=True),
)


def _decision_row(d: MandateDecision, names: Mapping[str, str]) -> Row:
    return {
        "ein": d.ein,
        "name": names.get(d.ein, ""),
        "required": "yes" if d.required else "no",
        "sections": "; ".join(d.sections),
        "reasons": "; ".join(f"{s.section}: {s.reason}" for s in d.deciding),
        "also_met": "; ".join(f"{s.section}: {s.reason}" for s in d.also_met),
        "unknown": "; ".join(d.unknown),
        "rule": d.rule,
    }


async def mandate_page(request: Request) -> Response:
    query = request.query_params
    state = query.get("state", "oregon")
    problems: list[str] = []
    try:
        state_code(state)
    except ValueError as error:
        problems.append(str(error))
        state = "oregon"
    try:
        as_of = _date(query.get("as_of"))
    except ValueError:
        problems.append(f"{query['as_of']!r} is not a date: write it as YYYY-MM-DD")
        as_of = None
    days, remit_problem = remit_days()
    if remit_problem:
        problems.append(remit_problem)

    def decisions(facts: Facts) -> list[Row]:
        names = facts.employer_names
        decided = decide_all(state, with_exemptions(facts), histories(facts, days, as_of))
        return [_decision_row(d, names) for d in decided]

    rows = await run_in_threadpool(_with_facts, request, decisions)
    table = make_table("mandate", MANDATE_COLUMNS, rows, query, "/mandate")
    if query.get("format") == "csv":
        return Response(
            table.csv_text(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="mandate-{state}.csv"'},
        )
    return page(
        request,
        "mandate.html",
        {
            "t": table,
            "q": query,
            "state": state,
            "states": sorted(STATE_NAMES),
            "rule": rows[0]["rule"] if rows else "",
            "problems": problems,
        },
    )


ACTION_LABELS = {
    "contact": "contacted the employer",
    "response": "the employer responded",
    "ecl1": "Employer Compliance Letter 1 sent",
    "ecl2": "Employer Compliance Letter 2 sent",
    "amended_iwo": "amended IWO sent",
    "eft_exemption": "EFT exemption granted (employer-wide)",
    "failed_withhold": "the employer failed to withhold",
    "misid_contact": "told the employer how to identify payments",
    "note": "a note only",
}
"""What the record form offers, in the words of `nacha-cs compliance record --help`."""


async def record_page(request: Request) -> Response:
    """Record what staff did about a case or an employer, so the report knows it."""
    form = await read_form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return csrf_failed(request)
    values = {
        k: str(form.get(k, "")).strip() for k in ("case", "employer", "kind", "on", "note", "by")
    }
    problems: list[str] = []
    try:
        day = _date(values["on"]) or dt.date.today()
    except ValueError:
        problems.append(f"{values['on']!r} is not a date: write it as YYYY-MM-DD")
        day = dt.date.today()
    if not values["by"]:
        problems.append("say who did it (your name)")
    if not problems:
        try:
            engine = ledger_access(request).engine

            def store() -> None:
                with engine.begin() as connection:
                    record_action(
                        connection,
                        kind=values["kind"],
                        on=day,
                        case_id=values["case"],
                        employer_ein=values["employer"],
                        note=values["note"],
                        by=values["by"][:80],
                    )

            await run_in_threadpool(store)
        except RecordError as error:
            problems.append(str(error))
    if problems:
        return problem(request, 400, "The action was not recorded", "; ".join(problems))
    target = f"case {values['case']}" if values["case"] else f"employer {values['employer']}"
    done = urlencode({"recorded": f"{values['kind']} on {day.isoformat()} for {target}"})
    return RedirectResponse(f"/compliance?{done}", status_code=303)


ROUTES = [
    Route("/compliance", compliance_page),
    Route("/compliance/record", record_page, methods=["POST"]),
    Route("/mandate", mandate_page),
]
NAV = [("/compliance", "Compliance"), ("/mandate", "EFT mandate")]
