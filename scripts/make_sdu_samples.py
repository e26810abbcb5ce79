"""Build the SDU sample files in fixtures/sdu/ (the README's walk-through and the ledger tests).

Registers (employers.csv, orders.csv) and four ACH files, all fictitious, for an Oklahoma SDU:

* acme-2025-03-07.ach: ACME TOOLS pays three known cases, ends one order (DED09 = Y, a
  zero-dollar code 24 entry) and pays a case the SDU has no order for (suspense: unknown case);
* prairie-2025-03-07.ach: the payroll agent PRAIRIE PAYROLL sends for BLUE RIVER FOODS (which
  links it) and for CEDAR HEALTH (which does not: suspense, agent not linked);
* acme-2025-03-14.ach: ACME's next week, which repeats one payment of the week before (flagged
  for review, not counted twice);
* returns-2025-03-12.ach: the SDU's bank returns one ACME payment (R01), linked by its trace
  and counted as dishonored against ACME.

Run `python scripts/make_sdu_samples.py` to rewrite them, `--check` to compare (a test does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, iter_records
from nacha_cs.ach.writer import iter_record_lines
from nacha_cs.codecs.ded import Ded, encode_field

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "fixtures" / "sdu"

ODFI = "071000301"  # the employers' bank (check digit valid)
SDU = ("103000017", "4400012345", "OKLAHOMA CSS")  # routing, account, name
CREATED = dt.datetime(2025, 3, 7, 8, 0)

EMPLOYERS = """\
ein,name,employee_count,federal_tax_eft,state,agents
123456789,ACME TOOLS INC,120,Y,OK,
987654321,BLUE RIVER FOODS,4,N,OK,555123456:PRAIRIE PAYROLL
456789012,CEDAR HEALTH LLC,35,Y,OK,
"""

ORDERS = """\
case_id,ncp_name,ncp_ssn,employer_ein,action,current_support,past_due_support,frequency,\
order_date,iwo_sent_date,ack_date,ack_status
4010001,"SMITH, HARRY",512-34-0001,123456789,ORG,200.00,25.00,B,2024-11-01,2024-11-04,\
2024-11-12,A
4010002,"JONES, MARY",512-34-0002,123456789,ORG,150.00,,B,2024-12-02,2024-12-03,2024-12-10,A
4010003,"NGUYEN, THI",512-34-0003,123456789,ORG,100.00,,B,2025-01-06,2025-01-07,,
4010004,"OBRIEN, SEAN",512-34-0004,987654321,ORG,300.00,50.00,M,2024-10-01,2024-10-02,\
2024-10-09,A
4010005,"LI, MEI",512-34-0005,456789012,ORG,80.00,,W,2025-02-03,2025-02-04,2025-02-11,A
"""


def entry(case: str, pay_date: dt.date, cents: int, ssn: str, name: str,
          terminated: bool = False, employee: str = "") -> EntrySpec:
    ded = Ded(case, pay_date, cents, ssn, "N", name, "40109", terminated)
    routing, account, sdu = SDU
    code = "24" if terminated and cents == 0 else "22"
    return EntrySpec(code, routing, account, cents, sdu, employee or f"E{case}",
                     (encode_field(ded),))


def lines(spec: FileSpec, batches: list[BatchSpec]) -> list[str]:
    return list(iter_record_lines(iter_records(spec, batches)))


def acme_week_one() -> list[str]:
    paid = dt.date(2025, 3, 7)
    batch = BatchSpec("ACME TOOLS INC", "1123456789", "CHILD SUPP", dt.date(2025, 3, 10), ODFI, [
        entry("4010001", paid, 20000, "512340001", "SMITH,HARR"),
        entry("4010002", paid, 15000, "512340002", "JONES,MARY"),
        entry("4010003", paid, 0, "512340003", "NGUYEN,THI", terminated=True),
        entry("4019999", paid, 7500, "512349999", "DOE,JANE"),
    ])
    return lines(FileSpec(ODFI, ODFI, CREATED, "FIRST BANK", "ACME TOOLS INC"), [batch])


def prairie_week_one() -> list[str]:
    paid = dt.date(2025, 3, 7)
    blue = BatchSpec("BLUE RIVER FOODS", "1555123456", "CHILD SUPP", dt.date(2025, 3, 10),
                     ODFI, [entry("4010004", paid, 35000, "512340004", "OBRIEN,SEA")])
    cedar = BatchSpec("CEDAR HEALTH LLC", "1555123456", "CHILD SUPP", dt.date(2025, 3, 10),
                      ODFI, [entry("4010005", paid, 8000, "512340005", "LI,MEI")])
    spec = FileSpec(ODFI, "1555123456", CREATED.replace(hour=9), "FIRST BANK",
                    "PRAIRIE PAYROLL")
    return lines(spec, [blue, cedar])


def acme_week_two() -> list[str]:
    batch = BatchSpec("ACME TOOLS INC", "1123456789", "CHILD SUPP", dt.date(2025, 3, 17), ODFI, [
        entry("4010001", dt.date(2025, 3, 7), 20000, "512340001", "SMITH,HARR"),  # again
        entry("4010002", dt.date(2025, 3, 14), 15000, "512340002", "JONES,MARY"),
    ])
    return lines(FileSpec(ODFI, ODFI, dt.datetime(2025, 3, 14, 8, 0), "FIRST BANK",
                          "ACME TOOLS INC"), [batch])


def returns(original: list[str]) -> list[str]:
    """The SDU's bank returns JONES's payment of week one (R01), naming its trace."""
    returned = next(line for line in original if line.startswith("6") and "E4010002" in line)
    routing = SDU[0]
    batch = BatchSpec("ACME TOOLS INC", "1123456789", "CHILD SUPP", dt.date(2025, 3, 12),
                      routing, [EntrySpec("21", ODFI, "000123456", 15000, "ACME TOOLS INC",
                                          "E4010002", ("RETURN",))])
    spec = FileSpec(ODFI, routing, dt.datetime(2025, 3, 12, 6, 0), "FIRST BANK", "OKLAHOMA CSS",
                    file_id_modifier="R")
    out = []
    previous = ""
    for line in lines(spec, [batch]):
        if line.startswith("7"):
            line = ("799R01" + returned[79:94] + " " * 6 + returned[3:11]
                    + "INSUFFICIENT FUNDS".ljust(44) + previous[79:94])
        out.append(line)
        previous = line
    return out


def samples() -> dict[str, str]:
    week_one = acme_week_one()
    files = {
        "acme-2025-03-07.ach": week_one,
        "prairie-2025-03-07.ach": prairie_week_one(),
        "acme-2025-03-14.ach": acme_week_two(),
        "returns-2025-03-12.ach": returns(week_one),
    }
    out = {name: "".join(line + "\n" for line in content) for name, content in files.items()}
    out["employers.csv"] = EMPLOYERS
    out["orders.csv"] = ORDERS
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    stale = []
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in samples().items():
        path = FOLDER / name
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
            continue
        path.write_text(text)
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/make_sdu_samples.py",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
