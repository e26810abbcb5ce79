"""Valid test files for banks and vendors: every shape a child-support file takes, by seed.

A bank testing its addenda parser needs files that are valid, varied the way real payrolls vary,
reproducible (the same seed gives the same bytes) and of any size. :func:`make_kit` writes them
record by record through the builder, feeding each record to our own validator as it goes: a
file the validator rejects is never put in place (:class:`KitRejected`). Beside each file a JSON
manifest says what it holds, so a test can compare a parser's reading with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, iter_records
from nacha_cs.ach.records import CCD_ENTRY, RECORD_LENGTH
from nacha_cs.ach.routing import check_digit
from nacha_cs.ach.writer import atomic_output, iter_record_lines
from nacha_cs.codecs import ctx820
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.validate import Options, Validator

KINDS = ("ccd+", "ctx", "mixed", "prenote", "termination", "returns")
NEWLINES = {"lf": "\n", "crlf": "\r\n", "none": ""}
"""``none`` is the unbroken variant: 94-character records one after the other, no line ends."""

CREATED = dt.datetime(2025, 3, 3, 7, 15)  # a Monday
EFFECTIVE = dt.date(2025, 3, 4)  # the Tuesday after: a banking day
PAY_DATES = (dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2025, 2, 27))
BATCH_SIZE = 500
"""Entries per batch at most; a batch is held in memory while it is written, a file is not."""
MANIFEST_BATCHES = 1000
"""Batches listed one by one in a manifest; a larger file's manifest counts them."""
RETURN_REASONS = ("R01", "R02", "R03", "R04", "R16", "R20", "R23", "R29")


def _routing(first_eight: str) -> str:
    return first_eight + check_digit(first_eight)


ODFI = _routing("07100030")
"""The originating bank of every kit file: one file, one ODFI, employers as its customers."""


@attrs.frozen
class Employer:
    name: str
    company_id: str
    account: str


@attrs.frozen
class Sdu:
    """A state disbursement unit: where the money goes and the FIPS codes its cases carry."""

    name: str
    state: str
    routing: str
    account: str
    fips: tuple[str, ...]
    case_digits: int


EMPLOYERS = (
    Employer("ACME TOOLS INC", "1123456789", "1234567"),
    Employer("BLUE RIVER FOODS", "1987654321", "77001234"),
    Employer("CEDAR HEALTH LLC", "1456789012", "5550001"),
    Employer("DELTA FREIGHT CO", "1321654987", "90909"),
)
SDUS = (
    Sdu("IDAHO CHILD SUPPORT", "ID", _routing("12410428"), "9876543210", ("16001", "16055"), 6),
    Sdu("OKLAHOMA CSS", "OK", _routing("10300001"), "4400012345", ("40109", "4014301"), 7),
    Sdu("OREGON DCS", "OR", _routing("12300022"), "881234", ("41051", "41039"), 8),
    Sdu("VIRGINIA DCSE", "VA", _routing("05100003"), "2223334445", ("51760", "5108700"), 9),
    Sdu("TEXAS SDU", "TX", _routing("11100061"), "31415926", ("48453",), 10),
)
# Names chosen to exercise DED07: long surnames cut at 7, short ones with a comma, suffixes
# dropped, accents folded, punctuation removed, a missing first name.
PEOPLE = (
    ("Smith", "Harry"), ("Washington", "George"), ("Li", "Mei"), ("O'Brien", "Sean"),
    ("King Jr.", "Martin"), ("Peña", "Ana"), ("De La Cruz", "Rosa"), ("Smith-Jones", "Kim"),
    ("Nguyen", "Thi"), ("Abernathy", "Christopher"), ("Ng", ""), ("St. Clair", "Jo"),
)


class KitRejected(RuntimeError):
    """Our validator found an error in a file the kit made: the file is not written."""


@attrs.frozen
class MadeFile:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]


@attrs.define
class _Tally:
    """What the manifest reports, gathered while the file streams out."""

    entries: Counter[str] = attrs.Factory(Counter)
    deds: Counter[str] = attrs.Factory(Counter)
    names: dict[str, str] = attrs.Factory(dict)
    batches: list[dict[str, Any]] = attrs.Factory(list)
    ctx_addenda_max: int = 0
    ctx_payments_max: int = 0
    returns: Counter[str] = attrs.Factory(Counter)


