"""Write the bundled compliance scenario under fixtures/compliance/ (deterministic).

Three employers paying the Oklahoma SDU from January to early June 2026; the report is read
on Wednesday 3 June 2026, and each case sits on one side of one criterion's boundary (see
CASES). Payments travel in one CCD+ file per receiving day (the file creation date is the day
the SDU received them); one payment is returned (R01) by a returns file, which makes it
dishonored.

Usage: python scripts/make_compliance_scenario.py [--out fixtures/compliance] [--force]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.calendar import add_banking_days
from nacha_cs.ach.writer import iter_lines, write_lines_atomically
from nacha_cs.bank.kit import ODFI, SDUS
from nacha_cs.codecs import ded as ded_codec

D = dt.date
AS_OF = D(2026, 6, 3)
OK_SDU = next(s for s in SDUS if s.state == "OK")

EMPLOYERS = [
    # ein, name, employees, federal tax EFT, state
    ("931111111", "ACME TIMBER", 40, True, "OK"),
    ("932222222", "BOLT FOODS", 3, False, "OK"),
    ("933333333", "CRUX LABS", 4, False, "OK"),
]
AGENTS = [("944444444", "PAYROLL PARTNERS", "933333333", D(2025, 11, 1))]

# case, employer, NCP last/first, SSN, amount (cents per period), frequency, order date,
# IWO sent, acknowledged, expectation (what the report should say on AS_OF, and why)
CASES = [
    ("1001001", "931111111", "ALDER", "ANNA", "440112001", 20000, "B", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 5), "none: pays on time; one payment arrives on its due day"),
    ("1001002", "931111111", "BIRCH", "BEN", "440112002", 15000, "B", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 5), "CMP-ESC-30: last payment received 30 days before"),
    ("1001003", "931111111", "CEDAR", "CARA", "440112003", 15000, "B", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 5), "none: last payment received 29 days before"),
    ("1001004", "931111111", "DOGWOOD", "DAN", "440112004", 18000, "B", D(2026, 4, 19),
     D(2026, 4, 19), None, "CMP-IWO-45: IWO sent 45 days before, no answer, no payment"),
    ("1001005", "931111111", "ELM", "EVA", "440112005", 18000, "B", D(2026, 4, 20),
     D(2026, 4, 20), None, "none: IWO sent 44 days before"),
    ("1001006", "931111111", "FIR", "FRED", "440112006", 25000, "B", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 5), "CMP-AMOUNT: 200.00 received, the order asks 250.00"),
    ("1001007", "931111111", "GUM", "GINA", "440112007", 12000, "B", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 5), "CMP-LATE: the 8 May pay date arrived a day after due"),
    ("2002001", "932222222", "HAZEL", "HANK", "440112008", 30000, "M", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 8), "CMP-ECL2-REVIEW: ECL1 sent 30 days before, no answer"),
    ("2002002", "932222222", "IVY", "IDA", "440112009", 30000, "M", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 8), "none: ECL1 sent 29 days before"),
    ("2002003", "932222222", "JUNIPER", "JO", "440112010", 30000, "M", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 8), "none: the employer reported the termination (DED09=Y)"),
    ("3003001", "933333333", "KAPOK", "KIM", "440112011", 10000, "W", D(2025, 12, 1),
     D(2025, 12, 1), D(2025, 12, 4), "CMP-ESC-30: ESC contacted the employer, no response"),
    ("3003002", "933333333", "LARCH", "LEO", "440112012", 10000, "W", D(2026, 3, 1),
     D(2026, 3, 1), D(2026, 3, 10), "none: acknowledged the IWO"),
]

ACTIONS = [
    # case, kind, date, note
    ("2002001", "ecl1", D(2026, 5, 4), "ESC could not reach payroll"),
    ("2002002", "ecl1", D(2026, 5, 5), "no answer to two calls"),
    ("3003001", "contact", D(2026, 5, 20), "left a message with payroll"),
]


def biweekly(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=14)
    return days


def payments() -> list[tuple[str, dt.date, dt.date, int, bool]]:
    """(case, pay date, received, amount, terminated): two banking days after the pay date
    unless a case's story says otherwise."""
    fridays = biweekly(D(2026, 1, 2), D(2026, 5, 22))
    rows: list[tuple[str, dt.date, dt.date, int, bool]] = []

    def on_time(case: str, pay: dt.date, amount: int, terminated: bool = False) -> None:
        rows.append((case, pay, add_banking_days(pay, 2), amount, terminated))

    for pay in fridays:
        if pay == D(2026, 5, 8):
            rows.append(("1001001", pay, add_banking_days(pay, 7), 20000, False))  # due day
        else:
            on_time("1001001", pay, 20000)
        on_time("1001006", pay, 25000 if pay < D(2026, 4, 10) else 20000)
        if pay == D(2026, 5, 8):
            rows.append(("1001007", pay, add_banking_days(pay, 8), 12000, False))  # a day late
        else:
            on_time("1001007", pay, 12000)
    # Ben: paid through the 24 April pay date, received Monday 4 May: 30 days before AS_OF.
    for pay in fridays:
        if pay < D(2026, 4, 24):
            on_time("1001002", pay, 15000)
    rows.append(("1001002", D(2026, 4, 24), D(2026, 5, 4), 15000, False))
    # Cara: the same, received Tuesday 5 May (its due day): 29 days.
    for pay in fridays:
        if pay < D(2026, 4, 24):
            on_time("1001003", pay, 15000)
    rows.append(("1001003", D(2026, 4, 24), D(2026, 5, 5), 15000, False))
    # Bolt pays monthly on the last business day; stopped after February (Hank, Ida).
    for month_end in (D(2026, 1, 30), D(2026, 2, 27)):
        on_time("2002001", month_end, 30000)
        on_time("2002002", month_end, 30000)
    for month_end in (D(2026, 1, 30), D(2026, 2, 27), D(2026, 3, 31)):
        on_time("2002003", month_end, 30000)
    on_time("2002003", D(2026, 4, 8), 0, terminated=True)  # termination notice, $0
    # Crux pays weekly on Fridays; Kim's payments stopped in March.
    friday = D(2026, 1, 2)
    while friday <= D(2026, 3, 27):
        on_time("3003001", friday, 10000)
        friday += dt.timedelta(days=7)
    return rows


