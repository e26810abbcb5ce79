"""A whole ACH file as data: header, batches of entries with their addenda, controls."""

from __future__ import annotations

import attrs

from nacha_cs.ach.records import BatchControl, BatchHeader, Entry, FileControl, FileHeader

CREDIT_CODES = frozenset(
    {"21", "22", "23", "24", "31", "32", "33", "34", "41", "42", "43", "44", "51", "52", "53", "54"}
)
DEBIT_CODES = frozenset(
    {"26", "27", "28", "29", "36", "37", "38", "39", "46", "47", "48", "49", "55", "56"}
)
PRENOTE_CODES = frozenset({"23", "28", "33", "38", "43", "48", "53"})
ZERO_DOLLAR_CODES = frozenset({"24", "29", "34", "39", "44", "49", "54"})
RETURN_CODES = frozenset({"21", "26", "31", "36", "41", "46", "51", "56"})


def is_credit(transaction_code: str) -> bool:
    return transaction_code in CREDIT_CODES


def is_debit(transaction_code: str) -> bool:
    return transaction_code in DEBIT_CODES


@attrs.define(slots=True)
class Batch:
    header: BatchHeader
    entries: list[Entry]
    control: BatchControl


@attrs.define(slots=True)
class AchFile:
    header: FileHeader
    batches: list[Batch]
    control: FileControl

    @property
    def entries(self) -> list[Entry]:
        return [entry for batch in self.batches for entry in batch.entries]