class _Maker:
    """Draws payments from one seeded generator; the draw order fixes the bytes."""

    def __init__(self, kind: str, entries: int, seed: int) -> None:
        self.kind = kind
        self.total = entries
        self.random = random.Random(f"{kind}:{seed}")
        self.tally = _Tally()
        self.sequence = 0  # entries made so far: the builder numbers traces the same way

    def ded(self, sdu: Sdu, amount: int, terminated: bool = False) -> ded_codec.Ded:
        r = self.random
        last, first = r.choice(PEOPLE)
        name = "" if r.random() < 0.1 else ded_codec.abbreviate_name(last, first)
        if name:
            self.tally.names.setdefault(name, f"{last}, {first}".rstrip(", "))
            self.tally.deds["name"] += 1
        else:
            self.tally.deds["name omitted"] += 1
        fips = "" if r.random() < 0.25 else r.choice(sdu.fips)
        self.tally.deds[f"fips {len(fips)}" if fips else "fips omitted"] += 1
        self.tally.deds["terminated"] += terminated
        low = 10 ** (min(sdu.case_digits, 20) - 1)
        case_id = str(r.randrange(low, low * 10))
        ssn = f"{r.randrange(1, 900):03d}{r.randrange(1, 100):02d}{r.randrange(1, 10000):04d}"
        if ssn.startswith("666"):
            ssn = "667" + ssn[3:]
        self.tally.deds["total"] += 1
        return ded_codec.Ded(case_id, r.choice(PAY_DATES), amount, ssn, r.choice("NNNY"), name,
                             fips, terminated)

    def amount(self) -> int:
        return self.random.choice((2500, 13547, 20000, 46153)) if self.random.random() < 0.3 \
            else self.random.randrange(500, 250_000)

    def ccd_entry(self, employee: int) -> EntrySpec:
        r = self.random
        sdu = r.choice(SDUS)
        kind = self.kind
        if kind == "prenote":
            code, amount, ded = "23", 0, None
        elif kind == "termination" and r.random() < 0.7:
            code, amount = r.choice(("24", "34")), 0
            ded = self.ded(sdu, 0, terminated=True)
        else:
            code, amount = r.choice(("22", "22", "22", "32")), self.amount()
            ded = self.ded(sdu, amount, terminated=kind == "termination")
        self.tally.entries[code] += 1
        return EntrySpec(
            transaction_code=code,
            rdfi_routing=sdu.routing,
            account=sdu.account,
            amount=amount,
            receiver_name=sdu.name,
            identification=f"EMP{employee:07d}",
            addenda=(ded_codec.encode_field(ded),) if ded else (),
        )

    def ctx_entry(self, employer: Employer) -> EntrySpec:
        r = self.random
        sdu = r.choice(SDUS)
        # Mostly a few employees per payment; now and then a payroll run of hundreds, so the
        # 820 spans many addenda.
        count = r.choice((1, 2, 3, 5, 8)) if r.random() < 0.9 else r.randrange(20, 300)
        deds = [self.ded(sdu, self.amount()) for _ in range(count)]
        addenda = ctx820.build_addenda(
            deds,
            payer=ctx820.BankParty(employer.name, ODFI, employer.account),
            payee=ctx820.BankParty(sdu.name, sdu.routing, sdu.account),
            company_id=employer.company_id,
            effective_date=EFFECTIVE,
            trace=f"{self.sequence + 1:07d}",
            envelope=ctx820.Envelope(employer.company_id, f"{sdu.state}SDU",
                                     control_number=self.sequence + 1),
            created=CREATED,
        )
        self.tally.entries["22"] += 1
        self.tally.ctx_addenda_max = max(self.tally.ctx_addenda_max, len(addenda))
        self.tally.ctx_payments_max = max(self.tally.ctx_payments_max, count)
        return EntrySpec(
            transaction_code="22",
            rdfi_routing=sdu.routing,
            account=sdu.account,
            amount=sum(d.amount for d in deds),
            receiver_name=sdu.name[:16],
            identification=f"CS{self.sequence + 1:013d}",
            addenda=tuple(addenda),
        )

    def return_entry(self, employer: Employer) -> EntrySpec:
        """A credit the SDU's bank sends back: code 21, with a placeholder addenda that
        :func:`_return_addenda` rewrites as type 99."""
        self.tally.entries["21"] += 1
        return EntrySpec(
            transaction_code="21",
            rdfi_routing=ODFI,
            account=employer.account,
            amount=self.amount(),
            receiver_name=employer.name,
            identification=f"EMP{self.random.randrange(1, 10**7):07d}",
            addenda=("RETURN",),
        )

    def batches(self) -> Iterator[BatchSpec]:
        r = self.random
        left = self.total
        number = 0
        while left > 0:
            number += 1
            employer = r.choice(EMPLOYERS)
            sdu = r.choice(SDUS)  # a returns batch comes from one SDU's bank
            # Mostly small payroll batches, now and then a big one.
            top = 40 if r.random() < 0.8 else BATCH_SIZE
            size = min(left, r.randrange(1, top + 1))
            sec = "CCD"
            if self.kind == "ctx" or (self.kind == "mixed" and number % 2 == 0):
                sec = "CTX"
            entries: list[EntrySpec] = []
            for _ in range(size):
                if sec == "CTX":
                    entries.append(self.ctx_entry(employer))
                elif self.kind == "returns":
                    entries.append(self.return_entry(employer))
                else:
                    entries.append(self.ccd_entry(self.sequence + 1))
                self.sequence += 1
            left -= size
            odfi = sdu.routing if self.kind == "returns" else ODFI
            listing = len(self.tally.batches) <= MANIFEST_BATCHES
            record = {
                "number": number, "sec": sec, "company_name": employer.name,
                "company_identification": employer.company_id,
                "receivers": sorted({e.receiver_name for e in entries}),
                "entries": size, "credit_total": sum(e.amount for e in entries),
            }
            if listing:  # past MANIFEST_BATCHES the manifest gives a count only
                self.tally.batches.append(record)
            yield BatchSpec(
                company_name=employer.name,
                company_identification=employer.company_id,
                entry_description="CHILD SUPP",
                effective_entry_date=EFFECTIVE,
                odfi_routing=odfi,
                entries=tuple(entries),
                sec_code=sec,
                company_discretionary_data="" if r.random() < 0.5 else f"PAYRUN {number}",
            )


