"""Hypothesis strategies and small factories for specs, models and ACH text.

Import from test modules as ``from strategies import ...`` (pytest puts ``tests/`` on sys.path
because the folder has no ``__init__.py``).

The strategies live in the public module :mod:`nacha_cs.testing` and are re-exported here under
their old names; the factories below are for this suite only. Every strategy produces input
the builder accepts and the reader reads back without a finding: printable ASCII text no wider
than its field, mandatory and required text that is not blank, amounts and totals that fit
their fields, routing numbers that pass the ABA check.
"""

from __future__ import annotations

import datetime as dt

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.model import AchFile
from nacha_cs.testing import (  # noqa: F401 - the names test modules import from here
    CREDIT_CODES,
    DEBIT_CODES,
    MAX_AMOUNT,
    PRINTABLE,
    UPPER_DIGITS,
    ach_files,
    ach_texts,
    batch_specs,
    entry_specs,
    field_texts,
    file_specs,
    filled,
    record_lines,
    routing,
    routing_numbers,
    text,
)

# --- plain factories for example-based tests ---------------------------------------------------

ODFI = "071000301"
RDFI = "021000021"
CREATED = dt.datetime(2025, 1, 2, 3, 4)
EFFECTIVE = dt.date(2025, 1, 3)


def a_file_spec(**changes: object) -> FileSpec:
    values: dict[str, object] = {
        "immediate_destination": ODFI,
        "immediate_origin": "1234567890",
        "created": CREATED,
        "immediate_destination_name": "FIRST BANK",
        "immediate_origin_name": "ACME PAYROLL",
    }
    values.update(changes)
    return FileSpec(**values)  # type: ignore[arg-type]


def an_entry(**changes: object) -> EntrySpec:
    values: dict[str, object] = {
        "transaction_code": "22",
        "rdfi_routing": RDFI,
        "account": "12345678901",
        "amount": 12_345,
        "receiver_name": "OK CENTRALIZED SDU",
    }
    values.update(changes)
    return EntrySpec(**values)  # type: ignore[arg-type]


def a_batch(entries: object = None, **changes: object) -> BatchSpec:
    values: dict[str, object] = {
        "company_name": "ACME CORP",
        "company_identification": "1234567890",
        "entry_description": "CHILD SUPP",
        "effective_entry_date": EFFECTIVE,
        "odfi_routing": ODFI,
        "entries": (an_entry(),) if entries is None else entries,
    }
    values.update(changes)
    return BatchSpec(**values)  # type: ignore[arg-type]


def a_file(*batches: BatchSpec, **changes: object) -> AchFile:
    return build_file(a_file_spec(**changes), batches or (a_batch(),))
