"""Build the valid sample files in fixtures/ with the project's own builder.

Run `python scripts/make_fixtures.py` to (re)write them, or `--check` to verify the committed
files are exactly what the builder makes today (the test suite does this). All bank details are
fictitious; routing numbers carry valid ABA check digits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.writer import render
from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ded import Ded, encode
from nacha_cs.employer.ccdplus import ChildSupportPayment, SduAccount, ctx_entry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

CREATED = dt.datetime(2026, 11, 20, 9, 30)
EFFECTIVE = dt.date(2026, 11, 23)  # a Monday, a Federal Reserve banking day
PAY_DATE = dt.date(2026, 11, 20)

FILE = FileSpec(
    immediate_destination="091000019",
    immediate_origin="091000019",
    created=CREATED,
    immediate_destination_name="FIRST EXAMPLE BANK",
    immediate_origin_name="ACME PAYROLL SERVICES",
)
OK_SDU = ("103000648", "900412345678", "OK CENTRALIZED SUPPORT")
MN_SDU = ("091000019", "4400098765", "MN CHILD SUPPORT PAYMEN")


def ded_text(case: str, cents: int, ssn: str, name: str, fips: str = "", term: bool = False) -> str:
    return encode(Ded(case, PAY_DATE, cents, ssn, "N", name, fips, term))


def payment(
    sdu: tuple[str, str, str], employee: str, ded: str, cents: int, code: str = "22"
) -> EntrySpec:
    routing, account, name = sdu
    return EntrySpec(code, routing, account, cents, name[:22], employee, (ded,))


def ccd_plus() -> str:
    entries = [
        payment(
            OK_SDU, "E1001", ded_text("OK1234567", 27000, "401234567", "SMITH,HARR", "40109"), 27000
        ),
        payment(OK_SDU, "E1002", ded_text("OK7654321", 13547, "402345678", "WASHINGGEO"), 13547),
        payment(OK_SDU, "E1003", ded_text("OK5550001", 8250, "403456789", "LI,MEI", "40143"), 8250),
        payment(
            OK_SDU, "E1004", ded_text("OK5550002", 0, "404567890", "OBRIEN,PAT", term=True), 0, "24"
        ),
    ]
    batch = BatchSpec(
        "ACME MANUFACTURI", "1731234567", "CHILD SUPP", EFFECTIVE, "091000019", entries
    )
    return render(build_file(FILE, [batch]))


def multi_batch() -> str:
    first = [
        payment(OK_SDU, "E2001", ded_text("OK2000001", 15000, "405678901", "GARCIA,MAR"), 15000),
        payment(
            MN_SDU,
            "E2002",
            ded_text("0012345678", 22575, "406789012", "JOHNSONKIM", "27053"),
            22575,
        ),
    ]
    second = [
        payment(
            MN_SDU, "B3001", ded_text("0098765432", 40000, "407890123", "NGUYEN,AN", "27123"), 40000
        ),
    ]
    prenotes = [EntrySpec("23", MN_SDU[0], MN_SDU[1], 0, MN_SDU[2][:22], "PRENOTE")]
    batches = [
        BatchSpec("ACME MANUFACTURI", "1731234567", "CHILD SUPP", EFFECTIVE, "091000019", first),
        BatchSpec("BRIGHT BAKERY CO", "1459876543", "CHILD SUPP", EFFECTIVE, "091000019", second),
        BatchSpec("BRIGHT BAKERY CO", "1459876543", "CHILD SUPP", EFFECTIVE, "091000019", prenotes),
    ]
    return render(build_file(FILE, batches))


def ctx_820() -> str:
    sdu = SduAccount("IDAHO CHILD SUPPORT", "124000054", "5550001234", "checking", "16001")
    payer = ctx820.BankParty("ACME MANUFACTURING", "091000019", "7700012345", "DA")
    payments = [
        ChildSupportPayment("654321", PAY_DATE, 30000, "408901234", "Jones", "Karen"),
        ChildSupportPayment("123456", PAY_DATE, 12575, "409012345", "Okafor", "Chidi"),
        ChildSupportPayment("777001", PAY_DATE, 8000, "410123456", "Smith-Jones", "Al"),
    ]
    entry = ctx_entry(
        payments,
        sdu,
        payer=payer,
        company_id="1731234567",
        effective_date=EFFECTIVE,
        trace="091000010000001",
        envelope=ctx820.Envelope("1731234567", "124000054", control_number=1001),
        created=CREATED,
        identification="ACME-2026-47",
    )
    batch = BatchSpec(
        "ACME MANUFACTURI", "1731234567", "CHILD SUPP", EFFECTIVE, "091000019", [entry], "CTX"
    )
    return render(build_file(FILE, [batch]))


BUILDERS: dict[str, Callable[[], str]] = {
    "ctx-820.ach": ctx_820,
    "ccd-plus-ded.ach": ccd_plus,
    "multi-batch.ach": multi_batch,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    stale = []
    for name, build in BUILDERS.items():
        text = build()
        path = FIXTURES / name
        if args.check:
            if not path.exists() or path.read_text(encoding="ascii") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="ascii", newline="")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(
            f"out of date: {', '.join(stale)}; run python scripts/make_fixtures.py", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