_RDFI = CCD_ENTRY.slice("receiving_dfi_identification")
_TRACE = CCD_ENTRY.slice("trace_number")


def _return_addenda(line: str, previous_entry: str, rng: random.Random) -> tuple[str, str]:
    """An addenda 99 for the return entry ``previous_entry`` (NACHA return addenda layout:
    reason 4-6, original trace 7-21, date of death 22-27, original RDFI 28-35, information
    36-79, trace 80-94)."""
    reason = rng.choice(RETURN_REASONS)
    rdfi = previous_entry[_RDFI]
    original_trace = f"{rdfi}{rng.randrange(1, 10**7):07d}"
    text = ("799" + reason + original_trace + " " * 6 + rdfi
            + "CHILD SUPPORT RETURN".ljust(44) + previous_entry[_TRACE])
    assert len(text) == RECORD_LENGTH and line[:3] == "705"
    return text, reason


def _file_spec(kind: str, rng: random.Random) -> FileSpec:
    sdu = rng.choice(SDUS)
    if kind == "returns":
        return FileSpec(ODFI, sdu.routing, CREATED, "FIRST BANK OF OKLAHOMA", sdu.name,
                        file_id_modifier="R")
    return FileSpec(ODFI, ODFI, CREATED, "FIRST BANK OF OKLAHOMA",
                    "NACHA-CS TEST KIT", file_id_modifier=rng.choice("ABC1"))


def _lines(maker: _Maker, spec: FileSpec) -> Iterator[str]:
    previous = ""
    for line in iter_record_lines(iter_records(spec, maker.batches())):
        if maker.kind == "returns" and line[:1] == "7":
            line, reason = _return_addenda(line, previous, maker.random)
            maker.tally.returns[reason] += 1
        previous = line
        yield line