def ach_files(out: Path, force: bool) -> list[str]:
    by_day: dict[dt.date, list[tuple[str, dt.date, int, bool]]] = defaultdict(list)
    for case, pay, received, amount, terminated in payments():
        by_day[received].append((case, pay, amount, terminated))
    people = {c[0]: c for c in CASES}
    names = {e[0]: e[1] for e in EMPLOYERS}
    written = []
    folder = out / "files"
    folder.mkdir(parents=True, exist_ok=True)
    for day in sorted(by_day):
        by_employer: dict[str, list[EntrySpec]] = defaultdict(list)
        for n, (case, pay, amount, terminated) in enumerate(sorted(by_day[day]), 1):
            c = people[case]
            ded = ded_codec.Ded(case, pay, amount, c[4], "N",
                                ded_codec.abbreviate_name(c[2], c[3]), "", terminated)
            by_employer[c[1]].append(EntrySpec(
                transaction_code="24" if amount == 0 else "22",
                rdfi_routing=OK_SDU.routing, account=OK_SDU.account, amount=amount,
                receiver_name=OK_SDU.name, identification=f"EMP{n:07d}",
                addenda=(ded_codec.encode_field(ded),)))
        batches = [BatchSpec(names[ein][:16], "1" + ein, "CHILD SUPP",
                             day, ODFI, tuple(entries))
                   for ein, entries in sorted(by_employer.items())]
        spec = FileSpec(OK_SDU.routing, ODFI, dt.datetime.combine(day, dt.time(6, 0)),
                        OK_SDU.name, "FIRST BANK OF TULSA", file_id_modifier="A")
        path = folder / f"{day.isoformat()}.ach"
        write_lines_atomically(path, iter_lines(build_file(spec, batches)), force=force)
        written.append(path.name)
    return written


def return_file(out: Path, force: bool) -> str:
    """The SDU's bank returns Hank's 30 January payment (R01) on 6 February, naming its trace:
    a dishonored payment of Bolt Foods (OAR 137-055-5035(4)(b))."""
    original = (out / "files" / "2026-02-03.ach").read_text(encoding="ascii").splitlines()
    at = next(i for i, line in enumerate(original)
              if line.startswith("7") and "*2002001*" in line)
    returned = original[at - 1]
    day = D(2026, 2, 6)
    batch = BatchSpec("BOLT FOODS", "1932222222", "CHILD SUPP", day, OK_SDU.routing,
                      (EntrySpec("21", ODFI, "000222333", int(returned[29:39]), "BOLT FOODS",
                                 returned[39:54].strip(), ("RETURN",)),))
    spec = FileSpec(ODFI, OK_SDU.routing, dt.datetime.combine(day, dt.time(6, 0)),
                    "FIRST BANK OF TULSA", OK_SDU.name, file_id_modifier="R")
    lines: list[str] = []
    previous = ""
    for line in iter_lines(build_file(spec, [batch])):
        if line.startswith("7"):
            line = ("799R01" + returned[79:94] + " " * 6 + returned[3:11]
                    + "INSUFFICIENT FUNDS".ljust(44) + previous[79:94])
        lines.append(line)
        previous = line
    path = out / "files" / f"{day.isoformat()}-returns.ach"  # sorts among the days
    write_lines_atomically(path, lines, force=force)
    return path.name


def registers(out: Path) -> None:
    frequency = {"B": "B", "M": "M", "W": "W"}
    with open(out / "employers.csv", "w", newline="", encoding="ascii") as f:
        w = csv.writer(f)
        w.writerow(["ein", "name", "employee_count", "federal_tax_eft", "state", "agents"])
        for ein, name, count, eft, state in EMPLOYERS:
            agents = ";".join(f"{a[0]}:{a[1]}" for a in AGENTS if a[2] == ein)
            w.writerow([ein, name, count, "Y" if eft else "N", state, agents])
    with open(out / "orders.csv", "w", newline="", encoding="ascii") as f:
        w = csv.writer(f)
        w.writerow(["case_id", "employer_ein", "ncp_name", "ncp_ssn", "action",
                    "current_support", "frequency", "order_date", "iwo_sent_date", "ack_date",
                    "ack_status"])
        for c in CASES:
            w.writerow([c[0], c[1], f"{c[3]} {c[2]}", c[4], "ORG", f"{c[5] / 100:.2f}",
                        frequency[c[6]], c[7].isoformat(), c[8].isoformat(),
                        c[9].isoformat() if c[9] else "", "A" if c[9] else ""])
    with open(out / "actions.csv", "w", newline="", encoding="ascii") as f:
        w = csv.writer(f)
        w.writerow(["case_id", "kind", "date", "note"])
        for case, kind, day, note in ACTIONS:
            w.writerow([case, kind, day.isoformat(), note])
    expected = {"as_of": AS_OF.isoformat(),
                "cases": {c[0]: {"employer_ein": c[1], "expect": c[10]} for c in CASES}}
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="ascii")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("fixtures/compliance"))
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    files = ach_files(args.out, args.force)
    files.append(return_file(args.out, args.force))
    registers(args.out)
    print(f"{len(files)} ACH files, {len(CASES)} orders in {args.out}")


if __name__ == "__main__":
    main()
