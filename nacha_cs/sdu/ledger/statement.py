"""The employer statement of seed 001: what the SDU received from one employer (or through its
agents) in a period, case by case and pay date by pay date, with totals, the payments still in
suspense and the returns. SSNs show as their last four digits only; the ledger has no more.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from typing import Any

import attrs
from sqlalchemy import Engine, select

from nacha_cs.sdu.ledger.queries import payments_query
from nacha_cs.sdu.ledger.schema import employers, returns
from nacha_cs.sdu.ledger.suspense import list_suspense
from nacha_cs.spreadsheet import SafeDictWriter

Row = dict[str, Any]


@attrs.frozen
class Statement:
    employer_ein: str
    employer_name: str | None
    date_from: dt.date
    date_to: dt.date
    payments: tuple[Row, ...]
    """Every payment received in the period, by case then pay date."""
    cases: tuple[Row, ...]
    """Per case: ``case_id``, ``payments``, ``amount`` (cents)."""
    suspense: tuple[Row, ...]
    returns: tuple[Row, ...]

    @property
    def total(self) -> int:
        return sum(p["amount"] for p in self.payments)

    @property
    def returned(self) -> int:
        return sum(r["amount"] for r in self.returns if r["kind"] == "return")

    def as_json(self) -> dict[str, Any]:
        return {
            "employer": {"ein": self.employer_ein, "name": self.employer_name},
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "total": self.total,
            "payments": [_plain(p) for p in self.payments],
            "cases": list(self.cases),
            "suspense": [_plain(s) for s in self.suspense],
            "returns": [_plain(r) for r in self.returns],
            "returned": self.returned,
        }


def _plain(row: Row) -> Row:
    return {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
            for k, v in row.items()}


def employer_statement(engine: Engine, ein: str, date_from: dt.date,
                       date_to: dt.date) -> Statement:
    """The statement of ``ein`` for payments received from ``date_from`` to ``date_to``."""
    found = payments_query(engine, employer_ein=ein, date_from=date_from, date_to=date_to,
                           date_field="received_date")
    found.sort(key=lambda p: (p["posted_case"] or p["case_id"] or "", p["pay_date"] or
                              dt.date.min, p["id"]))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for payment in found:
        case = payment["posted_case"] or payment["case_id"] or "(none)"
        totals[case][0] += 1
        totals[case][1] += payment["amount"]
    cases = tuple({"case_id": case, "payments": n, "amount": amount}
                  for case, (n, amount) in sorted(totals.items()))
    r = returns.c
    with engine.connect() as connection:
        name = connection.execute(select(employers.c.name).where(
            employers.c.ein == ein)).scalar_one_or_none()
        back = [dict(row) for row in connection.execute(
            select(r.id, r.kind, r.code, r.original_trace, r.amount, r.received_date,
                   r.payment_id, r.dishonored, r.corrected_data)
            .where(r.employer_ein == ein, r.received_date >= date_from,
                   r.received_date <= date_to).order_by(r.id)).mappings()]
    pending = list_suspense(engine, employer_ein=ein, date_from=date_from, date_to=date_to)
    return Statement(ein, name, date_from, date_to, tuple(found), cases, tuple(pending),
                     tuple(back))


def money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def render_text(statement: Statement) -> list[str]:
    s = statement
    name = s.employer_name or "an employer not in the register"
    title = f"Statement for {name} (EIN {s.employer_ein})"
    lines = [title, f"Payments received {s.date_from} to {s.date_to}", ""]
    if not s.payments:
        lines.append("No payments received in this period.")
    else:
        lines.append(f"{'case':<20} {'pay date':<10} {'received':<10} {'amount':>12}  "
                     f"{'SSN':<11}  status")
        for p in s.payments:
            case = p["posted_case"] or p["case_id"] or "(no case)"
            status = p["status"] + (f" ({p['suspense_reason']})" if p["status"] == "suspense"
                                    else "") + (" review" if p["review"] else "") + (
                " termination" if p["terminated"] else "")
            lines.append(f"{case:<20} {p['pay_date'] or ''!s:<10} {p['received_date']!s:<10} "
                         f"{money(p['amount']):>12}  {p['ssn']:<11}  {status}")
        lines += ["", "Totals by case:"]
        lines += [f"  {c['case_id']:<20} {c['payments']:>4} payment(s) {money(c['amount']):>12}"
                  for c in s.cases]
        lines.append(f"  {'all cases':<20} {len(s.payments):>4} payment(s) "
                     f"{money(s.total):>12}")
    lines += ["", f"In suspense ({len(s.suspense)}):"]
    lines += [f"  item {i['id']}: {money(i['amount'])} case {i['case_id'] or '-'} paid "
              f"{i['pay_date'] or '-'}: {i['reason_text']}" for i in s.suspense] or ["  none"]
    lines += ["", f"Returns and notifications of change ({len(s.returns)}):"]
    lines += [f"  {r['code']} {r['kind']}: {money(r['amount'])} trace {r['original_trace']} "
              f"received {r['received_date']}" for r in s.returns] or ["  none"]
    return lines


CSV_COLUMNS = ("record", "id", "case_id", "pay_date", "received_date", "amount", "ssn",
               "status", "reason", "trace", "code")


def render_csv(statement: Statement) -> list[str]:
    """One row per payment, suspense item and return (``record`` says which)."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in statement.payments:
        writer.writerow({"record": "payment", "id": p["id"],
                         "case_id": p["posted_case"] or p["case_id"] or "",
                         "pay_date": p["pay_date"] or "", "received_date": p["received_date"],
                         "amount": p["amount"], "ssn": p["ssn"], "status": p["status"],
                         "reason": p["suspense_reason"] or "", "trace": p["trace"], "code": ""})
    for i in statement.suspense:
        writer.writerow({"record": "suspense", "id": i["id"], "case_id": i["case_id"] or "",
                         "pay_date": i["pay_date"] or "", "received_date": i["received_date"],
                         "amount": i["amount"], "ssn": i["ssn"], "status": "open",
                         "reason": i["reason"], "trace": i["trace"], "code": ""})
    for r in statement.returns:
        writer.writerow({"record": r["kind"], "id": r["id"], "case_id": "", "pay_date": "",
                         "received_date": r["received_date"], "amount": r["amount"], "ssn": "",
                         "status": "dishonored" if r["dishonored"] else "", "reason": "",
                         "trace": r["original_trace"], "code": r["code"]})
    return buffer.getvalue().splitlines()


def render_json(statement: Statement) -> list[str]:
    return json.dumps(statement.as_json(), indent=2).splitlines()