def kit_lines(kind: str, entries: int, seed: int) -> Iterator[str]:
    """The records :func:`make_file` writes for these arguments, without writing or checking
    them (for property tests that want a valid file in memory)."""
    maker = _Maker(kind, entries, seed)
    return _lines(maker, _file_spec(kind, maker.random))


def make_file(kind: str, entries: int, seed: int, path: Path, newline: str = "lf",
              options: Options | None = None, force: bool = False) -> MadeFile:
    """Write one kit file and its manifest; :class:`KitRejected` if our validator objects.

    The records stream to a temporary file and to the validator at once, so a million entries
    take no more memory than one batch.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if entries < 1:
        raise ValueError("a kit file holds at least one entry")
    maker = _Maker(kind, entries, seed)
    spec = _file_spec(kind, maker.random)
    validator = Validator(options, keep_traces=False)
    digest = hashlib.sha256()
    end = NEWLINES[newline]
    records = 0
    with atomic_output(path, force=force) as out:
        buffer: list[str] = []
        for line in _lines(maker, spec):
            records += 1
            validator.feed(records, line)
            buffer.append(line + end)
            if len(buffer) >= 4096:
                chunk = "".join(buffer)
                out.write(chunk)
                digest.update(chunk.encode("ascii"))
                buffer.clear()
        chunk = "".join(buffer)
        out.write(chunk)
        digest.update(chunk.encode("ascii"))
        summary = validator.finish()
        if validator.traces_may_repeat():
            validator.check_duplicate_traces(enumerate(_lines(_Maker(kind, entries, seed),
                                                              spec), start=1))
        errors = [f for f in validator.findings if f.severity == "error"]
        if errors:
            shown = "; ".join(f"{f.code} line {f.line}: {f.message}" for f in errors[:5])
            raise KitRejected(f"{path.name}: our validator rejects the file it made "
                              f"({len(errors)} errors): {shown}")
    manifest = _manifest(maker, kind, seed, entries, newline, path, records, digest.hexdigest(),
                         summary, validator)
    manifest_path = path.with_name(path.name + ".manifest.json")
    with atomic_output(manifest_path, force=force) as out:
        out.write(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=True) + "\n")
    return MadeFile(path, manifest_path, manifest)


def _manifest(maker: _Maker, kind: str, seed: int, entries: int, newline: str, path: Path,
              records: int, sha256: str, summary: Any, validator: Validator) -> dict[str, Any]:
    t = maker.tally
    warnings = Counter(f.code for f in validator.findings if f.severity == "warning")
    return {
        "file": path.name,
        "kind": kind,
        "seed": seed,
        "entries_requested": entries,
        "newline": newline,
        "sha256": sha256,
        "records": records,
        "summary": {"batches": summary.batches, "entries": summary.entries,
                    "addenda": summary.addenda, "total_debit": summary.total_debit,
                    "total_credit": summary.total_credit},
        "transaction_codes": dict(sorted(t.entries.items())),
        "deds": dict(sorted(t.deds.items())),
        "ded07_names": dict(sorted(t.names.items())),
        "ctx": {"most_addenda": t.ctx_addenda_max, "most_payments": t.ctx_payments_max},
        "return_reasons": dict(sorted(t.returns.items())),
        "batches": t.batches if len(t.batches) <= MANIFEST_BATCHES
        else f"{summary.batches} batches (listed up to {MANIFEST_BATCHES})",
        "validator": {"errors": 0, "warnings": dict(sorted(warnings.items()))},
    }


def make_kit(kind: str, entries: int, seed: int, folder: Path,
             newlines: tuple[str, ...] = ("lf", "crlf", "none"),
             options: Options | None = None, force: bool = False) -> list[MadeFile]:
    """One file per line-end variant, named ``<kind>-<seed>-<newline>.ach``."""
    folder.mkdir(parents=True, exist_ok=True)
    name = kind.replace("+", "plus")
    return [make_file(kind, entries, seed, folder / f"{name}-{seed}-{newline}.ach", newline,
                      options, force) for newline in newlines]


__all__ = ["KINDS", "NEWLINES", "KitRejected", "MadeFile", "kit_lines", "make_file", "make_kit"]
